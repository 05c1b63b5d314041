/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mgmt.h: the switch's management socket, shared by its files: requests
 * (mgmt_req.c, pure, fuzzed), clients (mgmt.c), commands (mgmt_cmd.c),
 * events (mgmt_event.c) and capture (capture.c).  The protocol is in
 * uml_switch-mgmt(7).
 *
 * Theory of operation: a client sends one JSON object per line and gets
 * exactly one JSON line back for each, in order; the next request is
 * taken only once the previous reply has left the switch (so a client
 * that does not read its replies stops being read, and is dropped after
 * MGMT_STALL_MS).  "events" and "capture" turn the connection into a
 * stream (JSON lines, or pcapng after the reply line) until the client
 * sends a line (e.g. {"cmd":"stop"}) or leaves.  A stream record that
 * does not fit in the client's buffer is dropped and counted: nothing a
 * management client does holds the LAN's frames.
 */
#ifndef UMLNET_MGMT_H
#define UMLNET_MGMT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "link.h"
#include "transport.h"

#define MGMT_MAX_CLIENTS	16
#define MGMT_LINE_MAX		65536	/* a request line, its '\n' included */
#define MGMT_RING_SIZE		(1U << 20)	/* output buffered per client */
#define MGMT_LINE_TIMEOUT_MS	5000	/* a started line must end by then */
#define MGMT_STALL_MS		10000	/* a reply not read for this long */
#define MGMT_CLOSE_MS		2000	/* last words get this long to leave */
#define MGMT_TOKENS		256	/* JSON values in one request */
#define MGMT_NAME_MAX		16	/* a port's name, its NUL included */
#define MGMT_CAP_PORTS		64	/* ports named in one capture */
#define MGMT_PAGE_PORTS		32	/* ports in one reply */
#define MGMT_PAGE_FDB		1024	/* fdb entries in one reply */
#define MGMT_PORT_MACS		16	/* MACs listed with a port */
#define MGMT_SNAPLEN_MAX	65535

enum mreq_cmd {
	MREQ_SHOW,
	MREQ_PORTS,
	MREQ_FDB,
	MREQ_FDB_FLUSH,
	MREQ_PORT_ADD,
	MREQ_PORT_DEL,
	MREQ_PORT_SET,
	MREQ_MODE,
	MREQ_EVENTS,
	MREQ_CAPTURE,
	MREQ_STOP,
};

/* A port named in a request: by index, or by name. */
struct mreq_port {
	uint32_t index;			/* 0: by name */
	char name[MGMT_NAME_MAX];
};

/* Which fields a request had (bits of 1 << MF_*). */
enum mreq_field {
	MF_CMD, MF_PORT, MF_START, MF_SPEC, MF_NAME, MF_CARRIER, MF_MODE,
	MF_PORTS, MF_SNAPLEN, MF_COUNT, MF_LINK, MF_N
};

struct mreq {
	enum mreq_cmd cmd;
	uint32_t has;			/* 1 << MF_* */
	struct mreq_port port;
	uint64_t start;
	char spec[TP_SPEC_MAX];
	char name[MGMT_NAME_MAX];
	char link[LINK_TEXT_MAX];	/* port_set: link settings (link.h) */
	int carrier_up;
	int hub;
	struct mreq_port ports[MGMT_CAP_PORTS];
	unsigned int nports;
	uint32_t snaplen;
	uint64_t count;
};

/* Why a request was refused: a code for programs, a message for people
 * (printable ASCII, naming the field or value at fault). */
struct mreq_err {
	const char *code;
	char msg[192];
};

/**
 * mreq_parse() - decode one request line (without its '\n').
 * Return: 0, or -EINVAL with @e filled in.
 */
int mreq_parse(const char *line, size_t len, struct mreq *r,
	       struct mreq_err *e);

/**
 * mreq_name_ok() - is @s a valid port name: 1 to 15 of A-Z a-z 0-9 . _ -
 * and not all digits (those are indices)?
 */
int mreq_name_ok(const char *s);

/* ---- the switch's side (mgmt.c, mgmt_cmd.c, mgmt_event.c, capture.c) */

struct sw;
struct jw;
struct port;

#define MGMT_REPLY_MAX		(256U << 10)	/* one reply line */
#define MGMT_REPLY_SOFT		(192U << 10)	/* a page ends past this */
#define MGMT_EVENT_MAX		8192		/* one event line */
#define MGMT_CAP_IFS		1024	/* interfaces in one capture */
/* A capture's output is written once this much is waiting (or at the
 * next tick, every 100 ms): fewer, larger writes, fewer wake-ups of the
 * reader, at the cost of a little delay */
