// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream.c: umlctl's streams: "events" (JSON lines, printed as they come)
 * and "capture" (after the reply line, pcapng, relayed whole block by
 * whole block to a file or stdout, so what is written is always a valid
 * pcapng file, however it ends).  An interrupt, a full count or a reader
 * of our output that went away (tshark done) sends {"cmd":"stop"}; the
 * switch then ends the stream (a capture with its statistics: the
 * records this reader lost), and umlctl says what it got.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "umlctl.h"

#define PCAPNG_SHB	0x0a0d0d0aU
#define PCAPNG_ISB	5U
#define PCAPNG_EPB	6U
#define ISB_IFDROP	5
#define STOP_WAIT_MS	5000	/* after stop, the end comes within this */

static volatile sig_atomic_t stream_signal;

static void stream_on_signal(int sig)
{
	stream_signal = sig;
}

/* SIGINT, SIGTERM, SIGHUP interrupt the wait (no SA_RESTART); SIGPIPE is
 * an EPIPE of write. */
static void stream_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stream_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int stream_stop(struct uc *u, int *sent)
{
	static const char stop[] = "{\"cmd\":\"stop\"}\n";

	if (*sent)
		return 0;
	*sent = 1;
	return write(u->fd, stop, sizeof(stop) - 1) == sizeof(stop) - 1 ?
	       0 : -errno;
}

/**
 * stream_events() - "umlctl events": every event as it comes, until the
 * switch goes or we are interrupted.
 * Return: 0, or 1 if the stream broke off.
 */
int stream_events(struct uc *u)
{
	int ret, sent = 0, ended = 0, t;
	char ev[16];

	ret = uc_request(u, "{\"cmd\":\"events\"}\n");
	if (ret)
		return ret;
	stream_signals();
	for (;;) {
		ret = uc_read_line(u, sent ? STOP_WAIT_MS : -1);
		if (ret == -EINTR && stream_signal) {
			stream_stop(u, &sent);
			continue;
		}
		if (ret)
			break;
		if (u->json)
			printf("%.*s\n", (int)u->line, u->buf);
		else
			print_event(&u->j);
		if (fflush(stdout))
			stream_stop(u, &sent);
		t = uc_get(&u->j, 0, "event");
		if (t >= 0 && json_string(&u->j, (unsigned int)t, ev,
					  sizeof(ev)) > 0 && !strcmp(ev, "end"))
			ended = 1;
	}
	if (!ended)
		uc_err("the switch ended the event stream (%s)",
		       ret == -EPIPE ? "it closed the connection" :
		       ret == -ETIMEDOUT ? "no end after stop" : strerror(-ret));
	return ended ? 0 : 1;
}

/* What the capture got. */
struct cap_sum {
	uint64_t frames, lost;
	int stats;		/* statistics blocks came */
	int out;		/* output fd, -1 once it went away */
};

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* An interface statistics block: add its isb_ifdrop. */
static void cap_isb(struct cap_sum *c, const uint8_t *b, uint32_t len)
{
	uint32_t off = 20, code, olen;
	uint64_t v;

	c->stats = 1;
	while (off + 4 <= len - 4) {
		code = get32(b + off) & 0xffff;
		olen = get32(b + off) >> 16;
		if (code == 0 || off + 4 + olen > len - 4)
			break;
		if (code == ISB_IFDROP && olen == 8) {
			memcpy(&v, b + off + 4, 8);
			c->lost += v;
		}
		off += 4 + ((olen + 3) & ~3U);
	}
}

