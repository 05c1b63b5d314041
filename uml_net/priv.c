// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * priv.c: uml_net's privilege handling, done first thing, in this order:
 * clear the environment, close stray fds, reset signals; take the caller's
 * identity from the credentials the kernel gave the process (real uid and
 * gid, getgroups(): no lookup that could fail or be made to); open the
 * policy file while still root; then keep only CAP_NET_ADMIN and become
 * the real user (setresuid), not dumpable, no new privileges.  Only then
 * is anything looked up (the user's name, for messages).  The relay child
 * of "slip up" drops even CAP_NET_ADMIN (priv_drop_all).
 *
 * uml_net links libc alone (capabilities through capset(2), libnl loaded
 * after the drop, see nllib.h): no library constructor runs while it is
 * root with the caller's environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "uml_net.h"

static char conf_buf[PATH_MAX];

static void close_stray_fds(void)
{
	int fd;

	/* close_range() may be missing from an old libc: use the syscall. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
	for (fd = 3; fd < 65536; fd++)
		close(fd);
}

/**
 * priv_sanitize() - make sure fds 0-2 are open, clear the environment,
 * close fds >= 3, reset signals.
 * @conf_path:	set to the policy file to use: UMLNET_CONF from the
 *		environment only when the caller really is root and the
 *		kernel did not mark this exec secure (setuid); else the
 *		built-in path
 *
 * Return: 0, or -errno if the environment could not be cleared.
 */
int priv_sanitize(const char **conf_path)
{
	const char *env = NULL;
	struct sigaction sa;
	sigset_t none;
	int sig, fd;

	*conf_path = UML_NET_CONF;
	/* the caller's environment is not even read unless the caller is
	 * root and this exec gave it nothing */
	if (getuid() == 0 && geteuid() == 0 && !getauxval(AT_SECURE))
		env = getenv("UMLNET_CONF");
	if (env && env[0] == '/' && strlen(env) < sizeof(conf_buf)) {
		strcpy(conf_buf, env);
		*conf_path = conf_buf;
	}
	/* a closed 0, 1 or 2 would be taken by the next open (the policy!) */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			return -EBADF;
	if (clearenv() != 0)
		return -ENOMEM;
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	close_stray_fds();
	umask(077);
	/* UML may leave signals ignored or blocked: we want the defaults. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return 0;
}

/* uml_net.lock beside the policy, root's only (0600): users cannot open,
 * so cannot hold, the lock that serialises uml_net runs. */
static int priv_open_lock(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/uml_net.lock", dir) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
		  0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 077)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* The policy's directory: root's and writable by no one else, or -EPERM. */
static int priv_policy_dir(const char *path, char *dir, size_t len)
{
	struct stat st;
	char *slash;

	if ((size_t)snprintf(dir, len, "%s", path) >= len)
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	else
		snprintf(dir, len, "/");
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
		return -EPERM;
	return 0;
}

/**
 * priv_open_policy() - open the policy file (and its lock) while still root.
 * @path:	policy file
 * @lockfd:	set to the lock file's fd, or -1 if there is none
 *
 * The file and its directory must be owned by root and writable by no one
 * else, so that only root decides the policy.  The lock is made beside it
 * even when the file is missing.
 *
 * Return: an fd, or -errno (-EPERM for bad ownership or mode, -ENOENT
 * when there is no policy file).
 */
int priv_open_policy(const char *path, int *lockfd)
{
	char dir[PATH_MAX];
	struct stat st;
	int fd, ret;

	*lockfd = -1;
	ret = priv_policy_dir(path, dir, sizeof(dir));
	if (ret < 0)
		return ret == -ENOENT ? -ENOENT : -EPERM;
	*lockfd = priv_open_lock(dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/**
 * priv_identify() - who the caller is, from the kernel's credentials.
 * @ctx:	gets uid and gid (real), the groups (the real gid first, then
 *		getgroups()) and the uid in decimal as the name
 *
 * Nothing is looked up (no NSS, no files): a lookup can fail, and a
 * failure must not leave a group out of the policy's checks.
 *
 * Return: 0, -E2BIG for more than UNET_MAX_GROUPS groups, or -errno.
 */
int priv_identify(struct unet_ctx *ctx)
{
	int n;

	ctx->uid = getuid();
	ctx->gid = getgid();
	snprintf(ctx->user, sizeof(ctx->user), "%u", ctx->uid);
	ctx->groups[0] = ctx->gid;
	ctx->ngroups = 0;
	n = getgroups(0, NULL);
	if (n < 0)
		return -errno;
	if (n > UNET_MAX_GROUPS - 1)
		return -E2BIG;
	n = getgroups(UNET_MAX_GROUPS - 1, ctx->groups + 1);
	if (n < 0)
		return -errno;
	ctx->ngroups = n + 1;
	return 0;
}

/**
 * priv_name() - the caller's user name, for messages only, looked up
 * after the drop (as the caller): on failure the uid in decimal stays.
 * @ctx:	run state
 */
void priv_name(struct unet_ctx *ctx)
{
	struct passwd *pw = getpwuid(ctx->uid);

	if (pw && pw->pw_name[0] && strlen(pw->pw_name) < sizeof(ctx->user))
		snprintf(ctx->user, sizeof(ctx->user), "%s", pw->pw_name);
}

/* Keep CAP_NET_ADMIN (@keep) or nothing, in every set (capset(2)). */
static int priv_caps(int keep)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (keep) {
		d[CAP_TO_INDEX(CAP_NET_ADMIN)].permitted =
			CAP_TO_MASK(CAP_NET_ADMIN);
		d[CAP_TO_INDEX(CAP_NET_ADMIN)].effective =
			CAP_TO_MASK(CAP_NET_ADMIN);
	}
	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/**
 * priv_drop() - become the real user, keeping only CAP_NET_ADMIN.
 * @ctx:	the caller (priv_identify())
 *
 * Return: 0, or -EPERM when CAP_NET_ADMIN is not available (uml_net is not
 * installed setuid root), or another -errno.
 */
int priv_drop(struct unet_ctx *ctx)
{
	int cap, ret;

	if (geteuid() == 0) {
		for (cap = 0; cap <= CAP_LAST_CAP; cap++)
			if (cap != CAP_NET_ADMIN)
				prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return -errno;
	}
	if (setresgid(ctx->gid, ctx->gid, ctx->gid) < 0 ||
	    setresuid(ctx->uid, ctx->uid, ctx->uid) < 0)
		return -errno;
	ret = priv_caps(1);
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return ret ? -EPERM : 0;
}

/**
 * priv_drop_all() - drop every capability (the unprivileged relay).
 */
void priv_drop_all(void)
{
	if (priv_caps(0) < 0)
		_exit(1);
}
