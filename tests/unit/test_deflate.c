/* Unit tests for permessage-deflate: negotiation boundaries, round trips,
 * context takeover, window bits 8-15, the inflation limit, and compressed
 * messages through the protocol core. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deflate.h"
#include "ws.h"

static char	err[256];

/* Negotiates response against our default offer. */
static int
neg(const char *response, struct wsc_pmd_params *out)
{
	struct wsc_pmd_params	offer;

	ck_assert_int_eq(wsc_pmd_parse_offer(WSC_PMD_OFFER, &offer, err,
	    sizeof err), 0);
	err[0] = '\0';
	return wsc_pmd_negotiate(&offer, response, out, err, sizeof err);
}

/* Negotiates response against another offer. */
static int
neg_offer(const char *offer_s, const char *response, struct wsc_pmd_params *out)
{
	struct wsc_pmd_params	offer;

	ck_assert_int_eq(wsc_pmd_parse_offer(offer_s, &offer, err, sizeof err),
	    0);
	err[0] = '\0';
	return wsc_pmd_negotiate(&offer, response, out, err, sizeof err);
}

START_TEST(offer_parses)
{
	struct wsc_pmd_params	p;

	ck_assert_int_eq(wsc_pmd_parse_offer(WSC_PMD_OFFER, &p, err,
	    sizeof err), 0);
	ck_assert_int_eq(p.client_max_window_bits, WSC_PMD_BITS_ANY);
	ck_assert_int_eq(p.server_max_window_bits, 0);
	ck_assert_int_eq(p.server_no_context_takeover, 0);
	ck_assert_int_eq(p.client_no_context_takeover, 0);
	ck_assert_int_eq(wsc_pmd_parse_offer("x-foo", &p, err, sizeof err),
	    WSC_PMD_E_NEGOTIATION);
	ck_assert_int_eq(wsc_pmd_parse_offer("permessage-deflate, x", &p, err,
	    sizeof err), WSC_PMD_E_NEGOTIATION);
	/* an offer's server_max_window_bits needs a value (7.1.2.1) */
	ck_assert_int_eq(wsc_pmd_parse_offer(
	    "permessage-deflate; server_max_window_bits", &p, err, sizeof err),
	    WSC_PMD_E_NEGOTIATION);
}
END_TEST

START_TEST(no_extension_means_off)
{
	struct wsc_pmd_params	p;

	ck_assert_int_eq(neg(NULL, &p), 0);
	ck_assert_int_eq(neg("", &p), 0);
	ck_assert_int_eq(neg(" , ,", &p), 0);
}
END_TEST

START_TEST(plain_accept_defaults_to_15)
{
	struct wsc_pmd_params	p;

	ck_assert_int_eq(neg("permessage-deflate", &p), 1);
	ck_assert_int_eq(p.server_max_window_bits, 15);
	ck_assert_int_eq(p.client_max_window_bits, 15);
	ck_assert_int_eq(p.server_no_context_takeover, 0);
	ck_assert_int_eq(p.client_no_context_takeover, 0);
	/* names are case-insensitive, whitespace and empty elements allowed */
	ck_assert_int_eq(neg(" , Permessage-Deflate ;\tServer_No_Context_Takeover ,",
	    &p), 1);
	ck_assert_int_eq(p.server_no_context_takeover, 1);
}
END_TEST

START_TEST(all_parameters)
{
	struct wsc_pmd_params	p;

	ck_assert_int_eq(neg("permessage-deflate; server_no_context_takeover; "
	    "client_no_context_takeover; server_max_window_bits=10; "
	    "client_max_window_bits=8", &p), 1);
	ck_assert_int_eq(p.server_no_context_takeover, 1);
	ck_assert_int_eq(p.client_no_context_takeover, 1);
	ck_assert_int_eq(p.server_max_window_bits, 10);
	ck_assert_int_eq(p.client_max_window_bits, 8);
	/* section 7.1: the quoted-string form is allowed too */
	ck_assert_int_eq(neg("permessage-deflate; client_max_window_bits=\"9\"; "
	    "server_max_window_bits = \"1\\2\"", &p), 1);
	ck_assert_int_eq(p.client_max_window_bits, 9);
	ck_assert_int_eq(p.server_max_window_bits, 12);
}
END_TEST

START_TEST(window_bits_boundaries)
{
	static const char *const bad[] = {
		"7", "16", "0", "08", "015", "-9", "+9", "9.0", "1e1", "abc",
		"99999999999999999999", "\"\"", "\"16\"", "10 0"
	};
	struct wsc_pmd_params	p;
	char			h[200];
	size_t			i;
	int			b, which;

	for (which = 0; which < 2; which++) {
		const char *name = which ? "client_max_window_bits" :
		    "server_max_window_bits";

		for (b = 8; b <= 15; b++) {
			snprintf(h, sizeof h, "permessage-deflate; %s=%d", name, b);
			ck_assert_int_eq(neg(h, &p), 1);
			ck_assert_int_eq(which ? p.client_max_window_bits :
			    p.server_max_window_bits, b);
		}
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			snprintf(h, sizeof h, "permessage-deflate; %s=%s", name,
			    bad[i]);
			ck_assert_msg(neg(h, &p) == WSC_PMD_E_NEGOTIATION,
			    "accepted %s", h);
			ck_assert_ptr_nonnull(strstr(err, "permessage-deflate"));
		}
		/* a response's window bits always have a value */
		snprintf(h, sizeof h, "permessage-deflate; %s", name);
		ck_assert_int_eq(neg(h, &p), WSC_PMD_E_NEGOTIATION);
		ck_assert_ptr_nonnull(strstr(err, "without a value"));
	}
}
END_TEST

