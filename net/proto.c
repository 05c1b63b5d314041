// SPDX-License-Identifier: GPL-2.0-or-later
/* proto.c: encode and decode UML daemon protocol control requests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto.h"

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* host order, unaligned-safe */
	return v;
}

/* The client's address must be AF_UNIX and name something. */
static int addr_check(struct sockaddr_un *a, const char **why)
{
	if (a->sun_family != AF_UNIX) {
		*why = "address family is not AF_UNIX";
		return -EINVAL;
	}
	/* Abstract names are 108 opaque bytes; paths must be terminated. */
	if (a->sun_path[0] == '\0')
		return 0;
	if (strnlen(a->sun_path, sizeof(a->sun_path)) >= sizeof(a->sun_path)) {
		*why = "socket path is not NUL-terminated";
		return -EINVAL;
	}
	return 0;
}

/* Printable ASCII up to the first NUL; anything else becomes '?'. */
static void proto_printable(char *s)
{
	for (; *s; s++)
		if (*s < ' ' || *s > '~')
			*s = '?';
}

static int parse_v0(const uint8_t *b, size_t len, struct proto_req *req,
		    const char **why)
{
	uint32_t type = get_u32(b);

	if (type != PROTO_REQ_NEW_CONTROL) {
		*why = "bad magic (not 0xfeedface) and not a v0 request";
		return -EPROTO;
	}
	if (len < PROTO_REQ_V0_LEN) {
		*why = "truncated v0 request";
		return -EMSGSIZE;
	}
	req->version = 0;
	req->type = 0;
	memcpy(&req->addr, b + 10, PROTO_ADDR_LEN);
	return addr_check(&req->addr, why);
}

int proto_req_parse(const void *buf, size_t len, struct proto_req *req,
		    const char **why)
{
	const uint8_t *b = buf;
	uint32_t version, type;
	size_t off, dlen;

	memset(req, 0, sizeof(*req));
	*why = "";
	if (len < 12) {
		*why = "truncated request";
		return -EMSGSIZE;
	}
	if (len > PROTO_REQ_MAX_LEN) {
		*why = "request longer than 256 bytes";
		return -EMSGSIZE;
	}
	if (get_u32(b) != PROTO_MAGIC)
		return parse_v0(b, len, req, why);

	version = get_u32(b + 4);
	switch (version) {
	case 0:	/* v1: magic, type (0 here), MAC[6], sockaddr at 14 */
		if (len < 14 + PROTO_ADDR_LEN) {
			*why = "truncated v1 request";
			return -EMSGSIZE;
		}
		req->version = 1;
		off = 14;
		break;
	case PROTO_VERSION:
		if (len < PROTO_REQ_MIN_LEN) {
			*why = "truncated v3 request";
			return -EMSGSIZE;
		}
		type = get_u32(b + 8);
		req->version = 3;
		req->type = type & 0xff;
		req->want_port = type >> 8;
		if (req->type != PROTO_REQ_NEW_CONTROL &&
		    req->type != PROTO_REQ_NEW_PORT0) {
			*why = "unknown request type";
			return -EPROTO;
		}
		off = 12;
		break;
	case 2:
		*why = "protocol version 2 is not supported";
		return -EPROTONOSUPPORT;
	default:
		*why = "unsupported protocol version";
		return -EPROTONOSUPPORT;
	}
	memcpy(&req->addr, b + off, PROTO_ADDR_LEN);
	off += PROTO_ADDR_LEN;
	/* v3 from libvdeplug: description text after the packed address.  A
	 * UML request carries two zero pad bytes there instead. */
	if (req->version == 3 && len > off) {
		dlen = len - off;
		memcpy(req->descr, b + off, dlen);
		req->descr[dlen] = '\0';
		proto_printable(req->descr);
	}
	return addr_check(&req->addr, why);
}

size_t proto_req_need(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint32_t magic, version;

	if (len < 8)
		return 8;
	magic = get_u32(b);
	version = get_u32(b + 4);
	if (magic != PROTO_MAGIC)	/* v0 has no magic; its type is 0 */
		return magic == PROTO_REQ_NEW_CONTROL ? PROTO_REQ_V0_LEN : len;
	if (version == PROTO_VERSION)
		return PROTO_REQ_MIN_LEN;
	return version == 0 ? 14 + PROTO_ADDR_LEN : len;
}

size_t proto_req_build(void *buf, const struct sockaddr_un *addr)
{
	struct proto_req_v3 r;

	memset(&r, 0, sizeof(r));
	r.magic = PROTO_MAGIC;
	r.version = PROTO_VERSION;
	r.type = PROTO_REQ_NEW_CONTROL;
	memcpy(&r.addr, addr, sizeof(r.addr));
	memcpy(buf, &r, sizeof(r));
	return sizeof(r);
}

char *proto_addr_describe(const struct sockaddr_un *a, char *buf, size_t len)
{
	size_t i, o;

	if (a->sun_path[0] != '\0') {
		snprintf(buf, len, "%.*s", (int)sizeof(a->sun_path),
			 a->sun_path);
		proto_printable(buf);
		return buf;
	}
	/* Abstract: "@" and the first 12 bytes in hex (UML's pid + usec). */
	o = snprintf(buf, len, "@");
	for (i = 1; i < 12 && o + 3 < len; i++)
		o += snprintf(buf + o, len - o, "%02x", (uint8_t)a->sun_path[i]);
	return buf;
}

int proto_default_ctl(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (geteuid() == 0)
		n = snprintf(buf, len, "%s", PROTO_DEFAULT_CTL_ROOT);
	else if (xdg && *xdg == '/')
		n = snprintf(buf, len, "%s/uml_switch.ctl", xdg);
	else
		n = snprintf(buf, len, PROTO_DEFAULT_DIR_FMT "/ctl",
			     (unsigned int)geteuid());
	if (n < 0 || (size_t)n >= len ||
	    (size_t)n >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int proto_default_dir_ok(const char *ctl)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path) + 16];
	struct stat st;
	int n;

	n = snprintf(dir, sizeof(dir), PROTO_DEFAULT_DIR_FMT,
		     (unsigned int)geteuid());
	if (n <= 0 || (size_t)n >= sizeof(dir) || strncmp(ctl, dir, (size_t)n) ||
	    strcmp(ctl + n, "/ctl"))
		return 0;	/* not that directory */
	if (lstat(dir, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077))
		return -EPERM;
	return 0;
}

int proto_ctl_path(const char *name, char *buf, size_t len)
{
	struct stat st;
	int n;

	if (!stat(name, &st) && S_ISDIR(st.st_mode))
		n = snprintf(buf, len, "%s/ctl", name);
	else
		n = snprintf(buf, len, "%s", name);
	if (n < 0 || (size_t)n >= len ||
	    (size_t)n >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	return 0;
}
