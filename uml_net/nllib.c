// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nllib.c: load libnl-route-3 (and with it libnl-3) after the privilege
 * drop and look up the functions of nllib.h; see there for why.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nllib.h"

struct nl_lib nl_lib;

/**
 * nl_lib_load() - dlopen libnl-route-3 and fill nl_lib.
 * @err:	on failure, what went wrong
 * @len:	size of @err
 *
 * Refuses to load before the privilege drop (real, effective and saved
 * uid not all the caller's): the library's constructors must run as the
 * caller, in the environment priv_sanitize() left.
 *
 * Return: 0, or -1 after filling @err.
 */
int nl_lib_load(char *err, size_t len)
{
	static void *handle;
	uid_t r, e, s;
	void *sym;

	if (handle)
		return 0;
	if (getresuid(&r, &e, &s) < 0 || r != e || r != s) {
		snprintf(err, len, "libnl is not loaded before the privilege "
			 "drop");
		return -1;
	}
	handle = dlopen(NLLIB_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(err, len, "cannot load %s: %s", NLLIB_SONAME,
			 dlerror());
		return -1;
	}
#define NLLIB_LOOKUP(f)							\
	sym = dlsym(handle, #f);					\
	if (!sym) {							\
		snprintf(err, len, "%s lacks %s", NLLIB_SONAME, #f);	\
		goto fail;						\
	}								\
	memcpy(&nl_lib.f, &sym, sizeof(sym));
	NLLIB_FUNCS(NLLIB_LOOKUP)
#undef NLLIB_LOOKUP
	return 0;
fail:
	dlclose(handle);
	handle = NULL;
	return -1;
}
