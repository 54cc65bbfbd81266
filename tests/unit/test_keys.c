/* Unit tests for the prompt's key reader (keys.c) on a pseudo-terminal:
 * a read never waits, and Ctrl+C or SIGTERM ends a wait, giving a bracketed
 * paste its end first. */
#include "config.h"
/* posix_openpt() and its kin are POSIX's XSI option. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keys.h"
#include "pty.h"
#include "rl.h"
#include "signals.h"

static int	master = -1;

/* stdin becomes a new pseudo-terminal in raw mode, set up as the prompt
 * sets it; readline is loaded and our reader put in place. */
static void
setup(void)
{
	struct termios	tio;
	char		err[256];

	master = test_pty_on_stdin();
	ck_assert_int_eq(tcgetattr(STDIN_FILENO, &tio), 0);
	tio.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	wsc_keys_nowait(STDIN_FILENO, &tio);
	ck_assert_int_eq(wsc_rl_load(err, sizeof err), 0);
	ck_assert_int_eq(wsc_signals_install(), 0);
	wsc_keys_setup();
}

static void
teardown(void)
{
	close(master);
}

/* What the terminal sends. */
static void
type(const char *s)
{
	ck_assert_int_eq(write(master, s, strlen(s)), (ssize_t)strlen(s));
}

/* The next key readline gets. */
static int
next_key(void)
{
	return rl_getc_function(stdin);
}

START_TEST(nothing_queued_does_not_wait)
{
	struct termios	tio;

	ck_assert_int_eq(tcgetattr(STDIN_FILENO, &tio), 0);
	ck_assert_int_eq(tio.c_cc[VMIN], 0);
	ck_assert_int_eq(tio.c_cc[VTIME], 0);
	/* With readline's VMIN 1 this would wait for ever. */
	ck_assert_int_eq(wsc_keys_take(), 0);
	type("a");
	ck_assert_int_eq(wsc_keys_take(), 1);
	ck_assert_int_eq(next_key(), 'a');
}
END_TEST

START_TEST(keys_after_the_first_are_read_on)
{
	type("xyz");
	ck_assert_int_eq(wsc_keys_take(), 1);
	ck_assert_int_eq(next_key(), 'x');
	ck_assert_int_eq(next_key(), 'y');
	ck_assert_int_eq(next_key(), 'z');
}
END_TEST

START_TEST(an_untaken_key_is_not_lost)
{
	type("ab");
	ck_assert_int_eq(wsc_keys_take(), 1);
	ck_assert_int_eq(wsc_keys_take(), 1);
	ck_assert_int_eq(next_key(), 'a');
	ck_assert_int_eq(next_key(), 'b');
}
END_TEST

START_TEST(ctrl_c_ends_a_wait_with_eof)
{
	raise(SIGINT);
	ck_assert_int_eq(next_key(), EOF);
}
END_TEST

/* A paste under way when signal sig comes: readline gets the paste's end,
 * then EOF. */
static void
check_paste_cut(int sig)
{
	const char	*p;

	type("\033[200~ab");
	ck_assert_int_eq(wsc_keys_take(), 1);
	for (p = "\033[200~ab"; *p != '\0'; p++)
		ck_assert_int_eq(next_key(), (unsigned char)*p);
	raise(sig);
	for (p = "\033[201~"; *p != '\0'; p++)
		ck_assert_int_eq(next_key(), (unsigned char)*p);
	ck_assert_int_eq(next_key(), EOF);
}

START_TEST(ctrl_c_gives_a_paste_its_end)
{
	check_paste_cut(SIGINT);
}
END_TEST

START_TEST(sigterm_gives_a_paste_its_end)
{
	check_paste_cut(SIGTERM);
}
END_TEST

START_TEST(no_paste_end_outside_a_paste)
{
	type("\033[200~ab\033[201~");
	ck_assert_int_eq(wsc_keys_take(), 1);
	while (next_key() != '~')
		;
	while (next_key() != '~')
		;
	raise(SIGINT);
	ck_assert_int_eq(next_key(), EOF);
}
END_TEST

static Suite *
keys_suite(void)
{
	Suite	*s = suite_create("keys");
	TCase	*tc = tcase_create("pty");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, nothing_queued_does_not_wait);
	tcase_add_test(tc, keys_after_the_first_are_read_on);
	tcase_add_test(tc, an_untaken_key_is_not_lost);
	tcase_add_test(tc, ctrl_c_ends_a_wait_with_eof);
	tcase_add_test(tc, ctrl_c_gives_a_paste_its_end);
	tcase_add_test(tc, sigterm_gives_a_paste_its_end);
	tcase_add_test(tc, no_paste_end_outside_a_paste);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(keys_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
