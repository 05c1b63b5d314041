// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rawctl.c: speak raw bytes to a switch's control socket, for malformed-
 * request tests.
 *
 *   rawctl [-c] [-t SECS] [-b OFFSET] CTL FILE|-
 *
 * Connects a SOCK_STREAM socket to CTL, writes FILE's bytes in one write
 * ("-": write nothing), then reports what the switch does within SECS
 * (default 10): "reply N" for each chunk read, then "closed" on EOF/reset or
 * "open" if the connection is still up at the deadline.  -c closes right
 * after writing (prints "sent N").  -b binds a SOCK_DGRAM socket to the
 * 110-byte sockaddr_un found at OFFSET in FILE (the request's data address,
 * so a switch that connects to it succeeds); the first reply chunk is also
 * shown as "family F" (its first two bytes, host order).
 * Exit 0 unless the connect/write/bind failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned char req[4096], rep[4096];
	int opt, fd, dfd = -1, closeit = 0, secs = 10, bindoff = -1, first = 1;
	ssize_t len = 0, n;
	long long end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "ct:b:")) != -1) {
		switch (opt) {
		case 'c':
			closeit = 1;
			break;
		case 't':
			secs = atoi(optarg);
			break;
		case 'b':
			bindoff = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	if (strcmp(argv[optind + 1], "-")) {
		int f = open(argv[optind + 1], O_RDONLY);

		if (f < 0 || (len = read(f, req, sizeof(req))) < 0) {
			perror(argv[optind + 1]);
			return 1;
		}
		close(f);
	}
	if (strlen(argv[optind]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "rawctl: path too long\n");
		return 1;
	}
	strcpy(sa.sun_path, argv[optind]);
	if (bindoff >= 0) {
		struct sockaddr_un me;

		if (bindoff + (ssize_t)sizeof(me) > len) {
			fprintf(stderr, "rawctl: -b %d: request too short\n", bindoff);
			return 1;
		}
		memcpy(&me, req + bindoff, sizeof(me));
		dfd = socket(AF_UNIX, SOCK_DGRAM, 0);
		if (dfd < 0 || bind(dfd, (struct sockaddr *)&me, sizeof(me))) {
			perror("rawctl: bind data socket");
			return 1;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("rawctl: connect");
		return 1;
	}
	if (len > 0 && write(fd, req, len) != len) {
		perror("rawctl: write");
		return 1;
	}
	printf("sent %zd\n", len);
	if (closeit) {
		close(fd);
		return 0;
	}
	end = now_ms() + secs * 1000LL;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = end - now_ms();

		if (left <= 0) {
			printf("open\n");
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fd, rep, sizeof(rep));
		if (n > 0) {
			printf("reply %zd\n", n);
			if (first && n >= 2)
				printf("family %u\n",
				       (unsigned int)(rep[0] | rep[1] << 8));
			first = 0;
			continue;
		}
		printf("closed\n");
		break;
	}
	close(fd);
	if (dfd >= 0)
		close(dfd);
	return 0;
usage:
	fprintf(stderr, "usage: rawctl [-c] [-t SECS] [-b OFFSET] CTL FILE|-\n");
	return 2;
}
