/* Unit tests for the small-frame fast path of the protocol core
 * (src/ws.c, small_frame): every input is decoded twice, once as it comes
 * and once with a frame tracer set, which keeps the core on its general
 * path, and the events, the answers queued and the final state must be
 * the same. Splits of the input cover frames that are complete, cut in
 * the header and cut in the payload. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"

/* Deterministic "random" bytes: the tests check structure, not keys. */
static int
fake_rng(void *ctx, uint8_t *buf, size_t len)
{
	size_t	i;

	(void)ctx;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(0x5a + i);
	return 0;
}

/* A tracer that does nothing: its presence alone turns the fast path off. */
static void
no_trace(void *ctx, char dir, const struct wsc_frame *f)
{
	(void)ctx;
	(void)dir;
	(void)f;
}

/* Appends one frame; masked (as a client sends) when key is not NULL. */
static size_t
put(uint8_t *dst, int b0, const uint8_t *key, const void *p, size_t n)
{
	size_t	hl = wsc_frame_encode(dst, b0 >> 7, (b0 >> 6) & 1, b0 & 0x0f,
	    key, n);

	memcpy(dst + hl, p, n);
	if (key != NULL)
		wsc_frame_mask(dst + hl, n, key, 0);
	dst[0] = (uint8_t)b0;	/* RSV2/RSV3 too, for the error cases */
	return hl + n;
}

