/* The WebSocket protocol core: frames in, events out; messages in,
 * frames queued out. RFC 6455 sections 5-7. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "deflate.h"
#include "ws.h"

/* Compressed bytes inflated per step: bounds what one step can add to a
 * streamed message (deflate expands at most about 1032:1). */
#define WS_INFLATE_STEP	(16 * 1024)
/* The message buffer is given back down to its first size after a message
 * that grew it past this: one large message (or a piece of an inflated
 * one, up to about 16 MiB) does not keep its memory for the session. */
#define WS_MSG_KEEP	(1024 * 1024)
/* Masking-key bytes of the pool's first fill (next_key). */
#define WS_KEYS_FIRST	64

int
wsc_ws_init(struct wsc_ws *ws, enum wsc_role role, wsc_rng_fn rng,
    void *rng_ctx, uint64_t max_message)
{
	memset(ws, 0, sizeof *ws);
	ws->role = role;
	ws->state = WSC_WS_OPEN;
	ws->rng = rng;
	ws->rng_ctx = rng_ctx;
	ws->max_message = max_message;
	ws->keys_off = sizeof ws->keys + 1;	/* never filled: next_key */
	ws->stream_from = WSC_WS_STREAM_FROM;
	wsc_utf8_init(&ws->utf8);
	/* msg is allocated up front too: an empty message then still has a
	 * real address (NULL + 0 is undefined, and fuzz_inflate caught it).
	 * It starts small (buf.c) and grows with the messages. */
	if (wsc_buf_reserve(&ws->in, WSC_WS_READ_CHUNK) == NULL ||
	    wsc_buf_reserve(&ws->msg, 256) == NULL) {
		wsc_ws_free(ws);
		return -1;
	}
	return 0;
}

void
wsc_ws_free(struct wsc_ws *ws)
{
	wsc_buf_free(&ws->in);
	wsc_buf_free(&ws->out);
	wsc_buf_free(&ws->msg);
	if (ws->pmd != NULL) {
		wsc_pmd_free(ws->pmd);
		free(ws->pmd);
		ws->pmd = NULL;
	}
}

int
wsc_ws_use_pmd(struct wsc_ws *ws, const char *offer, const char *response,
    char *err, size_t errlen)
{
	struct wsc_pmd_params	want, agreed;
	int			r;

	if (offer == NULL)
		return 0;	/* handshake.c refuses unoffered extensions */
	if (wsc_pmd_parse_offer(offer, &want, err, errlen) != 0)
		return -1;
	r = wsc_pmd_negotiate(&want, response, &agreed, err, errlen);
	if (r <= 0)
		return r;
	return wsc_ws_enable_pmd(ws, &agreed, err, errlen);
}

int
wsc_ws_enable_pmd(struct wsc_ws *ws, const struct wsc_pmd_params *agreed,
    char *err, size_t errlen)
{
	int	r = 0;

	if ((ws->pmd = calloc(1, sizeof *ws->pmd)) == NULL ||
	    (r = wsc_pmd_init(ws->pmd, agreed,
	    ws->role == WSC_ROLE_SERVER)) != 0) {
		snprintf(err, errlen, "%s", ws->pmd != NULL &&
		    r == WSC_PMD_E_LOAD ? ws->pmd->errstr : "out of memory");
		if (ws->pmd != NULL)
			wsc_pmd_free(ws->pmd);
		free(ws->pmd);
		ws->pmd = NULL;
		return -1;
	}
	return 0;
}

/* Drops what the previous event lent to the caller. */
static void
release(struct wsc_ws *ws)
{
	if (ws->release_in > 0) {
		wsc_buf_consume(&ws->in, ws->release_in);
		ws->release_in = 0;
	}
	if (ws->release_msg) {
		wsc_buf_reset(&ws->msg);
		if (ws->msg.cap > WS_MSG_KEEP)
			wsc_buf_shrink(&ws->msg, 4096);
		ws->release_msg = 0;
	}
}

uint8_t *
wsc_ws_read_space(struct wsc_ws *ws, size_t min, size_t *avail)
{
	uint8_t	*p;

	release(ws);
	if (min < WSC_WS_READ_CHUNK / 4)
		min = WSC_WS_READ_CHUNK / 4;
	if ((p = wsc_buf_reserve(&ws->in, min)) == NULL)
		return NULL;
	*avail = ws->in.cap - ws->in.len;
	return p;
}

