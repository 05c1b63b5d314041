// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tp_stream.c: the stream transport's reconnect=: bad values are
 * refused naming them; with no server yet it opens unconnected and
 * tp_redial() connects once one listens, and again after it hangs up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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
	TEST_DONE("test_tp_stream");
}