static const uint8_t	KEY[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* What a decoder did, as text and bytes, for comparing two runs. */
struct rec {
	uint8_t	b[1 << 16];
	size_t	n;
};

static void
rec_put(struct rec *r, const void *p, size_t n)
{
	ck_assert_uint_le(r->n + n, sizeof r->b);
	if (n > 0)	/* p may be NULL then */
		memcpy(r->b + r->n, p, n);
	r->n += n;
}

/* Records one event: every field, the payload and the reason. */
static void
rec_event(struct rec *r, const struct wsc_event *ev)
{
	unsigned	f[6] = { ev->type, (unsigned)ev->opcode, (unsigned)ev->len,
	    ev->code, (unsigned)ev->first, (unsigned)ev->last };

	rec_put(r, f, sizeof f);
	if (ev->len > 0)
		rec_put(r, ev->data, ev->len);
	if (ev->reason != NULL)
		rec_put(r, ev->reason, strlen(ev->reason) + 1);
}

/* Settings a run starts from. */
struct cfg {
	enum wsc_role	role;
	uint64_t	max_message;
	unsigned	stream_opcodes;
	size_t		stream_from;
	int		close_first;	/* our Close is sent before any input */
};

/* Decodes wire in pieces ending at cuts[] (then the rest), draining the
 * events after each piece; records them, what was queued and the end
 * state. general != 0 keeps the core off the fast path. */
static void
run(const struct cfg *cfg, int general, const uint8_t *wire, size_t n,
    const size_t *cuts, size_t ncuts, struct rec *r)
{
	struct wsc_ws		ws;
	struct wsc_event	ev;
	size_t			at = 0, i, end;
	unsigned		st[3];

	ck_assert_int_eq(wsc_ws_init(&ws, cfg->role, fake_rng, NULL,
	    cfg->max_message), 0);
	ws.stream_opcodes = cfg->stream_opcodes;
	if (cfg->stream_from != 0)
		ws.stream_from = cfg->stream_from;
	if (general)
		ws.trace = no_trace;
	if (cfg->close_first)
		ck_assert_int_eq(wsc_ws_close(&ws, 1000, "bye"), 0);
	r->n = 0;
	for (i = 0; i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : n;
		ck_assert_int_eq(wsc_ws_feed(&ws, wire + at, end - at), 0);
		at = end;
		while (wsc_ws_next(&ws, &ev) != WSC_EV_NONE)
			rec_event(r, &ev);
	}
	if (wsc_ws_buffered(&ws) > 0)	/* else the queue may have no memory */
		rec_put(r, wsc_ws_out_data(&ws), wsc_ws_buffered(&ws));
	st[0] = ws.state;
	st[1] = ws.close_code_sent;
	/* After a failure the message in progress no longer matters. */
	st[2] = ws.state == WSC_WS_FAILED ? 0 : (unsigned)ws.msg_opcode;
	rec_put(r, st, sizeof st);
	wsc_ws_free(&ws);
}

static struct rec	fast, slow;

/* Both paths agree on wire cut at cuts[]. */
static void
same_cut(const struct cfg *cfg, const uint8_t *wire, size_t n,
    const size_t *cuts, size_t ncuts)
{
	size_t	i;

	run(cfg, 0, wire, n, cuts, ncuts, &fast);
	run(cfg, 1, wire, n, cuts, ncuts, &slow);
	for (i = 0; i < fast.n && i < slow.n && fast.b[i] == slow.b[i]; i++)
		;
	ck_assert_msg(fast.n == slow.n && i == fast.n,
	    "runs differ at byte %zu of %zu/%zu (%zu cuts, first %zu): %.40s | %.40s",
	    i, fast.n, slow.n, ncuts, ncuts ? cuts[0] : 0,
	    (const char *)fast.b + (i > 8 ? i - 8 : 0),
	    (const char *)slow.b + (i > 8 ? i - 8 : 0));
}

/* Both paths agree on wire whole, cut once at every byte, and cut at
 * every byte. Returns the record of the whole run for further checks. */
static const struct rec *
same(const struct cfg *cfg, const uint8_t *wire, size_t n)
{
	size_t	cut, all[512];

	for (cut = 1; cut < n; cut++)
		same_cut(cfg, wire, n, &cut, 1);
	if (n <= sizeof all / sizeof all[0]) {
		for (cut = 1; cut < n; cut++)
			all[cut - 1] = cut;
		same_cut(cfg, wire, n, all, n > 0 ? n - 1 : 0);
	}
	same_cut(cfg, wire, n, NULL, 0);
	return &fast;
}

static const struct cfg	CLIENT = { WSC_ROLE_CLIENT, 1 << 20, 0, 0, 0 };
static const struct cfg	SERVER = { WSC_ROLE_SERVER, 1 << 20, 0, 0, 0 };

/* Counts the events of one type in a record made by run(). */
static int
count_type(const struct rec *r, enum wsc_ev_type t, unsigned *first_len)
{
	size_t		i = 0;
	unsigned	f[6];
	int		k = 0;

	/* Events come first; the queue and state follow and are not
	 * parsed: stop at a header that does not look like an event. */
	while (r->n - i >= sizeof f + sizeof(unsigned) * 3) {
		memcpy(f, r->b + i, sizeof f);
		if (f[0] < WSC_EV_MESSAGE || f[0] > WSC_EV_MESSAGE_PART)
			break;
		if (f[0] == t && k++ == 0 && first_len != NULL)
			*first_len = f[2];
		i += sizeof f + f[2];
		if (f[0] == WSC_EV_CLOSE || f[0] == WSC_EV_ERROR)
			break;
	}
	return k;
}

START_TEST(small_messages_in_a_row)
{
	uint8_t		wire[1024], big[125];
	size_t		n = 0;
	unsigned	len = 0;

	memset(big, 'x', sizeof big);
	n += put(wire + n, 0x81, NULL, "hello", 5);
	n += put(wire + n, 0x82, NULL, "\0\xff\x80", 3);
	n += put(wire + n, 0x81, NULL, "", 0);
	n += put(wire + n, 0x81, NULL, big, 125);
	n += put(wire + n, 0x82, NULL, big, 124);
	n += put(wire + n, 0x81, NULL, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14);
	ck_assert_int_eq(count_type(same(&CLIENT, wire, n), WSC_EV_MESSAGE,
	    &len), 6);
	ck_assert_uint_eq(len, 5);
}
END_TEST

/* 125 is the largest 7-bit length; 126 takes the 16-bit form and the
 * general path; a 16-bit form for a small length (not minimal, still
 * accepted: RFC 6455 5.2 asks senders only) too. */
START_TEST(length_forms)
{
	uint8_t	wire[1024], big[300];
	size_t	n = 0;

	memset(big, 'y', sizeof big);
	n += put(wire + n, 0x81, NULL, big, 125);
	n += put(wire + n, 0x81, NULL, big, 126);
	n += put(wire + n, 0x82, NULL, big, 127);
	wire[n++] = 0x81;
	wire[n++] = 126;
	wire[n++] = 0;
	wire[n++] = 3;
	memcpy(wire + n, "abc", 3);
	n += 3;
	n += put(wire + n, 0x82, NULL, big, 125);
	ck_assert_int_eq(count_type(same(&CLIENT, wire, n), WSC_EV_MESSAGE,
	    NULL), 5);
}
END_TEST

/* Control frames between small messages and between fragments. */
START_TEST(control_frames_between)
{
	uint8_t	wire[1024];
	size_t	n = 0;

	n += put(wire + n, 0x81, NULL, "one", 3);
	n += put(wire + n, 0x89, NULL, "ping", 4);
	n += put(wire + n, 0x82, NULL, "two", 3);
	n += put(wire + n, 0x8a, NULL, "pong", 4);
	n += put(wire + n, 0x01, NULL, "fr", 2);
	n += put(wire + n, 0x89, NULL, "p2", 2);
	n += put(wire + n, 0x80, NULL, "ag", 2);
	n += put(wire + n, 0x81, NULL, "three", 5);
	n += put(wire + n, 0x88, NULL, "\x03\xe8" "done", 6);
	n += put(wire + n, 0x81, NULL, "after close", 11);
	ck_assert_int_eq(count_type(same(&CLIENT, wire, n), WSC_EV_MESSAGE,
	    NULL), 4);
	ck_assert_int_eq(count_type(&fast, WSC_EV_PING, NULL), 2);
	ck_assert_int_eq(count_type(&fast, WSC_EV_CLOSE, NULL), 1);
}
END_TEST

/* A data frame inside a fragmented message breaks the protocol even
 * when it would fit the fast path. */
START_TEST(fragmented_messages)
{
	uint8_t	wire[1024];
	size_t	n = 0;

	n += put(wire + n, 0x02, NULL, "a", 1);
	n += put(wire + n, 0x00, NULL, "b", 1);
	n += put(wire + n, 0x80, NULL, "c", 1);
	n += put(wire + n, 0x81, NULL, "whole", 5);
	n += put(wire + n, 0x01, NULL, "x", 1);
	n += put(wire + n, 0x81, NULL, "inside", 6);
	same(&CLIENT, wire, n);
	ck_assert_int_eq(count_type(&fast, WSC_EV_MESSAGE, NULL), 2);
	ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR, NULL), 1);
}
END_TEST