void
wsc_ws_commit(struct wsc_ws *ws, size_t n)
{
	wsc_buf_commit(&ws->in, n);
}

int
wsc_ws_feed(struct wsc_ws *ws, const uint8_t *p, size_t n)
{
	release(ws);
	return wsc_buf_append(&ws->in, p, n);
}

/* Refills the masking-key pool from the DRBG. The first fill is
 * WS_KEYS_FIRST bytes, which rng.c serves from the block it read at
 * start-up: a short run (S1 in scripts/bench) makes no system call for its
 * few keys; the pool is filled whole once they are used. Kept out of
 * next_key, whose every-frame path stays as short as before. */
static int
refill_keys(struct wsc_ws *ws)
{
	size_t	n = ws->keys_off > sizeof ws->keys ? WS_KEYS_FIRST :
		    sizeof ws->keys;

	ws->keys_off = sizeof ws->keys - n;
	if (ws->rng != NULL && ws->rng(ws->rng_ctx, ws->keys + ws->keys_off,
	    n) == 0)
		return 0;
	ws->keys_off = sizeof ws->keys + 1;	/* nothing valid in it */
	return -1;
}

/* Four fresh masking-key bytes (RFC 6455 section 5.3: unpredictable,
 * one per frame), drawn from a pool refilled from the DRBG. */
static int
next_key(struct wsc_ws *ws, uint8_t key[4])
{
	size_t	off;

	if (ws->keys_off + 4 > sizeof ws->keys && refill_keys(ws) != 0)
		return -1;
	/* Moved on before the copy: key may alias anything. */
	off = ws->keys_off;
	ws->keys_off = off + 4;
	memcpy(key, ws->keys + off, 4);
	return 0;
}

/* Commits a frame whose (masked) payload is in place after its header:
 * queues it and traces it. */
static void
commit_frame(struct wsc_ws *ws, int opcode, int rsv1, size_t len,
    const uint8_t *key, size_t hl)
{
	struct wsc_frame	 f;

	wsc_buf_commit(&ws->out, hl + len);
	ws->out_queued += hl + len;
	if (ws->trace != NULL) {
		memset(&f, 0, sizeof f);
		f.fin = 1;
		f.rsv1 = rsv1;
		f.opcode = opcode;
		f.masked = key != NULL;
		f.len = len;
		f.header_len = hl;
		ws->trace(ws->trace_ctx, '>', &f);
	}
}

/* Encodes one frame into the outbound queue. */
static int
queue_frame(struct wsc_ws *ws, int opcode, int rsv1, const void *data,
    size_t len)
{
	uint8_t	 key[4], *dst;
	size_t	 hl;
	int	 masked = ws->role == WSC_ROLE_CLIENT;

	if (masked && next_key(ws, key) != 0)
		return -1;
	if ((dst = wsc_buf_reserve(&ws->out, WSC_FRAME_MAX_HEADER + len)) == NULL)
		return -1;
	hl = wsc_frame_encode(dst, 1, rsv1, opcode, masked ? key : NULL, len);
	/* The payload is copied and masked in one pass (data may be NULL
	 * when len is 0). */
	if (masked && len > 0)
		wsc_frame_mask_copy(dst + hl, data, len, key, 0);
	else if (len > 0)
		memcpy(dst + hl, data, len);
	commit_frame(ws, opcode, rsv1, len, masked ? key : NULL, hl);
	return 0;
}

/* Queues a message compressed into one frame with RSV1 (RFC 7692 section
 * 6), deflating straight into the outbound queue. Returns 0, 1 when
 * compression would not make it smaller (nothing queued), or -1. */
