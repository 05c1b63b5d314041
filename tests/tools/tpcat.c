// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tpcat.c: join two libumlnet transports and forward frames both ways
 * until killed (a two-port hub), e.g.
 *   tpcat daemon,,unix,/tmp/sw.ctl mcast
 *   tpcat -c SPEC        only open SPEC: exit 0, or 1 with its error
 * On SIGTERM/SIGINT it prints "a->b=N b->a=M" (frames forwarded) and exits.
 * "ready" is printed on stdout once both are open.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "transport.h"

#define BATCH	32
#define BUFSZ	65536

static uint8_t bufs[BATCH][BUFSZ];
static volatile sig_atomic_t stop;

static void on_sig(int sig)
{
	(void)sig;
	stop = 1;
}

/* Forward one batch from @a to @b; frames too big for a buffer are
 * dropped.  Return frames forwarded, or -errno. */
static int pump(struct tp *a, struct tp *b, const char *name)
{
	struct tp_frame f[BATCH];
	int i, n, w, sent = 0, ret;

	memset(f, 0, sizeof(f));
	for (i = 0; i < BATCH; i++) {
		f[i].buf = bufs[i];
		f[i].cap = BUFSZ;
	}
	n = tp_recv(a, f, BATCH);
	if (n < 0) {
		fprintf(stderr, "tpcat: %s: recv: %s\n", name, strerror(-n));
		return n;
	}
	for (i = w = 0; i < n; i++)
		if (f[i].len <= f[i].cap)
			f[w++] = f[i];
	while (sent < w) {
		ret = tp_send(b, f + sent, (unsigned int)(w - sent));
		if (ret < 0) {
			fprintf(stderr, "tpcat: %s: send: %s\n", name,
				strerror(-ret));
			return ret;
		}
		if (ret == 0)	/* full: drop the rest, like a switch */
			break;
		sent += ret;
	}
	/* the rest of a frame a stream socket took only part of goes now,
	 * not with the next frame (which may never come) */
	while (b->held) {
		ret = tp_finish(b);
		if (ret < 0) {
			fprintf(stderr, "tpcat: %s: send: %s\n", name,
				strerror(-ret));
			return ret;
		}
		if (b->held)
			poll(&(struct pollfd){ .fd = b->wfd, .events = POLLOUT },
			     1, 10);
	}
	return sent;
}

static int open_one(struct tp **tp, const char *spec)
{
	char err[TP_ERR_MAX];
	int ret = tp_open(tp, spec, err, sizeof(err));

	if (ret)
		fprintf(stderr, "tpcat: %s\n", err);
	return ret;
}

int main(int argc, char **argv)
{
	struct tp *a = NULL, *b = NULL;
	unsigned long long ab = 0, ba = 0;
	struct pollfd p[2];
	int ret, rc = 1;

	if (argc == 3 && !strcmp(argv[1], "-c")) {
		if (open_one(&a, argv[2]))
			return 1;
		tp_close(a);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: tpcat SPEC_A SPEC_B | tpcat -c SPEC\n");
		return 2;
	}
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	if (open_one(&a, argv[1]) || open_one(&b, argv[2]))
		goto out;
	printf("ready\n");
	fflush(stdout);
	p[0].fd = a->fd;
	p[1].fd = b->fd;
	p[0].events = p[1].events = POLLIN;
	while (!stop) {
		ret = poll(p, 2, 200);
		if (ret < 0 && errno != EINTR)
			goto out;
		if (ret <= 0)
			continue;
		if (p[0].revents) {
			ret = pump(a, b, "a->b");
			if (ret < 0)
				goto out;
			ab += (unsigned int)ret;
		}
		if (p[1].revents) {
			ret = pump(b, a, "b->a");
			if (ret < 0)
				goto out;
			ba += (unsigned int)ret;
		}
	}
	rc = 0;
out:
	printf("a->b=%llu b->a=%llu\n", ab, ba);
	tp_close(a);
	tp_close(b);
	return rc;
}
