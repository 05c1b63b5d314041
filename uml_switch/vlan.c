// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vlan.c: IEEE 802.1Q VLANs on the switch's ports (theory of operation in
 * vlan.h): the settings' words, a port's VLAN state, and the frame's way
 * in (classify) and out (tag, untag).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "json.h"
#include "link.h"
#include "sw.h"
#include "vlan.h"

#define VLAN_GIVEN_VLAN		0x1
#define VLAN_GIVEN_TRUNK	0x2
#define VLAN_GIVEN_NATIVE	0x4

const char *const vlan_keys[] = { "vlan", "trunk", "native", NULL };

static void vlan_set(uint8_t *set, unsigned int vid)
{
	set[vid >> 3] |= (uint8_t)(1U << (vid & 7));
}

void vlan_cfg_get(const struct sw *sw, int idx, struct vlan_cfg *c)
{
	if (idx) {
		*c = sw->ports[idx].vlan.c;
	} else {
		memset(c, 0, sizeof(*c));
		c->pvid = VLAN_DEFAULT_PVID;
	}
	c->given = 0;
}

/* A VID of @n bytes at @s: decimal, 1..4094, nothing else.
 * Return: the VID, or 0. */
static unsigned int vlan_vid(const char *s, size_t n)
{
	unsigned int v = 0;
	size_t k;

	if (n == 0 || n > 4)
		return 0;
	for (k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return 0;
		v = v * 10 + (unsigned int)(s[k] - '0');
	}
	return v <= VLAN_VID_MAX ? v : 0;
}

/* VIDS word @w (N, N-M, joined by '+') into @set. */
static int vlan_vids(uint8_t *set, const char *w, char *err, size_t errlen)
{
	const char *s = w, *end, *dash;
	unsigned int a, b, v;

	for (;;) {
		end = s + strcspn(s, "+");
		dash = memchr(s, '-', (size_t)(end - s));
		a = vlan_vid(s, (size_t)((dash ? dash : end) - s));
		b = dash ? vlan_vid(dash + 1, (size_t)(end - dash - 1)) : a;
		if (!a || !b || b < a) {
			snprintf(err, errlen, "'trunk %s': '%.*s' is not a VID "
				 "(1 to 4094) or a range of them (N-M)", w,
				 (int)(end - s), s);
			return -EINVAL;
		}
		for (v = a; v <= b; v++)
			vlan_set(set, v);
		if (!*end)
			return 0;
		s = end + 1;
	}
}

/* The value of key @key, word *@i of @lw: a VID (or "none", if @none). */
static int vlan_word_vid(const struct link_words *lw, unsigned int *i,
			 const char *key, int none, uint16_t *vid, char *err,
			 size_t errlen)
{
	const char *w = *i < lw->n ? lw->w[*i] : NULL;

	if (w && none && !strcmp(w, "none")) {
		*vid = 0;
	} else if (!w || !(*vid = (uint16_t)vlan_vid(w, strlen(w)))) {
		snprintf(err, errlen, "'%s %s': a VID is a number from 1 to "
			 "4094%s", key, w ? w : "(nothing)",
			 none ? " (or none)" : "");
		return -EINVAL;
	}
	(*i)++;
	return 0;
}

static int vlan_given(struct vlan_cfg *c, uint8_t bit, const char *key,
		      char *err, size_t errlen)
{
	if (c->given & bit) {
		snprintf(err, errlen, "'%s' given twice", key);
		return -EINVAL;
	}
	c->given |= bit;
	return 0;
}

static int vlan_parse_trunk(struct vlan_cfg *c, const struct link_words *lw,
			    unsigned int *i, char *err, size_t errlen)
{
	unsigned int first = *i;
	const char *w;
	int ret;

	memset(c->vids, 0, sizeof(c->vids));
	c->trunk = 1;
	if (!(c->given & VLAN_GIVEN_NATIVE))
		c->pvid = 0;	/* none, unless it is said */
	for (; *i < lw->n; (*i)++) {
		w = lw->w[*i];
		if (link_is_key(w, strlen(w)))
			break;
		ret = vlan_vids(c->vids, w, err, errlen);
		if (ret)
			return ret;
	}
	if (*i == first) {
		snprintf(err, errlen, "'trunk' needs a list of VIDs (e.g. "
			 "trunk 10+20+30-40)");
		return -EINVAL;
	}
	return 0;
}

int vlan_parse(struct vlan_cfg *c, const struct link_words *lw,
	       unsigned int *i, char *err, size_t errlen)
{
	const char *k = lw->w[(*i)++];

	if (!strcmp(k, "vlan")) {
		if (vlan_given(c, VLAN_GIVEN_VLAN, k, err, errlen) ||
		    vlan_word_vid(lw, i, k, 0, &c->pvid, err, errlen))
			return -EINVAL;
		c->trunk = 0;
		memset(c->vids, 0, sizeof(c->vids));
		return 0;
	}
	if (!strcmp(k, "trunk"))
		return vlan_given(c, VLAN_GIVEN_TRUNK, k, err, errlen) ? -EINVAL :
		       vlan_parse_trunk(c, lw, i, err, errlen);
	/* "native" */
	if (vlan_given(c, VLAN_GIVEN_NATIVE, k, err, errlen))
		return -EINVAL;
	return vlan_word_vid(lw, i, k, 1, &c->pvid, err, errlen);
}

int vlan_check(const struct vlan_cfg *c, char *err, size_t errlen)
{
	if ((c->given & VLAN_GIVEN_VLAN) && (c->given & VLAN_GIVEN_TRUNK)) {
		snprintf(err, errlen, "'vlan' and 'trunk' in one request: a "
			 "port is an access port (vlan VID) or a trunk (trunk "
			 "VIDS [native VID])");
		return -EINVAL;
	}
	if ((c->given & VLAN_GIVEN_NATIVE) && !c->trunk) {
		snprintf(err, errlen, "'native' is a trunk's: not of an access "
			 "port (give trunk VIDS native VID)");
		return -EINVAL;
	}
	return 0;
}

