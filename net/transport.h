/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport.h: libumlnet's transport interface.  A transport is chosen by
 * name from a static table and opened from a spec string; it exposes one fd
 * to poll and moves batches of frames.  The library never prints, exits or
 * owns the loop.
 *
 * Spec grammar (one parser for every transport):
 *   legacy:  NAME[,VALUE[,VALUE...]]   values bound positionally to the
 *                                      transport's keys; empty = default
 *   keyed:   NAME:KEY=VALUE[,KEY=VALUE...]
 * Unknown or repeated keys and surplus fields are errors naming the culprit.
 */
#ifndef UMLNET_TRANSPORT_H
#define UMLNET_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "offload.h"

#define TP_NAME_MAX	16
#define TP_MAX_KV	16
#define TP_SPEC_MAX	512
#define TP_ERR_MAX	256

struct tp_kv {
	const char *key;
	const char *val;	/* never NULL once parsed; may be "" */
};

struct tp_spec {
	char name[TP_NAME_MAX];
	unsigned int n;
	struct tp_kv kv[TP_MAX_KV];
	char store[TP_SPEC_MAX];	/* the strings kv[] points into */
};

/*
 * One frame.  buf/cap are the caller's buffer; len is set by recv.  For
 * recv, a caller may add a second segment (tail/tail_cap) where the bytes
 * beyond cap land, so small buffers can still take a jumbo frame; a frame
 * longer than cap + tail_cap comes back with that longer len and is not
 * stored whole (never cut silently).  send uses buf/len (and vnet).
 *
 * vnet: the frame's virtio-net header (offload.h): what is left to do to
 * it (a checksum, segmentation).  recv fills it in only for a consumer
 * that set tp->vnet_ok (else it is all zero); send gets one only within
 * tp->offload.
 */
struct tp_frame {
	uint8_t *buf;
	size_t len;
	size_t cap;
	uint8_t *tail;
	size_t tail_cap;
	struct tp_vnet vnet;
};

struct tp;

struct tp_ops {
	const char *name;			/* "daemon", "tuntap", ... */
	const char *const *keys;		/* NULL-terminated, in legacy order */
	size_t size;				/* sizeof the transport's struct */
	int (*open)(struct tp *tp, const struct tp_spec *s, char *err,
		    size_t errlen);		/* 0 / -errno */
	int (*recv)(struct tp *tp, struct tp_frame *f, unsigned int n);
	int (*send)(struct tp *tp, const struct tp_frame *f, unsigned int n);
	void (*close)(struct tp *tp);
	int (*redial)(struct tp *tp);	/* NULL, or: the connection is gone
					 * (tp->fd -1): make a new one, tp->fd
					 * (0), or -errno (fd stays -1) */
	const int *syscalls;	/* the system calls recv, send and close may
				 * make (SYS_*, ended by -1), for a caller's
				 * seccomp allow-list (open comes before it) */
};

/* Common head of every transport's private struct. */
struct tp {
	const struct tp_ops *ops;
	int fd;		/* poll this for input; -1 when closed (or, for a
			 * server half that receives through another socket,
			 * never: see tp_daemon_v0()) */
	int wfd;	/* after a send would block, this polls writable once
			 * it can go on: fd unless the transport sends on
			 * another fd (set by open; tp_open fills in fd) */
	int cfd;	/* -1, or a control connection whose end (EOF or an
			 * error) means the peer is gone: see tp_ctl_input() */
	uint8_t wfd_in;	/* wfd announces room by polling readable, not
			 * writable (an eventfd the peer signals) */
	uint8_t pending;	/* recv left whole frames buffered inside the
				 * transport that no fd event will announce:
				 * call recv again before waiting */
	uint8_t vnet_ok;	/* set by the consumer before the first recv:
				 * it takes frames with work left in their
				 * tp_frame.vnet (a transport may then offer
				 * offloads to its peer) */
	uint8_t offload;	/* TP_OFF_*: what send takes in vnet (what
				 * the peer negotiated; may change in recv) */
	uint8_t held;	/* send counted a frame as sent that it could
			 * write only part of: the rest waits inside the
			 * transport until tp_finish() writes it (poll wfd
			 * for it); no later send overtakes it */
	uint64_t tx_drop;	/* frames send consumed but could not deliver
				 * (the device refused that one frame) */
	uint64_t rx_drop;	/* datagrams recv read and discarded, never
				 * returned: malformed or not for this LAN
				 * (the transport's own checks, e.g. vxlan) */
	uint64_t kicks;		/* doorbells the peer rang to say it had sent
				 * (vhost-user transmit kicks): what its
				 * notification suppression leaves */
	uint32_t redial_ms;	/* 0: the connection's end is the transport's
				 * end; else its consumer may tp_hangup() and
				 * tp_redial() this often instead (and open
				 * may leave fd -1: no server there yet) */
	const char *why;	/* NULL, or with an error from recv or send:
				 * what the peer did wrong, for the log */
};

