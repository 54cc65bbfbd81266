/* Unit tests for the protocol core: frames in, events out. */
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

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(0x5a + i);
	return 0;
}

/* Appends one frame as a server would send it (unmasked). */
static size_t
put_frame(uint8_t *dst, int fin, int opcode, const void *p, size_t n)
{
	size_t	hl = wsc_frame_encode(dst, fin, 0, opcode, NULL, n);

	memcpy(dst + hl, p, n);
	return hl + n;
}

static struct wsc_ws	c;

static void
setup(void)
{
	ck_assert_int_eq(wsc_ws_init(&c, WSC_ROLE_CLIENT, fake_rng, NULL, 1 << 20), 0);
}

static void
teardown(void)
{
	wsc_ws_free(&c);
}

/* Decodes what the client queued, as the server would. */
static enum wsc_ev_type
server_reads(struct wsc_ws *srv, struct wsc_event *ev)
{
	wsc_ws_feed(srv, wsc_ws_out_data(&c), wsc_ws_buffered(&c));
	wsc_ws_out_consume(&c, wsc_ws_buffered(&c));
	return wsc_ws_next(srv, ev);
}

START_TEST(single_text_frame)
{
	uint8_t			buf[64];
	struct wsc_event	ev;
	size_t			n = put_frame(buf, 1, WSC_OP_TEXT, "hello", 5);

	wsc_ws_feed(&c, buf, n);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_MESSAGE);
	ck_assert_int_eq(ev.opcode, WSC_OP_TEXT);
	ck_assert_uint_eq(ev.len, 5);
	ck_assert_mem_eq(ev.data, "hello", 5);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_NONE);
}
END_TEST

START_TEST(byte_by_byte)
{
	uint8_t			buf[300], big[200];
	struct wsc_event	ev;
	size_t			n, i;
	int			got = 0;

	memset(big, 'a', sizeof big);
	n = put_frame(buf, 1, WSC_OP_BINARY, big, sizeof big);
	for (i = 0; i < n; i++) {
		wsc_ws_feed(&c, buf + i, 1);
		if (wsc_ws_next(&c, &ev) == WSC_EV_MESSAGE) {
			ck_assert_uint_eq(i, n - 1);
			ck_assert_uint_eq(ev.len, sizeof big);
			ck_assert_mem_eq(ev.data, big, sizeof big);
			got = 1;
		}
	}
	ck_assert(got);
}
END_TEST

START_TEST(fragments_with_ping_between)
{
	uint8_t			buf[128];
	struct wsc_event	ev;
	struct wsc_ws		srv;
	size_t			n = 0;

	n += put_frame(buf + n, 0, WSC_OP_TEXT, "frag", 4);
	n += put_frame(buf + n, 1, WSC_OP_PING, "p1", 2);
	n += put_frame(buf + n, 0, WSC_OP_CONT, "men", 3);
	n += put_frame(buf + n, 1, WSC_OP_PING, "p2", 2);
	n += put_frame(buf + n, 1, WSC_OP_CONT, "ted", 3);
	wsc_ws_feed(&c, buf, n);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_PING);
	ck_assert_mem_eq(ev.data, "p1", 2);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_PING);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_MESSAGE);
	ck_assert_uint_eq(ev.len, 10);
	ck_assert_mem_eq(ev.data, "fragmented", 10);
	/* Both pings answered, in order, masked, with their payloads. */
	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	ck_assert_int_eq(server_reads(&srv, &ev), WSC_EV_PONG);
	ck_assert_mem_eq(ev.data, "p1", 2);
	ck_assert_int_eq(wsc_ws_next(&srv, &ev), WSC_EV_PONG);
	ck_assert_mem_eq(ev.data, "p2", 2);
	wsc_ws_free(&srv);
}
END_TEST

