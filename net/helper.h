/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * helper.h: the reply format of the uml_net helper protocol (as the stock
 * UML kernel reads it), the one description both ends use: uml_net writes it
 * (uml_net/output.c), our UML driver reads it (kernel/umlnet_user.c).
 * Plain C, no OS headers: a host program and a UML user object both
 * include it.
 *
 * "tuntap up" answers one datagram on its AF_UNIX SOCK_DGRAM stdout:
 *	UNET_REPLY_NAME_LEN bytes of interface name, NUL-padded,
 *	then the text with its NUL (no length prefix),
 *	and the tap fd as one SCM_RIGHTS int.
 * On failure: the text alone (with its NUL) and no fd.
 *
 * Every other request answers on its stream stdout:
 *	a native int (unet_reply_len_t): the text's length counting the NUL,
 *	then the text with its NUL.
 */
#ifndef UMLNET_HELPER_H
#define UMLNET_HELPER_H

#define UNET_HELPER_VERSION	4	/* argv[1], the protocol version */
#define UNET_HELPER_VERSION_STR	"4"

#define UNET_REPLY_NAME_LEN	16	/* IFNAMSIZ: the name field */

/*
 * The text uml_net sends, counting its NUL, is at most this long; the
 * stock kernel reads a reply into one page (PAGE_SIZE - 1 bytes), so a
 * whole datagram must fit in 4095 bytes.
 */
#define UNET_REPLY_TEXT_MAX	3072
#define UNET_REPLY_DGRAM_MAX	(UNET_REPLY_NAME_LEN + UNET_REPLY_TEXT_MAX)

/* The length word of the stream form. */
typedef int unet_reply_len_t;

/*
 * slip: the host device of a guest's SLIP line is UNET_SLIP_DEV_PREFIX
 * followed by the number of its pty (/dev/pts/N), so the guest can name
 * it in its "add"/"del" requests without asking.
 */
#define UNET_SLIP_DEV_PREFIX	"umlsl"

#endif /* UMLNET_HELPER_H */