START_TEST(duplicates_and_unknowns)
{
	static const char *const bad[] = {
		"permessage-deflate; server_no_context_takeover; server_no_context_takeover",
		"permessage-deflate; client_no_context_takeover; client_no_context_takeover",
		"permessage-deflate; server_max_window_bits=9; server_max_window_bits=9",
		"permessage-deflate; client_max_window_bits=9; client_max_window_bits=10",
		"permessage-deflate; foo",
		"permessage-deflate; foo=1",
		"permessage-deflate; server_no_context_takeover=1",
		"permessage-deflate; client_no_context_takeover=\"\"",
		"permessage-deflate, permessage-deflate",
		"permessage-deflate, x-webkit-deflate-frame",
		"x-webkit-deflate-frame",
		"permessage-deflate;",
		"permessage-deflate;;",
		"permessage-deflate; =9",
		"permessage-deflate x",
		"permessage-deflate; server_max_window_bits=\"9",
		"permessage-deflate; server_max_window_bits=",
		"; permessage-deflate",
	};
	struct wsc_pmd_params	p;
	size_t			i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(neg(bad[i], &p) == WSC_PMD_E_NEGOTIATION,
		    "accepted %s", bad[i]);
	neg("permessage-deflate; foo", &p);
	ck_assert_str_eq(err, "permessage-deflate: unknown parameter 'foo'");
	neg("x-webkit-deflate-frame", &p);
	ck_assert_str_eq(err, "server enabled extension 'x-webkit-deflate-frame' "
	    "which was not offered");
	neg("permessage-deflate; server_no_context_takeover; "
	    "server_no_context_takeover", &p);
	ck_assert_str_eq(err, "permessage-deflate: server_no_context_takeover "
	    "given twice");
}
END_TEST

START_TEST(values_not_offered)
{
	struct wsc_pmd_params	p;

	/* 7.1.2.2: not offered, so the server must not send it */
	ck_assert_int_eq(neg_offer("permessage-deflate",
	    "permessage-deflate; client_max_window_bits=10", &p),
	    WSC_PMD_E_NEGOTIATION);
	ck_assert_ptr_nonnull(strstr(err, "not offered"));
	/* offered with a value: the same or smaller */
	ck_assert_int_eq(neg_offer("permessage-deflate; client_max_window_bits=10",
	    "permessage-deflate; client_max_window_bits=11", &p),
	    WSC_PMD_E_NEGOTIATION);
	ck_assert_int_eq(neg_offer("permessage-deflate; client_max_window_bits=10",
	    "permessage-deflate; client_max_window_bits=10", &p), 1);
	ck_assert_int_eq(neg_offer("permessage-deflate; client_max_window_bits=10",
	    "permessage-deflate", &p), 1);
	ck_assert_int_eq(p.client_max_window_bits, 15);
	/* 7.1.2.1: server_max_window_bits offered: accepted, not larger */
	ck_assert_int_eq(neg_offer("permessage-deflate; server_max_window_bits=10",
	    "permessage-deflate; server_max_window_bits=12", &p),
	    WSC_PMD_E_NEGOTIATION);
	ck_assert_int_eq(neg_offer("permessage-deflate; server_max_window_bits=10",
	    "permessage-deflate", &p), WSC_PMD_E_NEGOTIATION);
	ck_assert_int_eq(neg_offer("permessage-deflate; server_max_window_bits=10",
	    "permessage-deflate; server_max_window_bits=9", &p), 1);
	/* ...but the server may limit its window unasked */
	ck_assert_int_eq(neg("permessage-deflate; server_max_window_bits=9", &p), 1);
	/* 7.1.1.1: server_no_context_takeover offered must be accepted */
	ck_assert_int_eq(neg_offer("permessage-deflate; server_no_context_takeover",
	    "permessage-deflate", &p), WSC_PMD_E_NEGOTIATION);
	ck_assert_int_eq(neg_offer("permessage-deflate; server_no_context_takeover",
	    "permessage-deflate; server_no_context_takeover", &p), 1);
}
END_TEST

/* A client and a server context agreeing on a. */
static void
pair(const struct wsc_pmd_params *a, struct wsc_pmd *cli, struct wsc_pmd *srv)
{
	ck_assert_int_eq(wsc_pmd_init(cli, a, 0), 0);
	ck_assert_int_eq(wsc_pmd_init(srv, a, 1), 0);
}