START_TEST(client_frames_are_masked_and_round_trip)
{
	struct wsc_event	ev;
	struct wsc_ws		srv;
	char			big[70000];
	const uint8_t		*out;

	memset(big, 'z', sizeof big);
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_TEXT, "abc", 3), 0);
	out = wsc_ws_out_data(&c);
	ck_assert_uint_eq(out[1] & 0x80, 0x80);	/* MASK bit */
	ck_assert(memcmp(out + 6, "abc", 3) != 0);
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_BINARY, big, sizeof big), 0);
	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	ck_assert_int_eq(server_reads(&srv, &ev), WSC_EV_MESSAGE);
	ck_assert_mem_eq(ev.data, "abc", 3);
	ck_assert_int_eq(wsc_ws_next(&srv, &ev), WSC_EV_MESSAGE);
	ck_assert_uint_eq(ev.len, sizeof big);
	ck_assert_mem_eq(ev.data, big, sizeof big);
	wsc_ws_free(&srv);
}
END_TEST

/* The close code the client queued in its answer. */
static unsigned
queued_close_code(void)
{
	struct wsc_ws		srv;
	struct wsc_event	ev;
	unsigned		code = 0;

	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	if (server_reads(&srv, &ev) == WSC_EV_CLOSE)
		code = ev.code;
	wsc_ws_free(&srv);
	return code;
}

/* Feeds one server frame and returns the event. */
static enum wsc_ev_type
feed_one(int fin, int opcode, const void *p, size_t n, struct wsc_event *ev)
{
	uint8_t	buf[512];

	wsc_ws_feed(&c, buf, put_frame(buf, fin, opcode, p, n));
	return wsc_ws_next(&c, ev);
}

START_TEST(close_is_echoed)
{
	struct wsc_event	ev;

	ck_assert_int_eq(feed_one(1, WSC_OP_CLOSE, "\x03\xe8" "bye", 5, &ev), WSC_EV_CLOSE);
	ck_assert_uint_eq(ev.code, 1000);
	ck_assert_str_eq(ev.reason, "bye");
	ck_assert_int_eq(c.state, WSC_WS_CLOSED);
	ck_assert_uint_eq(queued_close_code(), 1000);
	/* Nothing is read after the peer's Close. */
	ck_assert_int_eq(feed_one(1, WSC_OP_TEXT, "late", 4, &ev), WSC_EV_NONE);
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_TEXT, "x", 1), -1);
}
END_TEST

/* Found by fuzz_inflate: echoing a code with no reason passed a NULL
 * reason to memcpy (undefined even for 0 bytes; UBSan aborts on it). */
START_TEST(close_code_echoed_without_reason)
{
	struct wsc_event	ev;

	ck_assert_int_eq(feed_one(1, WSC_OP_CLOSE, "\x0b\xb8", 2, &ev), WSC_EV_CLOSE);
	ck_assert_uint_eq(ev.code, 3000);
	ck_assert_str_eq(ev.reason, "");
	ck_assert_uint_eq(wsc_ws_buffered(&c), 8);	/* header + mask + code */
	ck_assert_uint_eq(queued_close_code(), 3000);
	/* our own Close with a code and a NULL reason */
	wsc_ws_free(&c);
	ck_assert_int_eq(wsc_ws_init(&c, WSC_ROLE_CLIENT, fake_rng, NULL, 1 << 20), 0);
	ck_assert_int_eq(wsc_ws_close(&c, 1001, NULL), 0);
	ck_assert_uint_eq(wsc_ws_buffered(&c), 8);
}
END_TEST

START_TEST(empty_close_gets_empty_close)
{
	struct wsc_event	ev;

	ck_assert_int_eq(feed_one(1, WSC_OP_CLOSE, "", 0, &ev), WSC_EV_CLOSE);
	ck_assert_uint_eq(ev.code, 1005);
	ck_assert_uint_eq(wsc_ws_buffered(&c), 6);	/* header + mask, no payload */
}
END_TEST

