// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c: the management socket's "capture": every frame that crosses
 * the ports a client names (or every port, those to come too), written to
 * it live as pcapng (draft-ietf-opsawg-pcapng): a section header, one
 * interface description per port opening (if_name: the port's name;
 * if_description: its index, kind and peer), an enhanced packet block per
 * frame and port crossed, whose epb_flags give the direction (inbound:
 * received from that port; outbound: queued to it), and at the end an
 * interface statistics block per interface whose isb_ifdrop counts the
 * records this client lost.
 *
 * The data path calls capture_frame() only for ports whose PW_CAPTURE bit
 * is set (see sw.h): on its way in (port_watch_rx(), fwd.c) and once per
 * destination queue (q_push()).  A record is copied into the client's
 * output ring (the frame's only copy), or, if the ring has no room for it
 * (the client reads too slowly), dropped and counted: a capture never
 * holds a frame, never slows a port, allocates nothing.  The ring is
 * written out once per wake-up of the loop (mgmt.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "mgmt.h"
#include "sw.h"

#define PCAPNG_SHB		0x0a0d0d0aU
#define PCAPNG_IDB		1U
#define PCAPNG_ISB		5U
#define PCAPNG_EPB		6U
#define PCAPNG_BOM		0x1a2b3c4dU
#define LINKTYPE_ETHERNET	1
#define OPT_END			0
#define OPT_SHB_USERAPPL	4
#define OPT_IF_NAME		2
#define OPT_IF_DESCRIPTION	3
#define OPT_EPB_FLAGS		2
#define OPT_ISB_STARTTIME	2
#define OPT_ISB_ENDTIME		3
#define OPT_ISB_IFDROP		5
#define OPT_ISB_USRDELIV	8
#define EPB_INBOUND		1U
#define EPB_OUTBOUND		2U
#define EPB_FIXED		28	/* header up to the data */
#define EPB_TAIL		16	/* epb_flags, end of options, length */
#define ISB_LEN			76
/* Room kept for interface descriptions of ports that come while the
 * reader is behind, so that their frames can still be recorded. */
#define CAP_IDB_RESERVE		8192

/* A block being put together: at most the fixed part of any block. */
struct blk {
	uint8_t b[512];
	uint32_t len;
};

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3U;
}

static void blk_u16(struct blk *k, uint16_t v)
{
	memcpy(k->b + k->len, &v, 2);
	k->len += 2;
}

static void blk_u32(struct blk *k, uint32_t v)
{
	memcpy(k->b + k->len, &v, 4);
	k->len += 4;
}

/* An option of @n bytes (cut to what the block has room for). */
static void blk_opt(struct blk *k, uint16_t code, const void *v, size_t n)
{
	size_t room = sizeof(k->b) - k->len - 16;

	if (n > room)
		n = room & ~3U;
	blk_u16(k, code);
	blk_u16(k, (uint16_t)n);
	memcpy(k->b + k->len, v, n);
	memset(k->b + k->len + n, 0, pad4((uint32_t)n) - n);
	k->len += pad4((uint32_t)n);
}

static void blk_opt_u64(struct blk *k, uint16_t code, uint64_t v)
{
	blk_opt(k, code, &v, 8);
}

/* Block type @type begins; blk_end() writes its lengths. */
static void blk_begin(struct blk *k, uint32_t type)
{
	k->len = 0;
	blk_u32(k, type);
	blk_u32(k, 0);
}

static void blk_end(struct blk *k)
{
	uint32_t total;

	blk_u16(k, OPT_END);
	blk_u16(k, 0);
	total = k->len + 4;
	memcpy(k->b + 4, &total, 4);
	blk_u32(k, total);
}

static int cap_put(struct sw *sw, int ci, const struct blk *k)
{
	if (mgmt_room(&sw->mgmt->c[ci]) < k->len)
		return -ENOBUFS;
	mgmt_put(sw, ci, k->b, k->len);
	return 0;
}

/**
 * capture_alloc() - a capture's tables, made once at start.
 * Return: 0 or -ENOMEM.
 */
int capture_alloc(struct sw *sw, struct capture *cap)
{
	cap->port = calloc(sw->o.max_ports, sizeof(*cap->port));
	cap->ifs = calloc(MGMT_CAP_IFS, sizeof(*cap->ifs));
	return cap->port && cap->ifs ? 0 : -ENOMEM;
}

static int cap_wants(const struct sw *sw, const struct capture *cap, int idx)
{
	return !cap->ending && cap->port[idx].gen &&
	       cap->port[idx].gen == sw->ports[idx].gen;
}

/* Port @idx's PW_CAPTURE: does any running capture want it? */
static void cap_rewatch(struct sw *sw, int idx)
{
	struct mgmt *m = sw->mgmt;
	int i, want = 0;

	for (i = 0; i < m->ncapl && !want; i++)
		want = cap_wants(sw, &m->c[m->capl[i]].cap, idx);
	if (want)
		sw->ports[idx].watch |= PW_CAPTURE;
	else
		sw->ports[idx].watch &= (uint8_t)~PW_CAPTURE;
}

/* The interface description of port @idx for capture @ci. */
static int cap_idb(struct sw *sw, int ci, int idx)
{
	struct capture *cap = &sw->mgmt->c[ci].cap;
	const struct port *p = &sw->ports[idx];
	char desc[256];
	struct blk k;
	int n;

	if (cap->nif == MGMT_CAP_IFS)
		return -ENOSPC;
	blk_begin(&k, PCAPNG_IDB);
	blk_u16(&k, LINKTYPE_ETHERNET);
	blk_u16(&k, 0);
	blk_u32(&k, cap->snaplen);
	blk_opt(&k, OPT_IF_NAME, p->name, strlen(p->name));
	n = snprintf(desc, sizeof(desc), "port %d (%s): %s", idx,
		     p->tp->ops->name, p->desc);
	blk_opt(&k, OPT_IF_DESCRIPTION, desc,
		n < (int)sizeof(desc) ? (size_t)n : sizeof(desc) - 1);
	blk_end(&k);
	if (cap_put(sw, ci, &k))
		return -ENOBUFS;
	cap->ifs[cap->nif].port = (uint32_t)idx;
	cap->ifs[cap->nif].gen = p->gen;
	cap->ifs[cap->nif].recs = cap->ifs[cap->nif].lost = 0;
	cap->port[idx].ifid = ++cap->nif;
	return 0;
}

/* One record of frame @b on port @idx for capture @ci. */
static void cap_record(struct sw *sw, int ci, int idx, const struct buf *b,
		       int out, uint64_t us)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	struct capture *cap = &c->cap;
	uint32_t caplen = b->len < cap->snaplen ? b->len : cap->snaplen;
	uint32_t total = EPB_FIXED + pad4(caplen) + EPB_TAIL;
	static const uint8_t zero[4];
	uint32_t hdr[7], tail[4];
	struct cap_if *f;
	uint8_t *p;

	if (!cap->port[idx].ifid && (mgmt_room(c) < total + 512 ||
				     cap_idb(sw, ci, idx))) {
		cap->lost_orphan++;
		return;
	}
	f = &cap->ifs[cap->port[idx].ifid - 1];
	if (mgmt_room(c) < total + CAP_IDB_RESERVE) {
		f->lost++;
		return;
	}
	hdr[0] = PCAPNG_EPB;
	hdr[1] = total;
	hdr[2] = cap->port[idx].ifid - 1;
	hdr[3] = (uint32_t)(us >> 32);
	hdr[4] = (uint32_t)us;
	hdr[5] = caplen;
	hdr[6] = b->len;
	tail[0] = (uint32_t)OPT_EPB_FLAGS | 4U << 16;	/* code, length */
	tail[1] = out ? EPB_OUTBOUND : EPB_INBOUND;
	tail[2] = OPT_END;
	tail[3] = total;
	p = mgmt_reserve(sw, ci, total);
	if (p) {	/* in one piece: straight into the ring */
		memcpy(p, hdr, sizeof(hdr));
		memcpy(p + sizeof(hdr), b->data, caplen);
		memset(p + sizeof(hdr) + caplen, 0, pad4(caplen) - caplen);
		memcpy(p + sizeof(hdr) + pad4(caplen), tail, sizeof(tail));
	} else {	/* across the ring's end */
		mgmt_put(sw, ci, hdr, sizeof(hdr));
		mgmt_put(sw, ci, b->data, caplen);
		mgmt_put(sw, ci, zero, pad4(caplen) - caplen);
		mgmt_put(sw, ci, tail, sizeof(tail));
	}
	f->recs++;
	if (cap->left && !--cap->left)
		capture_end(sw, ci);
}

