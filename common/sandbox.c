// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sandbox.c: closing a program in before it handles untrusted input (see
 * sandbox.h): fds, user, namespaces, capabilities, no_new_privs, seccomp.
 *
 * Theory of operation.  sandbox_enter() goes from most to least
 * privileged, because each step needs what the next one takes away:
 * a root process sets up its mount namespace while it still may, empties
 * the capability bounding set while it has CAP_SETPCAP, then changes
 * groups before uid (setresgid needs CAP_SETGID, gone after setresuid).
 * An unprivileged process gets the same through a user namespace of its
 * own, in which it holds every capability until they are dropped at the
 * end.  The new root is an empty tmpfs, mounted on /tmp in our private
 * mount namespace, with the wanted paths bound into it (from O_PATH fds
 * opened before the tmpfs hides anything), made the root with
 * pivot_root(".", ".") and the old root detached; the tmpfs is then made
 * read-only.  The seccomp filter is classic BPF built at run time: check
 * the architecture, refuse x32, compare the call number with each allowed
 * one (each compare followed by its own "allow", so no jump is ever
 * longer than a few instructions), then the argument rules, else trap.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH	AUDIT_ARCH_X86_64
#define SANDBOX_X32	0x40000000	/* __X32_SYSCALL_BIT */
#elif defined(__aarch64__)
#define SANDBOX_ARCH	AUDIT_ARCH_AARCH64
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP	1	/* si_code of a seccomp SIGSYS */
#endif

#define SANDBOX_NR_MAX	512	/* system call numbers below this */
#define SANDBOX_RULES	64
#define SANDBOX_INSNS	(8 + 2 * SANDBOX_NR_MAX + 6 * SANDBOX_RULES)
#define SANDBOX_PATHS	8
#define SANDBOX_MNT	"/tmp"	/* where the new root is put together */
#define SANDBOX_KEEP_MAX 64

/* What every program needs once inside: exit, return from a signal
 * handler (the SIGSYS one writes with write(2)), stdio, and the
 * allocator (brk, mmap; no new executable mappings). */
SANDBOX_ALLOW(SYS_exit, SYS_exit_group, SYS_rt_sigreturn, SYS_restart_syscall,
	      SYS_write, SYS_brk, SYS_munmap, SYS_mremap, SYS_madvise);
SANDBOX_ALLOW_ARG(SYS_mmap, 2, PROT_EXEC, 0);
SANDBOX_ALLOW_ARG(SYS_mprotect, 2, PROT_EXEC, 0);

/* The linker's bounds of the section (weak: a program without any) */
extern const struct sandbox_set __start_umlnet_syscalls[]
	__attribute__((weak));
extern const struct sandbox_set __stop_umlnet_syscalls[]
	__attribute__((weak));

/* ---- names, for the SIGSYS line ----------------------------------------- */

