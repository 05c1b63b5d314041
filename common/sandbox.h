/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sandbox.h: what a program does before it handles untrusted input: close
 * stray fds, become an unprivileged user, enter its own user and mount
 * namespaces (an empty, read-only root with only the paths it needs), drop
 * every capability, set no_new_privs and install a seccomp allow-list.
 *
 * The allow-list is kept beside the code that needs each system call:
 *
 *	SANDBOX_ALLOW(SYS_recvmmsg, SYS_sendmmsg);
 *	SANDBOX_ALLOW_ARG(SYS_ioctl, 1, 0xffffffff, FIONREAD);
 *
 * at file scope in any source file of the program; the linker gathers them
 * all in the section "umlnet_syscalls" and sandbox_enter() reads it
 * between __start_umlnet_syscalls and __stop_umlnet_syscalls.  Only what is
 * linked in counts: a file of a static library that the program does not
 * use adds nothing.  Anything else is trapped (see sandbox_enter()).
 */
#ifndef UMLNET_SANDBOX_H
#define UMLNET_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SANDBOX_USER_DEFAULT	"nobody"

/**
 * struct sandbox_rule - a system call allowed with some arguments only.
 * @nr:		the call (SYS_*)
 * @arg:	which argument, 0 to 5
 * @mask:	allowed when (the argument's low 32 bits & @mask) == @val;
 *		only the low half is looked at, which is what the kernel
 *		uses of an int or unsigned int argument (flags, fds, ioctl
 *		requests, address families)
 * @val:	see @mask
 */
struct sandbox_rule {
	int nr;
	unsigned int arg;
	uint32_t mask;
	uint32_t val;
};

/* One entry of the section: numbers allowed whatever their arguments, or
 * rules; an all-zero entry (linker padding) means nothing. */
struct sandbox_set {
	const int *nr;
	const struct sandbox_rule *rule;
	size_t n;
};

#define SANDBOX_CAT_(a, b)	a##b
#define SANDBOX_CAT(a, b)	SANDBOX_CAT_(a, b)
#define SANDBOX_SECTION							\
	__attribute__((used, section("umlnet_syscalls"), aligned(8)))

/**
 * SANDBOX_ALLOW() - allow these system calls (SYS_* numbers) whatever
 * their arguments; at file scope, beside the code that makes them.
 */
#define SANDBOX_ALLOW(...)						\
	SANDBOX_ALLOW_(SANDBOX_CAT(sandbox_nr_, __COUNTER__), __VA_ARGS__)
#define SANDBOX_ALLOW_(id, ...)						\
	static const int SANDBOX_CAT(id, _v)[] = { __VA_ARGS__ };	\
	static const struct sandbox_set id SANDBOX_SECTION = {		\
		SANDBOX_CAT(id, _v), NULL,				\
		sizeof(SANDBOX_CAT(id, _v)) / sizeof(int) }

/**
 * SANDBOX_ALLOW_ARG() - allow system call @nr_ when the low 32 bits of
 * argument @arg_ masked with @mask_ equal @val_ (struct sandbox_rule).
 * Several rules for one call: any of them allows it.  A call also named
 * by SANDBOX_ALLOW() is allowed with any arguments.  At most 64 rules in
 * all (more is an error of sandbox_enter()); numbers below 512.
 */
#define SANDBOX_ALLOW_ARG(nr_, arg_, mask_, val_)			\
	SANDBOX_ALLOW_ARG_(SANDBOX_CAT(sandbox_rule_, __COUNTER__),	\
			   nr_, arg_, mask_, val_)
#define SANDBOX_ALLOW_ARG_(id, nr_, arg_, mask_, val_)			\
	static const struct sandbox_rule SANDBOX_CAT(id, _r)[] = {	\
		{ (nr_), (arg_), (mask_), (val_) } };			\
	static const struct sandbox_set id SANDBOX_SECTION = {		\
		NULL, SANDBOX_CAT(id, _r), 1 }

/**
 * struct sandbox_path - a path that stays visible in the new root.
 * @path:	absolute; a directory or a file, bound at the same place
 *		(recursively: mounts below it come along)
 * @rw:		writable (else read-only)
 */
struct sandbox_path {
	const char *path;
	int rw;
};

