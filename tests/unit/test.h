/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test.h: a tiny assertion helper for the unit tests. */
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

#endif /* UMLNET_TEST_H */
