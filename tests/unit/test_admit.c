/* Unit tests for admit.c: which slow handshake gives way (host share,
 * then age) and what an unfinished message is charged. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"
#include "frame.h"
#include "ws.h"

/* The index of the victim among n entries made of addrs and times. */
static long
victim(const char **addrs, const int64_t *since, size_t n)
{
	struct wsc_admit_entry		 v[16];
	const struct wsc_admit_entry	*e;
	size_t				 i;

	for (i = 0; i < n; i++) {
		v[i].addr = addrs[i];
		v[i].since = since[i];
		v[i].fresh = since[i] >= 100;	/* (the tests' convention) */
		v[i].index = i;
	}
	e = wsc_admit_victim(v, n);
	return e == NULL ? -1 : (long)e->index;
}

START_TEST(empty_has_no_victim)
{
	ck_assert_int_eq(victim(NULL, NULL, 0), -1);
}
END_TEST

START_TEST(one_host_each_oldest_goes)
{
	const char	*a[] = { "10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1" };
	const int64_t	 t[] = { 30, 10, 20 };

	ck_assert_int_eq(victim(a, t, 3), 1);
}
END_TEST

START_TEST(heaviest_host_gives_way)
{
	/* The oldest of all is 10.0.0.1's, but 10.0.0.2 holds more. */
	const char	*a[] = { "10.0.0.1:1", "10.0.0.2:1", "10.0.0.2:2",
			     "10.0.0.2:3" };
	const int64_t	 t[] = { 1, 50, 40, 60 };

	ck_assert_int_eq(victim(a, t, 4), 2);
}
END_TEST

START_TEST(tie_goes_to_the_older)
{
	/* 2 and 2: the host with the older connection gives way. */
	const char	*a[] = { "10.0.0.5:1", "10.0.0.5:2", "10.0.0.1:1",
			     "10.0.0.1:2" };
	const int64_t	 t[] = { 9, 3, 4, 8 };

	ck_assert_int_eq(victim(a, t, 4), 1);
}
END_TEST

START_TEST(host_is_up_to_the_last_colon)
{
	/* IPv6 hosts hold colons; "10.0.0.1" is not a prefix match of
	 * "10.0.0.10". */
	const char	*a[] = { "[::1]:80", "[::1]:81", "10.0.0.1:5",
			     "10.0.0.10:5", "10.0.0.10:6", "10.0.0.10:7" };
	const int64_t	 t[] = { 5, 6, 1, 7, 8, 9 };

	ck_assert_int_eq(victim(a, t, 6), 3);
	ck_assert_int_eq(victim(a, t, 3), 0);
	/* 10.0.0.1 and 10.0.0.10 with one each: the older, 10.0.0.1's. */
	ck_assert_int_eq(victim(a + 2, t + 2, 2) + 2, 2);
}
END_TEST

START_TEST(fresh_ones_never_go)
{
	/* (since >= 100: fresh.) 10.0.0.2 holds the most: its oldest read
	 * one goes, and 10.0.0.1's older connection stays. */
	const char	*a[] = { "10.0.0.1:1", "10.0.0.2:1", "10.0.0.2:2",
			     "10.0.0.2:3" };
	const int64_t	 t1[] = { 1, 100, 50, 101 };
	/* All of the heaviest host's are fresh: nobody goes yet. */
	const int64_t	 t2[] = { 1, 100, 102, 101 };

	ck_assert_int_eq(victim(a, t1, 4), 2);
	ck_assert_int_eq(victim(a, t2, 4), -1);
}
END_TEST

START_TEST(same_age_keeps_the_callers_order)
{
	const char	*a[] = { "1.1.1.1:3", "1.1.1.1:1", "1.1.1.1:2" };
	const int64_t	 t[] = { 5, 5, 5 };

	ck_assert_int_eq(victim(a, t, 3), 0);
}
END_TEST

/* A masked frame header announcing len bytes (key 0: payload as is). */
static size_t
header(uint8_t *p, int fin, int op, uint64_t len)
{
	static const uint8_t	key[4];

	return wsc_frame_encode(p, fin, 0, op, key, len);
}