#if defined(__x86_64__)
#define N(x)	[__NR_##x] = #x,
static const char *const sandbox_names[] = {
	N(read) N(write) N(open) N(close) N(stat) N(fstat) N(lstat)
	N(poll) N(lseek) N(mmap) N(mprotect) N(munmap) N(brk)
	N(rt_sigaction) N(rt_sigprocmask) N(rt_sigreturn) N(ioctl)
	N(pread64) N(pwrite64) N(readv) N(writev) N(access) N(pipe)
	N(select) N(sched_yield) N(mremap) N(msync) N(mincore)
	N(madvise) N(shmget) N(shmat) N(shmctl) N(dup) N(dup2)
	N(pause) N(nanosleep) N(getitimer) N(alarm) N(setitimer)
	N(getpid) N(sendfile) N(socket) N(connect) N(accept) N(sendto)
	N(recvfrom) N(sendmsg) N(recvmsg) N(shutdown) N(bind)
	N(listen) N(getsockname) N(getpeername) N(socketpair)
	N(setsockopt) N(getsockopt) N(clone) N(fork) N(vfork)
	N(execve) N(exit) N(wait4) N(kill) N(uname) N(semget)
	N(semop) N(semctl) N(shmdt) N(msgget) N(msgsnd) N(msgrcv)
	N(msgctl) N(fcntl) N(flock) N(fsync) N(fdatasync) N(truncate)
	N(ftruncate) N(getdents) N(getcwd) N(chdir) N(fchdir)
	N(rename) N(mkdir) N(rmdir) N(creat) N(link) N(unlink)
	N(symlink) N(readlink) N(chmod) N(fchmod) N(chown) N(fchown)
	N(lchown) N(umask) N(gettimeofday) N(getrlimit) N(getrusage)
	N(sysinfo) N(times) N(ptrace) N(getuid) N(syslog) N(getgid)
	N(setuid) N(setgid) N(geteuid) N(getegid) N(setpgid)
	N(getppid) N(getpgrp) N(setsid) N(setreuid) N(setregid)
	N(getgroups) N(setgroups) N(setresuid) N(getresuid)
	N(setresgid) N(getresgid) N(getpgid) N(setfsuid) N(setfsgid)
	N(getsid) N(capget) N(capset) N(rt_sigpending)
	N(rt_sigtimedwait) N(rt_sigqueueinfo) N(rt_sigsuspend)
	N(sigaltstack) N(utime) N(mknod) N(uselib) N(personality)
	N(ustat) N(statfs) N(fstatfs) N(sysfs) N(getpriority)
	N(setpriority) N(sched_setparam) N(sched_getparam)
	N(sched_setscheduler) N(sched_getscheduler)
	N(sched_get_priority_max) N(sched_get_priority_min)
	N(sched_rr_get_interval) N(mlock) N(munlock) N(mlockall)
	N(munlockall) N(vhangup) N(modify_ldt) N(pivot_root)
	N(_sysctl) N(prctl) N(arch_prctl) N(adjtimex) N(setrlimit)
	N(chroot) N(sync) N(acct) N(settimeofday) N(mount) N(umount2)
	N(swapon) N(swapoff) N(reboot) N(sethostname) N(setdomainname)
	N(iopl) N(ioperm) N(create_module) N(init_module)
	N(delete_module) N(get_kernel_syms) N(query_module)
	N(quotactl) N(nfsservctl) N(getpmsg) N(putpmsg) N(afs_syscall)
	N(tuxcall) N(security) N(gettid) N(readahead) N(setxattr)
	N(lsetxattr) N(fsetxattr) N(getxattr) N(lgetxattr)
	N(fgetxattr) N(listxattr) N(llistxattr) N(flistxattr)
	N(removexattr) N(lremovexattr) N(fremovexattr) N(tkill)
	N(time) N(futex) N(sched_setaffinity) N(sched_getaffinity)
	N(set_thread_area) N(io_setup) N(io_destroy) N(io_getevents)
	N(io_submit) N(io_cancel) N(get_thread_area)
	N(lookup_dcookie) N(epoll_create) N(epoll_ctl_old)
	N(epoll_wait_old) N(remap_file_pages) N(getdents64)
	N(set_tid_address) N(restart_syscall) N(semtimedop)
	N(fadvise64) N(timer_create) N(timer_settime) N(timer_gettime)
	N(timer_getoverrun) N(timer_delete) N(clock_settime)
	N(clock_gettime) N(clock_getres) N(clock_nanosleep)
	N(exit_group) N(epoll_wait) N(epoll_ctl) N(tgkill) N(utimes)
	N(vserver) N(mbind) N(set_mempolicy) N(get_mempolicy)
	N(mq_open) N(mq_unlink) N(mq_timedsend) N(mq_timedreceive)
	N(mq_notify) N(mq_getsetattr) N(kexec_load) N(waitid)
	N(add_key) N(request_key) N(keyctl) N(ioprio_set)
	N(ioprio_get) N(inotify_init) N(inotify_add_watch)
	N(inotify_rm_watch) N(migrate_pages) N(openat) N(mkdirat)
	N(mknodat) N(fchownat) N(futimesat) N(newfstatat) N(unlinkat)
	N(renameat) N(linkat) N(symlinkat) N(readlinkat) N(fchmodat)
	N(faccessat) N(pselect6) N(ppoll) N(unshare)
	N(set_robust_list) N(get_robust_list) N(splice) N(tee)
	N(sync_file_range) N(vmsplice) N(move_pages) N(utimensat)
	N(epoll_pwait) N(signalfd) N(timerfd_create) N(eventfd)
	N(fallocate) N(timerfd_settime) N(timerfd_gettime) N(accept4)
	N(signalfd4) N(eventfd2) N(epoll_create1) N(dup3) N(pipe2)
	N(inotify_init1) N(preadv) N(pwritev) N(rt_tgsigqueueinfo)
	N(perf_event_open) N(recvmmsg) N(fanotify_init)
	N(fanotify_mark) N(prlimit64) N(name_to_handle_at)
	N(open_by_handle_at) N(clock_adjtime) N(syncfs) N(sendmmsg)
	N(setns) N(getcpu) N(process_vm_readv) N(process_vm_writev)
	N(kcmp) N(finit_module) N(sched_setattr) N(sched_getattr)
	N(renameat2) N(seccomp) N(getrandom) N(memfd_create)
	N(kexec_file_load) N(bpf) N(execveat) N(userfaultfd)
	N(membarrier) N(mlock2) N(copy_file_range) N(preadv2)
	N(pwritev2) N(pkey_mprotect) N(pkey_alloc) N(pkey_free)
	N(statx) N(io_pgetevents) N(rseq) N(pidfd_send_signal)
	N(io_uring_setup) N(io_uring_enter) N(io_uring_register)
	N(open_tree) N(move_mount) N(fsopen) N(fsconfig) N(fsmount)
	N(fspick) N(pidfd_open) N(clone3) N(close_range) N(openat2)
	N(pidfd_getfd) N(faccessat2) N(process_madvise) N(epoll_pwait2)
	N(mount_setattr) N(quotactl_fd) N(landlock_create_ruleset)
	N(landlock_add_rule) N(landlock_restrict_self)
	N(memfd_secret) N(process_mrelease) N(futex_waitv)
	N(set_mempolicy_home_node)
};
#undef N
#define SANDBOX_NAMES	(sizeof(sandbox_names) / sizeof(sandbox_names[0]))
#else
static const char *const sandbox_names[1];
#define SANDBOX_NAMES	0
#endif

