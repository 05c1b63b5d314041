// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c: uml_slirp, user-mode NAT for UML guests on libslirp: the legacy
 * SLIP helper of UML's slirp transport and an Ethernet-frame
 * helper for libumlnet's slirp transport.  Set-up, the sandbox and exit
 * only; the loop is in stack.c, the guest link in link.c.
 *
 * Start-up order: stray fds closed; the user to become decided; the guest
 * link, libslirp and every host forward (listening sockets, so privileged
 * ports work for root) set up; a --bess client accepted; then the sandbox
 * (common/sandbox.h) closes in before the first frame from the guest is
 * read: an unprivileged user (never root), user and mount namespaces
 * where the kernel allows them (the new root holds /etc, read-only, for
 * libslirp's reads of /etc/resolv.conf), no capabilities, no_new_privs,
 * and the seccomp allow-list made of the SANDBOX_ALLOW lines of main.c,
 * stack.c, link.c and common/.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libslirp.h>

#include "log.h"
#include "sandbox.h"
#include "uml_slirp.h"

/* abort() (a failed assertion in glib or libslirp) blocks signals, asks
 * for its pid and thread id and kills itself: tgkill of our own pid only,
 * in main_sandbox() */
SANDBOX_ALLOW(SYS_rt_sigprocmask, SYS_getpid, SYS_gettid);

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

/* Every fd but ours (0-2, --fd, --ready-fd) goes. */
static int main_close_fds(const struct us_cfg *c)
{
	int keep[2] = { c->fd, c->ready_fd };
	int ret = sandbox_close_fds(keep, 2);

	if (ret)
		err("closing inherited descriptors: %s", strerror(-ret));
	return ret;
}

/*
 * The sandbox.  The new root keeps /etc (read-only) for libslirp's DNS
 * forwarder, which looks at /etc/resolv.conf again when it changes, and
 * the directory that a symlinked /etc/resolv.conf points into.
 */
static int main_sandbox(const struct us_cfg *c, const struct sandbox_cfg *user,
			char *msg, size_t len)
{
	struct sandbox_path paths[3] = { { "/etc", 0 } };
	struct sandbox_rule self_kill = {
		.nr = SYS_tgkill, .arg = 0, .mask = ~0u,
		.val = (uint32_t)getpid(),
	};
	struct sandbox_cfg sb = *user;
	char real[PATH_MAX], *slash;
	int ret;

	if (realpath("/etc/resolv.conf", real) && (slash = strrchr(real, '/')) &&
	    slash > real) {
		*slash = '\0';
		if (strcmp(real, "/etc"))
			paths[1].path = real;
	}
	sb.prog = "uml_slirp";
	sb.paths = paths;
	sb.extra = &self_kill;
	sb.nextra = 1;
	ret = sandbox_enter(&sb, msg, len);
	if (ret)
		return ret;
	debug("sandbox: in place, as uid %u gid %u", (unsigned int)sb.uid,
	      (unsigned int)sb.gid);
#ifdef UMLNET_SANDBOX_TEST
	if (c->sandbox_test)
		sandbox_test_violation();
#else
	(void)c;
#endif
	return 0;
}

int main(int argc, char **argv)
{
	struct us_cfg *c = &main_cfg;
	struct us *u = &main_us;
	struct sandbox_cfg sb = { 0 };
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
	if (main_close_fds(c))
		return 1;
	if (c->ready_fd >= 0 && fcntl(c->ready_fd, F_SETFD, FD_CLOEXEC)) {
		err("--ready-fd %d: %s", c->ready_fd, strerror(errno));
		c->ready_fd = -1;
		return 2;
	}
	if (sandbox_user(&sb, c->user, msg, sizeof(msg))) {
		main_fail(c, msg);
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
	if (c->bess) {
		/* the socket is there: a waiting parent may start the guest */
		main_ready(c, "ok");
		ret = link_wait_client(u);
		if (ret <= 0) {
			stack_close(u);
			return ret ? 1 : 0;
		}
	}
	if (main_sandbox(c, &sb, msg, sizeof(msg))) {
		stack_close(u);
		return main_fail(c, msg);
	}
	main_ready(c, "ok");
	ret = stack_run(u);
	if (u->drops_big || u->drops_full || u->slip_dropped || u->drops_proto)
		info("dropped: %lu oversize, %lu queue full, %lu malformed SLIP, %lu other",
		     u->drops_big, u->drops_full, u->slip_dropped,
		     u->drops_proto);
	debug("ignored %lu frames addressed to other stations",
	      u->drops_other);
	debug("the guest link was full %lu times (frames waited for room)",
	      u->tx_waits);
	stack_close(u);
	return ret ? 1 : 0;
}
