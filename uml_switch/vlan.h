/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlan.h: IEEE 802.1Q VLANs on the switch's ports (see link.h for how
 * settings are given).
 *
 * Theory of operation.  A port is an access port of one VLAN (its PVID)
 * or a trunk: a set of VIDs carried tagged, and optionally a native VID
 * carried untagged.  Every frame is classified once, on its way in
 * (vlan_rx), into a VLAN with the PCP/DEI bits of its tag (struct
 * vlan_meta in its buffer); the frame's bytes stay as they came.
 *  - An access port does not look at tags: all it receives is in its
 *    VLAN, byte for byte (a frame carrying its own 802.1Q tag too: the
 *    switch of a port that keeps the defaults is today's switch).
 *  - A trunk: a frame whose EtherType is 0x8100 is in the VLAN of its
 *    tag (VID 0, priority-tagged: the native VLAN); any other frame
 *    (untagged, or an 802.1ad 0x88a8 outer tag) is in the native VLAN,
 *    untouched.  A VID the trunk does not carry, VID 4095, a tag cut
 *    short, or an untagged frame on a trunk without a native VID is
 *    dropped and counted (drop_vlan).
 * The table is keyed by (VID, MAC); floods go to the ports that carry
 * the VID.  On the way out (vlan_tx), a frame is sent untagged to an
 * access port and in a trunk's native VLAN, tagged (PCP and DEI as they
 * came, 0 for an untagged frame) otherwise; when that differs from the
 * form it came in, the form going out is built at send time in a scratch
 * buffer of the data path (io.c), so no frame is copied at forwarding
 * time and nothing is allocated.  A dump port gets frames as they came.
 *
 * Cost: while every port keeps the defaults (sw->nvlan == 0) none of this
 * runs: the data path is the untagged one of before.
 */
#ifndef UMLNET_VLAN_H
#define UMLNET_VLAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pool.h"

struct sw;
struct jw;
struct link_words;

#define VLAN_DEFAULT_PVID	1
#define VLAN_VID_MAX		4094
#define VLAN_HLEN		4	/* an 802.1Q tag */
#define VLAN_SET_BYTES		(4096 / 8)

/* A port's VLAN settings: what link_parse fills and vlan_apply sets. */
struct vlan_cfg {
	uint8_t trunk;		/* 0: an access port */
	uint16_t pvid;		/* access: its VLAN; trunk: native, 0 = none */
	uint8_t vids[VLAN_SET_BYTES];	/* trunk: the VIDs carried tagged */
	uint8_t given;		/* keys of this request (VLAN_GIVEN_*) */
};

/* Per-port state, in struct port. */
struct vlan_port {
	struct vlan_cfg c;
	uint8_t member[VLAN_SET_BYTES];	/* VIDs in or out: vids + pvid */
	uint8_t custom;		/* not the defaults: counted in sw->nvlan */
};

extern const char *const vlan_keys[];	/* NULL-terminated */

/** vlan_has() - is @vid in set @set? */
static inline int vlan_has(const uint8_t *set, unsigned int vid)
{
	return set[vid >> 3] >> (vid & 7) & 1;
}

/** vlan_carries() - does a port of @vp carry VLAN @vid (in or out)? */
static inline int vlan_carries(const struct vlan_port *vp, unsigned int vid)
{
	return vlan_has(vp->member, vid);
}

/**
 * vlan_tx_tags() - does a port of @vp send frames of @m's VLAN tagged?
 * (Not in an access port, nor in a trunk's native VLAN.)
 */
static inline int vlan_tx_tags(const struct vlan_port *vp,
			       const struct vlan_meta *m)
{
	return vp->c.trunk && m->vid != vp->c.pvid;
}

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

/**
 * vlan_port_init() - make @vp the state of settings @c (a pure function,
 * for vlan_apply() and tests).
 */
void vlan_port_init(struct vlan_port *vp, const struct vlan_cfg *c);

/**
 * vlan_apply() - give port @idx settings @c; a change forgets the port's
 * table entries (announced as an "fdb_flush" event).
 */
void vlan_apply(struct sw *sw, int idx, const struct vlan_cfg *c);

/** vlan_port_close() - port @idx goes: it counts no more in sw->nvlan. */
void vlan_port_close(struct sw *sw, int idx);

/** vlan_json() - port @idx's VLAN settings as members of the open object. */
void vlan_json(const struct sw *sw, struct jw *w, int idx);

/**
 * vlan_rx() - classify frame @f (@len bytes, at least 14) received on a
 * port of @vp into @m.
 * Return: 0, or -1 to drop it (a VLAN the port does not carry).
 */
int vlan_rx(const struct vlan_port *vp, const uint8_t *f, size_t len,
	    struct vlan_meta *m);

/**
 * vlan_tx() - frame @f (@len bytes, classified @m) as a port of @vp sends
 * it: 0 when as it is, else its length, written to @out (@len +
 * VLAN_HLEN bytes of room).
 * Return: 0, the length at @out, or -EMSGSIZE (tagged, it would be longer
 * than FRAME_MAX).
 */
ssize_t vlan_tx(const struct vlan_port *vp, const struct vlan_meta *m,
		const uint8_t *f, size_t len, uint8_t *out);

#endif /* UMLNET_VLAN_H */