/* ---- SIGSYS --------------------------------------------------------------- */

static char sandbox_prog[64] = "sandbox";
static long sandbox_die_nr = -1;	/* a call the filter traps */

static size_t sandbox_put(char *buf, size_t at, size_t cap, const char *s)
{
	while (*s && at < cap)
		buf[at++] = *s++;
	return at;
}

static size_t sandbox_put_num(char *buf, size_t at, size_t cap,
			      unsigned long v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && at < cap)
		buf[at++] = tmp[--n];
	return at;
}

/* Async-signal-safe: one write(2), then death by SIGSYS. */
static void sandbox_sigsys(int sig, siginfo_t *si, void *uc)
{
	char line[160];
	size_t n = 0, cap = sizeof(line) - 1;
	int nr = si->si_syscall;

	(void)sig;
	(void)uc;
	n = sandbox_put(line, n, cap, sandbox_prog);
	if (si->si_code == SYS_SECCOMP) {
		n = sandbox_put(line, n, cap,
				": seccomp: forbidden system call ");
		n = sandbox_put_num(line, n, cap, (unsigned int)nr);
		if (nr >= 0 && (size_t)nr < SANDBOX_NAMES &&
		    sandbox_names[nr]) {
			n = sandbox_put(line, n, cap, " (");
			n = sandbox_put(line, n, cap, sandbox_names[nr]);
			n = sandbox_put(line, n, cap, ")");
		}
	} else {
		n = sandbox_put(line, n, cap, ": SIGSYS");
	}
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* nowhere left to say it */
	}
	/* SIGSYS is blocked in its handler, so when this call traps too the
	 * kernel resets the action to the default, and the process dies of
	 * SIGSYS as if there had been no handler */
	syscall(sandbox_die_nr, 0, 0, 0, 0, 0, 0);
	_exit(128 + SIGSYS);
}

