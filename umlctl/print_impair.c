// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * print_impair.c: a port's impairment (its JSON "impair" member) as lines
 * under its row of the ports table: each direction's settings, queue and
 * the counters that are not zero.
 */
#include <stdio.h>

#include "json.h"
#include "umlctl.h"

static const char *const impair_counters[] = {
	"delayed", "lost", "lost_burst", "duplicated", "reordered",
	"corrupted", "rate_drop", "queue_drop", "clamp_drop", NULL
};

static void print_impair_dir(const struct json *j, int t, const char *dir)
{
	char set[512];
	int i, n = 0;

	t = uc_get(j, t, dir);
	if (t < 0)
		return;
	uc_str(j, t, "settings", set, sizeof(set));
	for (i = 0; impair_counters[i]; i++)
		n += uc_num(j, uc_get(j, t, "counters"), impair_counters[i]) != 0;
	if (!set[0] && !n && !uc_num(j, t, "queue.len"))
		return;		/* never used */
	printf("%4s impair %-3s %s (queue %llu/%llu", "", dir,
	       set[0] ? set : "none",
	       (unsigned long long)uc_num(j, t, "queue.len"),
	       (unsigned long long)uc_num(j, t, "queue.max"));
	print_nonzero(j, t, "counters.", impair_counters, ", ");
	printf(")\n");
}

/**
 * print_impair() - port object token @t's impairment, if it has any.
 */
void print_impair(const struct json *j, int t)
{
	t = uc_get(j, t, "impair");
	if (t < 0)
		return;
	print_impair_dir(j, t, "out");
	print_impair_dir(j, t, "in");
}