static int cap_write(struct cap_sum *c, const uint8_t *b, size_t n)
{
	ssize_t w;

	while (c->out >= 0 && n) {
		w = write(c->out, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (errno != EPIPE)
				uc_err("writing the capture: %s",
				       strerror(errno));
			c->out = -1;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return c->out >= 0 ? 0 : -1;
}

/* The whole blocks at the start of @b (@n bytes), counted and written
 * out in one go.  Return: bytes used, or -1 if the stream is not pcapng. */
static long cap_blocks(struct cap_sum *c, const uint8_t *b, size_t n)
{
	size_t off = 0;
	uint32_t type, len;

	while (n - off >= 12) {
		type = get32(b + off);
		len = get32(b + off + 4);
		if (len < 12 || len % 4 || len > UMLCTL_LINE_MAX ||
		    (off == 0 && c->frames == 0 && !c->stats &&
		     type != PCAPNG_SHB && type != 1 && type != PCAPNG_EPB))
			return -1;
		if (n - off < len)
			break;
		if (type == PCAPNG_EPB)
			c->frames++;
		else if (type == PCAPNG_ISB)
			cap_isb(c, b + off, len);
		off += len;
	}
	cap_write(c, b, off);
	return (long)off;
}

/* Relay the stream to @c->out until the switch ends it. */
static int cap_relay(struct uc *u, struct cap_sum *c, uint64_t count)
{
	struct pollfd p = { .fd = u->fd, .events = POLLIN };
	int sent = 0, r;
	long used;
	ssize_t n;

	for (;;) {
		used = cap_blocks(c, (uint8_t *)u->buf, u->have);
		if (used < 0) {
			uc_err("the capture stream is not pcapng");
			return 1;
		}
		u->have -= (size_t)used;
		memmove(u->buf, u->buf + used, u->have);
		if ((stream_signal || c->out < 0 ||
		     (count && c->frames >= count)) && !sent)
			stream_stop(u, &sent);
		r = poll(&p, 1, sent ? STOP_WAIT_MS : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			uc_err("the switch did not end the capture");
			return 1;
		}
		n = read(u->fd, u->buf + u->have, UMLCTL_LINE_MAX - u->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		u->have += (size_t)n;
	}
}

static int cap_output(const char *file, int given)
{
	int fd;

	if (!file || !strcmp(file, "-")) {
		if (!given && isatty(1)) {
			uc_err("not writing pcapng to a terminal: give -w FILE, "
			       "or -w - to mean it, or pipe it (| tshark -r -)");
			return -1;
		}
		return 1;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		uc_err("cannot write '%s': %s", file, strerror(errno));
	return fd;
}

/* The request, from capture's own options. */
static int cap_request(int argc, char **argv, struct jw *w, char *buf,
		       size_t len, const char **file, uint64_t *count)
{
	unsigned long long v, snaplen = 0;
	const char *ports[64];
	int c, i, n = 0;
	char *end;

	optind = 1;
	while ((c = getopt(argc, argv, "+p:w:c:S:")) != -1) {
		switch (c) {
		case 'p':
			if (n == 64) {
				uc_err("capture: at most 64 -p");
				return 2;
			}
			ports[n++] = optarg;
			break;
		case 'w':
			*file = optarg;
			break;
		case 'c':
		case 'S':
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (!*optarg || *end || errno || *optarg == '-' || !v) {
				uc_err("-%c: '%s' is not a positive number", c,
				       optarg);
				return 2;
			}
			if (c == 'c')
				*count = v;
			else
				snaplen = v;
			break;
		default:
			uc_err("usage: capture [-p PORT]... [-w FILE|-] "
			       "[-c COUNT] [-S SNAPLEN]");
			return 2;
		}
	}
	if (optind != argc) {
		uc_err("capture: unexpected '%s'", argv[optind]);
		return 2;
	}
	jw_init(w, buf, len - 1);
	jw_obj(w, NULL);
	jw_str(w, "cmd", "capture");
	if (n) {
		jw_arr(w, "ports");
		for (i = 0; i < n; i++)
			jw_str(w, NULL, ports[i]);
		jw_end(w);
	}
	if (*count)
		jw_u64(w, "count", *count);
	if (snaplen)
		jw_u64(w, "snaplen", snaplen);
	jw_end(w);
	if (w->overflow) {
		uc_err("capture: the request is too long");
		return 2;
	}
	strcat(buf, "\n");
	return 0;
}

/**
 * stream_capture() - "umlctl capture [-p PORT]... [-w FILE|-] [-c COUNT]
 * [-S SNAPLEN]" (@argv[0] is "capture").
 * Return: 0 once the switch ended the capture with its statistics, 1 if
 * it broke off, 2 for bad arguments.
 */
int stream_capture(struct uc *u, int argc, char **argv)
{
	struct cap_sum c = { .out = -1 };
	const char *file = NULL;
	uint64_t count = 0;
	char req[4096];
	struct jw w;
	int ret;

	ret = cap_request(argc, argv, &w, req, sizeof(req), &file, &count);
	if (ret)
		return ret;
	ret = uc_request(u, req);
	if (ret)
		return ret;
	c.out = cap_output(file, file != NULL);
	if (c.out < 0)
		return 1;
	uc_drop_line(u);	/* what follows it is pcapng */
	stream_signals();
	ret = cap_relay(u, &c, count);
	if (c.out > 1)
		close(c.out);
	fprintf(stderr, "umlctl: capture: %llu frames, %llu lost%s%s\n",
		(unsigned long long)c.frames, (unsigned long long)c.lost,
		c.lost ? " (this reader fell behind)" : "", c.stats ? "" :
		"; the switch ended it without its statistics");
	return ret ? ret : !c.stats;
}
