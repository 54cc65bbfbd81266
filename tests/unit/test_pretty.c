/* Unit tests for --pretty's reformatter: layout, empty containers, every
 * kind of value, what is not JSON (left alone), nesting at and past the
 * depth limit, colours and terminal safety. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pretty.h"

/* Formats s; returns the text, or NULL when it was refused. */
static const char *
fmt(const char *s, const struct wsc_pretty_style *st)
{
	static struct wsc_buf	b;

	wsc_buf_reset(&b);
	wsc_buf_append(&b, "x", 1);	/* what was there stays */
	if (wsc_pretty(&b, (const uint8_t *)s, strlen(s), st) != 0) {
		ck_assert_uint_eq(wsc_buf_used(&b), 1);
		return NULL;
	}
	ck_assert_int_eq(wsc_buf_append(&b, "", 1), 0);
	return (const char *)wsc_buf_head(&b) + 1;
}

START_TEST(layout)
{
	ck_assert_str_eq(fmt(" {\"a\":[1,2,{}],\"b\":{\"c\":null},\"d\":[]}\r\n",
	    NULL),
	    "{\n  \"a\": [\n    1,\n    2,\n    {}\n  ],\n  \"b\": {\n"
	    "    \"c\": null\n  },\n  \"d\": []\n}");
	ck_assert_str_eq(fmt("[]", NULL), "[]");
	ck_assert_str_eq(fmt("{ }", NULL), "{}");
	ck_assert_str_eq(fmt("[true,false,null,\"s\"]", NULL),
	    "[\n  true,\n  false,\n  null,\n  \"s\"\n]");
}
END_TEST

START_TEST(numbers_and_strings)
{
	ck_assert_str_eq(fmt("[0,-0,1.5,-2e10,3E+2,4.0e-1]", NULL),
	    "[\n  0,\n  -0,\n  1.5,\n  -2e10,\n  3E+2,\n  4.0e-1\n]");
	ck_assert_str_eq(fmt("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\"]",
	    NULL), "[\n  \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\"\n]");
	ck_assert_str_eq(fmt("{\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}", NULL),
	    "{\n  \"\xc3\xa9\": \"\xf0\x9f\x98\x80\"\n}");
}
END_TEST

START_TEST(not_json)
{
	static const char	*const bad[] = {
		"", "   ", "42", "\"s\"", "true", "not json", "{", "[1,]",
		"[,1]", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}", "[1 2]",
		"[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]", "[tru]",
		"[nul]", "[\"\\x\"]", "[\"\\u12g4\"]", "[\"a\tb\"]",
		"[\"open]", "[1]]", "[1] [2]", "{}x", "[\"\xff\"]",
		"[\"\xc3\"]", "{\"a\":1 \"b\":2}", "[1,2}", "{\"a\":1]",
	};
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(fmt(bad[i], NULL) == NULL, "accepted: %s", bad[i]);
}
END_TEST

/* n levels of [ ... ] around 1. */
static char *
nested(size_t n)
{
	char	*s = malloc(2 * n + 2);
	size_t	 i;

	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[n + 1 + i] = ']';
	}
	s[n] = '1';
	s[2 * n + 1] = '\0';
	return s;
}

START_TEST(depth_limit)
{
	char	*at = nested(WSC_PRETTY_MAX_DEPTH);
	char	*past = nested(WSC_PRETTY_MAX_DEPTH + 1);
	char	*huge = nested(1000000);

	ck_assert_ptr_nonnull(fmt(at, NULL));
	ck_assert_ptr_null(fmt(past, NULL));
	ck_assert_ptr_null(fmt(huge, NULL));
	free(at);
	free(past);
	free(huge);
}
END_TEST

START_TEST(colours_and_safety)
{
	static const struct wsc_pretty_style	st = {
		"<K>", "<S>", "<N>", "<L>", "<P>", "<R>", 1
	};

	ck_assert_str_eq(fmt("{\"k\":[1,true,\"s\"]}", &st),
	    "<P>{<R>\n  <K>\"k\"<R><P>:<R> <P>[<R>\n    <N>1<R><P>,<R>\n"
	    "    <L>true<R><P>,<R>\n    <S>\"s\"<R>\n  <P>]<R>\n<P>}<R>");
	/* DEL and C1 controls become escapes of the same value */
	ck_assert_str_eq(fmt("[\"a\x7f" "b\xc2\x9b" "c\xc2\xa0\"]", &st),
	    "<P>[<R>\n  <S>\"a\\u007fb\\u009bc\xc2\xa0\"<R>\n<P>]<R>");
}
END_TEST

static Suite *
pretty_suite(void)
{
	Suite	*s = suite_create("pretty");
	TCase	*tc = tcase_create("format");

	tcase_add_test(tc, layout);
	tcase_add_test(tc, numbers_and_strings);
	tcase_add_test(tc, not_json);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, colours_and_safety);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(pretty_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