/* ---- fds and user ---------------------------------------------------------- */

static int sandbox_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close [from, to] (to may be ~0U), without close_range if need be. */
static int sandbox_close_range(unsigned int from, unsigned int to)
{
	struct rlimit rl;
	unsigned int fd, top;

	if (from > to)
		return 0;
	if (!close_range(from, to, 0))
		return 0;
	if (errno != ENOSYS)
		return -errno;
	top = getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur > 65536 ?
	      65536 : (unsigned int)rl.rlim_cur;
	for (fd = from; fd <= to && fd < top; fd++)
		close((int)fd);
	return 0;
}

int sandbox_close_fds(const int *keep, size_t n)
{
	int k[SANDBOX_KEEP_MAX];
	unsigned int from = 3;
	size_t i;
	int ret;

	if (n > SANDBOX_KEEP_MAX)
		return -E2BIG;
	memcpy(k, keep, n * sizeof(*k));
	qsort(k, n, sizeof(*k), sandbox_cmp_int);
	for (i = 0; i < n; i++) {
		if (k[i] < (int)from)
			continue;	/* 0-2, or a repeat */
		ret = sandbox_close_range(from, (unsigned int)k[i] - 1);
		if (ret)
			return ret;
		from = (unsigned int)k[i] + 1;
	}
	return sandbox_close_range(from, ~0U);
}

int sandbox_user(struct sandbox_cfg *c, const char *name, char *err,
		 size_t errlen)
{
	uid_t r, e, s;
	struct passwd *pw;

	if (getresuid(&r, &e, &s))
		return -errno;
	c->drop = !r || !e || !s;
	c->uid = e;
	c->gid = getegid();
	if (!c->drop && !name)
		return 0;
	errno = 0;
	pw = getpwnam(name ? name : SANDBOX_USER_DEFAULT);
	if (!pw) {
		snprintf(err, errlen, "user '%s': %s",
			 name ? name : SANDBOX_USER_DEFAULT,
			 errno ? strerror(errno) : "no such user");
		return -ENOENT;
	}
	if (!c->drop) {
		if (pw->pw_uid == e)
			return 0;
		snprintf(err, errlen, "user '%s': only root can become "
			 "another user (running as uid %u)", pw->pw_name,
			 (unsigned int)e);
		return -EPERM;
	}
	if (!pw->pw_uid || !pw->pw_gid) {
		snprintf(err, errlen, "user '%s' has uid or gid 0: name an "
			 "unprivileged user", pw->pw_name);
		return -EPERM;
	}
	c->uid = pw->pw_uid;
	c->gid = pw->pw_gid;
	return 0;
}

/* Root: become @c's user for good, and check that it is so. */
static int sandbox_drop(const struct sandbox_cfg *c, char *err, size_t errlen)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (setgroups(0, NULL) || setresgid(c->gid, c->gid, c->gid) ||
	    setresuid(c->uid, c->uid, c->uid)) {
		snprintf(err, errlen, "cannot become uid %u gid %u: %s",
			 (unsigned int)c->uid, (unsigned int)c->gid,
			 strerror(errno));
		return -errno;
	}
	if (getresuid(&r, &e, &s) || getresgid(&gr, &ge, &gs) ||
	    r != c->uid || e != c->uid || s != c->uid || gr != c->gid ||
	    ge != c->gid || gs != c->gid || getgroups(0, NULL) != 0) {
		snprintf(err, errlen, "uid/gid change to %u/%u did not take",
			 (unsigned int)c->uid, (unsigned int)c->gid);
		return -EPERM;
	}
	if (!setuid(0) || !seteuid(0) || !setgid(0) || !setegid(0)) {
		snprintf(err, errlen, "could become root again after the drop "
			 "to uid %u", (unsigned int)c->uid);
		return -EPERM;
	}
	return 0;
}