static void
agreed(struct wsc_pmd_params *a, int snct, int cnct, int sbits, int cbits)
{
	memset(a, 0, sizeof *a);
	a->server_no_context_takeover = snct;
	a->client_no_context_takeover = cnct;
	a->server_max_window_bits = sbits;
	a->client_max_window_bits = cbits;
}

/* Compresses msg with from and inflates it with to, in pieces of step
 * bytes; checks the result and returns the compressed size. */
static size_t
round_trip(struct wsc_pmd *from, struct wsc_pmd *to, const uint8_t *msg,
    size_t n, size_t step)
{
	static uint8_t	c[1 << 20];
	struct wsc_buf	out;
	ssize_t		cn;
	size_t		off, k;

	ck_assert_uint_le(n + 64, sizeof c);
	cn = wsc_pmd_deflate(from, msg, n, c, n + 64);
	ck_assert_int_ge(cn, 0);
	wsc_buf_init(&out);
	for (off = 0; off < (size_t)cn || off == 0; off += k) {
		k = (size_t)cn - off < step ? (size_t)cn - off : step;
		ck_assert_int_eq(wsc_pmd_inflate(to, c + off, k,
		    off + k == (size_t)cn, &out, 1 << 24), 0);
		if (cn == 0)
			break;
	}
	ck_assert_uint_eq(wsc_buf_used(&out), n);
	ck_assert_mem_eq(wsc_buf_head(&out), msg, n);
	wsc_buf_free(&out);
	return (size_t)cn;
}

/* Text with repeats at many distances, so that matches reach far back. */
static void
fill_text(uint8_t *p, size_t n, unsigned seed)
{
	static const char *const	words[] = { "alpha ", "beta ",
		"gamma ", "delta ", "epsilon ", "zeta ", "eta ", "theta ", "\n" };
	const char			*w;
	size_t				i = 0;

	while (i < n) {
		seed = seed * 1103515245 + 12345;
		w = words[(seed >> 16) % 9];
		/* now and then a number, so that not everything repeats */
		if ((seed >> 8) % 7 == 0 && i < n)
			p[i++] = (uint8_t)('0' + (seed >> 20) % 10);
		while (*w != '\0' && i < n)
			p[i++] = (uint8_t)*w++;
	}
}

START_TEST(round_trip_context_takeover)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli, srv;
	uint8_t			msg[4000];
	size_t			first, second;
	int			i;

	for (i = 0; i < (int)sizeof msg; i++)
		msg[i] = (uint8_t)("The quick brown fox. "[i % 21] + (i / 500));
	agreed(&a, 0, 0, 15, 15);
	pair(&a, &cli, &srv);
	first = round_trip(&cli, &srv, msg, sizeof msg, 7);
	/* the same message again refers back to the first one */
	second = round_trip(&cli, &srv, msg, sizeof msg, 1);
	ck_assert_uint_lt(second, first / 2);
	/* and the other direction */
	round_trip(&srv, &cli, msg, sizeof msg, 3);
	round_trip(&srv, &cli, msg, sizeof msg, 1000);
	wsc_pmd_free(&cli);
	wsc_pmd_free(&srv);
	wsc_pmd_free(&srv);	/* safe twice */
}
END_TEST

START_TEST(round_trip_no_context_takeover)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli, srv;
	uint8_t			msg[4000];
	size_t			first, second;
	int			i;

	for (i = 0; i < (int)sizeof msg; i++)
		msg[i] = (uint8_t)("The quick brown fox. "[i % 21] + (i / 500));
	agreed(&a, 1, 1, 15, 15);
	pair(&a, &cli, &srv);
	ck_assert_int_eq(cli.def_reset, 1);
	ck_assert_int_eq(cli.inf_reset, 1);
	first = round_trip(&cli, &srv, msg, sizeof msg, 5);
	second = round_trip(&cli, &srv, msg, sizeof msg, 5);
	ck_assert_uint_eq(second, first);
	first = round_trip(&srv, &cli, msg, sizeof msg, 5);
	second = round_trip(&srv, &cli, msg, sizeof msg, 5);
	ck_assert_uint_eq(second, first);
	wsc_pmd_free(&cli);
	wsc_pmd_free(&srv);
}
END_TEST

/* Every window size, both directions, inflated a byte at a time so that
 * matches must come from the window: with 8 bits our deflater runs zlib
 * with 9 (zlib refuses 8 for raw deflate), whose matches stay within 250
 * bytes, and the peer's 256-byte window inflates them. */
START_TEST(window_bits_8_to_15)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli, srv;
	static uint8_t		msg[20000];
	int			bits, k;

	for (bits = 8; bits <= 15; bits++) {
		agreed(&a, 0, 0, bits, bits);
		pair(&a, &cli, &srv);
		ck_assert_int_eq(srv.inf_bits, bits);
		ck_assert_int_eq(cli.inf_bits, bits);
		ck_assert_int_eq(cli.def_bits, bits < 9 ? 9 : bits);
		for (k = 0; k < 4; k++) {
			fill_text(msg, sizeof msg, (unsigned)(bits * 10 + k));
			round_trip(&cli, &srv, msg, sizeof msg, 1);
			round_trip(&srv, &cli, msg, sizeof msg, 1);
		}
		wsc_pmd_free(&cli);
		wsc_pmd_free(&srv);
	}
}
END_TEST

