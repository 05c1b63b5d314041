// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_link.c: libFuzzer target for a port's link settings (link.c,
 * impair.c), which come from untrusted management clients: any text is
 * refused or parsed; what parses passes its checks, and each direction's
 * settings, formatted, parse back to the same.  Also link_split_spec on
 * the same text as a --port spec.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../uml_switch/link.h"
#include "../../uml_switch/sw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sw sw;

static void roundtrip(const struct impair_set *s, int dir)
{
	char text[LINK_TEXT_MAX + 8], err[160];
	struct impair_set m[IMPAIR_NDIR];
	struct link_cfg c;
	size_t n;

	impair_set_format(s, text, LINK_TEXT_MAX - 4);
	n = strlen(text);
	if (dir == IMPAIR_IN && n)
		memcpy(text + n, " in", 4);
	if (link_parse(&sw, 0, text, &c, err, sizeof(err)))
		__builtin_trap();
	impair_merge(&c.imp, m);
	if (memcmp(&m[dir], s, sizeof(*s)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char str[LINK_TEXT_MAX + 64], err[160], tspec[LINK_TEXT_MAX + 64];
	char link[LINK_TEXT_MAX];
	struct impair_set m[IMPAIR_NDIR];
	struct link_cfg c;
	int d;

	if (size >= sizeof(str))
		size = sizeof(str) - 1;
	memcpy(str, data, size);
	str[size] = '\0';
	link_split_spec(str, tspec, sizeof(tspec), link, sizeof(link), err,
			sizeof(err));
	if (link_parse(&sw, 0, str, &c, err, sizeof(err)))
		return 0;
	if (impair_check(&c.imp, err, sizeof(err)))
		__builtin_trap();
	impair_merge(&c.imp, m);
	for (d = 0; d < IMPAIR_NDIR; d++) {
		/* "queue N" alone is a setting kept, not an impairment */
		if (impair_set_active(&m[d]))
			roundtrip(&m[d], d);
	}
	return 0;
}
