// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uml_dump.c: a drop-in for netkit's uml_dump: every frame a uml_switch
 * forwards, as classic pcap (linktype Ethernet) on stdout, so that
 * netkit's "vdump DOMAIN" (uml_dump SOCKET | wireshark -i - -k) works.
 *
 * It joins the switch with netkit's request, REQ_NEW_DUMP: the 124-byte
 * v3 layout of the daemon protocol (proto.h) with type 1 and nothing
 * after it, for a datagram socket bound to an abstract name.  The switch
 * then sends it a copy of every frame it forwards, and takes nothing from
 * it.  It ends, with status 0, when the switch goes (its control
 * connection closes) or when stdout does (the reader quit).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "proto.h"

#define DUMP_REQ_TYPE		1	/* netkit's REQ_NEW_DUMP */
#define DUMP_SNAPLEN		65535
#define DUMP_REPLY_MS		5000
#define PCAP_MAGIC		0xa1b2c3d4U
#define PCAP_LINKTYPE_ETHERNET	1

struct pcap_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_rec {
	uint32_t sec, usec, caplen, len;
};

static uint8_t dump_frame[DUMP_SNAPLEN + 1];

static void usage(FILE *f)
{
	fprintf(f,
"Usage: uml_dump [CTL]\n"
"Write every frame a uml_switch forwards to stdout as pcap (netkit's\n"
"uml_dump; e.g. uml_dump CTL | tshark -r -).  CTL is the switch's control\n"
"socket, or its VDE directory (default: the default control socket).\n"
"It ends when the switch goes or stdout closes.  See uml_dump(1).\n");
}

/* The data socket: an abstract name, bound with the full length (as
 * netkit's and UML's are). */
static int dump_data(struct sockaddr_un *me)
{
	struct timeval tv;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	gettimeofday(&tv, NULL);
	memset(me, 0, sizeof(*me));
	me->sun_family = AF_UNIX;
	snprintf(me->sun_path + 1, sizeof(me->sun_path) - 1,
		 "umlnet-dump-%d-%ld", (int)getpid(), (long)tv.tv_usec);
	if (bind(fd, (struct sockaddr *)me, sizeof(*me))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Join the switch at @path as a dump port.  Return: the control
 * connection, or -1 (said why). */
static int dump_join(const char *path, const struct sockaddr_un *me)
{
	struct sockaddr_un ctl = { .sun_family = AF_UNIX }, reply;
	struct proto_req_v3 req;
	struct pollfd p;
	ssize_t n;
	int fd;

	memcpy(ctl.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ctl, sizeof(ctl))) {
		fprintf(stderr, "uml_dump: cannot connect to '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	memset(&req, 0, sizeof(req));	/* the padding too: 124 bytes */
	req.magic = PROTO_MAGIC;
	req.version = PROTO_VERSION;
	req.type = DUMP_REQ_TYPE;
	req.addr = *me;
	if (write(fd, &req, sizeof(req)) != (ssize_t)sizeof(req)) {
		fprintf(stderr, "uml_dump: cannot send the request to '%s': "
			"%s\n", path, strerror(errno));
		return -1;
	}
	p.fd = fd;
	p.events = POLLIN;
	n = poll(&p, 1, DUMP_REPLY_MS) == 1 ?
	    read(fd, &reply, sizeof(reply)) : -1;
	if (n != PROTO_REPLY_LEN) {
		fprintf(stderr, "uml_dump: '%s' did not accept the dump request "
			"(%s): is it a uml_switch that knows REQ_NEW_DUMP?\n",
			path, n < 0 ? "no reply" : n == 0 ? "it closed the "
			"connection" : "a reply of the wrong length");
		return -1;
	}
	return fd;
}

/* Write all of @iov to stdout.  Return: 0, or -1 once stdout is gone. */
static int dump_out(struct iovec *iov, int n)
{
	ssize_t w;

	while (n) {
		w = writev(1, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			if (errno != EPIPE)
				fprintf(stderr, "uml_dump: stdout: %s\n",
					strerror(errno));
			return -1;
		}
		while (n && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

static int dump_header(void)
{
	struct pcap_hdr h = { .magic = PCAP_MAGIC, .major = 2, .minor = 4,
			      .snaplen = DUMP_SNAPLEN,
			      .linktype = PCAP_LINKTYPE_ETHERNET };
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };

	return dump_out(&iov, 1);
}

/* One frame from the data socket to stdout.  Return: 0, or -1 when
 * stdout is gone. */
static int dump_one(int data)
{
	struct pcap_rec r;
	struct timeval tv;
	struct iovec iov[2];
	ssize_t n;

	n = recv(data, dump_frame, sizeof(dump_frame), MSG_DONTWAIT | MSG_TRUNC);
	if (n <= 0)
		return 0;
	gettimeofday(&tv, NULL);
	r.sec = (uint32_t)tv.tv_sec;
	r.usec = (uint32_t)tv.tv_usec;
	r.len = (uint32_t)n;
	r.caplen = n > DUMP_SNAPLEN ? DUMP_SNAPLEN : (uint32_t)n;
	iov[0].iov_base = &r;
	iov[0].iov_len = sizeof(r);
	iov[1].iov_base = dump_frame;
	iov[1].iov_len = r.caplen;
	return dump_out(iov, 2);
}

int main(int argc, char **argv)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct pollfd p[2];
	struct sockaddr_un me;
	char junk[256];
	int data, ctl, ret;

	if (argc > 2 || (argc == 2 && (!strcmp(argv[1], "-h") ||
				       !strcmp(argv[1], "--help")))) {
		usage(argc > 2 ? stderr : stdout);
		return argc > 2 ? 2 : 0;
	}
	ret = argc == 2 ? proto_ctl_path(argv[1], path, sizeof(path)) :
	      proto_default_ctl(path, sizeof(path));
	if (ret) {
		fprintf(stderr, "uml_dump: control socket path too long\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	data = dump_data(&me);
	if (data < 0) {
		fprintf(stderr, "uml_dump: data socket: %s\n", strerror(-data));
		return 1;
	}
	ctl = dump_join(path, &me);
	if (ctl < 0)
		return 1;
	if (dump_header())
		return 0;
	p[0].fd = data;
	p[0].events = POLLIN;
	p[1].fd = ctl;
	p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 1;
		if ((p[0].revents & POLLIN) && dump_one(data))
			return 0;	/* the reader quit */
		if (p[1].revents && read(ctl, junk, sizeof(junk)) <= 0)
			return 0;	/* the switch went away */
	}
}
