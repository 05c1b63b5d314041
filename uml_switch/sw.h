/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sw.h: the switch's state, shared by its files: options, ports with their
 * output queues, control connections, the MAC table and the buffer pool.
 *
 * Theory of operation (data path): each client port has its own SOCK_DGRAM
 * socket connected to the client, so a frame's source port is the fd it
 * arrived on.  A wake-up reads a batch (recvmmsg) into pool buffers, learns
 * source MACs, and places a reference to each frame on the output queue of
 * every destination port.  Queues are flushed once per wake-up (sendmmsg).
 * A client whose socket is full (EAGAIN) gets EPOLLOUT and keeps its queue.
 * A frame whose destination queue is full is held at its source port, and
 * that port is not read again until the queue drains (back-pressure): the
 * switch itself never drops below capacity.  A port that is full and makes
 * no progress for STALL_MS is "stalled": frames to it are then dropped and
 * counted, so one stuck client cannot stop the LAN.
 */
#ifndef UMLNET_SW_H
#define UMLNET_SW_H

#include <stdint.h>
#include <sys/un.h>

#include "fdb.h"
#include "pool.h"

#define SW_BATCH		64
#define SW_DEFAULT_QUEUE	256
#define SW_DEFAULT_MAX_PORTS	256
#define SW_DEFAULT_MAX_MACS	4096
#define SW_DEFAULT_AGING	300
#define SW_REQ_TIMEOUT_MS	5000	/* a new client must send its request */
#define SW_STALL_MS		1000
#define SW_MAX_TAPS		16
#define SW_MAX_SPECS		16
#define STREAM_BUF		(4 + 65535)

enum port_kind {
	PORT_FREE = 0,
	PORT_DGRAM,	/* daemon v1/v3 client: own connected datagram socket */
	PORT_V0,	/* daemon v0 client on the shared data socket */
	PORT_TAP,	/* -tap DEV */
	PORT_SEQ,	/* --bess client: SOCK_SEQPACKET, one frame a message */
	PORT_STREAM,	/* --stream client: 4-byte big-endian length + frame */
	PORT_TP,	/* --port SPEC: any libumlnet transport */
};

struct port {
	enum port_kind kind;
	int fd;			/* data socket or tap; -1 for v0 (shared) */
	int ctl;		/* control connection; -1 for taps */
	struct sockaddr_un peer;	/* client data address (v0: send to) */
	char desc[192];		/* for log lines */

	struct buf **q;		/* output ring of sw.qmax entries */
	uint32_t qhead, qlen;
	uint32_t events;	/* registered epoll mask */
	uint8_t want_out;	/* send hit EAGAIN: wait for EPOLLOUT */
	uint8_t dirty;		/* on the flush list */
	uint8_t stalled;
	uint8_t starved;	/* not read: pool exhausted */
	int blocked_by;		/* port whose full queue we wait for, or -1 */
	uint64_t full_since_ms;	/* queue full and no progress since */

	struct buf *held[SW_BATCH];	/* frames read, not yet placed */
	uint16_t nheld, iheld;
	uint16_t rx_batch;	/* frames to ask for in the next read */

	struct tp *tp;		/* PORT_TP */
	uint8_t *sbuf;		/* PORT_STREAM: partial input */
	uint32_t slen;		/* bytes in sbuf */
	uint32_t tx_off;	/* PORT_STREAM: bytes of the head frame sent */

	uint64_t rx, tx, rx_bytes, tx_bytes;
	uint64_t drop_full, drop_size, drop_err, drop_nobuf;
};

/* A control connection that has not yet sent its request. */
struct conn {
	int fd;			/* -1 = free */
	uint64_t deadline_ms;
	uint32_t len;
	uint8_t buf[256];
};

struct sw_opts {
	char ctl[108];
	char data[108];		/* -compat-v0 shared data socket */
	int compat_v0;
	int hub;
	int daemonize;
	int verbose;
	const char *group;
	const char *pidfile;
	const char *taps[SW_MAX_TAPS];
	int ntaps;
	const char *specs[SW_MAX_SPECS];	/* --port */
	int nspecs;
	char bess[108];		/* --bess listening path */
	char stream[108];	/* --stream listening path */
	uint32_t max_macs;
	uint32_t aging;
	uint32_t qmax;
	uint32_t max_ports;
	int default_ctl;	/* no -unix given */
};

struct sw {
	struct sw_opts o;
	int epfd, lfd, sfd, v0fd, bess_fd, stream_fd;
	int ctl_is_dir;		/* VDE-style DIR/ctl: remove DIR/ctl only */
	struct port *ports;	/* o.max_ports entries, index 0 unused */
	struct conn *conns;	/* o.max_ports entries */
	int *dirty;		/* flush list of port indices */
	int ndirty;
	int *woken;		/* ports to re-run: their blocker drained */
	int *woken_next;	/* the other half, while those run */
	int nwoken;
	int *active;		/* indices of ports in use */
	int nports;
	struct fdb fdb;
	struct pool pool;
	uint64_t now_ms;
	uint32_t now_s;
	int nstarved;
	uint64_t drop_unknown;	/* v0 frames from unregistered senders */
};

/* epoll data: event type in the high half, index in the low half. */
enum ev_type {
	EV_LISTEN = 1, EV_CONN, EV_CTL, EV_DATA, EV_V0, EV_SIGNAL,
	EV_BESS, EV_STREAM,
};
#define EV(type, idx)	((uint64_t)(type) << 32 | (uint32_t)(idx))

/* port.c */
int port_alloc(struct sw *sw);
int port_add(struct sw *sw, int idx);
void port_close(struct sw *sw, int idx, const char *why);
void port_set_events(struct sw *sw, int idx);
void port_read(struct sw *sw, int idx);
void port_read_v0(struct sw *sw);
void port_flush(struct sw *sw, int idx);
void port_flush_all(struct sw *sw);
void port_run_woken(struct sw *sw);
void port_tick(struct sw *sw);
void port_stats(struct sw *sw);

/* fwd.c */
int fwd_frame(struct sw *sw, int src, struct buf *b);

/* ctl.c */
int ctl_bind_path(int fd, int type, const char *path, const char *what);
int ctl_perms(const char *path, const char *group);
int ctl_listen(struct sw *sw);
void ctl_accept(struct sw *sw);
void ctl_conn_input(struct sw *sw, int ci);
void ctl_port_input(struct sw *sw, int idx);
void ctl_tick(struct sw *sw);
void ctl_cleanup(struct sw *sw);

/* listen.c */
int listen_extra(struct sw *sw);
void listen_accept(struct sw *sw, int kind);
void listen_cleanup(struct sw *sw);
int listen_ports(struct sw *sw);

/* stream.c */
int stream_recv(struct sw *sw, struct port *p, struct buf **b, unsigned int n,
		size_t *len);
int stream_send(struct sw *sw, struct port *p, unsigned int n);

/* tap.c */
int tap_open(const char *name, char *err, size_t errlen);

/* opts.c */
int opts_parse(struct sw_opts *o, int argc, char **argv);

#endif /* UMLNET_SW_H */
