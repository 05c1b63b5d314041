// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_unet_policy.c: libFuzzer target for uml_net's policy parser: any
 * file is either rejected or yields decisions without a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../uml_net/policy.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct unet_ctx c = { .uid = 0, .gid = 0, .ngroups = 1 };
	struct unet_addr a;
	char why[256];

	if (fd < 0) {
		fd = memfd_create("fuzz", 0);
		if (fd < 0)
			abort();
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	c.pol = policy_load(dup(fd), "fuzz", why, sizeof(why));
	if (c.pol) {
		addr_parse("10.0.0.1", &a);
		policy_check_addr(&c, POL_GUEST, &a, why, sizeof(why));
		policy_check_addr(&c, POL_GATEWAY, &a, why, sizeof(why));
		policy_max_devices(&c, &a);
		addr_parse("2001:db8::1", &a);
		policy_check_addr(&c, POL_GUEST, &a, why, sizeof(why));
	}
	policy_free(c.pol);
	return 0;
}