/**
 * capture_frame() - frame @b crosses port @idx (PW_CAPTURE is set): in
 * (@out 0) or out (@out 1); a record for every capture that wants it.
 */
void capture_frame(struct sw *sw, int idx, const struct buf *b, int out)
{
	struct mgmt *m = sw->mgmt;
	uint64_t us = 0;
	int i, ci;

	for (i = 0; i < m->ncapl; i++) {
		ci = m->capl[i];
		if (!cap_wants(sw, &m->c[ci].cap, idx))
			continue;
		if (!us)
			us = mgmt_now_us();
		cap_record(sw, ci, idx, b, out, us);
	}
}

static void cap_shb(struct sw *sw, int ci)
{
	static const char app[] = "uml_switch (umlnet) " SW_VERSION;
	uint64_t none = UINT64_MAX;	/* section length: not known */
	struct blk k;

	blk_begin(&k, PCAPNG_SHB);
	blk_u32(&k, PCAPNG_BOM);
	blk_u16(&k, 1);
	blk_u16(&k, 0);
	memcpy(k.b + k.len, &none, 8);
	k.len += 8;
	blk_opt(&k, OPT_SHB_USERAPPL, app, sizeof(app) - 1);
	blk_end(&k);
	cap_put(sw, ci, &k);
}

