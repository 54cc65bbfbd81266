/* Unit tests for the JSON string writer: every control character, DEL,
 * U+2028/U+2029, 4-byte UTF-8, invalid bytes, and sequences cut between
 * pieces. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

/* The whole string, quotes included, as a C string. */
static const char *
quoted(const void *p, size_t n)
{
	static struct wsc_buf	b;

	static char		flat[6 * 20000 + 1];
	size_t			k;

	wsc_buf_reset(&b);
	ck_assert_int_eq(wsc_json_string(&b, p, n), 0);
	ck_assert_int_eq(wsc_buf_append(&b, "", 1), 0);
	/* the one-shot escaper into a flat buffer gives the same body */
	ck_assert_uint_le(n, 20000);
	k = wsc_json_escape(flat, p, n);
	ck_assert_uint_eq(k + 3, wsc_buf_used(&b));
	ck_assert_int_eq(memcmp(flat, wsc_buf_head(&b) + 1, k), 0);
	return (const char *)wsc_buf_head(&b);
}

/* p fed in pieces of `step` bytes, then ended. */
static const char *
pieces(const void *p, size_t n, size_t step)
{
	static struct wsc_buf	b;
	struct wsc_json_str	js;
	size_t			i, k;

	wsc_buf_reset(&b);
	wsc_json_str_init(&js);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		ck_assert_int_eq(wsc_json_str_feed(&js, &b,
		    (const uint8_t *)p + i, k), 0);
	}
	ck_assert_int_eq(wsc_json_str_end(&js, &b), 0);
	ck_assert_int_eq(wsc_buf_append(&b, "", 1), 0);
	return (const char *)wsc_buf_head(&b);
}

START_TEST(every_control)
{
	char		want[16];
	uint8_t		c = (uint8_t)_i;
	const char	*shortf = NULL;

	switch (c) {
	case '\b': shortf = "\"\\b\""; break;
	case '\f': shortf = "\"\\f\""; break;
	case '\n': shortf = "\"\\n\""; break;
	case '\r': shortf = "\"\\r\""; break;
	case '\t': shortf = "\"\\t\""; break;
	}
	snprintf(want, sizeof want, "\"\\u%04x\"", c);
	ck_assert_str_eq(quoted(&c, 1), shortf != NULL ? shortf : want);
}
END_TEST

/* Every byte value at every place of a 16-byte string (the word-at-a-time
 * fast path's two words) comes out as it does alone. */
START_TEST(every_byte_in_words)
{
	uint8_t	c = (uint8_t)_i, buf[16];
	char	alone[16], want[64];
	size_t	k;

	snprintf(alone, sizeof alone, "%s", quoted(&c, 1));
	alone[strlen(alone) - 1] = '\0';
	for (k = 0; k < 16; k++) {
		memset(buf, 'a', sizeof buf);
		buf[k] = c;
		snprintf(want, sizeof want, "\"%.*s%s%.*s\"", (int)k,
		    "aaaaaaaaaaaaaaaa", alone + 1, (int)(15 - k),
		    "aaaaaaaaaaaaaaaa");
		ck_assert_str_eq(quoted(buf, sizeof buf), want);
	}
}
END_TEST

START_TEST(ascii_boundaries)
{
	ck_assert_str_eq(quoted(" ~", 2), "\" ~\"");
	ck_assert_str_eq(quoted("\x7f", 1), "\"\\u007f\"");
	ck_assert_str_eq(quoted("a\"b\\c/", 6), "\"a\\\"b\\\\c/\"");
	ck_assert_str_eq(quoted("", 0), "\"\"");
	ck_assert_str_eq(quoted("a\0b", 3), "\"a\\u0000b\"");
}
END_TEST

