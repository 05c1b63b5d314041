// SPDX-License-Identifier: GPL-2.0-or-later
/* ifname.c: validation of interface names given by users (see ifname.h). */
#include <string.h>

#include "ifname.h"

static int ifname_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

const char *ifname_check(const char *name, unsigned int flags)
{
	const unsigned char *p;

	if (!name[0])
		return "empty";
	if (strnlen(name, IFNAME_SIZE) >= IFNAME_SIZE)
		return "longer than 15 bytes";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "'.' and '..' are not interface names";
	for (p = (const unsigned char *)name; *p; p++) {
		if ((flags & IFNAME_ALNUM) && !ifname_alnum((char)*p))
			return "not only letters and digits";
		if (*p == '/' || *p == ':' || *p == '%')
			return "contains '/', ':' or '%'";
		if (*p <= ' ' || *p == 0x7f)
			return "contains whitespace or a control character";
	}
	return NULL;
}
