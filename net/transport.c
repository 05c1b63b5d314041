// SPDX-License-Identifier: GPL-2.0-or-later
/* transport.c: the transport registry and the one spec parser they share. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"

static const struct tp_ops *const tp_table[] = {
	&tp_daemon_ops,
	&tp_tuntap_ops,
	&tp_mcast_ops,
	&tp_ucast_ops,
	&tp_pcap_ops,
	&tp_slip_ops,
	&tp_slirp_ops,
	&tp_bess_ops,
	&tp_stream_ops,
	&tp_vxlan_ops,
	&tp_vhost_ops,
};

const struct tp_ops *tp_registry(unsigned int i)
{
	return i < sizeof(tp_table) / sizeof(tp_table[0]) ? tp_table[i] : NULL;
}

const struct tp_ops *tp_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(tp_table) / sizeof(tp_table[0]); i++)
		if (!strcmp(tp_table[i]->name, name))
			return tp_table[i];
	return NULL;
}

static int key_known(const struct tp_ops *ops, const char *key)
{
	const char *const *k;

	for (k = ops->keys; k && *k; k++)
		if (!strcmp(*k, key))
			return 1;
	return 0;
}

/* A NIC's address: six octets, not a group address, not zero. */
static int mac_valid(const char *val)
{
	uint8_t mac[ETH_ALEN_];

	return !mac_parse(val, mac) && !mac_is_multicast(mac) &&
	       !mac_is_zero(mac);
}

static int spec_add(struct tp_spec *s, const struct tp_ops *ops,
		    const char *key, const char *val, char *err, size_t errlen)
{
	unsigned int i;

	if (!key_known(ops, key)) {
		snprintf(err, errlen, "%s: unknown option '%s'", s->name, key);
		return -EINVAL;
	}
	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->kv[i].key, key)) {
			snprintf(err, errlen, "%s: option '%s' given twice",
				 s->name, key);
			return -EINVAL;
		}
	}
	if (s->n >= TP_MAX_KV) {
		snprintf(err, errlen, "%s: too many options", s->name);
		return -EINVAL;
	}
	if (!strcmp(key, "mac") && *val && !mac_valid(val)) {
		snprintf(err, errlen, "%s: bad MAC address '%s' (want six "
			 "hex octets, unicast, not all zero)", s->name, val);
		return -EINVAL;
	}
	s->kv[s->n].key = key;
	s->kv[s->n].val = val;
	s->n++;
	return 0;
}

/* NAME,v1,v2,...: bind values to ops->keys in order; empty keeps default. */
static int parse_legacy(struct tp_spec *s, const struct tp_ops *ops,
			char *rest, char *err, size_t errlen)
{
	const char *const *k = ops->keys;
	char *field;
	int ret, pos = 1;

	while (rest) {
		field = strsep(&rest, ",");
		if (!k || !*k) {
			snprintf(err, errlen,
				 "%s: unexpected field %d '%s' (takes at most %d)",
				 s->name, pos, field, pos - 1);
			return -EINVAL;
		}
		if (*field) {
			ret = spec_add(s, ops, *k, field, err, errlen);
			if (ret)
				return ret;
		}
		k++;
		pos++;
	}
	return 0;
}

/* NAME:k=v,k=v */
static int parse_keyed(struct tp_spec *s, const struct tp_ops *ops,
		       char *rest, char *err, size_t errlen)
{
	char *field, *eq;
	int ret;

	while (rest) {
		field = strsep(&rest, ",");
		eq = strchr(field, '=');
		if (!eq || eq == field) {
			snprintf(err, errlen, "%s: expected KEY=VALUE, got '%s'",
				 s->name, field);
			return -EINVAL;
		}
		*eq = '\0';
		ret = spec_add(s, ops, field, eq + 1, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

int tp_spec_parse(const char *str, struct tp_spec *s, char *err,
		  size_t errlen)
{
	const struct tp_ops *ops;
	size_t nlen, len = strnlen(str, TP_SPEC_MAX);
	char *rest;

	memset(s, 0, sizeof(*s));
	if (len >= TP_SPEC_MAX) {
		snprintf(err, errlen, "spec longer than %d bytes",
			 TP_SPEC_MAX - 1);
		return -ENAMETOOLONG;
	}
	memcpy(s->store, str, len + 1);
	nlen = strcspn(s->store, ",:");
	if (nlen == 0 || nlen >= TP_NAME_MAX) {
		snprintf(err, errlen, "bad transport name in '%s'", str);
		return -EINVAL;
	}
	memcpy(s->name, s->store, nlen);
	ops = tp_lookup(s->name);
	if (!ops) {
		snprintf(err, errlen, "unknown transport '%s'", s->name);
		return -EINVAL;
	}
	if (!s->store[nlen])
		return 0;
	rest = s->store + nlen + 1;
	if (s->store[nlen] == ':')
		return parse_keyed(s, ops, rest, err, errlen);
	return parse_legacy(s, ops, rest, err, errlen);
}

const char *tp_spec_get(const struct tp_spec *s, const char *key)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->kv[i].key, key))
			return *s->kv[i].val ? s->kv[i].val : NULL;
	return NULL;
}

