// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tp_stream.c: the stream transport's reconnect=: bad values are
 * refused naming them; with no server yet it opens unconnected and
 * tp_redial() connects once one listens, and again after it hangs up.
 * On a unix socket a full socket takes whole frames only (a reader finds
 * each frame's start at the start of a read, as passt's needs), and a
 * frame over 32 KiB, which may go in part, is finished by tp_finish().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"
#include "transport.h"
#include "test.h"

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 4))
		return -1;
	return fd;
}

static void check_redial(void)
{
	char dir[] = "/tmp/test_tp_stream.XXXXXX", path[64], spec[128];
	char e[TP_ERR_MAX];
	uint8_t buf[64];
	struct tp_frame f = { .buf = buf, .cap = sizeof(buf) };
	struct tp *tp = NULL;
	int lfd, cfd;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/sock", dir);
	snprintf(spec, sizeof(spec), "stream:connect=%s,reconnect=2", path);
	/* no server yet: open, unconnected */
	CHECK(tp_open(&tp, spec, e, sizeof(e)) == 0);
	if (!tp)
		return;
	CHECK(tp->fd < 0 && tp->redial_ms == 2000);
	CHECK(tp_redial(tp) == -ENOENT && tp->fd < 0);
	lfd = listen_on(path);
	CHECK(lfd >= 0);
	CHECK(tp_redial(tp) == 0 && tp->fd >= 0 && tp->wfd == tp->fd);
	cfd = accept(lfd, NULL, NULL);
	CHECK(cfd >= 0);
	/* the server hangs up: EOF; hung up, then connected anew */
	close(cfd);
	CHECK(tp_recv(tp, &f, 1) == -EPIPE);
	tp_hangup(tp);
	CHECK(tp->fd < 0 && tp->wfd < 0);
	CHECK(tp_redial(tp) == 0 && tp->fd >= 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
	tp_close(tp);
	/* without reconnect=, no server is an error, as ever */
	snprintf(spec, sizeof(spec), "stream:connect=%s", path);
	CHECK(tp_open(&tp, spec, e, sizeof(e)) == -ENOENT);
	CHECK(strstr(e, path) != NULL);
}

#define WF_LEN	1500		/* a full-size frame */
#define WF_BIG	40000		/* more than one socket buffer's worth */
#define WF_MAX	4096		/* frames sent at most */

/* Read the whole stream from @fd (up to @cap bytes) into @buf. */
static size_t drain(int fd, uint8_t *buf, size_t cap)
{
	size_t have = 0;
	ssize_t r;

	while (have < cap &&
	       (r = recv(fd, buf + have, cap - have, MSG_DONTWAIT)) > 0)
		have += (size_t)r;
	return have;
}

static void check_whole_frames(void)
{
	static uint8_t in[WF_MAX * (4 + WF_LEN) + 4 + WF_BIG];
	static uint8_t frames[64][WF_LEN], big[WF_BIG];
	struct tp_frame f[64];
	char e[TP_ERR_MAX], spec[32];
	unsigned int sent = 0, i, k, bad = 0;
	struct tp *tp = NULL;
	size_t have, off;
	int sv[2], sz = 16384, n;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) == 0);
	snprintf(spec, sizeof(spec), "stream:fd=%d", sv[0]);
	CHECK(tp_open(&tp, spec, e, sizeof(e)) == 0);
	if (!tp)
		return;
	for (i = 0; i < 64; i++) {
		memset(frames[i], (int)i, WF_LEN);
		f[i].buf = frames[i];
		f[i].len = WF_LEN;
	}
	/* fill the socket: it stops taking frames, never half of one */
	while (sent < WF_MAX - 64 && (n = tp_send(tp, f, 64)) > 0) {
		sent += (unsigned int)n;
		if (tp->held)
			bad++;
	}
	CHECK(sent > 0 && sent < WF_MAX - 64);
	CHECK(bad == 0 && !tp->held);
	/* a big frame, which may go in part: tp_finish() writes the rest */
	have = drain(sv[1], in, sizeof(in));
	memset(big, 0xbb, sizeof(big));
	f[0].buf = big;
	f[0].len = WF_BIG;
	CHECK(tp_send(tp, f, 1) == 1);
	for (k = 0; tp->held && k < 1000; k++) {
		have += drain(sv[1], in + have, sizeof(in) - have);
		CHECK(tp_finish(tp) == 0);
	}
	CHECK(!tp->held);
	have += drain(sv[1], in + have, sizeof(in) - have);
	/* the reader sees every frame whole and in order */
	for (off = 0, k = 0; off + 4 <= have; k++) {
		uint32_t len = frame_get32(in + off);
		uint8_t want = k < sent ? (uint8_t)(k % 64) : 0xbb;

		if (len != (k < sent ? WF_LEN : WF_BIG) ||
		    off + 4 + len > have || in[off + 4] != want ||
		    in[off + 4 + len - 1] != want)
			break;
		off += 4 + len;
	}
	CHECK(k == sent + 1 && off == have);
	tp_close(tp);
	close(sv[1]);
}

int main(void)
{
	static const struct bad_spec bad[] = {
		{ "stream:connect=/x,reconnect=0", "'0'" },
		{ "stream:connect=/x,reconnect=3601", "'3601'" },
		{ "stream:connect=/x,reconnect=1s", "'1s'" },
		{ "stream:connect=/x,reconnect=-1", "'-1'" },
		{ "stream:fd=0,reconnect=1", "needs connect=" },
		{ "stream:connect=/x,redial=1", "redial" },
		{ "stream:connect=/x,reconnect=1,reconnect=2", "twice" },
		{ NULL, NULL },
	};
	check_bad_specs(bad);
	check_redial();
	check_whole_frames();
	TEST_DONE("test_tp_stream");
}
