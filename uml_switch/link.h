/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * link.h: a port's link settings, the switch's own keys (not a
 * transport's): its VLANs (vlan.h) and its impairment (impair.h).
 *
 * One grammar everywhere: words, split at spaces, commas and '=', so that
 * "vlan 10" (umlctl port set PORT vlan 10), "vlan=10" (a --port spec's
 * key, -tap DEV,vlan=10, --client-link) and "vlan,10" all say the same.
 * A setting is a key word (vlan_keys[], impair_keys[]) and the words its
 * module takes after it.  Settings are parsed and checked as a whole
 * (link_parse) before any is applied (link_apply): a request with one bad
 * word changes nothing.
 */
#ifndef UMLNET_LINK_H
#define UMLNET_LINK_H

#include <stddef.h>

#include "impair.h"
#include "vlan.h"

#define LINK_TEXT_MAX	256
#define LINK_WORDS_MAX	64

struct sw;
struct jw;

/* Settings text cut into words. */
struct link_words {
	unsigned int n;
	char *w[LINK_WORDS_MAX];
	char buf[LINK_TEXT_MAX];
};

/* Settings parsed and checked, not yet applied: a port's whole state of
 * each kind, starting from what it has now. */
struct link_cfg {
	struct vlan_cfg vlan;
	struct impair_cfg imp;
};

/**
 * link_is_key() - is the @len bytes at @key one of the switch's link
 * setting words (so that a --port spec's item "KEY=..." is ours, not the
 * transport's)?
 */
int link_is_key(const char *key, size_t len);

/**
 * link_split_spec() - cut --port @spec into the transport's spec @tspec
 * and the switch's settings @link ("" if none): items whose key is a link
 * key go to @link, the others stay, in order.
 * Return: 0, or -EINVAL (too long) with @err saying so.
 */
int link_split_spec(const char *spec, char *tspec, size_t tlen, char *link,
		    size_t llen, char *err, size_t errlen);

/**
 * link_parse() - settings @text for port @idx (0: a port yet to come,
 * which starts from the defaults), into @c.
 * Return: 0, or -EINVAL with @err naming the word at fault.
 */
int link_parse(const struct sw *sw, int idx, const char *text,
	       struct link_cfg *c, char *err, size_t errlen);

/** link_apply() - give port @idx the settings @c (from link_parse). */
void link_apply(struct sw *sw, int idx, const struct link_cfg *c);

/** link_json() - port @idx's settings as members of the open object. */
void link_json(const struct sw *sw, struct jw *w, int idx);

/** link_port_close() - port @idx goes: release what its settings hold. */
void link_port_close(struct sw *sw, int idx);

#endif /* UMLNET_LINK_H */
