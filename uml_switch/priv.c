// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * priv.c: the switch's privileges, dropped in stages.
 *
 *  1. At start, before anything else: stray descriptors close (but those a
 *     --port spec names with fd=N), and the user to become is decided
 *     (--user; "nobody" when started as root).
 *  2. Still root, the sockets, taps and other ports are opened (main.c);
 *     the sockets are given to that user.
 *  3. Started as root, the switch forks: the parent is the janitor
 *     (janitor.c), which stays root without capabilities to do what the
 *     user could not (remove the sockets and pid file at the end; reach a
 *     root client's data socket); the child becomes the user.
 *  4. The serving process (the child, or the only process when not started
 *     as root) enters the sandbox: every capability dropped, no_new_privs,
 *     and a seccomp allow-list (the SANDBOX_ALLOW lines of the switch's files
 *     and the system calls of the transports it may serve, struct tp_ops's
 *     syscalls).  The file system stays visible (clients name their data
 *     sockets by path; the sockets are removed at exit), and there is no
 *     user namespace (which would hide --group's gid).
 * The janitor enters the same sandbox (still root, but without any
 * capability and with the same allow-list, holding no descriptor).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "sw.h"
#include "transport.h"

#define PRIV_KEEP_MAX	16
#define PRIV_RULES_MAX	48

/**
 * priv_prepare() - stage 1: close stray descriptors (keeping the fd=N of
 * --port specs), decide who the switch will run as.
 * Return: 0, or -errno (logged).
 */
int priv_prepare(struct sw *sw)
{
	char e[TP_ERR_MAX];
	struct tp_spec s;
	int keep[PRIV_KEEP_MAX], nkeep = 0, i, fd, ret;

	for (i = 0; i < sw->o.nspecs && nkeep < PRIV_KEEP_MAX; i++)
		if (!tp_spec_parse(sw->o.specs[i], &s, e, sizeof(e)) &&
		    !tp_parse_fd(tp_spec_get(&s, "fd"), &fd))
			keep[nkeep++] = fd;
	ret = sandbox_close_fds(keep, (size_t)nkeep);
	if (ret) {
		err("closing inherited descriptors: %s", strerror(-ret));
		return ret;
	}
	ret = sandbox_user(&sw->sb, sw->o.user, e, sizeof(e));
	if (ret) {
		err("--user: %s", e);
		return ret;
	}
	if (sw->sb.drop)
		sw->perm_uid = sw->sb.uid;
	return 0;
}

/* The transports' system calls, as rules that allow any arguments. */
static size_t priv_tp_rules(struct sandbox_rule *r, size_t max)
{
	const struct tp_ops *ops;
	size_t n = 0, i, k;
	const int *nr;

	for (i = 0; (ops = tp_registry(i)); i++) {
		for (nr = ops->syscalls; nr && *nr >= 0; nr++) {
			for (k = 0; k < n && r[k].nr != *nr; k++)
				;
			if (k < n)
				continue;
			if (n == max)
				return n;	/* sandbox_enter says it is short */
			r[n].nr = *nr;
			r[n].arg = 0;
			r[n].mask = 0;	/* (arg & 0) == 0: any argument */
			r[n].val = 0;
			n++;
		}
	}
	return n;
}

/**
 * priv_sandbox() - stage 4 (see the top).
 * @keep_root:	the janitor, which stays root (without any capability)
 * Return: 0, or -errno (logged).
 */
int priv_sandbox(struct sw *sw, int keep_root)
{
	static struct sandbox_rule rules[PRIV_RULES_MAX];
	char e[TP_ERR_MAX];
	int ret;

	if (keep_root)
		sw->sb.drop = 0;
#ifdef UMLNET_SANDBOX_TEST
	if (sw->o.sandbox_test < 0)
		return 0;	/* --sandbox-off: leak checks at exit need ptrace */
#endif
	sw->sb.prog = "uml_switch";
	sw->sb.flags = SANDBOX_KEEP_FS | SANDBOX_NO_USERNS;
	sw->sb.extra = rules;
	sw->sb.nextra = priv_tp_rules(rules, PRIV_RULES_MAX);
	ret = sandbox_enter(&sw->sb, e, sizeof(e));
	if (ret) {
		err("sandbox: %s", e);
		return ret;
	}
#ifdef UMLNET_SANDBOX_TEST
	if (sw->o.sandbox_test && !keep_root)
		sandbox_test_violation();
#endif
	return 0;
}

/**
 * priv_enter() - stages 3 and 4: started as root, leave the janitor
 * behind and become the user; then enter the sandbox.  Returns in the
 * process that serves.
 * Return: 0, or -errno (logged; the caller exits).
 */
int priv_enter(struct sw *sw)
{
	int ret;

	if (!sw->sb.drop)
		return priv_sandbox(sw, 0);
	ret = janitor_start(sw);	/* returns in the child only */
	if (ret)
		return ret;
	return priv_sandbox(sw, 0);
}
