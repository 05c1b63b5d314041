/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uml_slirp.h: shared declarations of uml_slirp, the libslirp helper: the
 * configuration (opts.c), the libslirp stack and its poll/timer glue
 * (stack.c), the guest links (link.c) and start-up with the sandbox
 * (main.c).  SLIP framing is net/slip.h, SLIP as Ethernet net/slipeth.h.
 */
#ifndef UML_SLIRP_H
#define UML_SLIRP_H

#include <netinet/in.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "slip.h"
#include "slipeth.h"

#define US_MAX_FWD	32
#define US_ERR_MAX	256
#define US_MTU_DEFAULT	1500
#define US_MTU_MIN	576
#define US_MTU_MAX	16384

enum us_mode {
	US_MODE_LEGACY,		/* SLIP on fd 0 (in) and fd 1 (out), IPv4 */
	US_MODE_ETHER,		/* one Ethernet frame per message on --fd */
};

/**
 * struct us_fwd - one host port forward.
 * @udp:	UDP rather than TCP
 * @host:	host address and port to listen on (AF_INET or AF_INET6)
 * @guest:	guest address and port (address 0 / :: = the DHCP guest)
 */
struct us_fwd {
	int udp;
	struct sockaddr_storage host;
	struct sockaddr_storage guest;
};

/**
 * struct us_cfg - everything the command line says.
 */
struct us_cfg {
	enum us_mode mode;
	const char *user;	/* --user: who to be when started as root */
	int sandbox_test;	/* test builds: make a forbidden call */
	int fd;			/* US_MODE_ETHER: the frame socket */
	const char *bess;	/* US_MODE_ETHER: listen here for one client */
	int ready_fd;		/* write "ok\n" or the error here, then close */
	int verbose;
	int restrict_out;	/* no outbound connections (libslirp restricted) */
	int no_host_loopback;
	int ipv4, ipv6;
	unsigned int mtu;
	struct in_addr net, mask, host, dns, dhcp_start;
	struct in6_addr prefix6, host6, dns6;
	unsigned int prefix6_len;
	unsigned int nfwd;
	struct us_fwd fwd[US_MAX_FWD];
};

/* opts.c */
#define US_HELP		1
#define US_VERSION	2
int us_parse_args(struct us_cfg *c, int argc, char **argv, char *err,
		  size_t errlen);
int us_parse_forward(const char *s, struct us_fwd *f, char *err,
		     size_t errlen);
int us_parse_redir(const char *s, struct us_fwd *f, char *err,
		   size_t errlen);
int us_cfg_finish(struct us_cfg *c, char *err, size_t errlen);
void us_usage(FILE *out);

/* The running helper: one per process. */
struct us_timer {
	int used;
	int opaque_style;	/* timer_new_opaque: fire via slirp_handle_timer */
	int id;
	void *cb_opaque;
	void (*cb)(void *opaque);
	int64_t expire_ms;	/* -1: not armed */
};

struct us_pfd {
	uint32_t want;		/* epoll events registered */
	uint32_t gen;		/* last round slirp asked for this fd */
	uint32_t rev;		/* SLIRP_POLL_* seen this round */
	uint8_t reg;		/* in the epoll set */
};

#define US_TIMERS	8
#define US_ARP_PENDING	8
#define US_BATCH	32

struct us_arp {
	uint8_t frame[SLIPETH_ARP_LEN];
};

struct us {
	struct us_cfg *cfg;
	struct Slirp *slirp;
	int ep;
	int sigfd;
	int quit;
	/* slirp's descriptors: per-fd state and the round's index -> fd map */
	struct us_pfd *pfd;
	int *idxfd;
	int *regs;		/* fds in the epoll set, nreg of them */
	int nreg;
	int fdmax;
	int nidx;
	uint32_t gen;
	struct us_timer timers[US_TIMERS];
	/* the guest link */
	int in_fd, out_fd;	/* legacy: 0 and 1; Ethernet: both cfg->fd */
	int listen_fd;		/* --bess: until the client connects, else -1 */
	int out_armed;		/* EPOLLOUT requested on out_fd */
	uint8_t guest_mac[6];
	size_t frame_max;	/* largest Ethernet frame either way */
	uint8_t *rx;		/* US_BATCH receive buffers of frame_max + 1 */
	/* Ethernet mode: frames from slirp waiting for sendmmsg */
	uint8_t *txq;
	size_t *txlen;
	unsigned int txhead, txcount, txcap;
	/* legacy mode: SLIP decode state, SLIP as Ethernet, encoded output */
	struct slip_rx dec;
	struct slipeth se;
	unsigned long slip_dropped;	/* over-long SLIP packets */
	uint8_t *decbuf;
	uint8_t *obuf;
	size_t ohead, olen, ocap;
	struct us_arp arp[US_ARP_PENDING];
	unsigned int narp;
	unsigned long drops_big, drops_full, drops_proto, drops_other;
	unsigned long tx_waits;	/* times the guest link had no room */
};

/* stack.c */
int stack_init(struct us *u, char *err, size_t errlen);
int stack_forwards(struct us *u, char *err, size_t errlen);
int stack_run(struct us *u);
void stack_close(struct us *u);
void stack_input(struct us *u, const uint8_t *frame, size_t len);

/* link.c */
int link_init(struct us *u, char *err, size_t errlen);
int link_wait_client(struct us *u);
int link_input(struct us *u);
ssize_t link_from_slirp(struct us *u, const uint8_t *buf, size_t len);
int link_inject(struct us *u);
int link_flush(struct us *u);
void link_seed(struct us *u);

#endif /* UML_SLIRP_H */
