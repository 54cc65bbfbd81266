/* fuzz-sources: src/ws.c src/frame.c src/utf8.c src/deflate.c src/zlibload.c src/lazy.c */
/*
 * libFuzzer target for the protocol core's small-frame fast path against
 * its general decoder. Input: one byte of settings (bit 0: server role,
 * bit 1: a 16-byte message limit, bit 2: streaming text from 8 bytes,
 * bit 3: our Close sent first), one byte that picks where the input is
 * cut, then the bytes from the peer. The input is decoded twice, once as
 * it comes and once with a frame tracer set (which keeps the core off the
 * fast path), cut the same way; the events, what was queued in answer and
 * the end state must be the same.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A fixed "random" source: both runs must queue the same bytes. */
static int
fixed_rng(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0x5a, len);
	return 0;
}

/* Its presence alone keeps the core on the general path. */
static void
no_trace(void *ctx, char dir, const struct wsc_frame *f)
{
	(void)ctx;
	(void)dir;
	(void)f;
}

/* A running digest of what a decoder did (FNV-1a), plus a count. */
struct digest {
	uint64_t	h;
	size_t		events;
};

static void
mix(struct digest *d, const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		d->h = (d->h ^ b[i]) * 0x100000001b3ULL;
}

/* Mixes one event in: every field, the payload, the reason. */
static void
mix_event(struct digest *d, const struct wsc_event *ev)
{
	uint64_t	f[6] = { ev->type, (uint64_t)ev->opcode, ev->len,
	    ev->code, (uint64_t)ev->first, (uint64_t)ev->last };

	mix(d, f, sizeof f);
	if (ev->len > 0)
		mix(d, ev->data, ev->len);
	if (ev->reason != NULL)
		mix(d, ev->reason, strlen(ev->reason));
	d->events++;
}

/* Decodes p in pieces (sizes from step), one run; returns its digest. */
static struct digest
run(int set, int general, unsigned step, const uint8_t *p, size_t n)
{
	struct wsc_ws		ws;
	struct wsc_event	ev;
	struct digest		d = { 0xcbf29ce484222325ULL, 0 };
	size_t			at = 0, k;
	unsigned		st[2];

	if (wsc_ws_init(&ws, (set & 1) ? WSC_ROLE_SERVER : WSC_ROLE_CLIENT,
	    fixed_rng, NULL, (set & 2) ? 16 : 1 << 20) != 0)
		abort();
	if (set & 4) {
		ws.stream_opcodes = 1u << WSC_OP_TEXT;
		ws.stream_from = 8;
	}
	if (set & 8)
		wsc_ws_close(&ws, 1000, NULL);
	if (general)
		ws.trace = no_trace;
	while (at < n) {
		/* step 0: all at once; else pieces of 1 to step bytes */
		k = step == 0 ? n - at : 1 + (at * 7 + step) % step;
		if (k > n - at)
			k = n - at;
		if (wsc_ws_feed(&ws, p + at, k) != 0)
			abort();
		at += k;
		while (wsc_ws_next(&ws, &ev) != WSC_EV_NONE)
			mix_event(&d, &ev);
	}
	if (wsc_ws_buffered(&ws) > 0)	/* else the queue may have no memory */
		mix(&d, wsc_ws_out_data(&ws), wsc_ws_buffered(&ws));
	st[0] = ws.state;
	st[1] = ws.close_code_sent;
	mix(&d, st, sizeof st);
	wsc_ws_free(&ws);
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest	a, b;
	int		set;
	unsigned	step;

	if (size < 2)
		return (0);
	set = data[0];
	step = data[1] % 32;
	a = run(set, 0, step, data + 2, size - 2);
	b = run(set, 1, step, data + 2, size - 2);
	if (a.h != b.h || a.events != b.events)
		abort();
	return (0);
}
