// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lock.c: one user's uml_net requests, one at a time.
 *
 * A request counts the user's devices and then makes one; two at once
 * could both pass the quota.  So each run holds a write lock on byte UID
 * of uml_net.lock (an open file description lock, F_OFD_SETLKW), from the
 * count until its device is made and marked, and no longer: never while
 * it writes its reply (the caller may never read it).  Users cannot open
 * the file (root's, 0600), so only uml_net takes these locks.
 *
 * Different users lock different bytes: no request ever waits for
 * another user's.  One of the user's own (stopped, say) makes the next
 * wait at most UNET_LOCK_WAIT seconds; then that one is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "uml_net.h"

static void lock_alarm(int sig)
{
	(void)sig;		/* only to interrupt F_OFD_SETLKW */
}

static int lock_op(int lockfd, uid_t uid, short type, int cmd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t)uid;
	fl.l_len = 1;
	return fcntl(lockfd, cmd, &fl);
}

/**
 * lock_user() - take the lock of user @uid, waiting at most
 * UNET_LOCK_WAIT seconds.
 * @lockfd:	uml_net.lock
 * @uid:	the caller
 *
 * Return: 0, -ETIMEDOUT when another request of the user held it all
 * that time, or -errno.
 */
int lock_user(int lockfd, uid_t uid)
{
	struct sigaction sa, old;
	int ret, err;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = lock_alarm;	/* no SA_RESTART: the wait ends */
	if (sigaction(SIGALRM, &sa, &old) < 0)
		return -errno;
	alarm(UNET_LOCK_WAIT);
	ret = lock_op(lockfd, uid, F_WRLCK, F_OFD_SETLKW);
	err = errno;
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	if (ret == 0)
		return 0;
	return err == EINTR ? -ETIMEDOUT : -err;
}

/**
 * lock_release() - let the user's next request go.
 * @lockfd:	uml_net.lock, or -1 (nothing held)
 * @uid:	the caller
 */
void lock_release(int lockfd, uid_t uid)
{
	if (lockfd >= 0)
		lock_op(lockfd, uid, F_UNLCK, F_OFD_SETLK);
}
