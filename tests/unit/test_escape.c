/* Unit tests for the terminal escaping (src/escape.c): each class of
 * control at its boundaries, invalid UTF-8 of every kind, and text fed in
 * pieces. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Escapes n bytes of s with flags into a NUL-terminated string. */
static const char *
esc(const char *s, size_t n, unsigned flags)
{
	static char	out[WSC_ESC_RATIO * 256 + 1];
	size_t		used, w;

	ck_assert_uint_le(n, 256);
	w = wsc_escape(out, (const uint8_t *)s, n, flags, &used);
	ck_assert_uint_le(w, WSC_ESC_RATIO * n);
	if (!(flags & WSC_ESC_MORE))
		ck_assert_uint_eq(used, n);
	out[w] = '\0';
	return out;
}

#define ESC(lit)	esc(lit, sizeof lit - 1, 0)

START_TEST(every_c0_and_del)
{
	char	in[1], want[8];
	int	c;

	for (c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		snprintf(want, sizeof want, "\\x%02x", c);
		ck_assert_str_eq(esc(in, 1, 0), want);
	}
	ck_assert_str_eq(ESC("\x7f"), "\\x7f");
	ck_assert_str_eq(ESC("a\x1b]52;c;aGk=\x07z"), "a\\x1b]52;c;aGk=\\x07z");
	ck_assert_str_eq(ESC("\x1b[2J"), "\\x1b[2J");
	/* A NUL is shown, not an end of string. */
	ck_assert_str_eq(esc("a\0b", 3, 0), "a\\x00b");
}
END_TEST

START_TEST(printable_ascii_as_is)
{
	char	in[0x5f + 1];
	int	c;

	for (c = 0x20; c < 0x7f; c++)
		in[c - 0x20] = (char)c;
	in[0x5f] = '\0';
	ck_assert_str_eq(esc(in, 0x5f, 0), in);
	/* The backslash is not doubled: escapes are for what cannot be
	 * shown, and JSON's \n must read as it is. */
	ck_assert_str_eq(ESC("a\\x1b"), "a\\x1b");
}
END_TEST

/* Runs of printable ASCII are looked at eight bytes at a time: a byte on
 * either side of each edge (0x1f/0x20, 0x7e/0x7f, 0xff) at every position
 * of two words. */
START_TEST(edges_at_every_position)
{
	static const uint8_t	edge[] = { 0x00, 0x1f, 0x20, 0x7e, 0x7f, 0xff };
	char			in[24], want[24 + 4];
	size_t			pos, e;

	for (e = 0; e < sizeof edge; e++)
		for (pos = 0; pos < 17; pos++) {
			memset(in, 'a', sizeof in);
			in[pos] = (char)edge[e];
			memcpy(want, in, pos);
			if (edge[e] >= 0x20 && edge[e] < 0x7f) {
				memcpy(want, in, sizeof in);
				want[sizeof in] = '\0';
			} else {
				snprintf(want + pos, sizeof want - pos, "\\x%02x",
				    edge[e]);
				memset(want + pos + 4, 'a', sizeof in - pos - 1);
				want[sizeof in + 3] = '\0';
			}
			ck_assert_str_eq(esc(in, sizeof in, 0), want);
		}
}
END_TEST

START_TEST(newline_and_tab_as_the_caller_says)
{
	ck_assert_str_eq(esc("a\nb\tc", 5, 0), "a\\x0ab\\x09c");
	ck_assert_str_eq(esc("a\nb\tc", 5, WSC_ESC_KEEP_NL), "a\nb\\x09c");
	ck_assert_str_eq(esc("a\nb\tc", 5, WSC_ESC_KEEP_TAB), "a\\x0ab\tc");
	ck_assert_str_eq(esc("a\nb\tc\r", 6, WSC_ESC_KEEP_NL |
	    WSC_ESC_KEEP_TAB), "a\nb\tc\\x0d");
}
END_TEST