START_TEST(announced_frame_is_charged)
{
	struct wsc_ws		ws;
	struct wsc_event	ev;
	uint8_t			buf[64];
	size_t			n;

	ck_assert_int_eq(wsc_ws_init(&ws, WSC_ROLE_SERVER, NULL, NULL,
	    1 << 20), 0);
	ck_assert_uint_eq(wsc_admit_held(&ws), 0);
	ck_assert_int_eq(wsc_admit_partial(&ws), 0);
	/* Half a header: partial, holding its two bytes. */
	n = header(buf, 0, WSC_OP_BINARY, 100000);
	ck_assert_int_eq(wsc_ws_feed(&ws, buf, 2), 0);
	ck_assert_int_eq(wsc_ws_next(&ws, &ev), WSC_EV_NONE);
	ck_assert_int_eq(wsc_admit_partial(&ws), 1);
	ck_assert_uint_eq(wsc_admit_held(&ws), 2);
	/* The whole header: its length is charged before any payload. */
	ck_assert_int_eq(wsc_ws_feed(&ws, buf + 2, n - 2), 0);
	ck_assert_int_eq(wsc_ws_next(&ws, &ev), WSC_EV_NONE);
	ck_assert_uint_eq(wsc_admit_held(&ws), 100000);
	/* 10 bytes of payload: still 100000 (moved, not added). */
	memset(buf, 'x', 10);
	ck_assert_int_eq(wsc_ws_feed(&ws, buf, 10), 0);
	ck_assert_int_eq(wsc_ws_next(&ws, &ev), WSC_EV_NONE);
	ck_assert_uint_eq(wsc_admit_held(&ws), 100000);
	/* The caller's own limit: nothing held any more, not partial. */
	wsc_ws_abort(&ws, WSC_CLOSE_TOO_BIG, "budget");
	ck_assert_uint_eq(wsc_admit_held(&ws), 0);
	ck_assert_int_eq(wsc_admit_partial(&ws), 0);
	ck_assert_uint_eq(ws.close_code_sent, WSC_CLOSE_TOO_BIG);
	ck_assert_int_eq(ws.state, WSC_WS_FAILED);
	wsc_ws_free(&ws);
}
END_TEST

START_TEST(control_frame_is_not_charged_ahead)
{
	struct wsc_ws		ws;
	struct wsc_event	ev;
	uint8_t			buf[16];
	size_t			n;

	ck_assert_int_eq(wsc_ws_init(&ws, WSC_ROLE_SERVER, NULL, NULL,
	    1 << 20), 0);
	n = header(buf, 1, WSC_OP_PING, 100);
	ck_assert_int_eq(wsc_ws_feed(&ws, buf, n), 0);
	ck_assert_int_eq(wsc_ws_next(&ws, &ev), WSC_EV_NONE);
	ck_assert_uint_eq(wsc_admit_held(&ws), 0);
	ck_assert_int_eq(wsc_admit_partial(&ws), 1);
	wsc_ws_free(&ws);
}
END_TEST

static Suite *
admit_suite(void)
{
	Suite	*s = suite_create("admit");
	TCase	*tc = tcase_create("victim");
	TCase	*tm = tcase_create("held");

	tcase_add_test(tc, empty_has_no_victim);
	tcase_add_test(tc, one_host_each_oldest_goes);
	tcase_add_test(tc, heaviest_host_gives_way);
	tcase_add_test(tc, tie_goes_to_the_older);
	tcase_add_test(tc, host_is_up_to_the_last_colon);
	tcase_add_test(tc, same_age_keeps_the_callers_order);
	tcase_add_test(tc, fresh_ones_never_go);
	suite_add_tcase(s, tc);
	tcase_add_test(tm, announced_frame_is_charged);
	tcase_add_test(tm, control_frame_is_not_charged_ahead);
	suite_add_tcase(s, tm);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(admit_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
