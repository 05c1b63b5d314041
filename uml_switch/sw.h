/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sw.h: the switch's state, shared by its files: options, listening
 * sockets, ports with their output queues, pending control connections,
 * the MAC table and the buffer pool.
 *
 * Every port is a libumlnet transport (struct tp): a client of the control
 * socket (the daemon protocol's server half), a client of the --bess or
 * --stream listener ("bess:fd=N", "stream:fd=N"), a tap ("tuntap:dev=D")
 * or any --port SPEC.  The switch knows a port only through tp_recv(),
 * tp_send() and the fds the transport names: fd (input), wfd (writable
 * again after a send would block) and cfd (a control connection whose end
 * ends the port).  A transport that can dial again (a stream client
 * with reconnect=) does not end with its connection: its port stays, down
 * (carrier down: frames to it dropped and counted), until port_tick()
 * connects it anew.
 *
 * Theory of operation (data path): a wake-up reads a batch from a port
 * into pool buffers, learns source MACs, and places a reference to each
 * frame on the output queue of every destination port.  Queues are flushed
 * once per wake-up.  A port whose send would block waits for EPOLLOUT on
 * its wfd and keeps its queue.  A frame whose destination queue is full is
 * held at its source port, which is not read again until the queue drains
 * (back-pressure): the switch itself drops nothing below capacity.
 * Limits, so that one slow or stuck client cannot slow the LAN:
 *  - a flooded frame (broadcast, multicast, unknown destination, every
 *    frame of a hub) waits for a full queue only while that port has held
 *    senders for less than SW_HOLD_MS in the current SW_WINDOW_MS; after
 *    that, floods that find its queue full skip it (counted as drops to it)
 *    until the next window.  So a slow reader costs the others at most
 *    SW_HOLD_MS in every SW_WINDOW_MS (5%);
 *  - a port that is full and sends nothing for SW_STALL_MS is "stalled":
 *    every frame to it is then dropped and counted until it reads again.
 * Unicast to a busy but reading port holds only its sender (a TCP flow
 * and its receiver settle on the receiver's pace, with no loss).
 * VLANs (vlan.h): a frame is classified into a VLAN as it is read and
 * placed only on ports of that VLAN; it is tagged or untagged as each
 * port's mode says when that port's queue is sent.  While every port
 * keeps the defaults (nvlan is 0), none of that runs.
 *
 * Management (mgmt.h): a port's watch bits make the data path look at it
 * more closely, and cost one test of a byte per frame while they are all
 * clear: carrier down (nothing in or out, counted), a dump port (netkit's
 * REQ_NEW_DUMP: a copy of every frame forwarded, nothing taken from it)
 * and capture (each frame recorded once on its way in at its source, once
 * on its way out at each destination, copied only then).
 */
#ifndef UMLNET_SW_H
#define UMLNET_SW_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "fdb.h"
#include "link.h"
#include "pool.h"
#include "sandbox.h"

#define SW_BATCH		64
#define SW_DEFAULT_QUEUE	256
#define SW_DEFAULT_MAX_PORTS	256
#define SW_DEFAULT_MAX_MACS	4096
#define SW_DEFAULT_AGING	300
#define SW_REQ_TIMEOUT_MS	5000	/* a new client must send its request */
#define SW_HOLD_MS		50	/* a port may hold flooding senders ... */
#define SW_WINDOW_MS		1000	/* ... this long in every window */
#define SW_STALL_MS		1000	/* full and no progress: stalled */
#define SW_LEAVE_MS		2000	/* a leaving client's frames get this long */
#define SW_MAX_TAPS		16
#define SW_MAX_SPECS		16
#define SW_PATH_MAX		108	/* sizeof(sun_path) */
#define SW_NAME_MAX		16	/* a port's name, its NUL included */
#define SW_VERSION		"0.1"
#define SW_REQ_NEW_DUMP		1	/* netkit's request type (see ctl.c) */
#define SW_DUMP_GRACE_MS	100	/* ... and how long to wait for more */

/* struct port's watch bits: see the top */
#define PW_CARRIER_DOWN		0x1
#define PW_DUMP			0x2
#define PW_CAPTURE		0x4
#define PW_IMPAIR_OUT		0x8	/* impair.h: frames toward it */
#define PW_IMPAIR_IN		0x10	/* impair.h: frames from it */
#define PW_RX	(PW_CARRIER_DOWN | PW_DUMP | PW_CAPTURE) /* port_watch_rx's */

struct tp;

struct port {
	struct tp *tp;		/* NULL: the slot is free */
	char desc[192];		/* for log lines: kind and peer */

	struct buf **q;		/* output ring of sw.o.qmax entries */
	uint32_t qhead, qlen;
	uint32_t qlarge;	/* large buffers in the ring */
	uint32_t events;	/* epoll mask registered for tp->fd */
	uint8_t wfd_on;		/* tp->wfd (not tp->fd) is in the epoll set */
	uint8_t want_out;	/* send would block: wait for EPOLLOUT */
	uint8_t dirty;		/* on the flush list */
	uint8_t starved;	/* not read: no free buffers */
	uint8_t stalled;	/* full, no progress for SW_STALL_MS */
	uint8_t lossy;		/* its SW_HOLD_MS of holding floods is used up */
	uint8_t v0;		/* -compat-v0 client: input via the shared socket */
	uint8_t rx_large;	/* its last batch was mostly jumbo frames */
	uint8_t closing;	/* the client left: deliver what it sent, end */
	uint8_t down;		/* a redialling transport (tp->redial_ms) has
				 * no connection: carrier down, dialled again
				 * at redial_at_ms (port_lost()) */
	uint8_t carrier_off;	/* management set its carrier down */
	int blocked_by;		/* port whose full queue we wait for, or -1 */
	uint32_t wait_room;	/* free entries a sender held for our queue
				 * waits for (a GSO frame's segments: more
				 * than one); 0: none is held */
	uint64_t full_since_ms;	/* queue full and no progress since; 0: not */
	uint64_t hold_start_ms;	/* holding a flooding sender since; 0: not */
	uint64_t hold_ms;	/* held flooding senders this window */
	uint64_t lossy_events;	/* times it ran out of its share */
	uint64_t closing_ms;	/* when the client left */
	uint64_t redial_at_ms;	/* while down: the next try */
	uint64_t outages;	/* connections lost (or none at the start) */
	uint64_t redials;	/* connections made again */

	struct buf *held[SW_BATCH];	/* frames read, not yet placed */
	uint16_t nheld, iheld;
	uint16_t rx_batch;	/* frames to ask for in the next read */

	uint64_t rx, tx, rx_bytes, tx_bytes;
	uint64_t drop_full, drop_size, drop_err, drop_nobuf;
	uint64_t drop_carrier;	/* in or out while its carrier was down */
	uint64_t drop_ignored;	/* sent by a dump port: never forwarded */
	uint64_t drop_vlan;	/* of a VLAN it does not carry (vlan.h) */
	uint64_t drop_vnet;	/* a virtio-net header that lies (offload.h) */
	uint64_t off_csum;	/* frames for it whose checksum we filled in */
	uint64_t off_seg;	/* GSO frames for it we cut into segments */
	char vnet_why[128];	/* what its first drop_vnet was */

	/* for management (mgmt.h) */
	uint8_t watch;		/* PW_* */
	uint8_t stall_told;	/* the stall state the events last said */
	char name[SW_NAME_MAX];	/* unique among the ports in use */
	const char *peer_key;	/* what peer is: "addr", "dev", "spec", "via" */
	char peer[128];		/* data address, device or spec */
	pid_t peer_pid;		/* 0: unknown */
	uid_t peer_uid;		/* (uid_t)-1: unknown */
	uint32_t gen;		/* which opening of this slot (capture.c) */
	uint64_t up_ms;		/* opened then */

	/* link settings (link.h) */
	struct vlan_port vlan;
	struct impair_port *imp;	/* NULL: never impaired */
};

/* What port_open() is told about a new port's other end. */
struct port_peer {
	const char *key;	/* "addr", "dev", "spec", "via", or NULL */
	const char *val;
	int credfd;		/* a unix socket to the peer (SO_PEERCRED), or -1 */
	const char *name;	/* the name it should have, or NULL */
	uint8_t watch;		/* PW_DUMP for a dump port */
	const struct link_cfg *link;	/* its settings; NULL: the defaults */
};

/* A control connection that has not yet sent its request. */
struct conn {
	int fd;			/* -1 = free */
	uint64_t deadline_ms;
	uint64_t grace_ms;	/* a type 1 request: decided then (ctl.c) */
	uint32_t len;
	uint8_t buf[256];
};

/* A socket the switch serves clients on. */
struct listener {
	const char *kind;	/* "daemon" (the control socket), "bess", ... */
	char path[SW_PATH_MAX];
	int type;		/* SOCK_STREAM, SOCK_SEQPACKET */
	int fd;
	uint8_t paused;		/* out of descriptors: not polled for now */
};

#define SW_MAX_LISTEN	6

struct sw_opts {
	char ctl[SW_PATH_MAX];
	char data[SW_PATH_MAX];	/* -compat-v0 shared data socket */
	int compat_v0;
	int hub;
	int daemonize;
	int verbose;
	const char *group;
	gid_t gid;		/* --group's, or (gid_t)-1 */
	const char *pidfile;
	const char *user;	/* --user */
	int sandbox_test;	/* test builds: 1 make a forbidden call, -1 no
				 * sandbox (for LeakSanitizer) */
	const char *client_link;	/* --client-link, or NULL */
	const char *taps[SW_MAX_TAPS];
	int ntaps;
	const char *specs[SW_MAX_SPECS];	/* --port */
	int nspecs;
	char bess[SW_PATH_MAX];		/* --bess listening path */
	char stream[SW_PATH_MAX];	/* --stream listening path */
	char vhost[SW_PATH_MAX];	/* --vhost-user listening path */
	int no_offload;			/* --no-offload */
	char mgmt[SW_PATH_MAX];		/* --mgmt; "" = the default */
	int mgmt_off;			/* --mgmt none */
	uint32_t max_macs;
	uint32_t aging;
	uint32_t qmax;
	uint32_t max_ports;	/* slots, including the unused slot 0 */
	int max_ports_given;
	int default_ctl;	/* no -unix given */
};

struct sw {
	struct sw_opts o;
	struct sandbox_cfg sb;	/* who to become, how to sandbox (priv.c) */
	uid_t perm_uid;		/* sockets' owner: the user we become, or -1 */
	int janitor;		/* a root parent removes our paths at exit */
	int sigpipe;		/* ... passes signals on through this */
	int broker;		/* ... and reaches root clients' sockets */
	int epfd, sfd, v0fd;
	int ctl_is_dir;		/* VDE-style DIR/ctl */
	struct listener listen[SW_MAX_LISTEN];	/* [0]: the control socket */
	int nlisten;
	uint64_t accept_retry_ms;	/* paused listeners poll again then */
	uint64_t accept_warned_ms;	/* last "out of descriptors" log */
	uint64_t accept_failed;		/* accept() failures since then */
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
	struct link_cfg client_link;	/* sockets' clients start so */
	int nvlan;		/* ports not of the default VLAN (vlan.h) */
	uint32_t large_max;	/* large buffers one queue may hold */
	uint64_t window_ms;	/* the SW_WINDOW_MS window began then */
	uint64_t now_ms;
	uint32_t now_s;
	int nstarved;
	int nholding;		/* ports holding a flooding sender */
	int nimpair;		/* ports with PW_IMPAIR_* bits */
	uint64_t drop_unknown;	/* v0 frames from unregistered senders */

	/* management (mgmt.h) */
	char mgmt_path[SW_PATH_MAX];	/* "": no management socket */
	int mgmt_li;		/* its listener index, or -1 */
	struct mgmt *mgmt;
	int nevents;		/* clients streaming events */
	int ncaptures;		/* captures running */
	int ndump;		/* dump ports */
	uint32_t gen;		/* the last port's struct port.gen */
	uint64_t start_ms;
	uint64_t gone_rx, gone_tx, gone_rx_bytes, gone_tx_bytes, gone_drops;
};

/* epoll data: event type in the high half, index in the low half. */
enum ev_type {
	EV_LISTEN = 1,	/* listener index */
	EV_CONN,	/* pending control connection index */
	EV_CTL,		/* port index: its cfd */
	EV_DATA,	/* port index: its fd */
	EV_WFD,		/* port index: its wfd, when not its fd */
	EV_V0,		/* the shared v0 data socket */
	EV_SIGNAL,
	EV_MGMT,	/* management client index */
};
#define EV(type, idx)	((uint64_t)(type) << 32 | (uint32_t)(idx))

static inline int port_in_use(const struct port *p)
{
	return p->tp != NULL;
}

/* port.c: ports' lifetime and events */
int port_open(struct sw *sw, struct tp *tp, const char *desc,
	      const struct port_peer *peer);
int port_open_spec(struct sw *sw, const char *spec, const char *desc);
int port_add_spec(struct sw *sw, const char *spec, const char *name,
		  char *err, size_t errlen);
int port_find(const struct sw *sw, uint32_t index, const char *name);
void port_carrier(struct sw *sw, int idx, int up);
uint64_t port_drops(const struct port *p);
void port_close(struct sw *sw, int idx, const char *why);
void port_end(struct sw *sw, int idx, const char *why);
void port_set_events(struct sw *sw, int idx);
void port_ctl_input(struct sw *sw, int idx);
void port_left(struct sw *sw, int idx);
void port_holds(struct sw *sw);
void port_tick(struct sw *sw);
void port_stats(struct sw *sw);

/* redial.c: ports whose transport dials again */
void port_carrier_sync(struct sw *sw, int idx);
void port_lost(struct sw *sw, int idx, const char *why);
void redial_tick(struct sw *sw);

/* io.c: the data path */
void port_read(struct sw *sw, int idx);
void port_read_v0(struct sw *sw);
void port_flush(struct sw *sw, int idx);
int port_finish(struct port *p);
struct tp_frame;
/* Does port @p see VLANs?  Not while all ports are at the defaults, nor
 * a dump port (frames as they came). */
static inline int port_vlans(const struct sw *sw, const struct port *p)
{
	return sw->nvlan && !(p->watch & PW_DUMP);
}
ssize_t port_vlan_form(const struct sw *sw, const struct port *p,
		       const struct buf *b, uint8_t *out);
int port_tx_form(const struct sw *sw, struct port *p, const struct buf *b,
		 struct tp_frame *f, unsigned int i, int *large);
void port_flush_all(struct sw *sw);
void port_run_woken(struct sw *sw);
void port_wake(struct sw *sw, int idx);
int port_room(const struct sw *sw, const struct port *p);
void port_drop_queue(struct sw *sw, struct port *p, uint64_t *counter);
void port_drop_held(struct sw *sw, struct port *p, uint64_t *counter);

/* fwd.c */
int fwd_frame(struct sw *sw, int src, struct buf *b);
int fwd_cut(struct sw *sw, const struct buf *b, struct buf **seg);
void fwd_fill_csum(struct buf *b);
int fwd_share_used(struct sw *sw, int idx);
int port_watch_rx(struct sw *sw, struct port *p, struct buf *b);

/* mgmt.c: the management socket's clients (mgmt.h) */
int mgmt_init(struct sw *sw);
void mgmt_accept(struct sw *sw, int fd);
void mgmt_event(struct sw *sw, int ci, uint32_t events);
void mgmt_flush(struct sw *sw);
void mgmt_tick(struct sw *sw);

/* mgmt_event.c: the event stream */
void mgmt_ev_port_up(struct sw *sw, int idx);
void mgmt_ev_port_down(struct sw *sw, int idx, const char *why);
void mgmt_ev_mac(struct sw *sw, const char *what, uint16_t vid,
		 const uint8_t *mac, int port, int from);
void mgmt_ev_port(struct sw *sw, const char *what, int idx);
void mgmt_ev_fdb(struct sw *sw, const char *what, int port, uint64_t n);
void mgmt_ev_mode(struct sw *sw);
void mgmt_ev_aged(void *ctx, uint64_t key, int port);

/* capture.c: frames recorded as pcapng for capture clients */
void capture_frame(struct sw *sw, int idx, const struct buf *b, int out);
void capture_port_open(struct sw *sw, int idx);
void capture_port_close(struct sw *sw, int idx);

/* ctl.c: the daemon protocol's clients on the control socket */
void ctl_conn_new(struct sw *sw, int fd);
void ctl_conn_input(struct sw *sw, int ci);
void ctl_tick(struct sw *sw);

/* listen.c: every socket the switch serves on (control, v0 data, bess,
 * stream), made with common/sock.c */
int listen_all(struct sw *sw);
void listen_accept(struct sw *sw, int li);
void listen_tick(struct sw *sw);
void listen_cleanup(struct sw *sw);

/* priv.c */
int priv_prepare(struct sw *sw);
int priv_enter(struct sw *sw);
int priv_sandbox(struct sw *sw, int keep_root);

/* janitor.c */
int janitor_start(struct sw *sw);
int janitor_reach(struct sw *sw, int ctl, const struct sockaddr_un *client,
		  const char **why);
int janitor_tun(struct sw *sw, const char **why);

/* opts.c */
int opts_parse(struct sw_opts *o, int argc, char **argv);

#endif /* UMLNET_SW_H */