/* The control for the test above: the same text deflated with a 10-bit
 * window does not inflate with 8, so that test would see a bad match. */
START_TEST(window_too_small_is_detected)
{
	struct wsc_pmd_params	a10, a8;
	struct wsc_pmd		cli, srv;
	static uint8_t		msg[20000], cbuf[30000];
	struct wsc_buf		out;
	ssize_t			cn;
	size_t			i;
	int			r = 0;

	agreed(&a10, 0, 0, 15, 10);
	agreed(&a8, 0, 0, 15, 8);
	ck_assert_int_eq(wsc_pmd_init(&cli, &a10, 0), 0);
	ck_assert_int_eq(wsc_pmd_init(&srv, &a8, 1), 0);
	fill_text(msg, sizeof msg, 80);
	cn = wsc_pmd_deflate(&cli, msg, sizeof msg, cbuf, sizeof cbuf);
	ck_assert_int_gt(cn, 0);
	wsc_buf_init(&out);
	for (i = 0; i < (size_t)cn && r == 0; i++)
		r = wsc_pmd_inflate(&srv, cbuf + i, 1, i + 1 == (size_t)cn, &out,
		    1 << 24);
	ck_assert_int_eq(r, WSC_PMD_E_DATA);
	ck_assert_str_eq(srv.errstr, "invalid distance too far back");
	wsc_buf_free(&out);
	wsc_pmd_free(&cli);
	wsc_pmd_free(&srv);
}
END_TEST

/* Not smaller: the caller sends it plain, and the context starts over so
 * later messages do not refer to bytes the peer never saw. */
START_TEST(incompressible_resets_context)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli, srv;
	uint8_t			rnd[1000], c[1100], text[600];
	unsigned		x = 1;
	size_t			i;

	for (i = 0; i < sizeof rnd; i++) {
		x = x * 1103515245 + 12345;
		rnd[i] = (uint8_t)(x >> 16);
	}
	memset(text, 'q', sizeof text);
	agreed(&a, 0, 0, 15, 15);
	pair(&a, &cli, &srv);
	ck_assert_int_eq(wsc_pmd_deflate(&cli, rnd, sizeof rnd, c, sizeof rnd + 3),
	    WSC_PMD_E_NOT_SMALLER);
	/* srv never saw rnd: the next message must still inflate */
	round_trip(&cli, &srv, text, sizeof text, 1);
	round_trip(&cli, &srv, rnd + 10, 500, 1);
	wsc_pmd_free(&cli);
	wsc_pmd_free(&srv);
}
END_TEST

/* A bomb stops at the limit: the output never grows past it. */
START_TEST(bomb_stops_at_limit)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli, srv;
	static uint8_t		zeros[4 << 20], c[64 << 10];
	struct wsc_buf		out;
	ssize_t			cn;

	agreed(&a, 0, 0, 15, 15);
	pair(&a, &cli, &srv);
	cn = wsc_pmd_deflate(&srv, zeros, sizeof zeros, c, sizeof c);
	ck_assert_int_gt(cn, 0);
	ck_assert_int_lt(cn, 8192);
	wsc_buf_init(&out);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, c, (size_t)cn, 1, &out, 100000),
	    WSC_PMD_E_TOO_BIG);
	ck_assert_uint_eq(wsc_buf_used(&out), 100000);
	ck_assert_uint_le(out.cap, 131072);
	wsc_buf_free(&out);
	/* exactly the limit is fine */
	wsc_pmd_free(&cli);
	wsc_pmd_free(&srv);
	pair(&a, &cli, &srv);
	cn = wsc_pmd_deflate(&srv, zeros, 100000, c, sizeof c);
	wsc_buf_init(&out);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, c, (size_t)cn, 1, &out, 100000), 0);
	ck_assert_uint_eq(wsc_buf_used(&out), 100000);
	wsc_buf_free(&out);
	wsc_pmd_free(&cli);
	wsc_pmd_free(&srv);
}
END_TEST

START_TEST(corrupt_and_truncated)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli;
	struct wsc_buf		out;
	/* BTYPE 11 is reserved */
	static const uint8_t	bad[] = { 0x07, 0x00 };
	/* a fixed-Huffman block cut before its end-of-block code */
	static const uint8_t	cut[] = { 0xf2, 0x48, 0xcd };

	agreed(&a, 0, 0, 15, 15);
	wsc_buf_init(&out);
	ck_assert_int_eq(wsc_pmd_init(&cli, &a, 0), 0);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, bad, sizeof bad, 1, &out, 1000),
	    WSC_PMD_E_DATA);
	ck_assert_str_eq(cli.errstr, "invalid block type");
	wsc_pmd_free(&cli);
	ck_assert_int_eq(wsc_pmd_init(&cli, &a, 0), 0);
	ck_assert_int_ne(wsc_pmd_inflate(&cli, cut, sizeof cut, 1, &out, 1000), 0);
	wsc_pmd_free(&cli);
	wsc_buf_free(&out);
}
END_TEST