/* Each violation: the event is an error and our Close carries code. */
static void
expect_failure(int fin, int opcode, const void *p, size_t n, unsigned code)
{
	struct wsc_event	ev;

	ck_assert_int_eq(feed_one(fin, opcode, p, n, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, code);
	ck_assert_uint_eq(queued_close_code(), code);
	ck_assert_int_eq(c.state, WSC_WS_FAILED);
}

START_TEST(close_one_byte)
{
	expect_failure(1, WSC_OP_CLOSE, "\x03", 1, 1002);
}
END_TEST

START_TEST(close_invalid_codes)
{
	static const unsigned	bad[] = { 0, 999, 1004, 1005, 1006, 1015, 1016,
	    2999, 5000, 65535 };
	uint8_t			p[2];
	size_t			i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		teardown();
		setup();
		p[0] = bad[i] >> 8;
		p[1] = bad[i] & 0xff;
		expect_failure(1, WSC_OP_CLOSE, p, 2, 1002);
	}
}
END_TEST

START_TEST(close_reason_not_utf8)
{
	expect_failure(1, WSC_OP_CLOSE, "\x03\xe8\xff", 3, 1007);
}
END_TEST

START_TEST(invalid_utf8_fails_in_first_fragment)
{
	/* Fail fast: the bad byte is in the first fragment; the message
	 * never completes. */
	expect_failure(0, WSC_OP_TEXT, "ok\xc0\xaf", 4, 1007);
}
END_TEST

START_TEST(utf8_split_across_fragments)
{
	struct wsc_event	ev;

	ck_assert_int_eq(feed_one(0, WSC_OP_TEXT, "\xe2\x82", 2, &ev), WSC_EV_NONE);
	ck_assert_int_eq(feed_one(1, WSC_OP_CONT, "\xac", 1, &ev), WSC_EV_MESSAGE);
	ck_assert_mem_eq(ev.data, "\xe2\x82\xac", 3);
}
END_TEST

START_TEST(text_ends_mid_character)
{
	expect_failure(1, WSC_OP_TEXT, "\xe2\x82", 2, 1007);
}
END_TEST

START_TEST(continuation_without_message)
{
	expect_failure(1, WSC_OP_CONT, "x", 1, 1002);
}
END_TEST

START_TEST(new_message_inside_fragmented_one)
{
	struct wsc_event	ev;

	ck_assert_int_eq(feed_one(0, WSC_OP_TEXT, "a", 1, &ev), WSC_EV_NONE);
	expect_failure(1, WSC_OP_BINARY, "b", 1, 1002);
}
END_TEST

START_TEST(masked_server_frame)
{
	uint8_t			buf[32], key[4] = { 1, 2, 3, 4 };
	struct wsc_event	ev;
	size_t			hl = wsc_frame_encode(buf, 1, 0, WSC_OP_TEXT, key, 1);

	buf[hl] = 'x';
	wsc_ws_feed(&c, buf, hl + 1);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1002);
}
END_TEST

START_TEST(reserved_opcode_and_bits)
{
	uint8_t			buf[2] = { 0x83, 0x00 };
	struct wsc_event	ev;

	wsc_ws_feed(&c, buf, 2);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1002);
	teardown();
	setup();
	buf[0] = 0xc1;	/* RSV1 without permessage-deflate */
	wsc_ws_feed(&c, buf, 2);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_ERROR);
}
END_TEST

START_TEST(too_big_before_buffering)
{
	uint8_t			hdr[WSC_FRAME_MAX_HEADER];
	struct wsc_event	ev;
	size_t			hl;

	/* Only the header of a 2 MiB frame: refused at once (limit 1 MiB). */
	hl = wsc_frame_encode(hdr, 1, 0, WSC_OP_BINARY, NULL, 2 << 20);
	wsc_ws_feed(&c, hdr, hl);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1009);
}
END_TEST