/* ---- namespaces ------------------------------------------------------------ */

/* /proc/self, opened before a new root hides /proc */
static int sandbox_proc = -1;

static int sandbox_write(const char *name, const char *text)
{
	int fd = openat(sandbox_proc, name, O_WRONLY | O_CLOEXEC), ret = 0;
	size_t len = strlen(text);

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

/* A user namespace where we are who we were (only our ids are mapped). */
static int sandbox_userns(int flags)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int dumpable, ret;

	if (unshare(CLONE_NEWUSER | flags))
		return -errno;
	/* after a uid change /proc/self is root's unless we are dumpable */
	dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned int)uid,
		 (unsigned int)uid);
	ret = sandbox_write("uid_map", map);
	if (!ret)
		ret = sandbox_write("setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned int)gid,
		 (unsigned int)gid);
	if (!ret)
		ret = sandbox_write("gid_map", map);
	if (ret)
		debug("sandbox: user namespace without id maps: %s",
		      strerror(-ret));
	if (dumpable >= 0)
		prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
	return 0;
}

/* mkdir -p of @path's directories, then the mount point itself. */
static int sandbox_mountpoint(const char *path, int dir)
{
	char buf[4096];
	char *p;
	int fd;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = strchr(buf + strlen(SANDBOX_MNT) + 1, '/'); p;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (dir)
		return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
	fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Bind @fd (an O_PATH fd of @p->path) into the new root. */
static int sandbox_bind(const struct sandbox_path *p, int fd)
{
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    MOUNT_ATTR_NOEXEC |
			    (p->rw ? 0 : MOUNT_ATTR_RDONLY),
	};
	char src[32], dst[4096];
	struct stat st;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	if (snprintf(dst, sizeof(dst), SANDBOX_MNT "%s", p->path) >=
	    (int)sizeof(dst))
		return -ENAMETOOLONG;
	ret = sandbox_mountpoint(dst, S_ISDIR(st.st_mode));
	if (ret)
		return ret;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL))
		return -errno;
	if (mount_setattr(AT_FDCWD, dst, AT_RECURSIVE, &attr, sizeof(attr)))
		return -errno;
	return 0;
}

/* The new root: an empty tmpfs with @paths bound in, read-only. */
static int sandbox_fs(const struct sandbox_path *paths)
{
	int fds[SANDBOX_PATHS], n = 0, i, ret = 0, mounted = 0;

	for (; paths && paths[n].path; n++) {
		if (n == SANDBOX_PATHS || paths[n].path[0] != '/') {
			ret = -EINVAL;
			goto out;
		}
		fds[n] = open(paths[n].path, O_PATH | O_CLOEXEC);
		if (fds[n] < 0) {
			ret = -errno;
			debug("sandbox: %s: %s", paths[n].path, strerror(errno));
			goto out;
		}
	}
	/* nothing we mount may show outside */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", SANDBOX_MNT, "tmpfs", MS_NOSUID | MS_NODEV |
		  MS_NOEXEC, "size=64k,nr_inodes=128,mode=0755")) {
		ret = -errno;
		goto out;
	}
	mounted = 1;
	for (i = 0; i < n && !ret; i++)
		ret = sandbox_bind(&paths[i], fds[i]);
	if (ret || chdir(SANDBOX_MNT) || syscall(SYS_pivot_root, ".", ".")) {
		ret = ret ? ret : -errno;
		goto out;
	}
	mounted = 0;
	/* the old root sits on top of the new one until it is detached */
	if (umount2(".", MNT_DETACH))
		ret = -errno;
	if (chdir("/") && !ret)
		ret = -errno;
	if (!ret && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY |
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		debug("sandbox: new root stays writable: %s", strerror(errno));
out:
	if (mounted && (chdir("/") || umount2(SANDBOX_MNT, MNT_DETACH)))
		debug("sandbox: cannot undo the tmpfs on " SANDBOX_MNT ": %s",
		      strerror(errno));
	while (n--)
		close(fds[n]);
	return ret;
}