/* Section 7.2.3: a sender may end each message with a BFINAL block; with
 * context takeover the next message still refers to the earlier ones. */
START_TEST(bfinal_keeps_context)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		cli;
	z_stream		zs;
	struct wsc_buf		out;
	uint8_t			c[512], dict[64];
	const char		*m1 = "hello hello hello, compressed world";
	size_t			n1, n2;

	agreed(&a, 0, 0, 15, 15);
	ck_assert_int_eq(wsc_pmd_init(&cli, &a, 0), 0);
	memset(&zs, 0, sizeof zs);
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (const Bytef *)m1;
	zs.avail_in = (uInt)strlen(m1);
	zs.next_out = c;
	zs.avail_out = sizeof c;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n1 = sizeof c - zs.avail_out;
	/* message 2: a new stream whose dictionary is message 1 */
	deflateReset(&zs);
	memcpy(dict, m1, strlen(m1));
	deflateSetDictionary(&zs, dict, (uInt)strlen(m1));
	zs.next_in = (const Bytef *)m1;
	zs.avail_in = (uInt)strlen(m1);
	zs.next_out = c + n1;
	zs.avail_out = (uInt)(sizeof c - n1);
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n2 = sizeof c - n1 - zs.avail_out;
	deflateEnd(&zs);
	wsc_buf_init(&out);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, c, n1, 1, &out, 1000), 0);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, c + n1, n2, 1, &out, 1000), 0);
	ck_assert_uint_eq(wsc_buf_used(&out), 2 * strlen(m1));
	ck_assert_mem_eq(wsc_buf_head(&out) + strlen(m1), m1, strlen(m1));
	/* data after the end of a stream is refused */
	wsc_buf_reset(&out);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, c, n1, 0, &out, 1000), 0);
	ck_assert_int_eq(wsc_pmd_inflate(&cli, c, 1, 1, &out, 1000),
	    WSC_PMD_E_DATA);
	wsc_buf_free(&out);
	wsc_pmd_free(&cli);
}
END_TEST

/* ------------------------------------------------ through the ws core */

static int
fake_rng(void *ctx, uint8_t *buf, size_t len)
{
	size_t	i;

	(void)ctx;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(0x35 + 7 * i);
	return 0;
}

static struct wsc_ws	c, s;

static void
ws_setup_with(const char *response)
{
	ck_assert_int_eq(wsc_ws_init(&c, WSC_ROLE_CLIENT, fake_rng, NULL,
	    1 << 20), 0);
	ck_assert_int_eq(wsc_ws_init(&s, WSC_ROLE_SERVER, fake_rng, NULL,
	    1 << 20), 0);
	ck_assert_int_eq(wsc_ws_use_pmd(&c, WSC_PMD_OFFER, response, err,
	    sizeof err), 0);
	ck_assert_int_eq(wsc_ws_use_pmd(&s, WSC_PMD_OFFER, response, err,
	    sizeof err), 0);
	ck_assert_ptr_nonnull(c.pmd);
}

static void
ws_setup(void)
{
	ws_setup_with("permessage-deflate");
}

static void
ws_teardown(void)
{
	wsc_ws_free(&c);
	wsc_ws_free(&c);
	wsc_ws_free(&s);
}

/* Moves what one side queued to the other. */
static void
transfer(struct wsc_ws *from, struct wsc_ws *to)
{
	wsc_ws_feed(to, wsc_ws_out_data(from), wsc_ws_buffered(from));
	wsc_ws_out_consume(from, wsc_ws_buffered(from));
}

/* Compresses msg with the server's context into frames of frag bytes
 * (RSV1 on the first only), as a server would send them. */
static size_t
server_frames(uint8_t *dst, int opcode, const void *msg, size_t n,
    size_t frag)
{
	static uint8_t	cbuf[1 << 20];
	ssize_t		cn = wsc_pmd_deflate(s.pmd, msg, n, cbuf, sizeof cbuf);
	size_t		off = 0, k, w = 0;

	ck_assert_int_ge(cn, 0);
	do {
		k = (size_t)cn - off < frag ? (size_t)cn - off : frag;
		w += wsc_frame_encode(dst + w, off + k == (size_t)cn, off == 0,
		    off == 0 ? opcode : WSC_OP_CONT, NULL, k);
		memcpy(dst + w, cbuf + off, k);
		w += k;
		off += k;
	} while (off < (size_t)cn);
	return w;
}

START_TEST(ws_outgoing_compressed)
{
	struct wsc_event	ev;
	char			msg[1000];
	const uint8_t		*out;

	memset(msg, 'x', sizeof msg);
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_TEXT, msg, sizeof msg), 0);
	out = wsc_ws_out_data(&c);
	ck_assert_uint_eq(out[0], 0xc1);	/* FIN, RSV1, TEXT */
	ck_assert_uint_lt(wsc_ws_buffered(&c), 40);
	transfer(&c, &s);
	ck_assert_int_eq(wsc_ws_next(&s, &ev), WSC_EV_MESSAGE);
	ck_assert_uint_eq(ev.len, sizeof msg);
	ck_assert_mem_eq(ev.data, msg, sizeof msg);
	/* short messages and control frames go as they are */
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_TEXT, "hi", 2), 0);
	ck_assert_uint_eq(wsc_ws_out_data(&c)[0], 0x81);
	transfer(&c, &s);
	ck_assert_int_eq(wsc_ws_next(&s, &ev), WSC_EV_MESSAGE);
	ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_PING, msg, 100), 0);
	ck_assert_uint_eq(wsc_ws_out_data(&c)[0], 0x89);
}
END_TEST

