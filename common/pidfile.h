/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pidfile.h: a daemon's pid file, written without following a symlink and
 * without truncating a file that is not ours, removed only while it still
 * names us.
 */
#ifndef UMLNET_PIDFILE_H
#define UMLNET_PIDFILE_H

#include <stddef.h>

/**
 * pidfile_write() - create @path holding our pid.  A file already there
 * is replaced only if it is a regular file of ours naming a process that
 * no longer runs; a symlink, another user's file, a running process's pid
 * file or a directory others could rearrange are refused.
 * Return: 0, or -errno with @err saying why.
 */
int pidfile_write(const char *path, char *err, size_t errlen);

/**
 * pidfile_remove() - remove @path if it still holds our pid.
 */
void pidfile_remove(const char *path);

#endif /* UMLNET_PIDFILE_H */