void vlan_port_init(struct vlan_port *vp, const struct vlan_cfg *c)
{
	vp->c = *c;
	vp->c.given = 0;
	if (c->trunk)
		memcpy(vp->member, c->vids, sizeof(vp->member));
	else
		memset(vp->member, 0, sizeof(vp->member));
	if (c->pvid)
		vlan_set(vp->member, c->pvid);
	vp->custom = c->trunk || c->pvid != VLAN_DEFAULT_PVID;
}

static int vlan_same(const struct vlan_cfg *a, const struct vlan_cfg *b)
{
	return a->trunk == b->trunk && a->pvid == b->pvid &&
	       !memcmp(a->vids, b->vids, sizeof(a->vids));
}

void vlan_apply(struct sw *sw, int idx, const struct vlan_cfg *c)
{
	struct port *p = &sw->ports[idx];
	struct vlan_port *vp = &p->vlan;
	int fresh = !vp->c.trunk && !vp->c.pvid;	/* port_open's */
	uint32_t n;

	if (!fresh && vlan_same(&vp->c, c))
		return;
	sw->nvlan -= vp->custom;
	vlan_port_init(vp, c);
	sw->nvlan += vp->custom;
	if (fresh)
		return;
	/* Its stations and the frames queued to it were of other VLANs. */
	n = fdb_flush_port(&sw->fdb, idx);
	mgmt_ev_fdb(sw, "fdb_flush", idx, n);
	if (p->qlen) {
		port_drop_queue(sw, p, &p->drop_vlan);
		p->full_since_ms = 0;
		port_wake(sw, idx);
	}
}

void vlan_port_close(struct sw *sw, int idx)
{
	struct vlan_port *vp = &sw->ports[idx].vlan;

	sw->nvlan -= vp->custom;
	vp->custom = 0;
}

/* The VIDs of @set as "10,20,30-40" into @buf. */
static char *vlan_ranges(const uint8_t *set, char *buf, size_t len)
{
	unsigned int v = 1, a;
	size_t n = 0;

	buf[0] = '\0';
	while (v <= VLAN_VID_MAX) {
		if (!vlan_has(set, v)) {
			v++;
			continue;
		}
		for (a = v; v < VLAN_VID_MAX && vlan_has(set, v + 1); v++)
			;
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, a == v ?
					      "%s%u" : "%s%u-%u", n ? "," : "",
					      a, v);
		v++;
	}
	return buf;
}

void vlan_json(const struct sw *sw, struct jw *w, int idx)
{
	const struct vlan_cfg *c = &sw->ports[idx].vlan.c;
	char buf[LINK_TEXT_MAX * 4];	/* ranges come from settings text */

	jw_obj(w, "vlan");
	jw_str(w, "mode", c->trunk ? "trunk" : "access");
	if (!c->trunk) {
		jw_u64(w, "pvid", c->pvid);
	} else {
		jw_str(w, "vids", vlan_ranges(c->vids, buf, sizeof(buf)));
		if (c->pvid)
			jw_u64(w, "native", c->pvid);
		else
			jw_null(w, "native");
	}
	jw_end(w);
}

int vlan_rx(const struct vlan_port *vp, const uint8_t *f, size_t len,
	    struct vlan_meta *m)
{
	unsigned int tci, vid;

	m->prio = 0;
	m->tagged = 0;
	m->vid = vp->c.pvid;
	if (!vp->c.trunk)
		return 0;
	if (frame_get16(f + 2 * ETH_ALEN_) != ETH_TYPE_8021Q)
		return vp->c.pvid ? 0 : -1;	/* untagged: native */
	if (len < ETH_HLEN_ + VLAN_HLEN)
		return -1;
	tci = frame_get16(f + ETH_HLEN_);
	vid = tci & 0xfff;
	if (!vid)		/* priority-tagged: the native VLAN */
		vid = vp->c.pvid;
	if (!vid || vid > VLAN_VID_MAX || !vlan_carries(vp, vid))
		return -1;
	m->vid = (uint16_t)vid;
	m->prio = (uint16_t)(tci & 0xf000);
	m->tagged = 1;
	return 0;
}

ssize_t vlan_tx(const struct vlan_port *vp, const struct vlan_meta *m,
		const uint8_t *f, size_t len, uint8_t *out)
{
	const size_t mac2 = 2 * ETH_ALEN_;
	uint16_t tci = (uint16_t)(m->prio | m->vid);

	if (!vlan_tx_tags(vp, m)) {
		if (!m->tagged)
			return 0;
		memcpy(out, f, mac2);
		memcpy(out + mac2, f + mac2 + VLAN_HLEN, len - mac2 - VLAN_HLEN);
		return (ssize_t)(len - VLAN_HLEN);
	}
	if (m->tagged) {
		if (frame_get16(f + ETH_HLEN_) == tci)
			return 0;
		memcpy(out, f, len);
		frame_put16(out + ETH_HLEN_, tci);
		return (ssize_t)len;
	}
	if (len + VLAN_HLEN > FRAME_MAX)
		return -EMSGSIZE;
	memcpy(out, f, mac2);
	frame_put16(out + mac2, ETH_TYPE_8021Q);
	frame_put16(out + ETH_HLEN_, tci);
	memcpy(out + mac2 + VLAN_HLEN, f + mac2, len - mac2);
	return (ssize_t)(len + VLAN_HLEN);
}