START_TEST(unicode_kept_and_escaped)
{
	/* U+0080, U+07FF, U+FFFF, U+10000, U+10FFFF as they are */
	ck_assert_str_eq(quoted("\xc2\x80\xdf\xbf\xef\xbf\xbf", 7),
	    "\"\xc2\x80\xdf\xbf\xef\xbf\xbf\"");
	ck_assert_str_eq(quoted("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 8),
	    "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
	ck_assert_str_eq(quoted("\xe2\x80\xa8x\xe2\x80\xa9", 7),
	    "\"\\u2028x\\u2029\"");
	/* U+2027 and U+202A are ordinary */
	ck_assert_str_eq(quoted("\xe2\x80\xa7\xe2\x80\xaa", 6),
	    "\"\xe2\x80\xa7\xe2\x80\xaa\"");
}
END_TEST

START_TEST(invalid_bytes)
{
	/* a lone continuation, overlong forms, a surrogate, past U+10FFFF */
	ck_assert_str_eq(quoted("\x80", 1), "\"\\ufffd\"");
	ck_assert_str_eq(quoted("\xc0\xaf", 2), "\"\\ufffd\\ufffd\"");
	ck_assert_str_eq(quoted("\xe0\x80\x80", 3),
	    "\"\\ufffd\\ufffd\\ufffd\"");
	ck_assert_str_eq(quoted("\xed\xa0\x80", 3),
	    "\"\\ufffd\\ufffd\\ufffd\"");
	ck_assert_str_eq(quoted("\xf4\x90\x80\x80", 4),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	ck_assert_str_eq(quoted("\xff" "a", 2), "\"\\ufffda\"");
	/* a sequence cut by the next character: only its lead is bad */
	ck_assert_str_eq(quoted("\xe2\x82" "A", 3), "\"\\ufffd\\ufffdA\"");
	/* cut off by the end of the string */
	ck_assert_str_eq(quoted("a\xf0\x9f\x98", 4),
	    "\"a\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

START_TEST(split_anywhere)
{
	static const char	s[] = "x\xf0\x9f\x98\x80y\xe2\x80\xa8\xc3\xa9\n"
	    "\xe2\x82" "A\xf0\x9f";
	size_t			step;
	char			whole[128];

	snprintf(whole, sizeof whole, "%s", quoted(s, sizeof s - 1));
	ck_assert_str_eq(whole, "\"x\xf0\x9f\x98\x80y\\u2028\xc3\xa9\\n"
	    "\\ufffd\\ufffdA\\ufffd\\ufffd\"");
	/* pieces give the body of the same string */
	whole[strlen(whole) - 1] = '\0';
	for (step = 1; step <= sizeof s; step++)
		ck_assert_str_eq(pieces(s, sizeof s - 1, step), whole + 1);
}
END_TEST

START_TEST(long_runs)
{
	static uint8_t	big[3 * 4096 + 7];
	static char	want[sizeof big * 6 + 1];
	size_t		i;

	/* escapes on both sides of the slice boundaries, and a 4-byte
	 * character across one */
	for (i = 0; i < sizeof big; i++)
		big[i] = i % 3 == 0 ? '"' : 'a';
	memcpy(big + 4094, "\xf0\x9f\x98\x80", 4);
	want[0] = '\0';
	for (i = 0; i < sizeof big; i++) {
		if (i == 4094) {
			strcat(want, "\xf0\x9f\x98\x80");
			i += 3;
		} else
			strcat(want, big[i] == '"' ? "\\\"" : "a");
	}
	ck_assert_str_eq(pieces(big, sizeof big, sizeof big), want);
	ck_assert_str_eq(pieces(big, sizeof big, 4095), want);
}
END_TEST

static Suite *
json_suite(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc = tcase_create("string");

	tcase_add_loop_test(tc, every_control, 0, 0x20);
	tcase_add_loop_test(tc, every_byte_in_words, 0, 256);
	tcase_add_test(tc, ascii_boundaries);
	tcase_add_test(tc, unicode_kept_and_escaped);
	tcase_add_test(tc, invalid_bytes);
	tcase_add_test(tc, split_anywhere);
	tcase_add_test(tc, long_runs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(json_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
