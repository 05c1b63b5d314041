// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umlnet_user.c: the host-libc half of the umlnet UML driver.  It is a thin
 * shim over net/ (libumlnet), built into the kernel as UML user objects, so
 * each transport has exactly one implementation in the project.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "transport.h"
#include "umlnet_user.h"

int umlnet_user_open(const char *spec, void **tpp, struct umlnet_info *info,
		     char *err, int errlen)
{
	static struct tp_spec s;	/* callers hold the driver's mutex */
	const char *mac;
	struct tp *tp;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = tp_spec_parse(spec, &s, err, errlen);
	if (ret)
		return ret;
	snprintf(info->transport, sizeof(info->transport), "%s", s.name);
	/* slip's "mac" names its peer on the Ethernet side, not us. */
	mac = strcmp(s.name, "slip") ? tp_spec_get(&s, "mac") : NULL;
	if (mac) {
		if (mac_parse(mac, info->mac)) {
			snprintf(err, errlen, "%s: bad MAC address '%s'",
				 s.name, mac);
			return -EINVAL;
		}
		info->mac_set = 1;
	}
	ret = tp_open(&tp, spec, err, errlen);
	if (ret)
		return ret;
	*tpp = tp;
	return 0;
}

int umlnet_user_fd(void *tp)
{
	return ((struct tp *)tp)->fd;
}

int umlnet_user_recv(void *tp, void *const *bufs, const unsigned int *caps,
		     unsigned int *lens, unsigned int n)
{
	struct tp_frame f[UMLNET_BATCH];
	unsigned int i;
	int ret;

	if (n > UMLNET_BATCH)
		n = UMLNET_BATCH;
	for (i = 0; i < n; i++) {
		f[i].buf = bufs[i];
		f[i].cap = caps[i];
		f[i].len = 0;
	}
	ret = tp_recv(tp, f, n);
	for (i = 0; ret > 0 && i < (unsigned int)ret; i++)
		lens[i] = f[i].len > 0xffffffu ? 0xffffffu : f[i].len;
	if (ret == -EAGAIN || ret == -EWOULDBLOCK || ret == -EINTR)
		return 0;
	return ret;
}

int umlnet_user_send(void *tp, const void *buf, unsigned int len)
{
	struct tp_frame f = {
		.buf = (uint8_t *)buf,
		.len = len,
		.cap = len,
	};
	int ret;

	ret = tp_send(tp, &f, 1);
	if (ret == -EAGAIN || ret == -EWOULDBLOCK || ret == -ENOBUFS)
		return 0;
	return ret;
}

void umlnet_user_close(void *tp)
{
	tp_close(tp);
}