int tp_parse_fd(const char *s, int *fd)
{
	char *end;
	long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > INT_MAX)
		return -EINVAL;
	*fd = (int)v;
	return 0;
}

int tp_num(const char *s, unsigned long min, unsigned long max,
	   unsigned long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < min || *v > max)
		return -ERANGE;
	return 0;
}

int tp_setopt(int fd, int level, int opt, const void *v, socklen_t len,
	      const char *what, const char *name, char *err, size_t errlen)
{
	int ret;

	if (!setsockopt(fd, level, opt, v, len))
		return 0;
	ret = -errno;
	snprintf(err, errlen, "%s: %s: %s", what, name, strerror(-ret));
	return ret;
}

void tp_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes,
				 sizeof(bytes));
}

int tp_adopt_fd(const char *name, int fd, int socktype, char *err,
		size_t errlen)
{
	socklen_t len = sizeof(int);
	int type, fl;

	if (socktype && (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
			 type != socktype)) {
		snprintf(err, errlen, "%s: fd %d is not a %s socket", name, fd,
			 socktype == SOCK_SEQPACKET ? "SOCK_SEQPACKET" :
			 socktype == SOCK_STREAM ? "SOCK_STREAM" :
			 "SOCK_DGRAM");
		return errno == EBADF ? -EBADF : -EINVAL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC)) {
		snprintf(err, errlen, "%s: fd %d: %s", name, fd,
			 strerror(errno));
		return -errno;
	}
	return 0;
}