#define MGMT_CAP_CHUNK		(64U << 10)

/* Bytes waiting to go to a client; a record is put whole or not at all. */
struct mgmt_ring {
	uint8_t *buf;		/* MGMT_RING_SIZE bytes */
	uint32_t head, len;
};

enum mgmt_state {
	MC_FREE,
	MC_REQ,		/* requests and replies */
	MC_EVENTS,	/* an event stream */
	MC_CAPTURE,	/* a pcapng stream */
	MC_CLOSING,	/* last words, then the end */
};

/* A capture's interface: one opening of one port (pcapng IDB order). */
struct cap_if {
	uint32_t port, gen;
	uint64_t recs, lost;
};

/* What a capture wants of each port slot. */
struct cap_port {
	uint32_t gen;		/* the opening it wants (0: none) */
	uint32_t ifid;		/* its interface id + 1 (0: no IDB yet) */
};

struct capture {
	uint8_t all;		/* every port, those to come too */
	uint8_t ending;		/* the final blocks are due */
	uint32_t snaplen;
	uint32_t nwant;		/* ports wanted (not "all") still there */
	uint64_t left;		/* records still to write; 0: no limit */
	uint64_t start_us;
	uint64_t lost_orphan;	/* lost, of ports whose IDB never fitted */
	struct cap_port *port;	/* sw->o.max_ports of them */
	struct cap_if *ifs;	/* MGMT_CAP_IFS */
	uint32_t nif;
};

struct mgmt_client {
	int fd;
	enum mgmt_state state;
	uint8_t dirty;		/* on the flush list */
	uint8_t want_out;	/* the socket is full: wait for EPOLLOUT */
	uint32_t events;	/* epoll mask registered */
	char *in;		/* MGMT_LINE_MAX bytes */
	uint32_t inlen;
	struct mgmt_ring out;
	uint64_t line_ms;	/* an unfinished line waits since */
	uint64_t stuck_ms;	/* output waits, no progress, since */
	uint64_t close_ms;	/* MC_CLOSING since */
	uint64_t lost;		/* event records dropped, not yet said */
	pid_t pid;
	uid_t uid;
	struct capture cap;
};

/* A port's counters, apart from the port (they outlive it). */
struct mgmt_counters {
	uint64_t rx, tx, rx_bytes, tx_bytes;
	uint64_t total, full, size, err, nobuf, refused, carrier, ignored;
	uint64_t vlan, bad, vnet;
	uint64_t checksummed, segmented;	/* offloads done for it */
	uint64_t kicks;		/* its peer's doorbells (vhost-user) */
};

struct mgmt {
	struct mgmt_client c[MGMT_MAX_CLIENTS];
	struct mgmt_counters gone;	/* the port that ended last */
	char gone_name[MGMT_NAME_MAX];
	int dirty[2 * MGMT_MAX_CLIENTS];	/* a client again after its turn */
	int ndirty;
	int capl[MGMT_MAX_CLIENTS];	/* clients capturing */
	int ncapl;
	char *reply;		/* MGMT_REPLY_MAX: the reply being made */
	char *ev;		/* MGMT_EVENT_MAX: the event being made */
	uint64_t refused;	/* clients turned away */
};

/* mgmt.c */
void mgmt_dirty(struct sw *sw, int ci);
uint32_t mgmt_room(const struct mgmt_client *c);
void mgmt_put(struct sw *sw, int ci, const void *p, uint32_t n);
uint8_t *mgmt_reserve(struct sw *sw, int ci, uint32_t n);
void mgmt_reply(struct sw *sw, int ci, struct jw *w);
void mgmt_fail(struct sw *sw, int ci, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void mgmt_finish(struct sw *sw, int ci);
uint64_t mgmt_now_us(void);

/* mgmt_cmd.c */
void mgmt_cmd(struct sw *sw, int ci, const struct mreq *r);
int mgmt_port_of(struct sw *sw, int ci, const struct mreq_port *p);
void mgmt_json_port(struct sw *sw, struct jw *w, const char *key, int idx);
void mgmt_counters(const struct port *p, struct mgmt_counters *c);
void mgmt_json_counters(struct jw *w, const char *key,
			const struct mgmt_counters *c);

/* mgmt_event.c */
void mgmt_events_start(struct sw *sw, int ci);
void mgmt_events_end(struct sw *sw, int ci, const char *why);

/* capture.c */
void capture_start(struct sw *sw, int ci, const struct mreq *r);
void capture_end(struct sw *sw, int ci);
int capture_finish(struct sw *sw, int ci);
void capture_release(struct sw *sw, int ci);
int capture_alloc(struct sw *sw, struct capture *cap);

#endif /* UMLNET_MGMT_H */
