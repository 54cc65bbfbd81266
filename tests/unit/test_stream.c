/* Unit tests for stream.c's --forward target: what parses as HOST:PORT or
 * unix:PATH, and what is a usage error (2). Only address literals are
 * resolved here: no name service is asked. */
#include "config.h"

#include <check.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "stream.h"

/* wsc_stream_target_init's status for spec, the target freed. */
static int
status(const char *spec)
{
	struct wsc_stream_target	t;
	char				err[256];
	int				st;

	st = wsc_stream_target_init(&t, spec, 0, err, sizeof err);
	if (st != 0)
		ck_assert_msg(strstr(err, "--forward") != NULL ||
		    strstr(err, "resolve") != NULL, "%s: %s", spec, err);
	wsc_stream_target_free(&t);
	return st;
}

START_TEST(literals_and_ports)
{
	struct wsc_stream_target	t;
	char				err[256];

	ck_assert_int_eq(wsc_stream_target_init(&t, "127.0.0.1:5900", 0, err,
	    sizeof err), 0);
	ck_assert_ptr_nonnull(t.ai);
	ck_assert_int_eq(t.is_unix, 0);
	ck_assert_str_eq(t.name, "127.0.0.1:5900");
	wsc_stream_target_free(&t);
	ck_assert_ptr_null(t.ai);
	ck_assert_int_eq(status("[::1]:1"), 0);
	ck_assert_int_eq(status("127.0.0.1:65535"), 0);
}
END_TEST

START_TEST(not_host_port)
{
	ck_assert_int_eq(status("127.0.0.1"), 2);	/* no port */
	ck_assert_int_eq(status("127.0.0.1:"), 2);
	ck_assert_int_eq(status("127.0.0.1:65536"), 2);
	ck_assert_int_eq(status("127.0.0.1:x"), 2);
	ck_assert_int_eq(status(":80"), 2);
	ck_assert_int_eq(status("::1:80"), 2);		/* IPv6 needs [] */
	ck_assert_int_eq(status("h/x:80"), 2);
	ck_assert_int_eq(status("h:80/"), 2);
	ck_assert_int_eq(status("u@h:80"), 2);
	ck_assert_int_eq(status("h:80?q"), 2);
	ck_assert_int_eq(status(""), 2);
}
END_TEST

START_TEST(unix_paths)
{
	struct wsc_stream_target	t;
	char				err[256], spec[sizeof t.un.sun_path + 8];

	ck_assert_int_eq(wsc_stream_target_init(&t, "unix:/run/x.sock", 0,
	    err, sizeof err), 0);
	ck_assert_int_eq(t.is_unix, 1);
	ck_assert_str_eq(t.un.sun_path, "/run/x.sock");
	wsc_stream_target_free(&t);
	ck_assert_int_eq(status("unix:"), 2);
	/* the longest path that fits, and one byte more */
	memset(spec, 'a', sizeof spec);
	memcpy(spec, "unix:", 5);
	spec[5 + sizeof t.un.sun_path - 1] = '\0';
	ck_assert_int_eq(status(spec), 0);
	spec[5 + sizeof t.un.sun_path - 1] = 'a';
	spec[5 + sizeof t.un.sun_path] = '\0';
	ck_assert_int_eq(status(spec), 2);
}
END_TEST

static Suite *
stream_suite(void)
{
	Suite	*s = suite_create("stream");
	TCase	*tc = tcase_create("target");

	tcase_add_test(tc, literals_and_ports);
	tcase_add_test(tc, not_host_port);
	tcase_add_test(tc, unix_paths);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(stream_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