START_TEST(ws_outgoing_incompressible_is_plain)
{
	struct wsc_event	ev;
	uint8_t			rnd[3000];
	char			text[3000];
	unsigned		x = 7;
	size_t			i;
	int			k;

	for (i = 0; i < sizeof rnd; i++) {
		x = x * 1103515245 + 12345;
		rnd[i] = (uint8_t)(x >> 16);
	}
	memset(text, 'a', sizeof text);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_BINARY, rnd, sizeof rnd), 0);
		ck_assert_uint_eq(wsc_ws_out_data(&c)[0], 0x82);
		transfer(&c, &s);
		ck_assert_int_eq(wsc_ws_next(&s, &ev), WSC_EV_MESSAGE);
		ck_assert_mem_eq(ev.data, rnd, sizeof rnd);
		ck_assert_int_eq(wsc_ws_send(&c, WSC_OP_TEXT, text, sizeof text), 0);
		ck_assert_uint_eq(wsc_ws_out_data(&c)[0], 0xc1);
		transfer(&c, &s);
		ck_assert_int_eq(wsc_ws_next(&s, &ev), WSC_EV_MESSAGE);
		ck_assert_mem_eq(ev.data, text, sizeof text);
	}
}
END_TEST

START_TEST(ws_incoming_fragmented_byte_by_byte)
{
	static uint8_t		wire[1 << 16];
	struct wsc_event	ev;
	char			msg[5000];
	size_t			n, i, k;
	int			got = 0, pings = 0;
	uint8_t			ping[8];
	size_t			pn = wsc_frame_encode(ping, 1, 0, WSC_OP_PING,
				    NULL, 0);

	for (i = 0; i < sizeof msg; i++)
		msg[i] = "abcdefgh \xc3\xa9"[i % 11];
	msg[sizeof msg - 1] = ' ';
	msg[sizeof msg - 2] = ' ';
	n = server_frames(wire, WSC_OP_TEXT, msg, sizeof msg, 3);
	for (i = 0; i < n; i++) {
		wsc_ws_feed(&c, wire + i, 1);
		while (wsc_ws_next(&c, &ev) != WSC_EV_NONE) {
			ck_assert_int_eq(ev.type, WSC_EV_MESSAGE);
			ck_assert_uint_eq(ev.len, sizeof msg);
			ck_assert_mem_eq(ev.data, msg, sizeof msg);
			got++;
		}
	}
	ck_assert_int_eq(got, 1);
	/* and with pings between the fragments of the next message */
	n = server_frames(wire, WSC_OP_TEXT, msg, sizeof msg, 10);
	for (i = 0; i < n; i += k) {
		/* one fragment, then a ping (section 5.4) */
		k = 2 + wire[i + 1];
		if (wire[i + 1] == 126)
			k = 4 + ((size_t)wire[i + 2] << 8 | wire[i + 3]);
		wsc_ws_feed(&c, wire + i, k);
		wsc_ws_feed(&c, ping, pn);
	}
	got = 0;
	while (wsc_ws_next(&c, &ev) != WSC_EV_NONE) {
		if (ev.type == WSC_EV_PING) {
			pings++;
			continue;
		}
		ck_assert_int_eq(ev.type, WSC_EV_MESSAGE);
		ck_assert_mem_eq(ev.data, msg, sizeof msg);
		got++;
	}
	ck_assert_int_eq(got, 1);
	ck_assert_int_gt(pings, 1);
}
END_TEST

/* Feeds what the server side would send and returns the next event. */
static enum wsc_ev_type
feed_raw(const uint8_t *p, size_t n, struct wsc_event *ev)
{
	wsc_ws_feed(&c, p, n);
	return wsc_ws_next(&c, ev);
}

