/* Unit tests for src/goal.c: --count and --until at their boundaries
 * (pings are the session's business; here every message counts). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "goal.h"

/* Sets up g, failing the test on an error. */
static void
init(struct wsc_goal *g, unsigned long count, const char *until)
{
	char	err[128];

	ck_assert_int_eq(wsc_goal_init(g, count, until, err, sizeof err), 0);
}

#define TEXT(g, s) \
	wsc_goal_message((g), WSC_OP_TEXT, (const uint8_t *)(s), strlen(s))

START_TEST(test_count)
{
	struct wsc_goal	g;

	init(&g, 2, NULL);
	ck_assert_int_eq(wsc_goal_active(&g), 1);
	ck_assert_int_eq(wsc_goal_message(&g, WSC_OP_BINARY,
	    (const uint8_t *)"", 0), 0);
	ck_assert_int_eq(TEXT(&g, "x"), 1);
	ck_assert_uint_eq(g.seen, 2);
	wsc_goal_free(&g);
	wsc_goal_free(&g);
	init(&g, 0, NULL);
	ck_assert_int_eq(wsc_goal_active(&g), 0);
	wsc_goal_free(&g);
}
END_TEST

START_TEST(test_until_text_only)
{
	struct wsc_goal	g;

	init(&g, 0, "^a.b$");
	ck_assert_int_eq(wsc_goal_message(&g, WSC_OP_BINARY,
	    (const uint8_t *)"a\nb", 3), 0);
	ck_assert_int_eq(TEXT(&g, "xa\nb"), 0);
	/* '.' matches a newline: the anchors are the message's ends. */
	ck_assert_int_eq(TEXT(&g, "a\nb"), 1);
	wsc_goal_free(&g);
}
END_TEST

START_TEST(test_until_nul)
{
	struct wsc_goal	g;

	init(&g, 0, "def");
	ck_assert_int_eq(wsc_goal_message(&g, WSC_OP_TEXT,
	    (const uint8_t *)"abc\0def", 7), 0);
	ck_assert_int_eq(TEXT(&g, "def"), 1);
	wsc_goal_free(&g);
}
END_TEST

START_TEST(test_until_parts_limit)
{
	struct wsc_goal	 g;
	size_t		 n = WSC_GOAL_MATCH_MAX;
	uint8_t		*x = malloc(n);

	ck_assert_ptr_nonnull(x);
	memset(x, 'x', n);
	/* The last byte kept is the limit's: "y" just past it is not seen. */
	init(&g, 0, "x{10}y");
	ck_assert_int_eq(wsc_goal_part(&g, WSC_OP_TEXT, x, n - 1, 1, 0), 0);
	ck_assert_int_eq(wsc_goal_part(&g, WSC_OP_TEXT,
	    (const uint8_t *)"y", 1, 0, 0), 0);
	ck_assert_int_eq(wsc_goal_part(&g, WSC_OP_TEXT, NULL, 0, 0, 1), 1);
	wsc_goal_free(&g);
	init(&g, 0, "x{10}y");
	ck_assert_int_eq(wsc_goal_part(&g, WSC_OP_TEXT, x, n, 1, 0), 0);
	ck_assert_int_eq(wsc_goal_part(&g, WSC_OP_TEXT,
	    (const uint8_t *)"y", 1, 0, 1), 0);
	/* The next message starts afresh. */
	ck_assert_int_eq(wsc_goal_part(&g, WSC_OP_TEXT,
	    (const uint8_t *)"xxxxxxxxxxy", 11, 1, 1), 1);
	wsc_goal_free(&g);
	free(x);
}
END_TEST

START_TEST(test_bad_regex)
{
	struct wsc_goal	g;
	char		err[128] = "";

	ck_assert_int_eq(wsc_goal_init(&g, 0, "a(", err, sizeof err), -1);
	ck_assert_str_ne(err, "");
	wsc_goal_free(&g);
}
END_TEST

static Suite *
goal_suite(void)
{
	Suite	*s = suite_create("goal");
	TCase	*tc = tcase_create("goal");

	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_until_text_only);
	tcase_add_test(tc, test_until_nul);
	tcase_add_test(tc, test_until_parts_limit);
	tcase_add_test(tc, test_bad_regex);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(goal_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