/**
 * tp_spec_parse() - parse a spec string into @s.
 * @str:	the spec
 * @s:		result
 * @err:	message naming the offending part on failure
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL (unknown transport, key, repeated key, surplus
 * field), -ENAMETOOLONG (spec too long).
 */
int tp_spec_parse(const char *str, struct tp_spec *s, char *err,
		  size_t errlen);

/**
 * tp_spec_get() - value of @key in @s, or NULL when absent or empty.
 */
const char *tp_spec_get(const struct tp_spec *s, const char *key);

/**
 * tp_parse_fd() - a spec's fd=N: a decimal descriptor number, nothing else.
 * Return: 0 with *@fd set, or -EINVAL.
 */
int tp_parse_fd(const char *s, int *fd);

/**
 * tp_adopt_fd() - make @fd, handed to a transport by fd=N, its own:
 * non-blocking and close-on-exec; with @socktype (SOCK_*) also check that
 * it is a socket of that type.
 * Return: 0, or -errno with @err saying what is wrong with it.
 */
int tp_adopt_fd(const char *name, int fd, int socktype, char *err,
		size_t errlen);

/**
 * tp_open_unix() - the socket of a transport that speaks over one unix
 * socket of @type: connect to the path that key @pathkey of @s names, or
 * take over the fd=N it names instead (exactly one of the two), and make
 * it tp->fd, non-blocking.
 * Return: 0, or -errno with @err naming the transport (s->name).
 */
int tp_open_unix(struct tp *tp, const struct tp_spec *s, const char *pathkey,
		 int type, char *err, size_t errlen);

/**
 * tp_connect_unix() - connect tp->fd to the unix socket of @type at
 * @path, non-blocking (the connect itself is immediate for unix sockets).
 * Return: 0, or -errno with @err naming transport @name and @path (tp->fd
 * may then be open: the caller closes it).
 */
int tp_connect_unix(struct tp *tp, const char *name, const char *path,
		    int type, char *err, size_t errlen);

/**
 * tp_close_fd() - the close op of a transport whose only resource is
 * tp->fd.
 */
void tp_close_fd(struct tp *tp);

/**
 * tp_num() - a decimal number in [@min, @max], nothing else (a spec's
 * port, ttl, ...).
 * Return: 0 with *@v set, -EINVAL (not a number) or -ERANGE.
 */
int tp_num(const char *s, unsigned long min, unsigned long max,
	   unsigned long *v);

/**
 * tp_setopt() - setsockopt(), and on failure a message "@what: @name:
 * strerror" in @err.
 * Return: 0 or -errno.
 */
int tp_setopt(int fd, int level, int opt, const void *v, socklen_t len,
	      const char *what, const char *name, char *err, size_t errlen);

/**
 * tp_rcvbuf() - ask for a receive buffer of @bytes on @fd: beyond the
 * host's net.core.rmem_max where the caller may (CAP_NET_ADMIN), else
 * as much as that allows.  For sockets with no flow control (UDP), where
 * a burst beyond the buffer is lost.  Best effort: nothing to report.
 */
void tp_rcvbuf(int fd, int bytes);

/**
 * tp_registry() - the @i-th transport of the registry, or NULL past the
 * end (to go through them all).
 */