static int
queue_compressed(struct wsc_ws *ws, int opcode, const void *data,
    size_t len)
{
	uint8_t	 key[4], *dst, *payload;
	size_t	 hl, cap = len + 3;	/* so the result is below len */
	ssize_t	 clen;
	int	 masked = ws->role == WSC_ROLE_CLIENT;

	if (masked && next_key(ws, key) != 0)
		return -1;
	if ((dst = wsc_buf_reserve(&ws->out, WSC_FRAME_MAX_HEADER + cap)) == NULL)
		return -1;
	payload = dst + WSC_FRAME_MAX_HEADER;
	clen = wsc_pmd_deflate(ws->pmd, data, len, payload, cap);
	if (clen < 0)
		return clen == WSC_PMD_E_NOT_SMALLER ? 1 : -1;
	/* The header length depends on the compressed length: write it
	 * now and slide the payload up against it. */
	hl = wsc_frame_encode(dst, 1, 1, opcode, masked ? key : NULL,
	    (uint64_t)clen);
	memmove(dst + hl, payload, (size_t)clen);
	if (masked && clen > 0)
		wsc_frame_mask(dst + hl, (size_t)clen, key, 0);
	commit_frame(ws, opcode, 1, (size_t)clen, masked ? key : NULL, hl);
	if (ws->trace_msg != NULL)
		ws->trace_msg(ws->trace_ctx, '>', opcode, len, (uint64_t)clen);
	return 0;
}

int
wsc_ws_send(struct wsc_ws *ws, int opcode, const void *data, size_t len)
{
	if (ws->close_code_sent != 0 || ws->state == WSC_WS_FAILED)
		return -1;
	if (opcode >= WSC_OP_CLOSE && len > 125)
		return -1;
	/* Compress messages where it can pay; never control frames
	 * (RFC 7692 section 6.1). */
	if (ws->pmd != NULL && opcode < WSC_OP_CLOSE &&
	    len >= WSC_PMD_MIN_SIZE) {
		switch (queue_compressed(ws, opcode, data, len)) {
		case 0:
			return 0;
		case -1:
			return -1;
		}
	}
	return queue_frame(ws, opcode, 0, data, len);
}

/* Builds the Close payload: the code, then the reason cut to fit 125
 * bytes (RFC 6455 section 5.5) without splitting a UTF-8 character. */
int
wsc_ws_close(struct wsc_ws *ws, unsigned code, const char *reason)
{
	uint8_t	p[125] = { 0 };
	size_t	n = 0, rl;

	if (ws->close_code_sent != 0)
		return 0;
	if (code != 0) {
		p[0] = code >> 8;
		p[1] = code & 0xff;
		n = 2;
		rl = reason != NULL ? strlen(reason) : 0;
		if (rl > sizeof p - 2)
			rl = sizeof p - 2;
		while (rl > 0 && !wsc_utf8_valid((const uint8_t *)reason, rl))
			rl--;
		if (rl > 0)	/* reason may be NULL: no memcpy from it */
			memcpy(p + 2, reason, rl);
		n += rl;
	}
	if (queue_frame(ws, WSC_OP_CLOSE, 0, p, n) != 0)
		return -1;
	ws->close_code_sent = code != 0 ? code : WSC_CLOSE_NO_STATUS;
	if (ws->state == WSC_WS_OPEN)
		ws->state = WSC_WS_CLOSE_SENT;
	else if (ws->state == WSC_WS_CLOSE_RECEIVED)
		ws->state = WSC_WS_CLOSED;
	return 0;
}

void
wsc_ws_out_consume(struct wsc_ws *ws, size_t n)
{
	wsc_buf_consume(&ws->out, n);
	ws->out_written += n;
}

/* Sends Close CODE and stops reading: whatever was received is dropped. */
static void
give_up(struct wsc_ws *ws, unsigned code)
{
	wsc_ws_close(ws, code, wsc_close_code_text(code));
	ws->state = WSC_WS_FAILED;
	wsc_buf_reset(&ws->in);
	wsc_buf_reset(&ws->msg);
	ws->in_frame = 0;
}

/* Fails the connection (RFC 6455 section 7.1.7): our Close with code is
 * queued, everything after is ignored, and the caller learns why. */
static enum wsc_ev_type WSC_PRINTF(4, 5)
fail(struct wsc_ws *ws, struct wsc_event *ev, unsigned code,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ws->errstr, sizeof ws->errstr, fmt, ap);
	va_end(ap);
	give_up(ws, code);
	ev->type = WSC_EV_ERROR;
	ev->code = code;
	ev->reason = ws->errstr;
	return WSC_EV_ERROR;
}