/* Capture @ci wants port @idx (its current opening). */
static void cap_want(struct sw *sw, int ci, int idx)
{
	struct capture *cap = &sw->mgmt->c[ci].cap;

	if (cap->port[idx].gen == sw->ports[idx].gen)
		return;
	cap->port[idx].gen = sw->ports[idx].gen;
	cap->port[idx].ifid = 0;
	cap->nwant++;
	sw->ports[idx].watch |= PW_CAPTURE;
	cap_idb(sw, ci, idx);	/* else at its first frame */
}

static void cap_reply(struct sw *sw, int ci, const struct mreq *r,
		      const int *idx, unsigned int n)
{
	struct capture *cap = &sw->mgmt->c[ci].cap;
	unsigned int i;
	struct jw w;

	jw_init(&w, sw->mgmt->reply, MGMT_REPLY_MAX);
	jw_obj(&w, NULL);
	jw_bool(&w, "ok", 1);
	jw_obj(&w, "capture");
	jw_str(&w, "format", "pcapng");
	jw_u64(&w, "snaplen", cap->snaplen);
	if (r->count)
		jw_u64(&w, "count", r->count);
	else
		jw_null(&w, "count");
	if (cap->all) {
		jw_str(&w, "ports", "all");
	} else {
		jw_arr(&w, "ports");
		for (i = 0; i < n; i++)
			jw_u64(&w, NULL, (uint64_t)idx[i]);
		jw_end(&w);
	}
	jw_end(&w);
	jw_end(&w);
	mgmt_reply(sw, ci, &w);
}

/**
 * capture_start() - client @ci asked for a capture (@r): the reply line,
 * then the pcapng stream.
 */
void capture_start(struct sw *sw, int ci, const struct mreq *r)
{
	struct mgmt *m = sw->mgmt;
	struct capture *cap = &m->c[ci].cap;
	int idx[MGMT_CAP_PORTS];
	unsigned int i, n = r->nports;

	for (i = 0; i < n; i++) {
		idx[i] = mgmt_port_of(sw, ci, &r->ports[i]);
		if (idx[i] < 0)
			return;
	}
	memset(cap->port, 0, sw->o.max_ports * sizeof(*cap->port));
	cap->nif = cap->nwant = 0;
	cap->all = !n;
	cap->ending = 0;
	cap->snaplen = r->snaplen ? r->snaplen : MGMT_SNAPLEN_MAX;
	cap->left = r->count;
	cap->lost_orphan = 0;
	cap->start_us = mgmt_now_us();
	cap_reply(sw, ci, r, idx, n);
	cap_shb(sw, ci);
	m->c[ci].state = MC_CAPTURE;
	m->capl[m->ncapl++] = ci;
	sw->ncaptures++;
	if (cap->all)
		for (i = 0; i < (unsigned int)sw->nports; i++)
			cap_want(sw, ci, sw->active[i]);
	else
		for (i = 0; i < n; i++)
			cap_want(sw, ci, idx[i]);
	info("management: capture of %s started (pid %d)",
	     cap->all ? "every port" : "some ports", (int)m->c[ci].pid);
}