START_TEST(too_big_over_fragments)
{
	static uint8_t		part[600 * 1024];
	uint8_t			hdr[WSC_FRAME_MAX_HEADER];
	struct wsc_event	ev;
	size_t			hl;

	hl = wsc_frame_encode(hdr, 0, 0, WSC_OP_BINARY, NULL, sizeof part);
	wsc_ws_feed(&c, hdr, hl);
	wsc_ws_feed(&c, part, sizeof part);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_NONE);
	hl = wsc_frame_encode(hdr, 1, 0, WSC_OP_CONT, NULL, sizeof part);
	wsc_ws_feed(&c, hdr, hl);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1009);
}
END_TEST

START_TEST(close_reason_truncated_on_char_boundary)
{
	char			reason[200];
	struct wsc_ws		srv;
	struct wsc_event	ev;

	memset(reason, 'a', sizeof reason);
	memcpy(reason + 122, "\xe2\x82\xac", 3);	/* straddles byte 123 */
	reason[sizeof reason - 1] = '\0';
	ck_assert_int_eq(wsc_ws_close(&c, 1000, reason), 0);
	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	ck_assert_int_eq(server_reads(&srv, &ev), WSC_EV_CLOSE);
	ck_assert_uint_eq(strlen(ev.reason), 122);
	wsc_ws_free(&srv);
	ck_assert_int_eq(c.state, WSC_WS_CLOSE_SENT);
}
END_TEST

START_TEST(no_pong_after_our_close)
{
	struct wsc_event	ev;
	size_t			before;

	wsc_ws_close(&c, 1000, NULL);
	before = wsc_ws_buffered(&c);
	ck_assert_int_eq(feed_one(1, WSC_OP_PING, "x", 1, &ev), WSC_EV_PING);
	ck_assert_uint_eq(wsc_ws_buffered(&c), before);
	/* Data still arrives until the server's Close. */
	ck_assert_int_eq(feed_one(1, WSC_OP_TEXT, "late", 4, &ev), WSC_EV_MESSAGE);
	ck_assert_int_eq(feed_one(1, WSC_OP_CLOSE, "\x03\xe8", 2, &ev), WSC_EV_CLOSE);
	ck_assert_int_eq(c.state, WSC_WS_CLOSED);
}
END_TEST

/* Feeds ten pings "0".."9" in one read, as a burst arrives. */
static void
feed_ten_pings(void)
{
	uint8_t			buf[64];
	struct wsc_event	ev;
	size_t			n = 0;
	char			d;

	for (d = '0'; d <= '9'; d++)
		n += put_frame(buf + n, 1, WSC_OP_PING, &d, 1);
	wsc_ws_feed(&c, buf, n);
	for (d = '0'; d <= '9'; d++)
		ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_PING);
	ck_assert_int_eq(wsc_ws_next(&c, &ev), WSC_EV_NONE);
}

/* The server's next event is a pong with payload d. */
static void
expect_pong(struct wsc_ws *srv, char d, int first)
{
	struct wsc_event	ev;

	ck_assert_int_eq(first ? server_reads(srv, &ev) : wsc_ws_next(srv, &ev),
	    WSC_EV_PONG);
	ck_assert_uint_eq(ev.len, 1);
	ck_assert_int_eq(ev.data[0], d);
}

/* Coalescing on, nothing waiting: every ping still gets its own pong, in
 * order (what conformance suites check: ten pings, ten pongs). */
START_TEST(pings_answered_each_when_not_congested)
{
	struct wsc_ws	srv;
	struct wsc_event ev;
	char		d;

	c.pong_coalesce = 1024;
	feed_ten_pings();
	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	for (d = '0'; d <= '9'; d++)
		expect_pong(&srv, d, d == '0');
	ck_assert_int_eq(wsc_ws_next(&srv, &ev), WSC_EV_NONE);
	wsc_ws_free(&srv);
}
END_TEST

/* Behind a congested queue only the latest ping is answered (RFC 6455
 * section 5.5.3), and a pong that is no longer the tail is kept. */