/* Checks a Close payload (RFC 6455 sections 5.5.1, 7.4) and answers it. */
static enum wsc_ev_type
on_close(struct wsc_ws *ws, struct wsc_event *ev, const uint8_t *p,
    size_t n)
{
	unsigned	code = WSC_CLOSE_NO_STATUS;
	size_t		rl = 0;

	if (n == 1)
		return fail(ws, ev, WSC_CLOSE_PROTOCOL,
		    "close frame with a 1-byte payload");
	if (n >= 2) {
		code = (unsigned)p[0] << 8 | p[1];
		if (!wsc_close_code_valid(code))
			return fail(ws, ev, WSC_CLOSE_PROTOCOL,
			    "invalid close code %u", code);
		rl = n - 2;
		if (!wsc_utf8_valid(p + 2, rl))
			return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
			    "close reason is not valid UTF-8");
		memcpy(ws->close_reason, p + 2, rl);
	}
	ws->close_reason[rl] = '\0';
	ws->close_code_received = code;
	/* Echo the peer's code (section 5.5.1); with none, an empty Close. */
	if (ws->state == WSC_WS_OPEN) {
		ws->state = WSC_WS_CLOSE_RECEIVED;
		wsc_ws_close(ws, code == WSC_CLOSE_NO_STATUS ? 0 : code, NULL);
	}
	ws->state = WSC_WS_CLOSED;
	ev->type = WSC_EV_CLOSE;
	ev->code = code;
	ev->reason = ws->close_reason;
	return WSC_EV_CLOSE;
}

/* Queues the answer to a ping (RFC 6455 section 5.5.2), replacing our
 * previous pong when it is still unsent behind a congested queue (see
 * pong_coalesce in ws.h, section 5.5.3). */
static int
queue_pong(struct wsc_ws *ws, const uint8_t *p, size_t n)
{
	uint64_t	start = ws->pong_end - ws->pong_len;

	if (ws->pong_coalesce > 0 && ws->pong_len > 0 &&
	    ws->pong_end == ws->out_queued &&
	    start >= ws->out_written + ws->pong_coalesce) {
		ws->out.len -= ws->pong_len;	/* the tail, never written */
		ws->out_queued = start;
	}
	start = ws->out_queued;
	if (queue_frame(ws, WSC_OP_PONG, 0, p, n) != 0)
		return -1;
	ws->pong_end = ws->out_queued;
	ws->pong_len = (size_t)(ws->pong_end - start);
	return 0;
}

/* A whole control frame is in `in`: handle it. */
static enum wsc_ev_type
on_control(struct wsc_ws *ws, struct wsc_event *ev)
{
	struct wsc_frame	*f = &ws->frame;
	uint8_t			*p = wsc_buf_head(&ws->in);
	size_t			 n = (size_t)f->len;

	if (f->masked)
		wsc_frame_mask(p, n, f->mask, 0);
	ws->release_in = n;
	ws->in_frame = 0;
	ev->data = p;
	ev->len = n;
	switch (f->opcode) {
	case WSC_OP_PING:
		/* Answer every ping, also between fragments (section 5.5.2),
		 * unless our Close is out: nothing may follow it. */
		if (ws->close_code_sent == 0 && queue_pong(ws, p, n) != 0)
			return fail(ws, ev, WSC_CLOSE_INTERNAL, "out of memory");
		ev->type = WSC_EV_PING;
		return WSC_EV_PING;
	case WSC_OP_PONG:
		ev->type = WSC_EV_PONG;
		return WSC_EV_PONG;
	default:
		return on_close(ws, ev, p, n);
	}
}

/* May the message in progress be handed over in pieces? */
static int
stream_wanted(const struct wsc_ws *ws)
{
	return (ws->stream_opcodes & (1u << ws->msg_opcode)) != 0;
}

