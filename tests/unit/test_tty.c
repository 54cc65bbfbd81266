/* Unit tests for the terminal ui's pure helpers: /binary's hex parsing
 * (slash.c), the colour decision and where the history is kept. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "slash.h"
#include "tty.h"

START_TEST(hex_with_and_without_spaces)
{
	uint8_t	b[16];

	ck_assert_int_eq(wsc_slash_parse_hex("48 65 6c6c 6F", b), 5);
	ck_assert_int_eq(memcmp(b, "Hello", 5), 0);
	ck_assert_int_eq(wsc_slash_parse_hex("  00ff\t7f ", b), 3);
	ck_assert_int_eq(b[0], 0x00);
	ck_assert_int_eq(b[1], 0xff);
	ck_assert_int_eq(b[2], 0x7f);
	ck_assert_int_eq(wsc_slash_parse_hex("", b), 0);
}
END_TEST

START_TEST(hex_rejects_bad_input)
{
	uint8_t	b[16];

	ck_assert_int_eq(wsc_slash_parse_hex("4", b), -1);	/* odd */
	ck_assert_int_eq(wsc_slash_parse_hex("4 8", b), -1);	/* split byte */
	ck_assert_int_eq(wsc_slash_parse_hex("zz", b), -1);
	ck_assert_int_eq(wsc_slash_parse_hex("0x41", b), -1);
	ck_assert_int_eq(wsc_slash_parse_hex("41,42", b), -1);
}
END_TEST

START_TEST(color_decision)
{
	ck_assert_int_eq(wsc_tty_want_color(0, NULL, "xterm-256color"), 1);
	ck_assert_int_eq(wsc_tty_want_color(0, "", "xterm"), 1);
	ck_assert_int_eq(wsc_tty_want_color(1, NULL, "xterm"), 0);
	ck_assert_int_eq(wsc_tty_want_color(0, "1", "xterm"), 0);
	ck_assert_int_eq(wsc_tty_want_color(0, NULL, "dumb"), 0);
	ck_assert_int_eq(wsc_tty_want_color(0, NULL, ""), 0);
	ck_assert_int_eq(wsc_tty_want_color(0, NULL, NULL), 0);
}
END_TEST

START_TEST(history_path)
{
	char	*p;

	p = wsc_tty_history_path("/x/state", "/home/u");
	ck_assert_str_eq(p, "/x/state/wsc/history");
	free(p);
	/* A relative XDG_STATE_HOME is ignored (XDG base directory spec). */
	p = wsc_tty_history_path("rel", "/home/u");
	ck_assert_str_eq(p, "/home/u/.local/state/wsc/history");
	free(p);
	p = wsc_tty_history_path("", "/home/u");
	ck_assert_str_eq(p, "/home/u/.local/state/wsc/history");
	free(p);
	ck_assert_ptr_null(wsc_tty_history_path(NULL, NULL));
	ck_assert_ptr_null(wsc_tty_history_path(NULL, ""));
}
END_TEST

static Suite *
tty_suite(void)
{
	Suite	*s = suite_create("tty");
	TCase	*tc = tcase_create("helpers");

	tcase_add_test(tc, hex_with_and_without_spaces);
	tcase_add_test(tc, hex_rejects_bad_input);
	tcase_add_test(tc, color_decision);
	tcase_add_test(tc, history_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(tty_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