START_TEST(pongs_coalesce_behind_congestion)
{
	static uint8_t	big[2000];
	struct wsc_ws	srv;
	struct wsc_event ev;

	c.pong_coalesce = 1024;
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_BINARY, big, sizeof big), 0);
	feed_ten_pings();
	/* the message (8-byte header) and one pong (7 bytes) */
	ck_assert_uint_eq(wsc_ws_buffered(&c), 8 + sizeof big + 7);
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_TEXT, "t", 1), 0);
	ck_assert_int_eq(feed_one(1, WSC_OP_PING, "a", 1, &ev), WSC_EV_PING);
	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	ck_assert_int_eq(server_reads(&srv, &ev), WSC_EV_MESSAGE);
	ck_assert_uint_eq(ev.len, sizeof big);
	expect_pong(&srv, '9', 0);
	ck_assert_int_eq(wsc_ws_next(&srv, &ev), WSC_EV_MESSAGE);
	expect_pong(&srv, 'a', 0);
	ck_assert_int_eq(wsc_ws_next(&srv, &ev), WSC_EV_NONE);
	wsc_ws_free(&srv);
}
END_TEST

/* What a streamed message came out as: its pieces joined, and checks on
 * the first/last flags. */
struct collected {
	uint8_t		data[1 << 20];
	size_t		len;
	int		parts, firsts, lasts, wholes, pings;
	int		opcode;
};

/* Feeds n bytes in slices of `slice` and collects the events. */
static enum wsc_ev_type
feed_collect(const uint8_t *p, size_t n, size_t slice, struct collected *co)
{
	struct wsc_event	ev;
	enum wsc_ev_type	t = WSC_EV_NONE;
	size_t			i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < slice ? n - i : slice;
		wsc_ws_feed(&c, p + i, k);
		while ((t = wsc_ws_next(&c, &ev)) != WSC_EV_NONE) {
			if (t == WSC_EV_ERROR)
				return t;
			if (t == WSC_EV_PING) {
				co->pings++;
				continue;
			}
			ck_assert(t == WSC_EV_MESSAGE || t == WSC_EV_MESSAGE_PART);
			ck_assert_uint_le(co->len + ev.len, sizeof co->data);
			memcpy(co->data + co->len, ev.data, ev.len);
			co->len += ev.len;
			co->opcode = ev.opcode;
			if (t == WSC_EV_MESSAGE) {
				co->wholes++;
				continue;
			}
			/* only the first piece is first; nothing after the last */
			ck_assert_int_eq(ev.first, co->parts == 0);
			ck_assert_int_eq(co->lasts, 0);
			co->parts++;
			co->firsts += ev.first;
			co->lasts += ev.last;
		}
	}
	return t;
}

/* Fills p with n bytes of a pattern (valid UTF-8: ASCII only). */
static void
pattern(uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)('a' + i % 26);
}

/* A large single-frame binary message arriving in slices comes out as
 * pieces, first and last marked, the bytes unchanged. */
START_TEST(stream_large_frame_in_pieces)
{
	static uint8_t		wire[6000], msg[5000];
	static struct collected	co;
	size_t			n;

	memset(&co, 0, sizeof co);
	c.stream_opcodes = 1u << WSC_OP_BINARY;
	c.stream_from = 1000;
	pattern(msg, sizeof msg);
	n = put_frame(wire, 1, WSC_OP_BINARY, msg, sizeof msg);
	feed_collect(wire, n, 700, &co);
	ck_assert_int_eq(co.wholes, 0);
	ck_assert_int_ge(co.parts, 7);
	ck_assert_int_eq(co.lasts, 1);
	ck_assert_int_eq(co.opcode, WSC_OP_BINARY);
	ck_assert_uint_eq(co.len, sizeof msg);
	ck_assert_mem_eq(co.data, msg, sizeof msg);
	/* the next message starts afresh */
	memset(&co, 0, sizeof co);
	feed_collect(wire, n, 2000, &co);
	ck_assert_int_eq(co.firsts, 1);
	ck_assert_int_eq(co.lasts, 1);
	ck_assert_mem_eq(co.data, msg, sizeof msg);
}
END_TEST

