/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * impair.h: per-port, per-direction link impairment (see link.h for how
 * settings are given).
 */
#ifndef UMLNET_IMPAIR_H
#define UMLNET_IMPAIR_H

#include <stddef.h>
#include <stdint.h>

struct sw;
struct jw;
struct link_words;

/* A port's impairment settings: what link_parse fills and impair_apply
 * sets. */
struct impair_cfg {
	uint8_t none;
};

extern const char *const impair_keys[];	/* NULL-terminated */

/** impair_cfg_get() - port @idx's settings now (@idx 0: the defaults). */
void impair_cfg_get(const struct sw *sw, int idx, struct impair_cfg *c);

/**
 * impair_parse() - the setting whose key is word *@i of @lw: consume it
 * and its values (*@i is left on the next setting's key).
 * Return: 0, or -EINVAL with @err naming the word at fault.
 */
int impair_parse(struct impair_cfg *c, const struct link_words *lw,
		 unsigned int *i, char *err, size_t errlen);

/** impair_check() - are settings @c, as a whole, consistent? */
int impair_check(const struct impair_cfg *c, char *err, size_t errlen);

/** impair_apply() - give port @idx settings @c. */
void impair_apply(struct sw *sw, int idx, const struct impair_cfg *c);

/** impair_json() - port @idx's impairment as members of the open object. */
void impair_json(const struct sw *sw, struct jw *w, int idx);

/** impair_port_close() - port @idx goes: free what it holds. */
void impair_port_close(struct sw *sw, int idx);

#endif /* UMLNET_IMPAIR_H */
