/* fuzz-sources: src/deflate.c src/ws.c src/frame.c src/utf8.c src/zlibload.c src/lazy.c */
/*
 * libFuzzer target for permessage-deflate's receiving side. The first byte
 * picks a mode:
 *   0  the negotiation: the rest is a server's Sec-WebSocket-Extensions
 *      value; agreed parameters must be in range and initialise zlib.
 *   1  raw inflation: byte 1 picks the parameters and a small limit; the
 *      rest is messages split at lengths taken from the input. Output never
 *      exceeds the limit, and what did inflate survives a round trip
 *      through our deflater.
 *   2  the protocol core: byte 1 picks the parameters and max_message; the
 *      rest is fed, in pieces, as frames from a server to a client with
 *      permessage-deflate on. Messages stay under the limit and text is
 *      valid UTF-8.
 *   3  the server's side: the rest is a client's Sec-WebSocket-Extensions
 *      value; a valid single offer is taken and its answer accepted.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deflate.h"
#include "utf8.h"
#include "ws.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Agreed parameters from one byte: takeover bits, then window bits. */
static void
params_from(uint8_t b, struct wsc_pmd_params *a)
{
	memset(a, 0, sizeof *a);
	a->server_no_context_takeover = b & 1;
	a->client_no_context_takeover = (b >> 1) & 1;
	a->server_max_window_bits = 8 + ((b >> 2) & 7);
	a->client_max_window_bits = 15 - ((b >> 5) & 7);
}

static void
fuzz_negotiate(const uint8_t *p, size_t n)
{
	struct wsc_pmd_params	offer, out;
	struct wsc_pmd		z;
	char			*s, err[128];
	int			r;

	if ((s = malloc(n + 1)) == NULL)
		return;
	memcpy(s, p, n);
	s[n] = '\0';
	if (wsc_pmd_parse_offer(WSC_PMD_OFFER, &offer, err, sizeof err) != 0)
		abort();
	r = wsc_pmd_negotiate(&offer, s, &out, err, sizeof err);
	if (r == 1) {
		if (out.server_max_window_bits < 8 ||
		    out.server_max_window_bits > 15 ||
		    out.client_max_window_bits < 8 ||
		    out.client_max_window_bits > 15)
			abort();
		if (wsc_pmd_init(&z, &out, 0) != 0)
			abort();
		wsc_pmd_free(&z);
	} else if (r != 0 && (r != WSC_PMD_E_NEGOTIATION || err[0] == '\0'))
		abort();
	/* the same text as an offer must not crash either */
	wsc_pmd_parse_offer(s, &offer, err, sizeof err);
	free(s);
}

/* Deflates msg with a fresh pair and checks it inflates back. */
static void
round_trip(const struct wsc_pmd_params *a, const uint8_t *msg, size_t n)
{
	struct wsc_pmd	srv, cli;
	struct wsc_buf	out;
	uint8_t		*c;
	ssize_t		cn;

	if (n == 0 || (c = malloc(n * 2 + 64)) == NULL)
		return;
	wsc_buf_init(&out);
	if (wsc_pmd_init(&srv, a, 1) != 0 || wsc_pmd_init(&cli, a, 0) != 0)
		abort();
	cn = wsc_pmd_deflate(&srv, msg, n, c, n * 2 + 64);
	if (cn < 0 || wsc_pmd_inflate(&cli, c, (size_t)cn, 1, &out, n) != 0 ||
	    wsc_buf_used(&out) != n || memcmp(wsc_buf_head(&out), msg, n) != 0)
		abort();
	wsc_pmd_free(&srv);
	wsc_pmd_free(&cli);
	wsc_buf_free(&out);
	free(c);
}