/* Streaming keeps the zero-copy path: a large frame already read whole is
 * one whole message; small messages stay whole however they arrive; and
 * opcodes not asked for are never streamed. */
START_TEST(stream_whole_when_possible)
{
	static uint8_t		wire[6000], msg[5000];
	static struct collected	co;
	size_t			n;

	c.stream_opcodes = 1u << WSC_OP_BINARY;
	c.stream_from = 1000;
	pattern(msg, sizeof msg);
	memset(&co, 0, sizeof co);
	n = put_frame(wire, 1, WSC_OP_BINARY, msg, sizeof msg);
	feed_collect(wire, n, n, &co);
	ck_assert_int_eq(co.wholes, 1);
	ck_assert_int_eq(co.parts, 0);
	memset(&co, 0, sizeof co);
	n = put_frame(wire, 1, WSC_OP_BINARY, msg, 999);
	feed_collect(wire, n, 1, &co);
	ck_assert_int_eq(co.wholes, 1);
	ck_assert_int_eq(co.parts, 0);
	ck_assert_uint_eq(co.len, 999);
	memset(&co, 0, sizeof co);
	n = put_frame(wire, 1, WSC_OP_TEXT, msg, sizeof msg);
	feed_collect(wire, n, 100, &co);
	ck_assert_int_eq(co.wholes, 1);
	ck_assert_int_eq(co.parts, 0);
	ck_assert_mem_eq(co.data, msg, sizeof msg);
}
END_TEST

/* A fragmented message is gathered while small; once the headers show it
 * reaches stream_from, what was gathered goes first and the rest streams,
 * pings between fragments still answered; an empty final fragment is an
 * empty last piece. */
START_TEST(stream_fragmented)
{
	static uint8_t		wire[8000], msg[3000];
	static struct collected	co;
	size_t			n = 0, off;

	memset(&co, 0, sizeof co);
	c.stream_opcodes = 1u << WSC_OP_TEXT;
	c.stream_from = 1000;
	pattern(msg, sizeof msg);
	for (off = 0; off < sizeof msg; off += 300) {
		n += put_frame(wire + n, 0, off == 0 ? WSC_OP_TEXT : WSC_OP_CONT,
		    msg + off, 300);
		n += put_frame(wire + n, 1, WSC_OP_PING, "p", 1);
	}
	n += put_frame(wire + n, 1, WSC_OP_CONT, "", 0);
	feed_collect(wire, n, 50, &co);
	ck_assert_int_eq(co.wholes, 0);
	ck_assert_int_eq(co.firsts, 1);
	ck_assert_int_eq(co.lasts, 1);
	ck_assert_int_eq(co.pings, 10);
	ck_assert_int_eq(co.opcode, WSC_OP_TEXT);
	ck_assert_uint_eq(co.len, sizeof msg);
	ck_assert_mem_eq(co.data, msg, sizeof msg);
	/* ten pongs queued, in order */
	ck_assert_uint_eq(wsc_ws_buffered(&c), 10 * (2 + 4 + 1));
}
END_TEST

/* UTF-8 still fails fast while streaming: the pieces before the bad byte
 * were handed over, the bad one is not, and the Close says 1007. */
START_TEST(stream_text_invalid_utf8)
{
	static uint8_t		wire[6000], msg[5000];
	static struct collected	co;
	size_t			n;

	memset(&co, 0, sizeof co);
	c.stream_opcodes = 1u << WSC_OP_TEXT;
	c.stream_from = 1000;
	pattern(msg, sizeof msg);
	msg[3000] = 0xff;
	n = put_frame(wire, 1, WSC_OP_TEXT, msg, sizeof msg);
	ck_assert_int_eq(feed_collect(wire, n, 1000, &co), WSC_EV_ERROR);
	ck_assert_uint_le(co.len, 3000);
	ck_assert_int_ge(co.parts, 1);
	ck_assert_int_eq(co.lasts, 0);
	ck_assert_uint_eq(c.close_code_sent, 1007);
	/* and a text message ending inside a character fails at its end */
	wsc_ws_free(&c);
	setup();
	memset(&co, 0, sizeof co);
	c.stream_opcodes = 1u << WSC_OP_TEXT;
	c.stream_from = 1000;
	pattern(msg, sizeof msg);
	msg[sizeof msg - 1] = 0xc3;
	n = put_frame(wire, 1, WSC_OP_TEXT, msg, sizeof msg);
	ck_assert_int_eq(feed_collect(wire, n, 1000, &co), WSC_EV_ERROR);
	ck_assert_int_eq(co.lasts, 0);
	ck_assert_uint_eq(c.close_code_sent, 1007);
}
END_TEST

