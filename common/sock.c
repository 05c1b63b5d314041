// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock.c: unix sockets served on a path, created with care (see sock.h).
 *
 * Why each step: bind() never follows a symlink (it fails with EADDRINUSE
 * on anything that exists), so the only dangerous moment is after it,
 * when the node's group and owner are set by name.  So the mode comes from
 * the umask during bind (no chmod by name at all), and the group and owner
 * are set through an O_PATH|O_NOFOLLOW descriptor of the node, after
 * checking that it is still a socket of ours with that mode, in a directory
 * where no one else can rename or replace entries (ours or root's, and
 * sticky if others can write it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sock.h"

const char *sock_dir_check(const char *dir, uid_t uid)
{
	struct stat st;

	if (stat(dir, &st))
		return errno == ENOENT ? "no such directory" :
		       "cannot look at it";
	if (!S_ISDIR(st.st_mode))
		return "not a directory";
	if (st.st_uid != geteuid() && st.st_uid != 0 &&
	    (uid == (uid_t)-1 || st.st_uid != uid))
		return "it belongs to another user, who could replace the "
		       "socket";
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return "others can write it (and it is not sticky), so they "
		       "could replace the socket";
	return NULL;
}

/* The directory part of @path ("." for a bare name). */
static void sock_dirname(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

static int sock_bind_mode(int fd, const struct sockaddr_un *a, mode_t mode)
{
	mode_t old = umask(0777 & ~mode);
	int ret = bind(fd, (const struct sockaddr *)a, sizeof(*a)) ? -errno : 0;

	umask(old);
	return ret;
}

/* A socket at @a that nobody serves (connect refused) is stale. */
static int sock_is_stale(int type, const struct sockaddr_un *a)
{
	int probe = socket(AF_UNIX, type | SOCK_CLOEXEC, 0), ret;

	if (probe < 0)
		return 0;
	ret = connect(probe, (const struct sockaddr *)a, sizeof(*a)) ? errno : 0;
	close(probe);
	return ret == ECONNREFUSED;
}

/* bind, replacing a stale socket.  Return: 0 or -errno with @err. */
static int sock_bind(int fd, int type, const struct sockaddr_un *a,
		     mode_t mode, const char *what, char *err, size_t errlen)
{
	const char *path = a->sun_path;
	struct stat st;
	int ret;

	ret = sock_bind_mode(fd, a, mode);
	if (ret != -EADDRINUSE)
		goto out;
	if (lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s socket '%s': exists and is not a "
			 "socket; not replacing it", what, path);
		return -EEXIST;
	}
	if (!sock_is_stale(type, a)) {
		snprintf(err, errlen, "%s socket '%s' is in use by another "
			 "server; stop it, remove '%s', or use another path",
			 what, path, path);
		return -EADDRINUSE;
	}
	if (unlink(path) && errno != ENOENT) {
		ret = -errno;
		goto out;
	}
	ret = sock_bind_mode(fd, a, mode);
out:
	if (ret)
		snprintf(err, errlen, "cannot bind %s socket '%s': %s", what,
			 path, strerror(-ret));
	return ret;
}

/* Give the node at @path to @perm's group and owner, if it is still the
 * socket we bound (ours, a socket, @mode). */
static int sock_give(const char *path, const struct sock_perm *perm,
		     mode_t mode, const char *what, char *err, size_t errlen)
{
	struct stat st;
	int pfd, ret = 0;

	if (perm->gid == (gid_t)-1 && perm->uid == (uid_t)-1)
		return 0;
	pfd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0 || fstat(pfd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s socket '%s': %s", what, path,
			 strerror(-ret));
		goto out;
	}
	if (!S_ISSOCK(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != mode) {
		snprintf(err, errlen, "%s socket '%s' was replaced while it "
			 "was set up; giving up", what, path);
		ret = -EEXIST;
		goto out;
	}
	if (fchownat(pfd, "", perm->uid, perm->gid, AT_EMPTY_PATH)) {
		ret = -errno;
		snprintf(err, errlen, "cannot give %s socket '%s' to %s: %s",
			 what, path, perm->uid != (uid_t)-1 ? "its user" :
			 "the group", strerror(-ret));
	}
out:
	if (pfd >= 0)
		close(pfd);
	return ret;
}

int sock_serve(int type, const char *path, const struct sock_perm *perm,
	       const char *what, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	mode_t mode = perm->gid == (gid_t)-1 ? 0600 : 0660;
	char dir[PATH_MAX];
	const char *why;
	int fd, ret;

	if (!*path || strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "%s socket '%s': the path must be 1 to "
			 "%zu bytes", what, path, sizeof(a.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	sock_dirname(path, dir, sizeof(dir));
	why = sock_dir_check(dir, perm->uid);
	if (why) {
		snprintf(err, errlen, "%s socket '%s': directory '%s': %s",
			 what, path, dir, why);
		return -EPERM;
	}
	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s socket: %s", what, strerror(-ret));
		return ret;
	}
	ret = sock_bind(fd, type, &a, mode, what, err, errlen);
	if (ret) {
		close(fd);
		return ret;
	}
	ret = sock_give(path, perm, mode, what, err, errlen);
	if (!ret && type != SOCK_DGRAM && listen(fd, 128)) {
		ret = -errno;
		snprintf(err, errlen, "%s socket '%s': listen: %s", what, path,
			 strerror(-ret));
	}
	if (ret) {
		if (ret != -EEXIST)	/* not ours any more: leave it */
			unlink(path);
		close(fd);
		return ret;
	}
	return fd;
}

int sock_private_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (!mkdir(dir, 0700))
		return chmod(dir, 0700) ? -errno : 0;
	if (errno != EEXIST) {
		snprintf(err, errlen, "cannot create directory '%s': %s", dir,
			 strerror(errno));
		return -errno;
	}
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' exists and is not a directory", dir);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		snprintf(err, errlen, "directory '%s' belongs to uid %u or is "
			 "open to others (mode %03o); it must be yours alone: "
			 "remove it, or name another path", dir,
			 (unsigned int)st.st_uid,
			 (unsigned int)(st.st_mode & 0777));
		return -EPERM;
	}
	return 0;
}