/* Listen mode: masked frames from the client are unmasked in place; an
 * unmasked one fails. */
START_TEST(masked_frames_in_listen_mode)
{
	uint8_t		wire[1024], big[125];
	size_t		n = 0, i;
	unsigned	len = 0;

	for (i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)('a' + i % 26);
	n += put(wire + n, 0x81, KEY, "hello", 5);
	n += put(wire + n, 0x82, KEY, big, 125);
	n += put(wire + n, 0x89, KEY, "p", 1);
	n += put(wire + n, 0x81, KEY, big, 7);
	ck_assert_int_eq(count_type(same(&SERVER, wire, n), WSC_EV_MESSAGE,
	    &len), 3);
	ck_assert_uint_eq(len, 5);
	ck_assert_mem_eq(fast.b + 6 * sizeof(unsigned), "hello", 5);
	n += put(wire + n, 0x81, NULL, "bare", 4);
	same(&SERVER, wire, n);
	ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR, NULL), 1);
}
END_TEST

/* A client refuses a masked frame (RFC 6455 5.1), and RSV bits without
 * an extension (5.2), before any payload is looked at. */
START_TEST(header_errors)
{
	static const int	bad[] = { 0xc1, 0xa2, 0x91, 0x83, 0x8b };
	uint8_t			wire[256];
	size_t			n, i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = put(wire, 0x81, NULL, "ok", 2);
		n += put(wire + n, bad[i], NULL, "no", 2);
		same(&CLIENT, wire, n);
		ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR, NULL), 1);
	}
	n = put(wire, 0x81, NULL, "ok", 2);
	n += put(wire + n, 0x81, KEY, "masked", 6);
	same(&CLIENT, wire, n);
	ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR, NULL), 1);
}
END_TEST

/* Invalid UTF-8 fails the connection whatever the split, with the same
 * event, at any position in the message and in both roles; messages
 * before it are delivered. */
START_TEST(invalid_utf8)
{
	static const char *const	bad[] = {
		"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xff", "\xe2\x82", "\xc3"
	};
	uint8_t				msg[40], wire[256];
	size_t				n, i, at, bl;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bl = strlen(bad[i]);
		for (at = 0; at + bl <= 24; at += 5) {
			memset(msg, 'a', sizeof msg);
			memcpy(msg + at, bad[i], bl);
			n = put(wire, 0x81, NULL, "fine", 4);
			n += put(wire + n, 0x81, NULL, msg, 24);
			same(&CLIENT, wire, n);
			ck_assert_int_eq(count_type(&fast, WSC_EV_MESSAGE,
			    NULL), 1);
			ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR,
			    NULL), 1);
			n = put(wire, 0x81, KEY, msg, 24);
			same(&SERVER, wire, n);
			ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR,
			    NULL), 1);
		}
		/* alone: shorter than a word */
		n = put(wire, 0x81, NULL, bad[i], bl);
		same(&CLIENT, wire, n);
		ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR, NULL), 1);
	}
}
END_TEST

/* Binary payloads are not checked as text. */
START_TEST(binary_not_checked)
{
	uint8_t	wire[64];
	size_t	n = put(wire, 0x82, NULL, "\xff\xfe\xc3", 3);

	ck_assert_int_eq(count_type(same(&CLIENT, wire, n), WSC_EV_MESSAGE,
	    NULL), 1);
}
END_TEST