/* A new frame header arrived: check it fits the message sequence. */
static enum wsc_ev_type
on_header(struct wsc_ws *ws, struct wsc_event *ev)
{
	struct wsc_frame	*f = &ws->frame;
	uint64_t		 have;

	if (ws->trace != NULL)
		ws->trace(ws->trace_ctx, '<', f);
	if (f->opcode >= WSC_OP_CLOSE) {
		/* RFC 7692 section 6.1: control frames are never compressed */
		if (f->rsv1)
			return fail(ws, ev, WSC_CLOSE_PROTOCOL,
			    "RSV1 set on a control frame");
		return WSC_EV_NONE;
	}
	if (f->opcode == WSC_OP_CONT) {
		if (ws->msg_opcode == 0)
			return fail(ws, ev, WSC_CLOSE_PROTOCOL,
			    "continuation frame without a message to continue");
		if (f->rsv1)	/* RFC 7692 section 6.1: first frame only */
			return fail(ws, ev, WSC_CLOSE_PROTOCOL,
			    "RSV1 set on a continuation frame");
	} else {
		if (ws->msg_opcode != 0)
			return fail(ws, ev, WSC_CLOSE_PROTOCOL,
			    "new message before the previous one was finished");
		ws->msg_opcode = f->opcode;
		ws->msg_compressed = f->rsv1;
		ws->msg_wire = 0;
		ws->msg_streaming = ws->msg_started = 0;
		ws->msg_done = 0;
		wsc_utf8_init(&ws->utf8);
	}
	/* Compressed bytes are not kept: what counts is the inflated size,
	 * checked as it grows. */
	if (ws->msg_compressed)
		return WSC_EV_NONE;
	/* Refuse before buffering (or streaming) past the limit. */
	have = ws->msg_done + wsc_buf_used(&ws->msg);
	if (f->len > ws->max_message || have + f->len > ws->max_message)
		return fail(ws, ev, WSC_CLOSE_TOO_BIG,
		    "message larger than the limit of %llu bytes",
		    (unsigned long long)ws->max_message);
	if (stream_wanted(ws) && have + f->len >= ws->stream_from)
		ws->msg_streaming = 1;
	return WSC_EV_NONE;
}

/* Validates text as it arrives so that bad UTF-8 fails fast (section 8.1). */
static int
check_text(struct wsc_ws *ws, const uint8_t *p, size_t n)
{
	if (ws->msg_opcode != WSC_OP_TEXT)
		return 0;
	return wsc_utf8_feed(&ws->utf8, p, n, NULL);
}

/* The message is complete: hand it over. */
static enum wsc_ev_type
deliver(struct wsc_ws *ws, struct wsc_event *ev, const uint8_t *p, size_t n)
{
	if (ws->msg_opcode == WSC_OP_TEXT && !wsc_utf8_complete(&ws->utf8))
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "text message ends inside a UTF-8 sequence");
	ev->type = WSC_EV_MESSAGE;
	ev->opcode = ws->msg_opcode;
	ev->data = p;
	ev->len = n;
	ws->msg_opcode = 0;
	return WSC_EV_MESSAGE;
}

/* Hands over a piece of a streamed message; the last one ends it. */
static enum wsc_ev_type
deliver_part(struct wsc_ws *ws, struct wsc_event *ev, const uint8_t *p,
    size_t n, int last)
{
	if (last && ws->msg_opcode == WSC_OP_TEXT &&
	    !wsc_utf8_complete(&ws->utf8))
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "text message ends inside a UTF-8 sequence");
	ev->type = WSC_EV_MESSAGE_PART;
	ev->opcode = ws->msg_opcode;
	ev->data = p;
	ev->len = n;
	ev->first = !ws->msg_started;
	ev->last = last;
	ws->msg_started = 1;
	ws->msg_done += n;
	if (last) {
		ws->msg_opcode = 0;
		ws->msg_streaming = 0;
	}
	return WSC_EV_MESSAGE_PART;
}

/* Inflates the compressed payload bytes at hand into the message as they
 * arrive (RFC 7692 section 7.2.2): a bomb stops at max_message, and text
 * is validated on the inflated bytes, failing fast. */
