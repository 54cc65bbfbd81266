/* Unit tests for src/refusal.c: peer text escaped at its byte
 * boundaries, and the lines that explain a refused handshake. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "refusal.h"

/* Parses a response head into m (the test owns it). */
static void
parse(struct wsc_http_msg *m, const char *head)
{
	ck_assert_int_eq(wsc_http_parse(head, strlen(head), 0, m),
	    (int)strlen(head));
}

START_TEST(test_printable_bytes)
{
	const uint8_t	in[] = { 0x1f, 0x20, 0x7e, 0x7f, 0x00, 0xff, '\n' };
	char		out[64];

	ck_assert_uint_eq(wsc_refusal_printable(in, sizeof in, out,
	    sizeof out), 22);
	ck_assert_str_eq(out, "\\x1f ~\\x7f\\x00\\xff\\x0a");
}
END_TEST

START_TEST(test_printable_room)
{
	const uint8_t	in[] = { 'a', 0x1b, 'b' };
	char		out[8];

	/* No room for anything but the NUL; an escape is never cut. */
	ck_assert_uint_eq(wsc_refusal_printable(in, 3, out, 1), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(wsc_refusal_printable(in, 3, out, 5), 1);
	ck_assert_str_eq(out, "a");
	ck_assert_uint_eq(wsc_refusal_printable(in, 3, out, 6), 5);
	ck_assert_str_eq(out, "a\\x1b");
	ck_assert_uint_eq(wsc_refusal_printable(in, 3, out, 7), 6);
	ck_assert_str_eq(out, "a\\x1bb");
	ck_assert_uint_eq(wsc_refusal_printable(in, 3, out, 0), 0);
}
END_TEST

/* UTF-8 is shown as it is; C1 and BIDI controls and bytes that are not
 * UTF-8 are escaped (wsc(1), ESCAPING). */
START_TEST(test_printable_utf8)
{
	const char	in[] = "\xc3\xa9t\xc3\xa9 \xc2\x9b" "2J \xe2\x80\xae \xc3";
	char		out[64];

	ck_assert_uint_eq(wsc_refusal_printable((const uint8_t *)in,
	    strlen(in), out, sizeof out), 26);
	ck_assert_str_eq(out, "\xc3\xa9t\xc3\xa9 \\u009b2J \\u202e \\xc3");
}
END_TEST

/* A character is never cut at the end of the room, nor an escape. */
START_TEST(test_printable_room_utf8)
{
	const char	in[] = "a\xe2\x82\xac\xc2\x85";
	char		out[16];

	ck_assert_uint_eq(wsc_refusal_printable((const uint8_t *)in, 6, out,
	    4), 1);
	ck_assert_str_eq(out, "a");
	ck_assert_uint_eq(wsc_refusal_printable((const uint8_t *)in, 6, out,
	    5), 4);
	ck_assert_str_eq(out, "a\xe2\x82\xac");
	ck_assert_uint_eq(wsc_refusal_printable((const uint8_t *)in, 6, out,
	    10), 4);
	ck_assert_uint_eq(wsc_refusal_printable((const uint8_t *)in, 6, out,
	    11), 10);
	ck_assert_str_eq(out, "a\xe2\x82\xac\\u0085");
	/* The input ends inside a character: its bytes, one escape each. */
	ck_assert_uint_eq(wsc_refusal_printable((const uint8_t *)in, 3, out,
	    sizeof out), 9);
	ck_assert_str_eq(out, "a\\xe2\\x82");
}
END_TEST

START_TEST(test_explain_headers)
{
	struct wsc_http_msg	m;
	char			*t;

	memset(&m, 0, sizeof m);
	parse(&m, "HTTP/1.1 401 Unauthorized\r\nX-Other: 1\r\n"
	    "www-authenticate: Bearer realm=\"a\xe9\"\r\nRetry-After: 5\r\n\r\n");
	t = wsc_refusal_explain(&m, NULL, 0);
	ck_assert_str_eq(t, "  WWW-Authenticate: Bearer realm=\"a\\xe9\"\n"
	    "  Retry-After: 5");
	free(t);
	wsc_http_msg_free(&m);
	parse(&m, "HTTP/1.1 500 Oops\r\nX-Other: 1\r\n\r\n");
	ck_assert_ptr_null(wsc_refusal_explain(&m, NULL, 0));
	wsc_http_msg_free(&m);
}
END_TEST

START_TEST(test_explain_body)
{
	struct wsc_http_msg	 m;
	uint8_t			 body[600];
	char			*t;

	memset(&m, 0, sizeof m);
	parse(&m, "HTTP/1.1 404 Not Found\r\n\r\n");
	t = wsc_refusal_explain(&m, (const uint8_t *)"a\r\n\r\nb\x1b", 7);
	ck_assert_str_eq(t, "  body:\n    a\n    \n    b\\x1b");
	free(t);
	/* 512 bytes at most, the title says so. */
	memset(body, 'z', sizeof body);
	t = wsc_refusal_explain(&m, body, sizeof body);
	ck_assert_ptr_nonnull(strstr(t, "body (first 512 bytes):\n    zzz"));
	ck_assert_uint_eq(strlen(t), strlen("  body (first 512 bytes):\n    ") +
	    512);
	free(t);
	wsc_http_msg_free(&m);
}
END_TEST

static Suite *
refusal_suite(void)
{
	Suite	*s = suite_create("refusal");
	TCase	*tc = tcase_create("refusal");

	tcase_add_test(tc, test_printable_bytes);
	tcase_add_test(tc, test_printable_room);
	tcase_add_test(tc, test_printable_utf8);
	tcase_add_test(tc, test_printable_room_utf8);
	tcase_add_test(tc, test_explain_headers);
	tcase_add_test(tc, test_explain_body);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(refusal_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