/* The size limit is the general path's: a small frame over the limit
 * fails. With streaming on, a small frame at the streaming size goes
 * whole when it is all at hand, in pieces when it is cut. */
START_TEST(limit_and_streaming)
{
	struct cfg	tiny = CLIENT, stream = CLIENT;
	uint8_t		wire[256];
	size_t		n = 0, cut = 10;	/* inside "five!" */

	tiny.max_message = 4;
	n += put(wire + n, 0x81, NULL, "four", 4);
	n += put(wire + n, 0x81, NULL, "five!", 5);
	same(&tiny, wire, n);
	ck_assert_int_eq(count_type(&fast, WSC_EV_MESSAGE, NULL), 1);
	ck_assert_int_eq(count_type(&fast, WSC_EV_ERROR, NULL), 1);
	stream.stream_opcodes = 1u << WSC_OP_TEXT;
	stream.stream_from = 5;
	same(&stream, wire, n);
	ck_assert_int_eq(count_type(&fast, WSC_EV_MESSAGE, NULL), 2);
	same_cut(&stream, wire, n, &cut, 1);
	ck_assert_int_eq(count_type(&fast, WSC_EV_MESSAGE, NULL), 1);
	ck_assert_int_gt(count_type(&fast, WSC_EV_MESSAGE_PART, NULL), 0);
}
END_TEST

/* After our Close is out, messages are still delivered until the peer's
 * Close; nothing after that. */
START_TEST(after_our_close)
{
	struct cfg	cl = CLIENT;
	uint8_t		wire[256];
	size_t		n = 0;

	cl.close_first = 1;
	n += put(wire + n, 0x81, NULL, "late", 4);
	n += put(wire + n, 0x89, NULL, "p", 1);
	n += put(wire + n, 0x88, NULL, "\x03\xe8", 2);
	n += put(wire + n, 0x81, NULL, "later", 5);
	same(&cl, wire, n);
	ck_assert_int_eq(count_type(&fast, WSC_EV_MESSAGE, NULL), 1);
	ck_assert_int_eq(count_type(&fast, WSC_EV_CLOSE, NULL), 1);
}
END_TEST

/* Small frames that end exactly at the end of the input buffer's
 * allocation (under ASan an over-read shows), read in place. */
START_TEST(frame_fills_the_buffer)
{
	struct wsc_ws		ws;
	struct wsc_event	ev;
	uint8_t			*dst, frame[200], text[125];
	size_t			avail, fl, k, lens[] = { 0, 1, 7, 8, 9, 125 };
	unsigned		i;
	int			got;

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		ck_assert_int_eq(wsc_ws_init(&ws, WSC_ROLE_CLIENT, fake_rng,
		    NULL, 1 << 20), 0);
		dst = wsc_ws_read_space(&ws, 0, &avail);
		ck_assert_ptr_nonnull(dst);
		memset(text, 'z', sizeof text);
		fl = put(frame, 0x81, NULL, text, lens[i]);
		/* Pad with one binary frame of the right size. */
		k = avail - fl - 10;
		ck_assert_uint_eq(wsc_frame_encode(dst, 1, 0, WSC_OP_BINARY,
		    NULL, k), 10);
		memset(dst + 10, 'p', k);
		memcpy(dst + 10 + k, frame, fl);
		wsc_ws_commit(&ws, avail);
		ck_assert_int_eq(wsc_ws_next(&ws, &ev), WSC_EV_MESSAGE);
		ck_assert_uint_eq(ev.len, k);
		got = wsc_ws_next(&ws, &ev);
		ck_assert_int_eq(got, WSC_EV_MESSAGE);
		ck_assert_uint_eq(ev.len, lens[i]);
		ck_assert(ev.data + ev.len == dst + avail);
		ck_assert_int_eq(wsc_ws_next(&ws, &ev), WSC_EV_NONE);
		wsc_ws_free(&ws);
	}
}
END_TEST

static Suite *
ws_fast_suite(void)
{
	Suite	*s = suite_create("ws_fast");
	TCase	*tc = tcase_create("small frames");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, small_messages_in_a_row);
	tcase_add_test(tc, length_forms);
	tcase_add_test(tc, control_frames_between);
	tcase_add_test(tc, fragmented_messages);
	tcase_add_test(tc, masked_frames_in_listen_mode);
	tcase_add_test(tc, header_errors);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, binary_not_checked);
	tcase_add_test(tc, limit_and_streaming);
	tcase_add_test(tc, after_our_close);
	tcase_add_test(tc, frame_fills_the_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ws_fast_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