const struct tp_ops *tp_registry(unsigned int i);

/**
 * tp_lookup() - the transport called exactly @name, or NULL.
 */
const struct tp_ops *tp_lookup(const char *name);

/**
 * tp_spec_mac() - the MAC address a spec gives the NIC it is for (key
 * "mac", checked by tp_spec_parse(): six octets, unicast, not zero).
 * @s:		parsed spec
 * @mac:	set to the address when there is one
 * Return: 1 if the spec has one, else 0.
 */
int tp_spec_mac(const struct tp_spec *s, uint8_t *mac);

/**
 * tp_open() - parse @spec and open that transport, for a consumer that has
 * no MAC address of its own (a switch port, a tool): a "mac" in @spec
 * means nothing there and is refused, never ignored.
 * @tpp:	set to the new transport (free with tp_close())
 * Return: 0 or -errno, with @err filled in.
 */
int tp_open(struct tp **tpp, const char *spec, char *err, size_t errlen);

/**
 * tp_open_spec() - open a parsed spec; its "mac" is the caller's to use
 * (a guest NIC: tp_spec_mac()).
 * Return: 0 or -errno, with @err filled in.
 */
int tp_open_spec(struct tp **tpp, const struct tp_spec *s, char *err,
		 size_t errlen);

/**
 * tp_recv() - receive up to @n frames.
 * Return: frames received, 0 if none is ready, or -errno.
 */
int tp_recv(struct tp *tp, struct tp_frame *f, unsigned int n);

/**
 * tp_send() - send up to @n frames.
 * Return: frames sent (possibly fewer than @n), 0 if would block, or -errno.
 */
int tp_send(struct tp *tp, const struct tp_frame *f, unsigned int n);

/**
 * tp_finish() - write what the transport holds of a frame it counted sent
 * (tp->held); nothing to do when it holds none.
 * Return: 0 (tp->held says whether some is still waiting: poll wfd and
 * call again), or -errno (the connection failed).
 */
int tp_finish(struct tp *tp);

/**
 * tp_close() - close and free a transport (NULL is fine).
 */
void tp_close(struct tp *tp);

/**
 * tp_hangup() - close @tp's connection (tp->fd and wfd become -1), keeping
 * the transport, for a consumer that will tp_redial() it (tp->redial_ms).
 */
void tp_hangup(struct tp *tp);

/**
 * tp_redial() - connect a hung-up transport anew (tp_hangup() first if it
 * still has a connection).
 * Return: 0 with tp->fd (and wfd) set, or -errno (-EOPNOTSUPP: it cannot
 * redial; else try again later).
 */
int tp_redial(struct tp *tp);

/**
 * tp_ctl_input() - tp->cfd polled readable: read and discard what is
 * there (nothing is expected on it).
 * Return: 0 while the peer is there, -EPIPE at its EOF, or -errno.
 */
int tp_ctl_input(struct tp *tp);

/**
 * tp_frame_write() - store @n bytes at offset @off of @f's segments (buf
 * then tail), as much as fits; the caller sets f->len.
 */
void tp_frame_write(struct tp_frame *f, size_t off, const void *src,
		    size_t n);

/**
 * tp_frame_store() - store a whole frame of @len bytes in @f; f->len is
 * @len even when it does not fit (the caller then sees len > room).
 */
void tp_frame_store(struct tp_frame *f, const void *src, size_t len);

/**
 * tp_frame_move() - copy the @len bytes received into @src (both its
 * segments) over @dst, for a transport that drops some frames of a batch
 * and closes the gap; dst->len is @len.
 */
void tp_frame_move(struct tp_frame *dst, const struct tp_frame *src,
		   size_t len);

/**
 * tp_frame_room() - how many bytes @f can hold (cap + tail_cap).
 */
static inline size_t tp_frame_room(const struct tp_frame *f)
{
	return f->cap + (f->tail ? f->tail_cap : 0);
}

/**
 * tp_frame_iov() - @f's receive segments as an iovec (1 or 2 entries).
 * Return: the number of entries.
 */
