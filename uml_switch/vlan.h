/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlan.h: IEEE 802.1Q VLANs on the switch's ports (see link.h for how
 * settings are given).
 */
#ifndef UMLNET_VLAN_H
#define UMLNET_VLAN_H

#include <stddef.h>
#include <stdint.h>

struct sw;
struct jw;
struct link_words;

#define VLAN_DEFAULT_PVID	1

/* A port's VLAN settings: what link_parse fills and vlan_apply sets. */
struct vlan_cfg {
	uint16_t pvid;
};

/* Per-port state, in struct port. */
struct vlan_port {
	uint16_t pvid;
};

extern const char *const vlan_keys[];	/* NULL-terminated */

/** vlan_cfg_get() - port @idx's settings now (@idx 0: the defaults). */
void vlan_cfg_get(const struct sw *sw, int idx, struct vlan_cfg *c);

/**
 * vlan_parse() - the setting whose key is word *@i of @lw: consume it and
 * its values (*@i is left on the next setting's key).
 * Return: 0, or -EINVAL with @err naming the word at fault.
 */
int vlan_parse(struct vlan_cfg *c, const struct link_words *lw,
	       unsigned int *i, char *err, size_t errlen);

/** vlan_check() - are settings @c, as a whole, consistent? */
int vlan_check(const struct vlan_cfg *c, char *err, size_t errlen);

/** vlan_apply() - give port @idx settings @c. */
void vlan_apply(struct sw *sw, int idx, const struct vlan_cfg *c);

/** vlan_json() - port @idx's VLAN settings as members of the open object. */
void vlan_json(const struct sw *sw, struct jw *w, int idx);

#endif /* UMLNET_VLAN_H */
