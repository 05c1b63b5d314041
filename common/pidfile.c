// SPDX-License-Identifier: GPL-2.0-or-later
/* pidfile.c: pid files made with care (see pidfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pidfile.h"
#include "sock.h"

/* The pid in the regular file of ours at @path; 0 if none can be read;
 * -errno if it is not a regular file of ours (or a symlink). */
static long pidfile_read(const char *path)
{
	char buf[24];
	struct stat st;
	ssize_t n;
	long pid;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return -EPERM;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid <= INT_MAX ? pid : 0;
}

static int pidfile_create(const char *path)
{
	char buf[24];
	int fd, len, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)len) != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		unlink(path);
	return ret;
}

static void pidfile_dirname(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else
		snprintf(dir, len, "%.*s", slash == path ? 1 :
			 (int)(slash - path), path);
}

int pidfile_write(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *why;
	long pid;
	int ret;

	pidfile_dirname(path, dir, sizeof(dir));
	why = sock_dir_check(dir, (uid_t)-1);
	if (why) {
		snprintf(err, errlen, "pid file '%s': directory '%s': %s",
			 path, dir, why);
		return -EPERM;
	}
	ret = pidfile_create(path);
	if (ret != -EEXIST)
		goto out;
	pid = pidfile_read(path);
	if (pid < 0) {
		snprintf(err, errlen, "pid file '%s' exists and is not a "
			 "regular file of ours (a symlink, or another user's); "
			 "not touching it", path);
		return -EEXIST;
	}
	if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
		snprintf(err, errlen, "pid file '%s' names process %ld, which "
			 "is running", path, pid);
		return -EEXIST;
	}
	/* stale: ours, and its process is gone */
	if (unlink(path) && errno != ENOENT)
		ret = -errno;
	else
		ret = pidfile_create(path);
out:
	if (ret)
		snprintf(err, errlen, "cannot write pid file '%s': %s", path,
			 strerror(-ret));
	return ret;
}

void pidfile_remove(const char *path)
{
	if (pidfile_read(path) == (long)getpid())
		unlink(path);
}