/* ---- capabilities ---------------------------------------------------------- */

static int sandbox_capget(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	memset(d, 0, 2 * sizeof(*d));
	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

/* Every capability set empty: bounding (if we may), then unless @bset_only
 * ambient and the rest. */
static int sandbox_caps(int bset_only, char *err, size_t errlen)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	int cap, left = 0;

	if (sandbox_capget(d))
		goto fail;
	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (!prctl(PR_CAPBSET_READ, cap, 0, 0, 0))
			continue;
		if (!(d[0].effective & (1u << CAP_SETPCAP)))
			left++;
		else if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			goto fail;
	}
	if (bset_only)
		return 0;
	if (left)	/* no_new_privs keeps exec from using them */
		debug("sandbox: %d capabilities stay in the bounding set "
		      "(no CAP_SETPCAP)", left);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		goto fail;
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) || sandbox_capget(d))
		goto fail;
	if (d[0].effective | d[0].permitted | d[0].inheritable |
	    d[1].effective | d[1].permitted | d[1].inheritable) {
		snprintf(err, errlen, "capabilities left after dropping them");
		return -EPERM;
	}
	return 0;
fail:
	snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
	return -errno;
}

/* ---- the filter ------------------------------------------------------------ */

struct sandbox_list {
	uint8_t any[SANDBOX_NR_MAX];	/* allowed whatever the arguments */
	uint8_t ruled[SANDBOX_NR_MAX];	/* has argument rules */
	struct sandbox_rule rule[SANDBOX_RULES];
	unsigned int nrule;
};

static int sandbox_add(struct sandbox_list *l, int nr,
		       const struct sandbox_rule *r)
{
	if (nr < 0 || nr >= SANDBOX_NR_MAX)
		return -ERANGE;
#ifdef UMLNET_SANDBOX_TEST
	if (nr == SYS_getppid)	/* the test's forbidden call stays so */
		return 0;
#endif
	if (!r) {
		l->any[nr] = 1;
		return 0;
	}
	if (r->arg > 5)
		return -EINVAL;
	if (l->nrule == SANDBOX_RULES)
		return -E2BIG;
	l->ruled[nr] = 1;
	l->rule[l->nrule++] = *r;
	return 0;
}

static int sandbox_add_set(struct sandbox_list *l, const struct sandbox_set *s)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < s->n && !ret; i++)
		ret = s->nr ? sandbox_add(l, s->nr[i], NULL) :
		      s->rule ? sandbox_add(l, s->rule[i].nr, &s->rule[i]) : 0;
	return ret;
}

static int sandbox_collect(struct sandbox_list *l, const struct sandbox_cfg *c)
{
	/* the section's size, by address: two symbols of one array */
	size_t n = ((uintptr_t)__stop_umlnet_syscalls -
		    (uintptr_t)__start_umlnet_syscalls) /
		   sizeof(struct sandbox_set), i;
	int ret = 0;

	memset(l, 0, sizeof(*l));
	for (i = 0; __start_umlnet_syscalls && i < n && !ret; i++)
		ret = sandbox_add_set(l, &__start_umlnet_syscalls[i]);
	for (i = 0; i < c->nextra && !ret; i++)
		ret = sandbox_add(l, c->extra[i].nr, &c->extra[i]);
	return ret;
}

#define STMT(code, k)		((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, t, f)	((struct sock_filter)BPF_JUMP(code, k, t, f))
#define NR_OFF			offsetof(struct seccomp_data, nr)
#define ARG_LO(i)		(offsetof(struct seccomp_data, args) + 8 * (i))