static enum wsc_ev_type
on_compressed(struct wsc_ws *ws, struct wsc_event *ev)
{
	struct wsc_frame	*f = &ws->frame;
	uint8_t			*p = wsc_buf_head(&ws->in);
	size_t			 used = wsc_buf_used(&ws->in), before;
	uint64_t		 left = f->len - ws->frame_got;
	size_t			 n = left < used ? (size_t)left : used;
	int			 r, last;

	if (n > WS_INFLATE_STEP)
		n = WS_INFLATE_STEP;
	if (f->masked)
		wsc_frame_mask(p, n, f->mask, ws->frame_got);
	ws->frame_got += n;
	ws->msg_wire += n;
	before = wsc_buf_used(&ws->msg);
	last = f->fin && ws->frame_got == f->len;
	/* Pieces already handed over count against the limit too. */
	r = wsc_pmd_inflate(ws->pmd, p, n, last, &ws->msg,
	    ws->max_message - ws->msg_done);
	wsc_buf_consume(&ws->in, n);
	if (r == WSC_PMD_E_TOO_BIG)
		return fail(ws, ev, WSC_CLOSE_TOO_BIG,
		    "compressed message inflates past the limit of %llu bytes",
		    (unsigned long long)ws->max_message);
	if (r == WSC_PMD_E_DATA)
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "bad compressed data: %s", ws->pmd->errstr);
	if (r != 0)
		return fail(ws, ev, WSC_CLOSE_INTERNAL, "out of memory");
	if (check_text(ws, wsc_buf_head(&ws->msg) + before,
	    wsc_buf_used(&ws->msg) - before) != 0)
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "invalid UTF-8 in a text message");
	if (ws->frame_got == f->len)
		ws->in_frame = 0;
	if (!ws->msg_streaming && stream_wanted(ws) &&
	    wsc_buf_used(&ws->msg) >= ws->stream_from)
		ws->msg_streaming = 1;
	if (!last && (!ws->msg_streaming || wsc_buf_used(&ws->msg) == 0))
		return WSC_EV_NONE;
	ws->release_msg = 1;
	if (last && ws->trace_msg != NULL)
		ws->trace_msg(ws->trace_ctx, '<', ws->msg_opcode,
		    ws->msg_done + wsc_buf_used(&ws->msg), ws->msg_wire);
	if (ws->msg_streaming)
		return deliver_part(ws, ev, wsc_buf_head(&ws->msg),
		    wsc_buf_used(&ws->msg), last);
	return deliver(ws, ev, wsc_buf_head(&ws->msg), wsc_buf_used(&ws->msg));
}

/* Streams the n payload bytes at p (in `in`) as the next piece, lent in
 * place like the fast path. What was gathered before the message was
 * known to be large goes first. */
static enum wsc_ev_type
stream_payload(struct wsc_ws *ws, struct wsc_event *ev, uint8_t *p,
    size_t n)
{
	struct wsc_frame	*f = &ws->frame;
	int			 last;

	if (wsc_buf_used(&ws->msg) > 0) {
		ws->release_msg = 1;
		return deliver_part(ws, ev, wsc_buf_head(&ws->msg),
		    wsc_buf_used(&ws->msg), 0);
	}
	if (f->masked)
		wsc_frame_mask(p, n, f->mask, ws->frame_got);
	if (check_text(ws, p, n) != 0)
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "invalid UTF-8 in a text message");
	ws->release_in = n;
	ws->frame_got += n;
	if (ws->frame_got == f->len)
		ws->in_frame = 0;
	last = f->fin && ws->frame_got == f->len;
	if (n == 0 && !last)
		return WSC_EV_NONE;
	return deliver_part(ws, ev, p, n, last);
}

/* Moves the payload bytes at hand into the message; returns an event
 * when the frame completes a message or breaks the protocol. */