/* --max-message applies to the whole streamed message, checked on each
 * header before any of its bytes are handed over. */
START_TEST(stream_max_message)
{
	static uint8_t		wire[3 * (400 * 1024 + WSC_FRAME_MAX_HEADER)];
	static struct collected	co;
	static uint8_t		part[400 * 1024];
	size_t			n = 0;

	memset(&co, 0, sizeof co);
	c.stream_opcodes = 1u << WSC_OP_BINARY;	/* limit: 1 MiB */
	n += put_frame(wire + n, 0, WSC_OP_BINARY, part, sizeof part);
	n += put_frame(wire + n, 0, WSC_OP_CONT, part, sizeof part);
	n += put_frame(wire + n, 1, WSC_OP_CONT, part, sizeof part);
	ck_assert_int_eq(feed_collect(wire, n, 64 * 1024, &co), WSC_EV_ERROR);
	ck_assert_uint_eq(co.len, 2 * sizeof part);
	ck_assert_uint_eq(c.close_code_sent, 1009);
}
END_TEST

/* Compressed messages stream their inflated bytes, bounded per step, and
 * the limit counts what was already handed over. */
START_TEST(stream_compressed)
{
	static uint8_t		msg[60000], wire[70000];
	static struct collected	co;
	struct wsc_ws		srv;
	char			err[128];
	size_t			n;

	ck_assert_int_eq(wsc_ws_init(&srv, WSC_ROLE_SERVER, NULL, NULL, 1 << 20), 0);
	ck_assert_int_eq(wsc_ws_use_pmd(&c, "permessage-deflate",
	    "permessage-deflate", err, sizeof err), 0);
	ck_assert_int_eq(wsc_ws_use_pmd(&srv, "permessage-deflate",
	    "permessage-deflate", err, sizeof err), 0);
	c.stream_opcodes = 1u << WSC_OP_TEXT;
	c.stream_from = 4096;
	pattern(msg, sizeof msg);
	ck_assert_int_eq(wsc_ws_send(&srv, WSC_OP_TEXT, msg, sizeof msg), 0);
	n = wsc_ws_buffered(&srv);
	ck_assert_uint_lt(n, sizeof msg / 10);	/* it was compressed */
	memcpy(wire, wsc_ws_out_data(&srv), n);
	wsc_ws_out_consume(&srv, n);
	memset(&co, 0, sizeof co);
	feed_collect(wire, n, 16, &co);
	ck_assert_int_eq(co.wholes, 0);
	ck_assert_int_ge(co.parts, 2);
	ck_assert_int_eq(co.lasts, 1);
	ck_assert_uint_eq(co.len, sizeof msg);
	ck_assert_mem_eq(co.data, msg, sizeof msg);
	/* a small compressed message stays whole */
	ck_assert_int_eq(wsc_ws_send(&srv, WSC_OP_TEXT, msg, 1000), 0);
	n = wsc_ws_buffered(&srv);
	memcpy(wire, wsc_ws_out_data(&srv), n);
	wsc_ws_out_consume(&srv, n);
	memset(&co, 0, sizeof co);
	feed_collect(wire, n, 3, &co);
	ck_assert_int_eq(co.wholes, 1);
	ck_assert_uint_eq(co.len, 1000);
	/* the limit covers the pieces handed over */
	c.max_message = 20000;
	ck_assert_int_eq(wsc_ws_send(&srv, WSC_OP_TEXT, msg, sizeof msg), 0);
	n = wsc_ws_buffered(&srv);
	memcpy(wire, wsc_ws_out_data(&srv), n);
	wsc_ws_out_consume(&srv, n);
	memset(&co, 0, sizeof co);
	ck_assert_int_eq(feed_collect(wire, n, 16, &co), WSC_EV_ERROR);
	ck_assert_uint_le(co.len, 20000);
	ck_assert_uint_eq(c.close_code_sent, 1009);
	wsc_ws_free(&srv);
}
END_TEST