/* The program for @l into @f; its length. */
static unsigned int sandbox_bpf(const struct sandbox_list *l,
				struct sock_filter *f)
{
	unsigned int n = 0, i;
	int nr;

	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS,
		      offsetof(struct seccomp_data, arch));
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF);
#ifdef SANDBOX_X32
	f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, SANDBOX_X32, 0, 1);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
	for (nr = 0; nr < SANDBOX_NR_MAX; nr++) {
		if (!l->any[nr])
			continue;
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1);
		f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	}
	for (i = 0; i < l->nrule; i++) {
		const struct sandbox_rule *r = &l->rule[i];

		if (l->any[r->nr])
			continue;
		/* A holds the number here, and again after a failed match */
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 5);
		f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(r->arg));
		f[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, r->mask);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, r->val & r->mask, 0, 1);
		f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF);
	}
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	return n;
}

static int sandbox_seccomp(const struct sandbox_cfg *c, char *err,
			   size_t errlen)
{
	static struct sandbox_list l;
	static struct sock_filter f[SANDBOX_INSNS];
	struct sock_fprog prog = { .filter = f };
	struct sigaction sa = { .sa_sigaction = sandbox_sigsys,
				.sa_flags = SA_SIGINFO };
	int ret, nr;

#ifndef SANDBOX_ARCH
	snprintf(err, errlen, "seccomp: no filter for this architecture");
	return -ENOSYS;
#endif
	ret = sandbox_collect(&l, c);
	if (ret) {
		snprintf(err, errlen, "seccomp: bad allow-list: %s",
			 strerror(-ret));
		return ret;
	}
	for (nr = 0; nr < SANDBOX_NR_MAX && (l.any[nr] || l.ruled[nr]); nr++)
		;
	sandbox_die_nr = nr;
	prog.len = (unsigned short)sandbox_bpf(&l, f);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0)) {
		snprintf(err, errlen, "seccomp filter: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* ---- all together ---------------------------------------------------------- */

static int sandbox_steps(const struct sandbox_cfg *c, char *err,
			 size_t errlen)
{
	int fs = !(c->flags & SANDBOX_KEEP_FS), ret;

	if (c->drop) {
		if (fs) {
			ret = unshare(CLONE_NEWNS) ? -errno :
			      sandbox_fs(c->paths);
			if (ret)
				debug("sandbox: no new root: %s",
				      strerror(-ret));
			fs = 0;		/* tried: once is enough */
		}
		/* the bounding set while CAP_SETPCAP is ours */
		ret = sandbox_caps(1, err, errlen);
		if (!ret)
			ret = sandbox_drop(c, err, errlen);
		if (ret)
			return ret;
	}
	if (!(c->flags & SANDBOX_NO_USERNS)) {
		ret = sandbox_userns(fs ? CLONE_NEWNS : 0);
		if (ret)
			debug("sandbox: no user namespace: %s", strerror(-ret));
		else if (fs && (ret = sandbox_fs(c->paths)))
			debug("sandbox: no new root: %s", strerror(-ret));
	}
	ret = sandbox_caps(0, err, errlen);
	if (ret)
		return ret;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return -errno;
	}
	return sandbox_seccomp(c, err, errlen);
}

int sandbox_enter(const struct sandbox_cfg *c, char *err, size_t errlen)
{
	int ret;

	snprintf(sandbox_prog, sizeof(sandbox_prog), "%s",
		 c->prog ? c->prog : "sandbox");
	sandbox_proc = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ret = sandbox_steps(c, err, errlen);
	if (sandbox_proc >= 0)
		close(sandbox_proc);
	sandbox_proc = -1;
	return ret;
}

#ifdef UMLNET_SANDBOX_TEST
void sandbox_test_violation(void)
{
	syscall(SYS_getppid);
}
#endif