/* Capture @ci wants no port any more. */
static void cap_unwant_all(struct sw *sw, int ci)
{
	struct capture *cap = &sw->mgmt->c[ci].cap;
	uint32_t idx;

	for (idx = 1; idx < sw->o.max_ports; idx++) {
		if (!cap->port[idx].gen)
			continue;
		cap->port[idx].gen = 0;
		if (port_in_use(&sw->ports[idx]))
			cap_rewatch(sw, (int)idx);
	}
	cap->nwant = 0;
}

/**
 * capture_end() - capture @ci ends (its count reached, stop asked, its
 * ports gone, its client's EOF): no more records; its statistics go out
 * once there is room (capture_finish()).
 */
void capture_end(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];

	if (c->cap.ending)
		return;
	c->cap.ending = 1;
	c->close_ms = sw->now_ms;
	cap_unwant_all(sw, ci);
	mgmt_dirty(sw, ci);
}

/**
 * capture_finish() - the end of capture @ci: an interface statistics
 * block per interface (records written, records lost), once they fit;
 * then the connection ends.
 * Return: 1 if they were written, 0 if they wait for room.
 */
int capture_finish(struct sw *sw, int ci)
{
	struct mgmt_client *c = &sw->mgmt->c[ci];
	struct capture *cap = &c->cap;
	uint64_t now = mgmt_now_us(), lost;
	struct blk k;
	uint32_t i;

	if (mgmt_room(c) < cap->nif * ISB_LEN)
		return 0;
	for (i = 0; i < cap->nif; i++) {
		/* frames of ports that never had a description go with the
		 * first interface's */
		lost = cap->ifs[i].lost + (i ? 0 : cap->lost_orphan);
		blk_begin(&k, PCAPNG_ISB);
		blk_u32(&k, i);
		blk_u32(&k, (uint32_t)(now >> 32));
		blk_u32(&k, (uint32_t)now);
		blk_opt_u64(&k, OPT_ISB_STARTTIME, cap->start_us);
		blk_opt_u64(&k, OPT_ISB_ENDTIME, now);
		blk_opt_u64(&k, OPT_ISB_IFDROP, lost);
		blk_opt_u64(&k, OPT_ISB_USRDELIV, cap->ifs[i].recs);
		blk_end(&k);
		cap_put(sw, ci, &k);
	}
	mgmt_finish(sw, ci);
	return 1;
}

/**
 * capture_release() - capture @ci is over (or its client gone): its
 * ports are no longer watched for it.
 */
void capture_release(struct sw *sw, int ci)
{
	struct mgmt *m = sw->mgmt;
	uint64_t recs = 0, lost = m->c[ci].cap.lost_orphan;
	uint32_t f;
	int i;

	for (i = 0; i < m->ncapl && m->capl[i] != ci; i++)
		;
	if (i == m->ncapl)
		return;
	m->capl[i] = m->capl[--m->ncapl];
	sw->ncaptures--;
	m->c[ci].cap.ending = 1;
	cap_unwant_all(sw, ci);
	for (f = 0; f < m->c[ci].cap.nif; f++) {
		recs += m->c[ci].cap.ifs[f].recs;
		lost += m->c[ci].cap.ifs[f].lost;
	}
	info("management: capture ended (pid %d): %llu records, %llu lost",
	     (int)m->c[ci].pid, (unsigned long long)recs,
	     (unsigned long long)lost);
}

/**
 * capture_port_open() - port @idx is new: captures of every port want it.
 */
void capture_port_open(struct sw *sw, int idx)
{
	struct mgmt *m = sw->mgmt;
	int i;

	for (i = 0; i < m->ncapl; i++)
		if (m->c[m->capl[i]].cap.all && !m->c[m->capl[i]].cap.ending)
			cap_want(sw, m->capl[i], idx);
}

/**
 * capture_port_close() - port @idx ends: a capture of named ports whose
 * ports are all gone ends too.
 */
void capture_port_close(struct sw *sw, int idx)
{
	struct mgmt *m = sw->mgmt;
	struct capture *cap;
	int i;

	for (i = 0; i < m->ncapl; i++) {
		cap = &m->c[m->capl[i]].cap;
		if (!cap_wants(sw, cap, idx))
			continue;
		cap->port[idx].gen = 0;
		if (!--cap->nwant && !cap->all)
			capture_end(sw, m->capl[i]);
	}
}
