/* Unit tests for src/route.c: "/to N text" at its boundaries. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

/* Parses the line s; its kind. */
static enum wsc_route_kind
parse(const char *s, struct wsc_route *r)
{
	return wsc_route_parse(s, strlen(s), r);
}

/* Asserts that s sends text to client n. */
static void
sends(const char *s, unsigned n, const char *text)
{
	struct wsc_route	r;

	ck_assert_int_eq(parse(s, &r), WSC_ROUTE_TO);
	ck_assert_uint_eq(r.client, n);
	ck_assert_uint_eq(r.len, strlen(text));
	ck_assert_mem_eq(r.text, text, r.len);
	ck_assert_ptr_eq(r.text + r.len, s + strlen(s));
}

/* Asserts that s is a /to line refused for a reason containing why. */
static void
refused(const char *s, const char *why)
{
	struct wsc_route	r;

	ck_assert_int_eq(parse(s, &r), WSC_ROUTE_BAD);
	ck_assert_ptr_nonnull(r.why);
	ck_assert_ptr_nonnull(strstr(r.why, why));
}

START_TEST(test_plain)
{
	sends("/to 2 just for you", 2, "just for you");
	sends("/to 1 x", 1, "x");
	sends("/to\t3\tx", 3, "x");
	sends("/to   3 x", 3, "x");
}
END_TEST

/* One blank separates N from the text; the text keeps the rest. */
START_TEST(test_blanks_kept)
{
	sends("/to 2   indented", 2, "  indented");
	sends("/to 2 trailing  ", 2, "trailing  ");
	sends("/to 2   ", 2, "  ");
	sends("/to 2 ", 2, "");
	sends("/to 2", 2, "");
	sends("/to 2 /to 3 x", 2, "/to 3 x");
}
END_TEST

START_TEST(test_not_a_to_line)
{
	struct wsc_route	r;

	ck_assert_int_eq(parse("/tox 2 a", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse("/t", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse("", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse(" /to 2 a", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse("/TO 2 a", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse("//to 2 a", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse("to 2 a", &r), WSC_ROUTE_NONE);
	ck_assert_int_eq(parse("/to2 a", &r), WSC_ROUTE_NONE);
}
END_TEST

START_TEST(test_missing)
{
	refused("/to", "missing");
	refused("/to ", "missing");
	refused("/to \t ", "missing");
}
END_TEST

START_TEST(test_zero)
{
	refused("/to 0 a", "numbered from 1");
	refused("/to 0", "numbered from 1");
	refused("/to 000 a", "numbered from 1");
}
END_TEST

START_TEST(test_leading_zeros)
{
	sends("/to 007 bond", 7, "bond");
	sends("/to 0000000000000000000000001 a", 1, "a");
}
END_TEST

/* N is an unsigned int: the largest is taken, one more is not, nor any
 * number long enough to overflow 64 bits. */
START_TEST(test_huge)
{
	sends("/to 4294967295 a", 4294967295u, "a");
	refused("/to 4294967296 a", "too large");
	refused("/to 18446744073709551617 a", "too large");
	refused("/to 99999999999999999999999999999999999999 a", "too large");
}
END_TEST

START_TEST(test_non_digits)
{
	refused("/to x hi", "not a number");
	refused("/to 2x hi", "not a number");
	refused("/to -1 hi", "not a number");
	refused("/to +1 hi", "not a number");
	refused("/to 1,2 hi", "not a number");
	refused("/to 2\n hi", "not a number");
	refused("/to \xef\xbc\x92 hi", "not a number");
}
END_TEST

/* Bytes, not strings: no NUL needed, a NUL is a byte like any other. */
START_TEST(test_bytes)
{
	struct wsc_route	r;
	const char		line[] = "/to 12 a\0b";

	ck_assert_int_eq(wsc_route_parse(line, sizeof line - 1, &r),
	    WSC_ROUTE_TO);
	ck_assert_uint_eq(r.client, 12);
	ck_assert_uint_eq(r.len, 3);
	ck_assert_mem_eq(r.text, "a\0b", 3);
	/* The line ends within "/to 12": N is read only that far. */
	ck_assert_int_eq(wsc_route_parse(line, 5, &r), WSC_ROUTE_TO);
	ck_assert_uint_eq(r.client, 1);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_int_eq(wsc_route_parse("/to 5\0", 6, &r), WSC_ROUTE_BAD);
	ck_assert_int_eq(wsc_route_parse("/to\0", 4, &r), WSC_ROUTE_NONE);
}
END_TEST

/* What the prompt hands over: the words after "/to". */
START_TEST(test_args)
{
	struct wsc_route	r;

	ck_assert_int_eq(wsc_route_parse_args("3 hi", 4, &r), WSC_ROUTE_TO);
	ck_assert_uint_eq(r.client, 3);
	ck_assert_uint_eq(r.len, 2);
	ck_assert_int_eq(wsc_route_parse_args("", 0, &r), WSC_ROUTE_BAD);
	ck_assert_int_eq(wsc_route_parse_args("0", 1, &r), WSC_ROUTE_BAD);
	ck_assert_uint_eq(r.client, 0);
	ck_assert_int_eq(wsc_route_parse_args("4294967296", 10, &r),
	    WSC_ROUTE_BAD);
	ck_assert_uint_eq(r.client, 0);
}
END_TEST

static Suite *
route_suite(void)
{
	Suite	*s = suite_create("route");
	TCase	*tc = tcase_create("route");

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_blanks_kept);
	tcase_add_test(tc, test_not_a_to_line);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_zero);
	tcase_add_test(tc, test_leading_zeros);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_non_digits);
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_args);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(route_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