int tp_connect_unix(struct tp *tp, const char *name, const char *path,
		    int type, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int ret;

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "%s: path '%s' longer than %zu bytes",
			 name, path, sizeof(a.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	tp->fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (tp->fd < 0 || connect(tp->fd, (struct sockaddr *)&a, sizeof(a))) {
		ret = -errno;
		snprintf(err, errlen, "%s: connect to '%s': %s", name, path,
			 strerror(-ret));
		return ret;
	}
	return tp_adopt_fd(name, tp->fd, type, err, errlen);
}

int tp_open_unix(struct tp *tp, const struct tp_spec *s, const char *pathkey,
		 int type, char *err, size_t errlen)
{
	const char *path = tp_spec_get(s, pathkey);
	const char *fdstr = tp_spec_get(s, "fd");
	int fd, ret;

	if (!path == !fdstr) {
		snprintf(err, errlen, path ? "%s: give %s= or fd=, not both" :
			 "%s: missing %s=SOCKET (or fd=N)", s->name, pathkey);
		return -EINVAL;
	}
	if (path) {
		ret = tp_connect_unix(tp, s->name, path, type, err, errlen);
	} else if (tp_parse_fd(fdstr, &fd)) {
		snprintf(err, errlen, "%s: bad fd '%s'", s->name, fdstr);
		return -EINVAL;
	} else {
		ret = tp_adopt_fd(s->name, fd, type, err, errlen);
		if (!ret)
			tp->fd = fd;	/* on failure, fd stays the caller's */
	}
	if (ret)
		tp_close_fd(tp);
	return ret;
}

void tp_close_fd(struct tp *tp)
{
	if (tp->fd >= 0)
		close(tp->fd);
	tp->fd = -1;
}

int tp_spec_mac(const struct tp_spec *s, uint8_t *mac)
{
	const char *m = tp_spec_get(s, "mac");

	return m && !mac_parse(m, mac);
}

int tp_open_spec(struct tp **tpp, const struct tp_spec *s, char *err,
		 size_t errlen)
{
	const struct tp_ops *ops = tp_lookup(s->name);
	struct tp *tp;
	int ret;

	*tpp = NULL;
	if (!ops) {
		snprintf(err, errlen, "unknown transport '%s'", s->name);
		return -EINVAL;
	}
	tp = calloc(1, ops->size);
	if (!tp) {
		snprintf(err, errlen, "%s: out of memory", s->name);
		return -ENOMEM;
	}
	tp->ops = ops;
	tp->fd = tp->wfd = tp->cfd = -1;
	ret = ops->open(tp, s, err, errlen);
	if (ret) {
		free(tp);
		return ret;
	}
	if (tp->wfd < 0)
		tp->wfd = tp->fd;
	*tpp = tp;
	return 0;
}

int tp_open(struct tp **tpp, const char *spec, char *err, size_t errlen)
{
	struct tp_spec s;
	int ret;

	*tpp = NULL;
	ret = tp_spec_parse(spec, &s, err, errlen);
	if (ret)
		return ret;
	if (tp_spec_get(&s, "mac")) {
		snprintf(err, errlen, "%s: mac=%s: this end has no MAC address "
			 "of its own (mac= sets a guest NIC's address)", s.name,
			 tp_spec_get(&s, "mac"));
		return -EINVAL;
	}
	return tp_open_spec(tpp, &s, err, errlen);
}

int tp_recv(struct tp *tp, struct tp_frame *f, unsigned int n)
{
	return tp->ops->recv(tp, f, n);
}

int tp_send(struct tp *tp, const struct tp_frame *f, unsigned int n)
{
	return tp->ops->send(tp, f, n);
}

int tp_finish(struct tp *tp)
{
	int ret;

	if (!tp->held)
		return 0;
	ret = tp->ops->send(tp, NULL, 0);
	return ret < 0 ? ret : 0;
}

void tp_close(struct tp *tp)
{
	if (!tp)
		return;
	tp->ops->close(tp);
	if (tp->cfd >= 0)
		close(tp->cfd);
	free(tp);
}

void tp_hangup(struct tp *tp)
{
	tp_close_fd(tp);
	tp->wfd = -1;
	tp->pending = 0;
	tp->held = 0;	/* the rest of a frame went with the connection */
}

int tp_redial(struct tp *tp)
{
	int ret;

	if (!tp->ops->redial)
		return -EOPNOTSUPP;
	if (tp->fd >= 0)
		tp_hangup(tp);
	ret = tp->ops->redial(tp);
	if (ret)
		return ret;
	tp->wfd = tp->fd;
	return 0;
}

int tp_ctl_input(struct tp *tp)
{
	uint8_t junk[256];
	ssize_t n;

	for (;;) {
		n = read(tp->cfd, junk, sizeof(junk));
		if (n > 0)
			continue;
		if (n == 0)
			return -EPIPE;
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	}
}

void tp_frame_write(struct tp_frame *f, size_t off, const void *src,
		    size_t n)
{
	const uint8_t *p = src;
	size_t k;

	if (off < f->cap) {
		k = n < f->cap - off ? n : f->cap - off;
		memcpy(f->buf + off, p, k);
		p += k;
		n -= k;
		off = f->cap;
	}
	if (!n || !f->tail)
		return;
	off -= f->cap;
	if (off < f->tail_cap) {
		k = n < f->tail_cap - off ? n : f->tail_cap - off;
		memcpy(f->tail + off, p, k);
	}
}

void tp_frame_store(struct tp_frame *f, const void *src, size_t len)
{
	tp_frame_write(f, 0, src, len);
	f->len = len;
}

void tp_frame_move(struct tp_frame *dst, const struct tp_frame *src,
		   size_t len)
{
	size_t head = len < src->cap ? len : src->cap;

	tp_frame_write(dst, 0, src->buf, head);
	if (len > head && src->tail)
		tp_frame_write(dst, head, src->tail,
			       len - head < src->tail_cap ? len - head :
			       src->tail_cap);
	dst->len = len;
}

unsigned int tp_frame_iov(const struct tp_frame *f, struct iovec *iov)
{
	iov[0].iov_base = f->buf;
	iov[0].iov_len = f->cap;
	if (!f->tail || !f->tail_cap)
		return 1;
	iov[1].iov_base = f->tail;
	iov[1].iov_len = f->tail_cap;
	return 2;
}