static enum wsc_ev_type
on_payload(struct wsc_ws *ws, struct wsc_event *ev)
{
	struct wsc_frame	*f = &ws->frame;
	uint8_t			*p = wsc_buf_head(&ws->in);
	size_t			 used = wsc_buf_used(&ws->in);
	uint64_t		 left = f->len - ws->frame_got;
	size_t			 n = left < used ? (size_t)left : used;

	if (ws->msg_compressed)
		return on_compressed(ws, ev);
	/* Fast path: a whole single-frame message already read is lent to
	 * the caller in place, with no copy. */
	if (f->fin && ws->frame_got == 0 && wsc_buf_used(&ws->msg) == 0 &&
	    !ws->msg_started && f->len <= used) {
		if (f->masked)
			wsc_frame_mask(p, n, f->mask, 0);
		if (check_text(ws, p, n) != 0)
			return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
			    "invalid UTF-8 in a text message");
		ws->release_in = n;
		ws->in_frame = 0;
		return deliver(ws, ev, p, n);
	}
	if (ws->msg_streaming)
		return stream_payload(ws, ev, p, n);
	if (f->masked)
		wsc_frame_mask(p, n, f->mask, ws->frame_got);
	if (check_text(ws, p, n) != 0)
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "invalid UTF-8 in a text message");
	if (wsc_buf_append(&ws->msg, p, n) != 0)
		return fail(ws, ev, WSC_CLOSE_INTERNAL, "out of memory");
	wsc_buf_consume(&ws->in, n);
	ws->frame_got += n;
	if (ws->frame_got < f->len)
		return WSC_EV_NONE;
	ws->in_frame = 0;
	if (!f->fin)
		return WSC_EV_NONE;
	ws->release_msg = 1;
	return deliver(ws, ev, wsc_buf_head(&ws->msg), wsc_buf_used(&ws->msg));
}

/* Decodes the next frame header, if a whole one is buffered. */
static enum wsc_ev_type
next_header(struct wsc_ws *ws, struct wsc_event *ev, int *need_more)
{
	int	r, flags = 0;

	if (ws->role == WSC_ROLE_SERVER)
		flags |= WSC_FRAME_EXPECT_MASKED;
	if (ws->pmd != NULL)
		flags |= WSC_FRAME_ALLOW_RSV1;
	r = wsc_frame_decode(wsc_buf_head(&ws->in), wsc_buf_used(&ws->in),
	    flags, &ws->frame);
	if (r == 0) {
		*need_more = 1;
		return WSC_EV_NONE;
	}
	if (r < 0) {
		if (r == WSC_FRAME_E_MASK)
			return fail(ws, ev, WSC_CLOSE_PROTOCOL, "%s",
			    ws->role == WSC_ROLE_CLIENT ?
			    "masked frame from the server" :
			    "unmasked frame from the client");
		return fail(ws, ev, WSC_CLOSE_PROTOCOL, "%s",
		    wsc_frame_strerror(r));
	}
	wsc_buf_consume(&ws->in, (size_t)r);
	ws->in_frame = 1;
	ws->frame_got = 0;
	return on_header(ws, ev);
}

/* Lends the small frame at p (header hl bytes, payload n) as a message. */
static inline enum wsc_ev_type
small_deliver(struct wsc_ws *ws, struct wsc_event *ev, const uint8_t *p,
    size_t hl, size_t n)
{
	ws->msg_compressed = ws->msg_streaming = ws->msg_started = 0;
	ws->msg_done = 0;
	ws->release_in = hl + n;
	ev->type = WSC_EV_MESSAGE;
	ev->opcode = p[0] & 0x0f;
	ev->data = p + hl;
	ev->len = n;
	return WSC_EV_MESSAGE;
}

/* The rarer half of small_frame: unmasks a client's frame in place and
 * checks text that is not all ASCII with the DFA. Out of line, so that
 * the common case (ASCII from a server) makes no call and saves no
 * registers. */
static enum wsc_ev_type __attribute__((noinline))
small_frame_check(struct wsc_ws *ws, struct wsc_event *ev, uint8_t *p,
    size_t hl, size_t n)
{
	if (hl > 2)
		wsc_frame_mask(p + hl, n, p + 2, 0);
	if (p[0] != (0x80 | WSC_OP_TEXT) || wsc_utf8_ascii(p + hl, n))
		return small_deliver(ws, ev, p, hl, n);
	wsc_utf8_init(&ws->utf8);
	if (wsc_utf8_feed(&ws->utf8, p + hl, n, NULL) != 0)
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "invalid UTF-8 in a text message");
	if (!wsc_utf8_complete(&ws->utf8))
		return fail(ws, ev, WSC_CLOSE_INVALID_DATA,
		    "text message ends inside a UTF-8 sequence");
	return small_deliver(ws, ev, p, hl, n);
}