unsigned int tp_frame_iov(const struct tp_frame *f, struct iovec *iov);

/**
 * tp_dgram_recv() - receive up to @n frames from a datagram fd (recvmmsg).
 * A datagram longer than its frame's cap comes back with len > cap.
 * Return: frames received, 0 if none is ready, or -errno.
 */
int tp_dgram_recv(int fd, struct tp_frame *f, unsigned int n);

/**
 * tp_dgram_send() - send up to @n frames on a connected datagram fd.
 * Return: frames sent, 0 if the fd is full, or -errno.
 */
int tp_dgram_send(int fd, const struct tp_frame *f, unsigned int n);

/**
 * tp_dgram_sendto() - tp_dgram_send() to address @to (NULL: connected).
 */
int tp_dgram_sendto(int fd, const struct tp_frame *f, unsigned int n,
		    const void *to, socklen_t tolen);

/*
 * Server halves: what a switch makes of a client it accepted on a socket it
 * serves.  Listeners whose clients speak a framing (bess, stream) open the
 * accepted fd as "KIND:fd=N" with tp_open(); the daemon protocol has a
 * handshake, so its server half is made here (net/transports/daemon.c).
 */
struct proto_req;
struct sockaddr_un;

/**
 * tp_daemon_data() - the server half's first step, for a v1/v3 client
 * whose request (data address @client) came on a control connection: a
 * datagram socket bound to a unique abstract name and connected to the
 * client's data socket, reaching no further than the client could: an
 * abstract name, or a socket on a path that @uid (the client's, from
 * SO_PEERCRED) owns, unless @uid is root or our own.
 * Return: the fd, or -errno (-EPERM: it is not the client's socket to
 * name; -EACCES: ours to reach (our user may not write it, or search its
 * directory); *@why says which).
 */
int tp_daemon_data(const struct sockaddr_un *client, uid_t uid,
		   const char **why);

/**
 * tp_daemon_adopt() - the second step: reply on control connection @ctl
 * (the transport's cfd from now on) with @fd's name (a data socket
 * connected to the client, from tp_daemon_data(), maybe in another
 * process) and make the port.
 * Return: 0 (@fd and @ctl are the transport's), or -errno (both still the
 * caller's).
 */
int tp_daemon_adopt(struct tp **tpp, int ctl, int fd, const char **why);

/**
 * tp_daemon_v0() - the port of a v0 client at @peer, on control connection
 * @ctl: it sends with sendto() on @shared, the switch's v0 data socket,
 * and has no fd of its own (tp->fd is -1): its frames arrive on @shared.
 * Return: 0 or -ENOMEM.
 */
int tp_daemon_v0(struct tp **tpp, int shared, int ctl,
		 const struct sockaddr_un *peer);

/**
 * tp_daemon_v0_is() - is @tp the v0 port whose client sent from @from
 * (@len bytes of address, as recvmsg() gave them)?  Exact comparison.
 */
int tp_daemon_v0_is(const struct tp *tp, const struct sockaddr_un *from,
		    socklen_t len);

/* The registry: every transport's ops, defined in its own file. */
extern const struct tp_ops tp_daemon_ops;
extern const struct tp_ops tp_tuntap_ops;
extern const struct tp_ops tp_mcast_ops;
extern const struct tp_ops tp_ucast_ops;
extern const struct tp_ops tp_pcap_ops;
extern const struct tp_ops tp_slip_ops;
extern const struct tp_ops tp_slirp_ops;
extern const struct tp_ops tp_bess_ops;
extern const struct tp_ops tp_stream_ops;
extern const struct tp_ops tp_vxlan_ops;
extern const struct tp_ops tp_vhost_ops;

/**
 * tp_vhost_guard() - install the SIGBUS handler that keeps a vhost-user
 * front end which shrinks its memory file from killing the process (its
 * port ends instead).  Once, before any vhost-user port opens; a program
 * that has vhost-user ports calls it (the library sets no handler
 * itself).  Return: 0 or -errno.
 */
int tp_vhost_guard(void);

#endif /* UMLNET_TRANSPORT_H */
