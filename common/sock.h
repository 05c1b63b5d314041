/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock.h: unix sockets that the programs serve on a path (the switch's
 * control, data, BESS, stream and management sockets; uml_slirp --bess),
 * created one way everywhere: stale sockets replaced but never a live one
 * or another file, the mode set before the node exists, the group and
 * owner set on the node itself without following a symlink, and only in a
 * directory that no one else can rearrange.
 */
#ifndef UMLNET_SOCK_H
#define UMLNET_SOCK_H

#include <stddef.h>
#include <sys/types.h>

#define SOCK_ERR_MAX	320

/**
 * struct sock_perm - who may use a socket node.
 * @gid:	(gid_t)-1: owner only, mode 0600; else mode 0660 and this group
 * @uid:	(uid_t)-1: owned by us; else this user (a root daemon about to
 *		become @uid gives it its sockets, so it can remove them)
 */
struct sock_perm {
	gid_t gid;
	uid_t uid;
};

#define SOCK_PERM_OWNER	{ .gid = (gid_t)-1, .uid = (uid_t)-1 }

/**
 * sock_serve() - a unix socket of @type bound to @path: listening for
 * SOCK_STREAM and SOCK_SEQPACKET, bound for SOCK_DGRAM; non-blocking and
 * close-on-exec.
 * @type:	SOCK_STREAM, SOCK_SEQPACKET or SOCK_DGRAM
 * @path:	where (at most 107 bytes)
 * @perm:	mode, group and owner of the node
 * @what:	for messages ("control", "bess", ...)
 * @err:	on failure, what went wrong, naming @what and @path
 * @errlen:	size of @err
 *
 * Refused: a directory owned by someone other than us, root or @perm->uid,
 * or writable by others without the sticky bit (anyone there could swap
 * the node before its group is set); a live socket at @path (another
 * server); anything at @path that is not a socket.  A socket nobody
 * serves (stale) is replaced.  On failure nothing is left at @path.
 *
 * Return: the fd, or -errno.
 */
int sock_serve(int type, const char *path, const struct sock_perm *perm,
	       const char *what, char *err, size_t errlen);

/**
 * sock_dir_check() - may we create nodes in directory @dir? (The rule of
 * sock_serve(); @uid as its perm->uid.)
 * Return: NULL, or a static reason.
 */
const char *sock_dir_check(const char *dir, uid_t uid);

/**
 * sock_private_dir() - make (or accept) @dir as a directory of our own:
 * not a symlink, owned by our euid, mode 0700 (no group or other bits).
 * Return: 0, or -errno with @err naming the problem (another user's
 * directory is -EPERM).
 */
int sock_private_dir(const char *dir, char *err, size_t errlen);

#endif /* UMLNET_SOCK_H */
