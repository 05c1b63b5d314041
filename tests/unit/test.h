/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test.h: a tiny assertion helper for the unit tests (and, after
 * transport.h, a check of refused transport specs). */
#ifndef UMLNET_TEST_H
#define UMLNET_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int test_failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			test_failures++;				\
		}							\
	} while (0)

#define TEST_DONE(name)							\
	do {								\
		printf("%s: %s\n", name, test_failures ? "FAIL" : "ok"); \
		return test_failures ? 1 : 0;				\
	} while (0)

#ifdef UMLNET_TRANSPORT_H
#include <string.h>

/* A spec tp_open must refuse, and a word its error message must contain. */
struct bad_spec {
	const char *spec, *word;
};

/* Check every entry of @bad, up to one whose spec is NULL. */
static inline void check_bad_specs(const struct bad_spec *bad)
{
	char err[TP_ERR_MAX];
	struct tp *tp;

	for (; bad->spec; bad++) {
		err[0] = '\0';
		if (tp_open(&tp, bad->spec, err, sizeof(err)) >= 0) {
			fprintf(stderr, "%s: accepted\n", bad->spec);
			tp_close(tp);
			CHECK(0);
		} else if (!strstr(err, bad->word)) {
			fprintf(stderr, "%s: error '%s' lacks '%s'\n",
				bad->spec, err, bad->word);
			CHECK(0);
		}
	}
}
#endif

#endif /* UMLNET_TEST_H */
