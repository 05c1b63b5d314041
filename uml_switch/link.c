// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * link.c: a port's link settings (link.h): the words, which module each
 * setting belongs to, and a --port spec's switch keys told apart from
 * its transport's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "link.h"
#include "sw.h"

static int in_list(const char *const *list, const char *key, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && !memcmp(*list, key, len))
			return 1;
	return 0;
}

int link_is_key(const char *key, size_t len)
{
	return in_list(vlan_keys, key, len) || in_list(impair_keys, key, len);
}

/* Cut @text into words at spaces, commas and '='. */
static int link_words(struct link_words *lw, const char *text, char *err,
		      size_t errlen)
{
	char *s, *save = NULL;

	lw->n = 0;
	if (strlen(text) >= sizeof(lw->buf)) {
		snprintf(err, errlen, "settings longer than %d bytes",
			 LINK_TEXT_MAX - 1);
		return -EINVAL;
	}
	strcpy(lw->buf, text);
	for (s = strtok_r(lw->buf, " ,=", &save); s;
	     s = strtok_r(NULL, " ,=", &save)) {
		if (lw->n == LINK_WORDS_MAX) {
			snprintf(err, errlen, "more than %d words of settings",
				 LINK_WORDS_MAX);
			return -EINVAL;
		}
		lw->w[lw->n++] = s;
	}
	return 0;
}

int link_split_spec(const char *spec, char *tspec, size_t tlen, char *link,
		    size_t llen, char *err, size_t errlen)
{
	const char *item = strchr(spec, ':'), *end, *eq;
	size_t t, l = 0, n;
	int first = 1;

	if (!item)		/* no keys: nothing of ours */
		item = spec + strlen(spec);
	t = (size_t)(item - spec);
	if (t >= tlen)
		goto long_spec;
	memcpy(tspec, spec, t);
	while (*item) {
		item++;		/* the ':' or ',' before it */
		end = item + strcspn(item, ",");
		eq = memchr(item, '=', (size_t)(end - item));
		n = (size_t)(end - item);
		if (link_is_key(item, eq ? (size_t)(eq - item) : n)) {
			if (l + n + 2 > llen)
				goto long_spec;
			if (l)
				link[l++] = ',';
			memcpy(link + l, item, n);
			l += n;
		} else {
			if (t + n + 2 > tlen)
				goto long_spec;
			tspec[t++] = first ? ':' : ',';
			first = 0;
			memcpy(tspec + t, item, n);
			t += n;
		}
		item = end;
	}
	tspec[t] = '\0';
	link[l] = '\0';
	return 0;
long_spec:
	snprintf(err, errlen, "spec too long");
	return -EINVAL;
}

int link_parse(const struct sw *sw, int idx, const char *text,
	       struct link_cfg *c, char *err, size_t errlen)
{
	struct link_words lw;
	unsigned int i = 0;
	int ret;

	vlan_cfg_get(sw, idx, &c->vlan);
	impair_cfg_get(sw, idx, &c->imp);
	ret = link_words(&lw, text, err, errlen);
	while (!ret && i < lw.n) {
		const char *k = lw.w[i];

		if (in_list(vlan_keys, k, strlen(k))) {
			ret = vlan_parse(&c->vlan, &lw, &i, err, errlen);
		} else if (in_list(impair_keys, k, strlen(k))) {
			ret = impair_parse(&c->imp, &lw, &i, err, errlen);
		} else {
			snprintf(err, errlen, "unknown setting '%s'", k);
			ret = -EINVAL;
		}
	}
	if (!ret)
		ret = vlan_check(&c->vlan, err, errlen);
	if (!ret)
		ret = impair_check(&c->imp, err, errlen);
	return ret;
}

void link_apply(struct sw *sw, int idx, const struct link_cfg *c)
{
	vlan_apply(sw, idx, &c->vlan);
	impair_apply(sw, idx, &c->imp);
}

void link_json(const struct sw *sw, struct jw *w, int idx)
{
	vlan_json(sw, w, idx);
	impair_json(sw, w, idx);
}

void link_port_close(struct sw *sw, int idx)
{
	vlan_port_close(sw, idx);
	impair_port_close(sw, idx);
}
