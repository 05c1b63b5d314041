// SPDX-License-Identifier: GPL-2.0-or-later
/* test_json.c: the strict JSON parser and the writer (common/json.h). */
#include <errno.h>
#include <string.h>

#include "json.h"
#include "test.h"

static struct json_tok tok[64];

static int parses(const char *s)
{
	struct json j;

	return json_parse(&j, tok, 64, s, strlen(s)) == 0;
}

/* @s is refused, and the message has @word. */
static void refused(const char *s, const char *word)
{
	struct json j;

	if (json_parse(&j, tok, 64, s, strlen(s)) == 0) {
		fprintf(stderr, "accepted: %s\n", s);
		CHECK(0);
	} else if (!strstr(j.err, word)) {
		fprintf(stderr, "%s: '%s' lacks '%s'\n", s, j.err, word);
		CHECK(0);
	}
}

static void test_grammar(void)
{
	CHECK(parses("{}"));
	CHECK(parses(" [ ] "));
	CHECK(parses("{\"a\":[1,-2,3.5,4e10,-0.5E-3,true,false,null,\"x\"]}"));
	CHECK(parses("\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
	CHECK(parses("\"caf\xc3\xa9 \xf0\x9f\x98\x80\""));
	CHECK(parses("0"));
	refused("", "found the end");
	refused("{", "expected a string");
	refused("{\"a\":1,}", "expected a string");
	refused("[1,]", "expected a value");
	refused("[1 2]", "expected ',' or ']'");
	refused("{\"a\" 1}", "expected ':'");
	refused("01", "text after the value");
	refused("1.", "after '.'");
	refused("1e", "exponent");
	refused("-", "digit");
	refused("tru", "expected a value");
	refused("{} x", "text after the value");
	refused("\"abc", "unterminated");
	refused("\"a\tb\"", "control character");
	refused("\"\\x\"", "unknown escape");
	refused("\"\\u12\"", "four hex digits");
	refused("\"\\udc00\"", "low surrogate");
	refused("\"\\ud800x\"", "high surrogate");
	refused("\"\xc0\xaf\"", "UTF-8");		/* overlong */
	refused("\"\xed\xa0\x80\"", "UTF-8");		/* a surrogate */
	refused("\"\xf4\x90\x80\x80\"", "UTF-8");	/* above U+10FFFF */
	refused("\"\xe2\x82\"", "UTF-8");		/* cut short */
	refused("// no\n{}", "expected a value");
	refused("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"nested too deeply");
}

static void test_tokens(void)
{
	const char *s = "{\"cmd\":\"port\\u005fadd\",\"n\":[1,2],\"x\":42}";
	struct json j;
	char buf[32];
	uint64_t v;
	int t;

	CHECK(json_parse(&j, tok, 64, s, strlen(s)) == 0);
	CHECK(j.tok[0].type == JSON_OBJECT && j.tok[0].size == 3);
	t = json_member(&j, 0, "cmd");
	CHECK(t > 0 && json_string(&j, (unsigned int)t, buf, sizeof(buf)) == 8);
	CHECK(!strcmp(buf, "port_add"));
	t = json_member(&j, 0, "n");
	CHECK(t > 0 && j.tok[t].type == JSON_ARRAY && j.tok[t].size == 2);
	t = json_member(&j, 0, "x");
	CHECK(t > 0 && json_uint(&j, (unsigned int)t, &v) == 0 && v == 42);
	CHECK(json_member(&j, 0, "nope") == -1);
	CHECK(json_string(&j, (unsigned int)t, buf, sizeof(buf)) == -ENOMSG);
	CHECK(json_parse(&j, tok, 3, s, strlen(s)) == -E2BIG);
	s = "[\"a\\u0000b\",\"toolong\",-1,1.5,18446744073709551616]";
	CHECK(json_parse(&j, tok, 64, s, strlen(s)) == 0);
	CHECK(json_string(&j, 1, buf, sizeof(buf)) == -EINVAL);
	CHECK(json_string(&j, 2, buf, 4) == -ERANGE);
	CHECK(json_uint(&j, 3, &v) == -EINVAL);
	CHECK(json_uint(&j, 4, &v) == -EINVAL);
	CHECK(json_uint(&j, 5, &v) == -ERANGE);
}

static void test_writer(void)
{
	char buf[256], small[8];
	struct json j;
	struct jw w;

	jw_init(&w, buf, sizeof(buf));
	jw_obj(&w, NULL);
	jw_str(&w, "s", "q\"\\\n\x01\xff caf\xc3\xa9");
	jw_arr(&w, "a");
	jw_u64(&w, NULL, 18446744073709551615ULL);
	jw_i64(&w, NULL, -5);
	jw_bool(&w, NULL, 1);
	jw_null(&w, NULL);
	jw_end(&w);
	jw_time(&w, "t", 1234567);
	jw_end(&w);
	CHECK(!w.overflow);
	CHECK(!strcmp(buf, "{\"s\":\"q\\\"\\\\\\u000a\\u0001? caf\xc3\xa9\","
		      "\"a\":[18446744073709551615,-5,true,null],"
		      "\"t\":1.234567}"));
	CHECK(json_parse(&j, tok, 64, buf, strlen(buf)) == 0);
	jw_init(&w, small, sizeof(small));
	jw_str(&w, NULL, "far too long");
	CHECK(w.overflow && strlen(small) < sizeof(small));
}

int main(void)
{
	test_grammar();
	test_tokens();
	test_writer();
	TEST_DONE("test_json");
}
