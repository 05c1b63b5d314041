// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_slirp_opts.c: libFuzzer target for uml_slirp's command line.  The
 * input is split at NUL bytes into arguments (as a kernel's slirp argv or a
 * spec's args= would arrive); parsing must never crash, and a forward that
 * parses must name a valid port on both sides.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../uml_slirp/opts.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct us_cfg c;
	char buf[4097], err[US_ERR_MAX], *argv[64];
	size_t i, start = 0;
	int argc = 1, ret;

	if (size > sizeof(buf) - 1)
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"uml_slirp";
	for (i = 0; i <= size && argc < 63; i++) {
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	err[0] = '\0';
	ret = us_parse_args(&c, argc, argv, err, sizeof(err));
	if (ret == 0 && us_cfg_finish(&c, err, sizeof(err)) == 0) {
		for (i = 0; i < c.nfwd; i++) {
			const struct sockaddr_in *h = (const void *)&c.fwd[i].host;
			const struct sockaddr_in *g = (const void *)&c.fwd[i].guest;

			if (!h->sin_port || !g->sin_port)
				abort();
		}
		if (c.mtu < US_MTU_MIN || c.mtu > US_MTU_MAX)
			abort();
	}
	if (strnlen(err, sizeof(err)) >= sizeof(err))
		abort();
	return 0;
}
