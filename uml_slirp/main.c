// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c: uml_slirp, user-mode NAT for UML guests on libslirp: the legacy
 * SLIP helper of UML's slirp transport (spec 6) and an Ethernet-frame
 * helper for libumlnet's slirp transport.  Set-up and exit only; the loop
 * is in stack.c, the guest link in link.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libslirp.h>

#include "log.h"
#include "uml_slirp.h"

static struct us_cfg main_cfg;
static struct us main_us;

/* Tell whoever waits on --ready-fd: "ok" or the error, then close it. */
static void main_ready(struct us_cfg *c, const char *msg)
{
	char line[US_ERR_MAX + 16];
	int len;

	if (c->ready_fd < 0)
		return;
	len = snprintf(line, sizeof(line), "%s\n", msg);
	if (len > (int)sizeof(line) - 1)
		len = sizeof(line) - 1;
	if (write(c->ready_fd, line, len) < 0)
		debug("--ready-fd: %s", strerror(errno));
	close(c->ready_fd);
	c->ready_fd = -1;
}

/* The error goes to --ready-fd's reader when there is one, else stderr. */
static int main_fail(struct us_cfg *c, const char *msg)
{
	if (c->ready_fd >= 0)
		main_ready(c, msg);
	else
		err("%s", msg);
	return 1;
}

int main(int argc, char **argv)
{
	struct us_cfg *c = &main_cfg;
	struct us *u = &main_us;
	char msg[US_ERR_MAX];
	int ret;

	log_init("uml_slirp", LOG_LVL_WARN, 0);
	ret = us_parse_args(c, argc, argv, msg, sizeof(msg));
	if (ret == US_HELP) {
		us_usage(stdout);
		return 0;
	}
	if (ret == US_VERSION) {
		printf("uml_slirp (umlnet) 0.1, libslirp %s\n",
		       slirp_version_string());
		return 0;
	}
	if (ret == 0)
		ret = us_cfg_finish(c, msg, sizeof(msg));
	if (ret) {
		if (c->ready_fd < 0)
			fprintf(stderr, "uml_slirp: %s\nTry 'uml_slirp --help'.\n",
				msg);
		else
			main_ready(c, msg);
		return 2;
	}
	if (c->verbose)
		log_set_level(c->verbose > 1 ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (c->ready_fd >= 0 && fcntl(c->ready_fd, F_SETFD, FD_CLOEXEC)) {
		err("--ready-fd %d: %s", c->ready_fd, strerror(errno));
		c->ready_fd = -1;
		return 2;
	}
	u->cfg = c;
	u->ep = u->sigfd = u->listen_fd = -1;
	if (link_init(u, msg, sizeof(msg)) || stack_init(u, msg, sizeof(msg)) ||
	    stack_forwards(u, msg, sizeof(msg)))
		return main_fail(c, msg);
	/* SLIP: the guest cannot answer ARP, its MAC is ours to name */
	if (c->mode == US_MODE_LEGACY)
		link_seed(u);
	info("libslirp %s, %s mode, MTU %u", slirp_version_string(),
	     c->mode == US_MODE_ETHER ? "Ethernet" : "legacy SLIP", c->mtu);
	main_ready(c, "ok");
	ret = stack_run(u);
	if (u->drops_big || u->drops_full || u->slip_dropped || u->drops_proto)
		info("dropped: %lu oversize, %lu queue full, %lu malformed SLIP, %lu other",
		     u->drops_big, u->drops_full, u->slip_dropped,
		     u->drops_proto);
	debug("ignored %lu frames addressed to other stations",
	      u->drops_other);
	stack_close(u);
	if (u->listen_fd >= 0)
		unlink(c->bess);	/* --bess: nobody came */
	return ret ? 1 : 0;
}
