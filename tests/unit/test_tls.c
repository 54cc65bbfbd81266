/* Unit tests for src/tls.c's choice of the system CA bundle: the
 * configured file, else the first usual place that can be read. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls.h"

static char	dir[64];
static char	a[96], b[96], none[96];

static void
setup(void)
{
	FILE	*f;

	snprintf(dir, sizeof dir, "/tmp/wsc-test-tls.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a.pem", dir);
	snprintf(b, sizeof b, "%s/b.pem", dir);
	snprintf(none, sizeof none, "%s/none.pem", dir);
	ck_assert_ptr_nonnull(f = fopen(b, "w"));
	fclose(f);
}

static void
teardown(void)
{
	unlink(a);
	unlink(b);
	rmdir(dir);
}

START_TEST(configured_first)
{
	const char	*usual[] = { b };
	FILE		*f = fopen(a, "w");

	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_str_eq(wsc_tls_ca_bundle(a, usual, 1), a);
}
END_TEST

/* A static binary on another distribution: the configured path is not
 * there, the usual places are tried in order. */
START_TEST(first_usual_that_exists)
{
	const char	*usual[] = { none, b, a };

	ck_assert_str_eq(wsc_tls_ca_bundle(none, usual, 3), b);
}
END_TEST

/* None anywhere: the configured path, for the error message. */
START_TEST(none_is_the_configured)
{
	const char	*usual[] = { none };

	ck_assert_str_eq(wsc_tls_ca_bundle(a, usual, 1), a);
	ck_assert_str_eq(wsc_tls_ca_bundle(a, usual, 0), a);
}
END_TEST

static Suite *
tls_suite(void)
{
	Suite	*s = suite_create("tls");
	TCase	*tc = tcase_create("ca bundle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, configured_first);
	tcase_add_test(tc, first_usual_that_exists);
	tcase_add_test(tc, none_is_the_configured);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(tls_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