static void
fuzz_inflate(const uint8_t *p, size_t n)
{
	struct wsc_pmd_params	a;
	struct wsc_pmd		z;
	struct wsc_buf		out;
	uint64_t		limit;
	size_t			k;
	int			r = 0, fin;

	if (n < 1)
		return;
	params_from(p[0], &a);
	limit = 1 + (uint64_t)(p[0] % 7) * 20000;
	p++;
	n--;
	if (wsc_pmd_init(&z, &a, 0) != 0)
		abort();
	wsc_buf_init(&out);
	while (n > 0 && r == 0) {
		/* a length byte: the low 7 bits size the piece, the top one
		 * says whether it ends the message */
		k = 1 + (p[0] & 0x7f);
		fin = p[0] >> 7;
		p++;
		n--;
		if (k > n)
			k = n;
		r = wsc_pmd_inflate(&z, p, k, fin, &out, limit);
		if (wsc_buf_used(&out) > limit)
			abort();
		if (r == 0 && fin && wsc_buf_used(&out) > 0) {
			round_trip(&a, wsc_buf_head(&out), wsc_buf_used(&out));
			wsc_buf_reset(&out);
		}
		p += k;
		n -= k;
	}
	if (r != 0 && r != WSC_PMD_E_DATA && r != WSC_PMD_E_TOO_BIG)
		abort();
	if (r == WSC_PMD_E_TOO_BIG && wsc_buf_used(&out) != limit)
		abort();
	wsc_pmd_free(&z);
	wsc_buf_free(&out);
}

static int
fake_rng(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x42, len);
	return 0;
}

static void
fuzz_ws(const uint8_t *p, size_t n)
{
	static const char *const	responses[] = {
		"permessage-deflate",
		"permessage-deflate; server_no_context_takeover",
		"permessage-deflate; server_max_window_bits=8",
		("permessage-deflate; server_max_window_bits=9; "
		    "client_max_window_bits=8; client_no_context_takeover"),
	};
	struct wsc_ws		ws;
	struct wsc_event	ev;
	char			err[128];
	uint64_t		max;
	size_t			k, step;

	if (n < 1)
		return;
	max = 1 + (uint64_t)(p[0] >> 2) * 4096;
	if (wsc_ws_init(&ws, WSC_ROLE_CLIENT, fake_rng, NULL, max) != 0)
		abort();
	if (wsc_ws_use_pmd(&ws, WSC_PMD_OFFER, responses[p[0] & 3], err,
	    sizeof err) != 0)
		abort();
	step = 1 + p[0] % 61;
	p++;
	n--;
	while (n > 0) {
		k = n < step ? n : step;
		wsc_ws_feed(&ws, p, k);
		p += k;
		n -= k;
		while (wsc_ws_next(&ws, &ev) != WSC_EV_NONE) {
			if (ev.type != WSC_EV_MESSAGE)
				continue;
			if (ev.len > max)
				abort();
			if (ev.opcode == WSC_OP_TEXT &&
			    !wsc_utf8_valid(ev.data, ev.len))
				abort();
		}
		/* echo what is queued away, as the session would */
		wsc_ws_out_consume(&ws, wsc_ws_buffered(&ws));
	}
	wsc_ws_free(&ws);
}

/* The server's choice among a client's offers: what it agrees to is in
 * range and sets up zlib, and a client that made that one offer accepts
 * the answer with the same parameters. */
static void
fuzz_select(const uint8_t *p, size_t n)
{
	struct wsc_pmd_params	agreed, offer, out;
	struct wsc_pmd		z;
	char			*s, resp[128], err[128];
	int			single;

	if ((s = malloc(n + 1)) == NULL)
		return;
	memcpy(s, p, n);
	s[n] = '\0';
	single = wsc_pmd_parse_offer(s, &offer, err, sizeof err) == 0;
	if (wsc_pmd_select(s, &agreed, resp, sizeof resp) != 1) {
		if (single)
			abort();	/* a valid offer must be taken */
		free(s);
		return;
	}
	if (agreed.server_max_window_bits < 8 ||
	    agreed.server_max_window_bits > 15 || strlen(resp) >= 127)
		abort();
	if (wsc_pmd_init(&z, &agreed, 1) != 0)
		abort();
	wsc_pmd_free(&z);
	if (single && (wsc_pmd_negotiate(&offer, resp, &out, err,
	    sizeof err) != 1 ||
	    out.server_no_context_takeover != agreed.server_no_context_takeover ||
	    out.server_max_window_bits != agreed.server_max_window_bits))
		abort();
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_negotiate(data + 1, size - 1);
		break;
	case 3:
		fuzz_select(data + 1, size - 1);
		break;
	case 1:
		fuzz_inflate(data + 1, size - 1);
		break;
	default:
		fuzz_ws(data + 1, size - 1);
		break;
	}
	return 0;
}
