/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.h: the UML daemon control protocol (v0, v1, v3) shared by the switch
 * (server) and the daemon transport (client).
 *
 * Theory of operation: a client connects a SOCK_STREAM control socket to the
 * switch and writes one request: magic 0xFEEDFACE, version 3, type 0 and the
 * 110-byte sockaddr_un of its own SOCK_DGRAM data socket (124 bytes from UML;
 * libvdeplug packs the struct and appends a description, 122 + N bytes).  The
 * switch answers with the 110-byte sockaddr_un the client must send frames
 * to.  All integers are in host byte order.  The control connection stays
 * open; its EOF means the client is gone.  One Ethernet frame per datagram.
 */
#ifndef UMLNET_PROTO_H
#define UMLNET_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#define PROTO_MAGIC		0xfeedfaceU
#define PROTO_VERSION		3
#define PROTO_ADDR_LEN		110	/* sizeof(struct sockaddr_un) */
#define PROTO_REQ_V3_LEN	124	/* what UML writes (2 pad bytes) */
#define PROTO_REQ_MIN_LEN	122	/* packed v3, as libvdeplug writes */
#define PROTO_REQ_V0_LEN	120	/* type(4) mac(6) sockaddr(110) */
#define PROTO_REQ_MAX_LEN	256	/* v3 + description, read at most */
#define PROTO_REPLY_LEN		110

enum proto_req_type {
	PROTO_REQ_NEW_CONTROL = 0,
	PROTO_REQ_NEW_PORT0 = 1,	/* VDE management port */
};

/* The v3 request as UML lays it out (natural alignment, 124 bytes). */
struct proto_req_v3 {
	uint32_t magic;
	uint32_t version;
	uint32_t type;
	struct sockaddr_un addr;
};

/* A request, decoded from any accepted version. */
struct proto_req {
	int version;			/* 0, 1 or 3 */
	unsigned int type;		/* low byte of the type field */
	unsigned int want_port;		/* VDE: requested port, 0 = any */
	struct sockaddr_un addr;	/* client's data socket */
	char descr[PROTO_REQ_MAX_LEN];	/* VDE description, NUL-terminated,
					 * printable ASCII ('?' for the rest) */
};

/**
 * proto_req_parse() - decode one control request (pure, no I/O).
 * @buf:	bytes read from the control connection
 * @len:	how many
 * @req:	decoded request
 * @why:	on failure, a static string naming what was wrong
 *
 * Accepts v3 (122..256 bytes, any trailing description), v1 (magic, then
 * version field 0, sockaddr at offset 14) and v0 (no magic, type 0, 120
 * bytes).  Rejects wrong magic, other versions, unknown types, truncated
 * requests and malformed addresses.
 *
 * Return: 0, or -EPROTO/-EINVAL/-EMSGSIZE/-EPROTONOSUPPORT.
 */
int proto_req_parse(const void *buf, size_t len, struct proto_req *req,
		    const char **why);

/**
 * proto_req_need() - how many bytes of a request, of which @len are in
 * @buf, must be read before proto_req_parse() can decide (the version is
 * known from the first 8 bytes).  Return: a length > @len to read on, or
 * at most @len when the request can be parsed now (possibly as an error).
 */
size_t proto_req_need(const void *buf, size_t len);

/**
 * proto_req_build() - encode a 124-byte v3 request for @addr.
 * Return: bytes written (PROTO_REQ_V3_LEN).
 */
size_t proto_req_build(void *buf, const struct sockaddr_un *addr);

/**
 * proto_addr_describe() - printable form of a sockaddr_un: the path (bytes
 * that are not printable ASCII shown as '?', so a client cannot forge log
 * lines), or "@" and hex for an abstract name.  Return: @buf.
 */
char *proto_addr_describe(const struct sockaddr_un *a, char *buf, size_t len);

/* The Debian stock kernel's default control socket (CONFIG_UML_NET_DAEMON_DEFAULT_SOCK). */
#define PROTO_DEFAULT_CTL_ROOT	"/var/run/uml-utilities/uml_switch.ctl"

/* A user's default switch directory without XDG_RUNTIME_DIR (UID: euid). */
#define PROTO_DEFAULT_DIR_FMT	"/tmp/uml_switch-%u"

/**
 * proto_default_ctl() - default control socket path for the current user:
 * PROTO_DEFAULT_CTL_ROOT for root, else $XDG_RUNTIME_DIR/uml_switch.ctl, or
 * /tmp/uml_switch-UID/ctl (the switch makes that directory private).
 * Return: 0 or -ENAMETOOLONG.
 */
int proto_default_ctl(char *buf, size_t len);

/**
 * proto_default_dir_ok() - a client about to connect to @ctl: if it is the
 * /tmp/uml_switch-UID/ctl default, is that directory ours alone (and not
 * another user's, squatting the name)?
 * Return: 0 (fine, or not that path), or -EPERM / -errno.
 */
int proto_default_dir_ok(const char *ctl);

/**
 * proto_ctl_path() - resolve a control socket name: a directory (VDE style)
 * means DIR/ctl.  Return: 0 or -ENAMETOOLONG (longer than sun_path).
 */
int proto_ctl_path(const char *name, char *buf, size_t len);

#endif /* UMLNET_PROTO_H */