/* flags */
#define SANDBOX_NO_USERNS	0x1	/* stay in our user namespace */
#define SANDBOX_KEEP_FS		0x2	/* no mount namespace: the file system
					 * stays as it is */

/**
 * struct sandbox_cfg - how to enter the sandbox.
 * @prog:	program name, first word of the SIGSYS line
 * @uid:	set by sandbox_user(): who to become when started as root
 * @gid:	its group (supplementary groups are dropped)
 * @drop:	set by sandbox_user(): started as root, become @uid/@gid
 * @paths:	kept in the new root, up to an entry with path NULL (NULL:
 *		an empty root); at most 8, absolute, opened before anything
 *		is mounted (so a path under /tmp, where the root is put
 *		together, works); ignored with SANDBOX_KEEP_FS
 * @extra:	more allowed calls, decided at run time (e.g. tgkill of our
 *		own pid), @nextra of them
 * @nextra:	see @extra
 * @flags:	SANDBOX_*
 */
struct sandbox_cfg {
	const char *prog;
	uid_t uid;
	gid_t gid;
	int drop;
	const struct sandbox_path *paths;
	const struct sandbox_rule *extra;
	size_t nextra;
	unsigned int flags;
};

/**
 * sandbox_close_fds() - close every fd from 3 up but those in @keep.
 * @keep:	fds to keep (any order; 0-2 are always kept)
 * @n:		how many
 *
 * Call it first thing, once the command line says which fds are ours:
 * whatever the parent leaked (UML leaks an epoll fd and /dev/random to
 * its helpers) goes.
 *
 * Return: 0 or -errno.
 */
int sandbox_close_fds(const int *keep, size_t n);

/**
 * sandbox_user() - decide who the program will run as.
 * @c:		filled in (uid, gid, drop)
 * @name:	the user to become when started as root (NULL:
 *		SANDBOX_USER_DEFAULT); when not started as root, only NULL
 *		or our own user name is accepted
 * @err:	message on failure, naming the user
 * @errlen:	size of @err
 *
 * Started as root means any of the real, effective or saved uids is 0.
 * The user must exist and not be root.  Call it while the user database
 * is reachable (before sandbox_enter()).
 *
 * Return: 0 or -errno (-ENOENT: no such user, -EPERM: not allowed).
 */
int sandbox_user(struct sandbox_cfg *c, const char *name, char *err,
		 size_t errlen);

/**
 * sandbox_enter() - close the sandbox around the running process.
 * @c:		what to do (sandbox_user() called on it)
 * @err:	message on failure
 * @errlen:	size of @err
 *
 * In this order: a SIGSYS handler; when root: a mount namespace and a
 * new root (unless SANDBOX_KEEP_FS), the capability bounding set emptied,
 * then setgroups/setresgid/setresuid to @c->uid/@c->gid, checked (and
 * checked that root cannot be regained); then, unless SANDBOX_NO_USERNS,
 * a user namespace (mapping only our own uid and gid) and, if not done
 * yet, the mount namespace and new root; every capability dropped
 * (bounding, ambient, permitted, effective, inheritable); no_new_privs;
 * the seccomp filter.
 *
 * Namespaces are best effort: where the kernel refuses them (no
 * unprivileged user namespaces, in a container, ...) the program goes on
 * without them, with a debug note.  Everything else is required.
 *
 * The filter allows x86_64 system calls in the allow-list (the section,
 * the calls the sandbox itself needs, @c->extra).  Another architecture's
 * calls (and x32 ones) kill the process (SECCOMP_RET_KILL_PROCESS, a
 * plain "Bad system call"); any other call traps (SECCOMP_RET_TRAP): the
 * SIGSYS handler writes "PROG: seccomp: forbidden system call N (NAME)"
 * to stderr with write(2) and the process dies of SIGSYS.
 *
 * Return: 0, or -errno with @err set (the caller should exit).
 */
int sandbox_enter(const struct sandbox_cfg *c, char *err, size_t errlen);

#ifdef UMLNET_SANDBOX_TEST
/**
 * sandbox_test_violation() - test builds only: make a system call that no
 * program allows (getppid), to show what the sandbox does with it.
 */
void sandbox_test_violation(void);
#endif

#endif /* UMLNET_SANDBOX_H */