/*
 * Fast path for the common case under a flood of small messages (S3 in
 * scripts/bench): between messages, an unfragmented, uncompressed text or
 * binary frame of at most 125 bytes whose header and payload are all in
 * `in` is lent to the caller in place, without the general decoder. Any
 * other first byte (RSV bits, fragments, control frames), a wrong mask
 * bit, a longer length form, tracing or a size limit in reach: WSC_EV_NONE
 * and nothing consumed, and the general path decides, so the checks of
 * RFC 6455 section 5 stay in one place. (Streaming needs no check: the
 * general path too hands over a whole frame at hand as a whole message.)
 */
static enum wsc_ev_type
small_frame(struct wsc_ws *ws, struct wsc_event *ev)
{
	uint8_t		*p = wsc_buf_head(&ws->in);
	size_t		 used = wsc_buf_used(&ws->in), n, hl;
	unsigned	 masked;

	if (used < 2 || (p[0] != (0x80 | WSC_OP_TEXT) &&
	    p[0] != (0x80 | WSC_OP_BINARY)) || ws->msg_opcode != 0 ||
	    ws->trace != NULL)
		return WSC_EV_NONE;
	masked = p[1] >> 7;
	n = p[1] & 0x7f;
	hl = masked ? 6 : 2;
	if (masked != (ws->role == WSC_ROLE_SERVER) || n > 125 ||
	    used < hl + n || n > ws->max_message)
		return WSC_EV_NONE;
	if (masked || (p[0] == (0x80 | WSC_OP_TEXT) &&
	    !wsc_utf8_ascii(p + hl, n)))
		return small_frame_check(ws, ev, p, hl, n);
	return small_deliver(ws, ev, p, hl, n);
}

/* The general decoder: headers, payload in pieces, control frames. Kept
 * out of line so that the fast path in wsc_ws_next does not pay for
 * saving the registers this one needs. */
static enum wsc_ev_type __attribute__((noinline))
next_event(struct wsc_ws *ws, struct wsc_event *ev)
{
	enum wsc_ev_type	t;
	int			need_more = 0;

	release(ws);
	memset(ev, 0, sizeof *ev);
	for (;;) {
		/* After the peer's Close nothing more is read (section 5.5.1). */
		if (ws->state == WSC_WS_FAILED || ws->state == WSC_WS_CLOSED ||
		    ws->state == WSC_WS_CLOSE_RECEIVED) {
			wsc_buf_reset(&ws->in);
			return WSC_EV_NONE;
		}
		if (!ws->in_frame) {
			t = next_header(ws, ev, &need_more);
			if (t != WSC_EV_NONE || need_more)
				return t;
			continue;
		}
		if (ws->frame.opcode >= WSC_OP_CLOSE) {
			if (wsc_buf_used(&ws->in) < ws->frame.len)
				return WSC_EV_NONE;
			return on_control(ws, ev);
		}
		if (wsc_buf_used(&ws->in) == 0 && ws->frame.len > ws->frame_got)
			return WSC_EV_NONE;
		if ((t = on_payload(ws, ev)) != WSC_EV_NONE)
			return t;
	}
}

void
wsc_ws_abort(struct wsc_ws *ws, unsigned code, const char *why)
{
	if (ws->state == WSC_WS_FAILED || ws->state == WSC_WS_CLOSED)
		return;
	snprintf(ws->errstr, sizeof ws->errstr, "%s", why);
	give_up(ws, code);
	ws->msg_opcode = 0;
	wsc_ws_trim(ws);
}

void
wsc_ws_trim(struct wsc_ws *ws)
{
	/* (an empty message still needs a real address: keep 4 KiB) */
	wsc_buf_shrink(&ws->msg, 4096);
}

enum wsc_ev_type
wsc_ws_next(struct wsc_ws *ws, struct wsc_event *ev)
{
	enum wsc_ev_type	t;

	/* Only the tail calls below may call out: the fast path is a leaf. */
	if (ws->release_msg || ws->in_frame ||
	    (ws->state != WSC_WS_OPEN && ws->state != WSC_WS_CLOSE_SENT))
		return next_event(ws, ev);
	release(ws);
	memset(ev, 0, sizeof *ev);
	if ((t = small_frame(ws, ev)) != WSC_EV_NONE)
		return t;
	return next_event(ws, ev);
}
