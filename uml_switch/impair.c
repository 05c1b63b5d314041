// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * impair.c: per-port, per-direction link impairment.
 * (Stub: the settings' plumbing only; impairment is being built.)
 */
#include <errno.h>
#include <stdio.h>

#include "link.h"
#include "sw.h"

const char *const impair_keys[] = { "delay", NULL };

void impair_cfg_get(const struct sw *sw, int idx, struct impair_cfg *c)
{
	(void)sw;
	(void)idx;
	c->none = 1;
}

int impair_parse(struct impair_cfg *c, const struct link_words *lw,
		 unsigned int *i, char *err, size_t errlen)
{
	(void)c;
	snprintf(err, errlen, "'%s': impairment is not built yet", lw->w[*i]);
	return -EINVAL;
}

int impair_check(const struct impair_cfg *c, char *err, size_t errlen)
{
	(void)c;
	(void)err;
	(void)errlen;
	return 0;
}

void impair_apply(struct sw *sw, int idx, const struct impair_cfg *c)
{
	(void)sw;
	(void)idx;
	(void)c;
}

void impair_json(const struct sw *sw, struct jw *w, int idx)
{
	(void)sw;
	(void)w;
	(void)idx;
}

void impair_port_close(struct sw *sw, int idx)
{
	(void)sw;
	(void)idx;
}
