/* Unit tests for src/heartbeat.c: when pings are queued, which pongs
 * answer them (the payload is parsed here), and when a connection is
 * found dead. The socket is -1: nothing is held in a kernel, and the bytes
 * "written" are set by hand. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "heartbeat.h"
#include "util.h"
#include "ws.h"

/* A server-role core (no RNG needed) and a heartbeat on it. */
static void
setup(struct wsc_ws *ws, struct wsc_heartbeat *hb, int64_t interval,
    int64_t timeout, int64_t now)
{
	ck_assert_int_eq(wsc_ws_init(ws, WSC_ROLE_SERVER, NULL, NULL, 1024),
	    0);
	wsc_heartbeat_init(hb, ws, -1, interval, timeout, now);
}

/* Everything queued so far has been written (and, fd -1, arrived). */
static void
all_written(struct wsc_ws *ws, struct wsc_heartbeat *hb)
{
	ws->out_written = ws->out_queued;
	wsc_heartbeat_track(hb);
}

/* A pong with payload s; 1 when it answered a heartbeat ping. */
static int
pong(struct wsc_heartbeat *hb, const char *s, unsigned long *num)
{
	int64_t	rtt = -1;
	int	r = wsc_heartbeat_pong(hb, s, strlen(s), num, &rtt);

	if (r)
		ck_assert_int_ge(rtt, 0);
	return r;
}

START_TEST(test_off)
{
	struct wsc_ws		ws;
	struct wsc_heartbeat	hb;
	unsigned long		n;

	setup(&ws, &hb, 0, 0, 1000);
	ck_assert(wsc_heartbeat_due(&hb) == INT64_MAX);
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, INT64_MAX / 2), 0);
	ck_assert_uint_eq(ws.out_queued, 0);
	wsc_heartbeat_track(&hb);
	ck_assert_int_eq(pong(&hb, "1", &n), 0);
	wsc_ws_free(&ws);
}
END_TEST

START_TEST(test_ping_when_due)
{
	struct wsc_ws		ws;
	struct wsc_heartbeat	hb;

	setup(&ws, &hb, 500, 0, 1000);
	ck_assert(wsc_heartbeat_due(&hb) == 1500);
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, 1499), 0);
	ck_assert_uint_eq(ws.out_queued, 0);
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, 1500), 0);
	/* A ping frame with payload "1": 2 header bytes + 1. */
	ck_assert_uint_eq(ws.out_queued, 3);
	ck_assert_uint_eq(hb.count, 1);
	ck_assert(wsc_heartbeat_due(&hb) == 2000);
	/* No timeout: never dead however late. */
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, 1000000), 0);
	wsc_ws_free(&ws);
}
END_TEST

START_TEST(test_pong_payloads)
{
	struct wsc_ws		ws;
	struct wsc_heartbeat	hb;
	unsigned long		n = 0;

	setup(&ws, &hb, 100, 0, 0);
	wsc_heartbeat_tick(&hb, 100);
	/* Not handed to the kernel yet: no answer can be ours. */
	ck_assert_int_eq(pong(&hb, "1", &n), 0);
	all_written(&ws, &hb);
	ck_assert_int_eq(pong(&hb, "", &n), 0);
	ck_assert_int_eq(pong(&hb, "0", &n), 0);
	ck_assert_int_eq(pong(&hb, "2", &n), 0);		/* not sent */
	ck_assert_int_eq(pong(&hb, "x1", &n), 0);
	ck_assert_int_eq(pong(&hb, "000000000000000001", &n), 0);  /* 18 */
	ck_assert_int_eq(pong(&hb, "1", &n), 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(pong(&hb, "1", &n), 0);		/* answered */
	/* A later pong answers the pings before it too. */
	wsc_heartbeat_tick(&hb, 200);
	wsc_heartbeat_tick(&hb, 300);
	all_written(&ws, &hb);
	ck_assert_int_eq(pong(&hb, "3", &n), 1);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(pong(&hb, "2", &n), 0);
	wsc_ws_free(&ws);
}
END_TEST

START_TEST(test_dead)
{
	struct wsc_ws		ws;
	struct wsc_heartbeat	hb;
	unsigned long		n;
	int64_t			now = wsc_now_ms();

	setup(&ws, &hb, 100, 1000, now);
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, now + 100), 0);
	all_written(&ws, &hb);
	/* Due: the next ping, or the first one's timeout. */
	ck_assert(wsc_heartbeat_due(&hb) <= now + 200);
	ck_assert_int_eq(pong(&hb, "1", &n), 1);
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, now + 200), 0);
	all_written(&ws, &hb);
	/* Ping 2 unanswered a whole timeout after it arrived. */
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, wsc_now_ms() + 1100), 1);
	wsc_ws_free(&ws);
}
END_TEST

START_TEST(test_closing)
{
	struct wsc_ws		ws;
	struct wsc_heartbeat	hb;

	setup(&ws, &hb, 100, 1000, 0);
	wsc_ws_close(&ws, 1000, "");
	/* No pings once the close handshake has started. */
	ck_assert(wsc_heartbeat_due(&hb) == INT64_MAX);
	ck_assert_int_eq(wsc_heartbeat_tick(&hb, 1000000), 0);
	ck_assert_uint_eq(hb.count, 0);
	wsc_ws_free(&ws);
}
END_TEST

START_TEST(test_ring_wraps)
{
	struct wsc_ws		ws;
	struct wsc_heartbeat	hb;
	unsigned long		n;
	int64_t			t;

	setup(&ws, &hb, 1, 0, 0);
	/* More pings than the ring holds, none answered: the oldest are
	 * forgotten, the newest still count. */
	for (t = 1; t <= 3 * WSC_HB_PINGS; t++)
		wsc_heartbeat_tick(&hb, t);
	all_written(&ws, &hb);
	ck_assert_int_eq(pong(&hb, "1", &n), 0);
	ck_assert_int_eq(pong(&hb, "192", &n), 1);
	ck_assert_uint_eq(n, 3 * WSC_HB_PINGS);
	wsc_ws_free(&ws);
}
END_TEST

/* Every case above. */
static Suite *
heartbeat_suite(void)
{
	Suite	*s = suite_create("heartbeat");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_off);
	tcase_add_test(tc, test_ping_when_due);
	tcase_add_test(tc, test_pong_payloads);
	tcase_add_test(tc, test_dead);
	tcase_add_test(tc, test_closing);
	tcase_add_test(tc, test_ring_wraps);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(heartbeat_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
