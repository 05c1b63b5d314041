// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vlan.c: IEEE 802.1Q VLANs on the switch's ports.
 * (Stub: the settings' plumbing only; VLANs are being built.)
 */
#include <errno.h>
#include <stdio.h>

#include "json.h"
#include "link.h"
#include "sw.h"

const char *const vlan_keys[] = { "vlan", "trunk", "native", NULL };

void vlan_cfg_get(const struct sw *sw, int idx, struct vlan_cfg *c)
{
	c->pvid = idx ? sw->ports[idx].vlan.pvid : VLAN_DEFAULT_PVID;
}

int vlan_parse(struct vlan_cfg *c, const struct link_words *lw,
	       unsigned int *i, char *err, size_t errlen)
{
	(void)c;
	snprintf(err, errlen, "'%s': VLANs are not built yet", lw->w[*i]);
	return -EINVAL;
}

int vlan_check(const struct vlan_cfg *c, char *err, size_t errlen)
{
	(void)c;
	(void)err;
	(void)errlen;
	return 0;
}

void vlan_apply(struct sw *sw, int idx, const struct vlan_cfg *c)
{
	sw->ports[idx].vlan.pvid = c->pvid;
}

void vlan_json(const struct sw *sw, struct jw *w, int idx)
{
	jw_u64(w, "vlan", sw->ports[idx].vlan.pvid);
}
