/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umlnet_user.h: the boundary between the driver's kernel half
 * (umlnet_kern.c) and its host-libc half (umlnet_user.c).  Plain C types
 * only: both a kernel and a libc translation unit include it.
 */
#ifndef UMLNET_USER_H
#define UMLNET_USER_H

#define UMLNET_SPEC_MAX		512	/* = TP_SPEC_MAX */
#define UMLNET_ERR_MAX		256	/* = TP_ERR_MAX */
#define UMLNET_BATCH		16	/* frames per receive call */

/* What the host half learnt from the spec. */
struct umlnet_info {
	unsigned char mac[6];
	int mac_set;		/* mac[] came from the spec */
	char transport[16];	/* "daemon", "tuntap", ... */
	char helper_dev[16];	/* host device uml_net made, or "" */
};

/**
 * umlnet_user_open() - parse @spec and open its transport.
 * @tpp:	set to the transport handle
 * @info:	MAC and transport name from the spec
 * @err:	on failure, a message naming the offending part
 * Return: 0 or -errno.
 */
int umlnet_user_open(const char *spec, void **tpp, struct umlnet_info *info,
		     char *err, int errlen);

/** umlnet_user_fd() - the fd to take read IRQs on. */
int umlnet_user_fd(void *tp);

/** umlnet_user_wfd() - the fd to take write IRQs on (after a send would
 * block): umlnet_user_fd()'s unless the transport sends on another. */
int umlnet_user_wfd(void *tp);

/**
 * umlnet_user_fd_signals() - whether @fd can raise SIGIO.  An epoll fd
 * (a transport that multiplexes several fds) cannot, so the driver polls.
 */
int umlnet_user_fd_signals(int fd);

/**
 * umlnet_user_recv() - receive up to @n frames into @bufs (@caps bytes
 * each); @lens gets each frame's real length, which exceeds its cap for an
 * oversized frame.
 * Return: frames received, 0 if none is ready, or -errno.
 */
int umlnet_user_recv(void *tp, void *const *bufs, const unsigned int *caps,
		     unsigned int *lens, unsigned int n);

/**
 * umlnet_user_send() - send one frame.
 * Return: 1 when sent (part of it may still be held: umlnet_user_finish()),
 * 0 if the transport would block, or -errno.
 */
int umlnet_user_send(void *tp, const void *buf, unsigned int len);

/**
 * umlnet_user_finish() - write what the transport still holds of a frame
 * it counted as sent (a stream socket took only part of it).
 * Return: 1 when nothing is left, 0 if some still waits for room (retry
 * when the wfd is writable), or -errno.
 */
int umlnet_user_finish(void *tp);

/**
 * umlnet_user_helper_addr() - tell uml_net that a guest address was added
 * (@add) or removed on the device it made, @dev: it routes it on the host.
 * @addr, @mask: dotted quads.  Its output goes to the kernel log.
 */
void umlnet_user_helper_addr(const char *dev, int add, const char *addr,
			     const char *mask);

/** umlnet_user_close() - close and free the transport. */
void umlnet_user_close(void *tp);

#endif /* UMLNET_USER_H */