START_TEST(c1_edges)
{
	ck_assert_str_eq(ESC("\xc2\x80"), "\\u0080");
	ck_assert_str_eq(ESC("\xc2\x9b"), "\\u009b");
	ck_assert_str_eq(ESC("\xc2\x9f"), "\\u009f");
	ck_assert_str_eq(ESC("\xc2\xa0"), "\xc2\xa0");	/* U+00A0 */
	ck_assert_str_eq(ESC("\xc2\xbf"), "\xc2\xbf");
	/* Bare C1 bytes are not UTF-8 at all. */
	ck_assert_str_eq(ESC("\x80\x9b\x9f"), "\\x80\\x9b\\x9f");
}
END_TEST

START_TEST(bidi_edges)
{
	ck_assert_str_eq(ESC("\xe2\x80\xa9"), "\xe2\x80\xa9");	/* U+2029 */
	ck_assert_str_eq(ESC("\xe2\x80\xaa"), "\\u202a");
	ck_assert_str_eq(ESC("\xe2\x80\xab"), "\\u202b");
	ck_assert_str_eq(ESC("\xe2\x80\xae"), "\\u202e");
	ck_assert_str_eq(ESC("\xe2\x80\xaf"), "\xe2\x80\xaf");	/* U+202F */
	ck_assert_str_eq(ESC("\xe2\x81\xa5"), "\xe2\x81\xa5");	/* U+2065 */
	ck_assert_str_eq(ESC("\xe2\x81\xa6"), "\\u2066");
	ck_assert_str_eq(ESC("\xe2\x81\xa9"), "\\u2069");
	ck_assert_str_eq(ESC("\xe2\x81\xaa"), "\xe2\x81\xaa");	/* U+206A */
	ck_assert_str_eq(ESC("user\xe2\x80\xaegpj.exe"), "user\\u202egpj.exe");
}
END_TEST