START_TEST(ws_rsv1_rules)
{
	uint8_t			f[64];
	struct wsc_event	ev;
	size_t			n;

	/* RSV1 on a continuation frame (RFC 7692 section 6.1) */
	n = wsc_frame_encode(f, 0, 1, WSC_OP_TEXT, NULL, 0);
	n += wsc_frame_encode(f + n, 1, 1, WSC_OP_CONT, NULL, 0);
	ck_assert_int_eq(feed_raw(f, n, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1002);
	wsc_ws_free(&c);
	wsc_ws_free(&s);
	/* RSV1 on a control frame */
	ws_setup();
	n = wsc_frame_encode(f, 1, 1, WSC_OP_PING, NULL, 0);
	ck_assert_int_eq(feed_raw(f, n, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1002);
	ck_assert_str_eq(ev.reason, "RSV1 set on a control frame");
}
END_TEST

START_TEST(ws_rsv1_without_pmd)
{
	uint8_t			f[64];
	struct wsc_event	ev;
	struct wsc_ws		w;
	size_t			n;

	ck_assert_int_eq(wsc_ws_init(&w, WSC_ROLE_CLIENT, fake_rng, NULL, 1000), 0);
	ck_assert_int_eq(wsc_ws_use_pmd(&w, WSC_PMD_OFFER, NULL, err,
	    sizeof err), 0);
	ck_assert_ptr_null(w.pmd);
	n = wsc_frame_encode(f, 1, 1, WSC_OP_TEXT, NULL, 0);
	wsc_ws_feed(&w, f, n);
	ck_assert_int_eq(wsc_ws_next(&w, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1002);
	wsc_ws_free(&w);
	/* no offer made: nothing to turn on */
	ck_assert_int_eq(wsc_ws_init(&w, WSC_ROLE_CLIENT, fake_rng, NULL, 1000), 0);
	ck_assert_int_eq(wsc_ws_use_pmd(&w, NULL, NULL, err, sizeof err), 0);
	ck_assert_ptr_null(w.pmd);
	ck_assert_int_eq(wsc_ws_use_pmd(&w, WSC_PMD_OFFER,
	    "permessage-deflate; client_max_window_bits=16", err, sizeof err), -1);
	ck_assert_ptr_null(w.pmd);
	wsc_ws_free(&w);
}
END_TEST

/* Invalid UTF-8 inside a compressed text message fails in the frame that
 * carries it, before the message ends. */
START_TEST(ws_compressed_bad_utf8_fails_fast)
{
	static uint8_t		wire[1 << 16];
	struct wsc_event	ev;
	char			msg[3000];
	size_t			n;

	memset(msg, 'a', sizeof msg);
	msg[10] = (char)0xff;
	n = server_frames(wire, WSC_OP_TEXT, msg, sizeof msg, 8);
	/* only the first fragments: the message has not ended */
	ck_assert_int_eq(feed_raw(wire, 40, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1007);
	(void)n;
}
END_TEST

START_TEST(ws_compressed_text_ends_mid_character)
{
	static uint8_t		wire[4096];
	struct wsc_event	ev;
	char			msg[100];
	size_t			n;

	memset(msg, 'a', sizeof msg);
	msg[99] = (char)0xc3;
	n = server_frames(wire, WSC_OP_TEXT, msg, sizeof msg, 1000);
	ck_assert_int_eq(feed_raw(wire, n, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1007);
}
END_TEST

START_TEST(ws_bomb_closes_1009)
{
	static uint8_t		wire[1 << 16], zeros[8 << 20];
	struct wsc_event	ev;
	size_t			n;

	n = server_frames(wire, WSC_OP_BINARY, zeros, sizeof zeros, 100);
	ck_assert_uint_lt(n, sizeof wire);
	ck_assert_int_eq(feed_raw(wire, n, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1009);
	ck_assert_uint_le(c.msg.cap, (size_t)1 << 20);
}
END_TEST

START_TEST(ws_corrupt_closes_1007)
{
	uint8_t			f[64];
	struct wsc_event	ev;
	size_t			n;

	n = wsc_frame_encode(f, 1, 1, WSC_OP_BINARY, NULL, 2);
	f[n++] = 0x07;
	f[n++] = 0x00;
	ck_assert_int_eq(feed_raw(f, n, &ev), WSC_EV_ERROR);
	ck_assert_uint_eq(ev.code, 1007);
	ck_assert_ptr_nonnull(strstr(ev.reason, "compressed"));
}
END_TEST

/* An empty compressed message: no payload at all, or the single 00 byte
 * that deflating nothing gives (RFC 7692 section 7.2.3). */
START_TEST(ws_empty_compressed)
{
	uint8_t			f[64], wire[256];
	struct wsc_event	ev;
	size_t			n;

	n = wsc_frame_encode(f, 1, 1, WSC_OP_TEXT, NULL, 0);
	ck_assert_msg(feed_raw(f, n, &ev) == WSC_EV_MESSAGE, "%s", ev.reason);
	ck_assert_uint_eq(ev.len, 0);
	n = wsc_frame_encode(f, 1, 1, WSC_OP_TEXT, NULL, 1);
	f[n++] = 0x00;
	ck_assert_msg(feed_raw(f, n, &ev) == WSC_EV_MESSAGE, "%s", ev.reason);
	ck_assert_uint_eq(ev.len, 0);
	/* the context is intact for the next message */
	n = server_frames(wire, WSC_OP_TEXT, "after the empty ones", 20, 1000);
	ck_assert_int_eq(feed_raw(wire, n, &ev), WSC_EV_MESSAGE);
	ck_assert_mem_eq(ev.data, "after the empty ones", 20);
}
END_TEST

/* With server_no_context_takeover each message stands alone: messages
 * compressed from fresh contexts all inflate. */
START_TEST(ws_server_no_context_takeover)
{
	static uint8_t		wire[8192];
	struct wsc_event	ev;
	const char		*m = "no context takeover, no context takeover";
	size_t			n;
	int			i;

	wsc_ws_free(&c);
	wsc_ws_free(&s);
	ws_setup_with("permessage-deflate; server_no_context_takeover");
	ck_assert_int_eq(c.pmd->inf_reset, 1);
	ck_assert_int_eq(s.pmd->def_reset, 1);
	for (i = 0; i < 3; i++) {
		n = server_frames(wire, WSC_OP_TEXT, m, strlen(m), 1000);
		ck_assert_int_eq(feed_raw(wire, n, &ev), WSC_EV_MESSAGE);
		ck_assert_mem_eq(ev.data, m, strlen(m));
	}
}
END_TEST

/* The server's side: the first acceptable offer wins, with its answer. */
START_TEST(select_offers)
{
	struct wsc_pmd_params	a;
	char			r[128];

	ck_assert_int_eq(wsc_pmd_select(NULL, &a, r, sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("", &a, r, sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("x-foo; a=\"b,permessage-deflate\"",
	    &a, r, sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; client_max_window_bits",
	    &a, r, sizeof r), 1);
	ck_assert_str_eq(r, "permessage-deflate");
	ck_assert_int_eq(a.server_max_window_bits, 15);
	ck_assert_int_eq(a.client_max_window_bits, 15);
	ck_assert_int_eq(wsc_pmd_select("PerMessage-Deflate; server_max_window_bits=8;"
	    " server_no_context_takeover; client_no_context_takeover", &a, r,
	    sizeof r), 1);
	ck_assert_str_eq(r, "permessage-deflate; server_no_context_takeover; "
	    "client_no_context_takeover; server_max_window_bits=8");
	ck_assert_int_eq(a.server_max_window_bits, 8);
	ck_assert_int_eq(a.server_no_context_takeover, 1);
	ck_assert_int_eq(a.client_no_context_takeover, 1);
}
END_TEST

/* RFC 7692 section 5: bad offers are declined, and a later one taken. */
START_TEST(select_declines_bad_offers)
{
	struct wsc_pmd_params	a;
	char			r[128];

	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; x=1", &a, r,
	    sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; server_max_window_bits=7",
	    &a, r, sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; server_max_window_bits=16",
	    &a, r, sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; server_max_window_bits",
	    &a, r, sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; "
	    "server_no_context_takeover; server_no_context_takeover", &a, r,
	    sizeof r), 0);
	ck_assert_int_eq(wsc_pmd_select("permessage-deflate; x=\"a,b\", "
	    "x-other, permessage-deflate; server_max_window_bits=\"9\"", &a, r,
	    sizeof r), 1);
	ck_assert_str_eq(r, "permessage-deflate; server_max_window_bits=9");
	ck_assert_int_eq(a.server_max_window_bits, 9);
}
END_TEST

static Suite *
deflate_suite(void)
{
	Suite	*su = suite_create("deflate");
	TCase	*tn = tcase_create("negotiation");
	TCase	*tz = tcase_create("zlib");
	TCase	*tw = tcase_create("ws");

	tcase_add_test(tn, offer_parses);
	tcase_add_test(tn, no_extension_means_off);
	tcase_add_test(tn, plain_accept_defaults_to_15);
	tcase_add_test(tn, all_parameters);
	tcase_add_test(tn, window_bits_boundaries);
	tcase_add_test(tn, duplicates_and_unknowns);
	tcase_add_test(tn, values_not_offered);
	tcase_add_test(tn, select_offers);
	tcase_add_test(tn, select_declines_bad_offers);
	suite_add_tcase(su, tn);
	tcase_add_test(tz, round_trip_context_takeover);
	tcase_add_test(tz, round_trip_no_context_takeover);
	tcase_add_test(tz, window_bits_8_to_15);
	tcase_add_test(tz, window_too_small_is_detected);
	tcase_add_test(tz, incompressible_resets_context);
	tcase_add_test(tz, bomb_stops_at_limit);
	tcase_add_test(tz, corrupt_and_truncated);
	tcase_add_test(tz, bfinal_keeps_context);
	tcase_set_timeout(tz, 60);
	suite_add_tcase(su, tz);
	tcase_add_checked_fixture(tw, ws_setup, ws_teardown);
	tcase_add_test(tw, ws_outgoing_compressed);
	tcase_add_test(tw, ws_outgoing_incompressible_is_plain);
	tcase_add_test(tw, ws_incoming_fragmented_byte_by_byte);
	tcase_add_test(tw, ws_rsv1_rules);
	tcase_add_test(tw, ws_rsv1_without_pmd);
	tcase_add_test(tw, ws_compressed_bad_utf8_fails_fast);
	tcase_add_test(tw, ws_compressed_text_ends_mid_character);
	tcase_add_test(tw, ws_bomb_closes_1009);
	tcase_add_test(tw, ws_corrupt_closes_1007);
	tcase_add_test(tw, ws_empty_compressed);
	tcase_add_test(tw, ws_server_no_context_takeover);
	tcase_set_timeout(tw, 60);
	suite_add_tcase(su, tw);
	return su;
}

int
main(void)
{
	SRunner	*sr = srunner_create(deflate_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
