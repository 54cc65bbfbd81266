/* Unit tests for the timestamps: the two layouts, milliseconds at their
 * edges, the per-second cache, and when a clock reading may be reused. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "stamp.h"

static struct timespec
at(time_t sec, long nsec)
{
	struct timespec	ts;

	ts.tv_sec = sec;
	ts.tv_nsec = nsec;
	return ts;
}

START_TEST(layouts)
{
	struct wsc_stamp	st;
	struct timespec		ts;
	char			d[32];

	setenv("TZ", "UTC", 1);
	tzset();
	wsc_stamp_init(&st);
	ts = at(1796279434, 123999999);	/* 2026-12-03 06:30:34.123999999 */
	memset(d, 0, sizeof d);
	wsc_stamp_utc(&st, &ts, d);
	ck_assert_str_eq(d, "2026-12-03T06:30:34.123Z");
	memset(d, 0, sizeof d);
	wsc_stamp_local(&st, &ts, d);
	ck_assert_str_eq(d, "06:30:34.123 ");
	ts = at(1796279434, 0);
	wsc_stamp_utc(&st, &ts, d);
	ck_assert_str_eq(d, "2026-12-03T06:30:34.000Z");
	/* the next second, and the last millisecond of a day */
	ts = at(1796279435, 999000000);
	wsc_stamp_utc(&st, &ts, d);
	ck_assert_str_eq(d, "2026-12-03T06:30:35.999Z");
	ts = at(1796342399, 999999999);
	memset(d, 0, sizeof d);
	wsc_stamp_local(&st, &ts, d);
	ck_assert_str_eq(d, "23:59:59.999 ");
	wsc_stamp_utc(&st, &ts, d);
	ck_assert_str_eq(d, "2026-12-03T23:59:59.999Z");
}
END_TEST

START_TEST(local_zone)
{
	struct wsc_stamp	st;
	struct timespec		ts = at(1796279434, 5000000);
	char			d[32];

	setenv("TZ", "XYZ-2", 1);	/* two hours east of UTC */
	tzset();
	wsc_stamp_init(&st);
	memset(d, 0, sizeof d);
	wsc_stamp_local(&st, &ts, d);
	ck_assert_str_eq(d, "08:30:34.005 ");
	wsc_stamp_utc(&st, &ts, d);
	ck_assert_str_eq(d, "2026-12-03T06:30:34.005Z");
}
END_TEST

START_TEST(clock_reuse)
{
	struct wsc_stamp	st;
	struct timespec		first, ts;
	unsigned		i;

	wsc_stamp_init(&st);
	wsc_stamp_clock(&st, 7, &first);
	ck_assert_int_gt(first.tv_sec, 0);
	/* the same reading for the lines of one run of work... */
	for (i = 1; i < WSC_STAMP_REUSE; i++) {
		wsc_stamp_clock(&st, 7, &ts);
		ck_assert_int_eq(ts.tv_sec, first.tv_sec);
		ck_assert_int_eq(ts.tv_nsec, first.tv_nsec);
	}
	/* ...then a new one, and at once when the epoch moves */
	st.now.tv_sec = 0;
	wsc_stamp_clock(&st, 7, &ts);
	ck_assert_int_gt(ts.tv_sec, 0);
	st.now.tv_sec = 0;
	wsc_stamp_clock(&st, 8, &ts);
	ck_assert_int_gt(ts.tv_sec, 0);
	st.now.tv_sec = 0;
	wsc_stamp_clock(&st, 8, &ts);
	ck_assert_int_eq(ts.tv_sec, 0);
}
END_TEST

static Suite *
stamp_suite(void)
{
	Suite	*s = suite_create("stamp");
	TCase	*tc = tcase_create("stamp");

	tcase_add_test(tc, layouts);
	tcase_add_test(tc, local_zone);
	tcase_add_test(tc, clock_reuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(stamp_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