/* A message that grew the buffer past 1 MiB gives the memory back once
 * the caller is done with it. */
START_TEST(message_buffer_shrinks_after_a_large_message)
{
	struct wsc_ws		big;
	struct wsc_event	ev;
	size_t			part = 512 * 1024, n;
	uint8_t			*buf = malloc(part + 16), *zeros = calloc(1, part);
	int			i;

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(zeros);
	ck_assert_int_eq(wsc_ws_init(&big, WSC_ROLE_CLIENT, fake_rng, NULL,
	    8 << 20), 0);
	for (i = 0; i < 3; i++) {
		n = put_frame(buf, i == 2, i == 0 ? WSC_OP_BINARY : WSC_OP_CONT,
		    zeros, part);
		wsc_ws_feed(&big, buf, n);
	}
	ck_assert_int_eq(wsc_ws_next(&big, &ev), WSC_EV_MESSAGE);
	ck_assert_uint_eq(ev.len, 3 * part);
	ck_assert_uint_gt(big.msg.cap, 1024 * 1024);
	ck_assert_int_eq(wsc_ws_next(&big, &ev), WSC_EV_NONE);
	ck_assert_uint_le(big.msg.cap, 4096);
	wsc_ws_free(&big);
	free(buf);
	free(zeros);
}
END_TEST

static Suite *
ws_suite(void)
{
	Suite	*s = suite_create("ws");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, single_text_frame);
	tcase_add_test(tc, byte_by_byte);
	tcase_add_test(tc, fragments_with_ping_between);
	tcase_add_test(tc, client_frames_are_masked_and_round_trip);
	tcase_add_test(tc, close_is_echoed);
	tcase_add_test(tc, close_code_echoed_without_reason);
	tcase_add_test(tc, empty_close_gets_empty_close);
	tcase_add_test(tc, close_one_byte);
	tcase_add_test(tc, close_invalid_codes);
	tcase_add_test(tc, close_reason_not_utf8);
	tcase_add_test(tc, invalid_utf8_fails_in_first_fragment);
	tcase_add_test(tc, utf8_split_across_fragments);
	tcase_add_test(tc, text_ends_mid_character);
	tcase_add_test(tc, continuation_without_message);
	tcase_add_test(tc, new_message_inside_fragmented_one);
	tcase_add_test(tc, masked_server_frame);
	tcase_add_test(tc, reserved_opcode_and_bits);
	tcase_add_test(tc, too_big_before_buffering);
	tcase_add_test(tc, too_big_over_fragments);
	tcase_add_test(tc, close_reason_truncated_on_char_boundary);
	tcase_add_test(tc, no_pong_after_our_close);
	tcase_add_test(tc, pings_answered_each_when_not_congested);
	tcase_add_test(tc, pongs_coalesce_behind_congestion);
	tcase_add_test(tc, stream_large_frame_in_pieces);
	tcase_add_test(tc, stream_whole_when_possible);
	tcase_add_test(tc, stream_fragmented);
	tcase_add_test(tc, stream_text_invalid_utf8);
	tcase_add_test(tc, stream_max_message);
	tcase_add_test(tc, stream_compressed);
	tcase_add_test(tc, message_buffer_shrinks_after_a_large_message);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ws_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