START_TEST(valid_utf8_as_is)
{
	ck_assert_str_eq(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	ck_assert_str_eq(ESC("\xed\x9f\xbf"), "\xed\x9f\xbf");	/* U+D7FF */
	ck_assert_str_eq(ESC("\xee\x80\x80"), "\xee\x80\x80");	/* U+E000 */
	ck_assert_str_eq(ESC("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
	ck_assert_str_eq(ESC("\xf0\x90\x80\x80"), "\xf0\x90\x80\x80");
}
END_TEST

START_TEST(invalid_utf8_byte_by_byte)
{
	/* truncated, then something valid: each bad byte, then the rest */
	ck_assert_str_eq(ESC("\xe2\x82"), "\\xe2\\x82");
	ck_assert_str_eq(ESC("\xe2\x82z"), "\\xe2\\x82z");
	ck_assert_str_eq(ESC("\xf0\x9f\x98"), "\\xf0\\x9f\\x98");
	ck_assert_str_eq(ESC("\xc3"), "\\xc3");
	/* overlong forms */
	ck_assert_str_eq(ESC("\xc0\xaf"), "\\xc0\\xaf");
	ck_assert_str_eq(ESC("\xc1\xbf"), "\\xc1\\xbf");
	ck_assert_str_eq(ESC("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	ck_assert_str_eq(ESC("\xe0\x9f\xbf"), "\\xe0\\x9f\\xbf");
	ck_assert_str_eq(ESC("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
	ck_assert_str_eq(ESC("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf");
	/* an overlong ESC must not turn back into one */
	ck_assert_str_eq(ESC("\xc0\x9b"), "\\xc0\\x9b");
	/* surrogates */
	ck_assert_str_eq(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	ck_assert_str_eq(ESC("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");
	/* past U+10FFFF, and bytes that never occur */
	ck_assert_str_eq(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(ESC("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	ck_assert_str_eq(ESC("\xfe\xff"), "\\xfe\\xff");
	/* a lead byte followed by a new character: both seen */
	ck_assert_str_eq(ESC("\xe2\xc3\xa9"), "\\xe2\xc3\xa9");
}
END_TEST

START_TEST(more_leaves_an_unfinished_character)
{
	char	out[64];
	size_t	used, w;

	w = wsc_escape(out, (const uint8_t *)"ab\xe2\x80", 4, WSC_ESC_MORE,
	    &used);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(w, 2);
	/* A byte that can never start one is not held back. */
	w = wsc_escape(out, (const uint8_t *)"ab\xff", 3, WSC_ESC_MORE, &used);
	ck_assert_uint_eq(used, 3);
	ck_assert_uint_eq(w, 6);
	w = wsc_escape(out, (const uint8_t *)"\xe2\x28", 2, WSC_ESC_MORE, &used);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(w, 5);
}
END_TEST

/* Feeds s in pieces of `step` bytes through an escaper. */
static const char *
fed(const char *s, size_t n, size_t step, unsigned flags)
{
	static char		out[WSC_ESC_RATIO * 512 + 1];
	struct wsc_escaper	e;
	size_t			i, k, w = 0;

	wsc_escaper_init(&e, flags);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		w += wsc_escaper_feed(&e, out + w, (const uint8_t *)s + i, k, 0);
	}
	w += wsc_escaper_feed(&e, out + w, NULL, 0, 1);
	out[w] = '\0';
	return out;
}

START_TEST(pieces_give_the_same_text)
{
	static const char	s[] = "a\xe2\x80\xae" "b\xc2\x9b" "c\xf0\x9f\x98\x80"
	    "\xe2\x82z\xed\xa0\x80\n\x1b[2J\xc3\xa9\xe2\x81\xa6";
	char			whole[WSC_ESC_RATIO * sizeof s];
	size_t			step;

	strcpy(whole, esc(s, sizeof s - 1, WSC_ESC_KEEP_NL));
	for (step = 1; step <= sizeof s; step++)
		ck_assert_str_eq(fed(s, sizeof s - 1, step, WSC_ESC_KEEP_NL),
		    whole);
	/* An unfinished character at the very end is shown escaped. */
	ck_assert_str_eq(fed("x\xe2\x80", 3, 1, 0), "x\\xe2\\x80");
	ck_assert_str_eq(fed("x\xe2\x80", 3, 2, 0), "x\\xe2\\x80");
}
END_TEST

/* What an escape writes is safe, so escaping it again changes nothing. */
START_TEST(escaping_twice_is_escaping_once)
{
	uint8_t	in[256];
	char	once[WSC_ESC_RATIO * 256 + 1], twice[WSC_ESC_RATIO * WSC_ESC_RATIO * 256];
	size_t	i, used, w1, w2;

	for (i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 37 + 11);
	w1 = wsc_escape(once, in, sizeof in, 0, &used);
	w2 = wsc_escape(twice, (const uint8_t *)once, w1, 0, &used);
	ck_assert_uint_eq(w1, w2);
	ck_assert_mem_eq(once, twice, w1);
}
END_TEST

static Suite *
escape_suite(void)
{
	Suite	*s = suite_create("escape");
	TCase	*tc = tcase_create("escape");

	tcase_add_test(tc, every_c0_and_del);
	tcase_add_test(tc, printable_ascii_as_is);
	tcase_add_test(tc, edges_at_every_position);
	tcase_add_test(tc, newline_and_tab_as_the_caller_says);
	tcase_add_test(tc, c1_edges);
	tcase_add_test(tc, bidi_edges);
	tcase_add_test(tc, valid_utf8_as_is);
	tcase_add_test(tc, invalid_utf8_byte_by_byte);
	tcase_add_test(tc, more_leaves_an_unfinished_character);
	tcase_add_test(tc, pieces_give_the_same_text);
	tcase_add_test(tc, escaping_twice_is_escaping_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(escape_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
