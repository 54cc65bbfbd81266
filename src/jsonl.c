/* --jsonl: events as JSON Lines (jsonl.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>


#include "base64.h"
#include "frame.h"
#include "jsonl.h"

/* Binary is encoded in blocks of this many bytes (a multiple of 3). */
#define B64_BLOCK	3072

void
wsc_jsonl_init(struct wsc_jsonl *j, struct wsc_out *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	wsc_stamp_init(&j->stamp);
}

/* Appends a C string. */
static void
put(struct wsc_jsonl *j, const char *s)
{
	if (wsc_buf_append(&j->out->buf, s, strlen(s)) != 0)
		j->out->failed = 1;
}

/* Appends a JSON string. */
static void
put_str(struct wsc_jsonl *j, const void *p, size_t n)
{
	if (wsc_json_string(&j->out->buf, p, n) != 0)
		j->out->failed = 1;
}

/* Writes a line's start, {"time":"...","event":"NAME", into line (room
 * for 21 + WSC_STAMP_UTC_LEN + strlen(event) bytes) and returns its
 * length. No snprintf: this runs once per message in a flood (S3 in
 * scripts/bench). */
static size_t
line_start(struct wsc_jsonl *j, char *line, const char *event)
{
	struct timespec	 now;
	size_t		 n = strlen(event);

	wsc_stamp_clock(&j->stamp, j->out->epoch, &now);
	memcpy(line, "{\"time\":\"", 9);
	wsc_stamp_utc(&j->stamp, &now, line + 9);
	memcpy(line + 9 + WSC_STAMP_UTC_LEN, "\",\"event\":\"", 11);
	memcpy(line + 20 + WSC_STAMP_UTC_LEN, event, n);
	line[20 + WSC_STAMP_UTC_LEN + n] = '"';
	return 21 + WSC_STAMP_UTC_LEN + n;
}

/* Starts a line. */
static void
begin(struct wsc_jsonl *j, const char *event)
{
	char	line[64];

	wsc_jsonl_finish(j);
	if (wsc_buf_append(&j->out->buf, line, line_start(j, line, event)) != 0)
		j->out->failed = 1;
}

/* Ends a line with tail and writes out a full buffer. */
static void
end(struct wsc_jsonl *j, const char *tail)
{
	put(j, tail);
	if (wsc_buf_used(&j->out->buf) >= j->out->flush_at)
		wsc_out_flush(j->out);
}

/* Appends a string constant (its length known at compile time). */
#define PUT_CONST(line, n, s)	(memcpy((line) + (n), s, sizeof s - 1), \
				 (n) += sizeof s - 1)

/* Writes the head of a message line, up to the opening quote of its
 * payload, into line (room for HEAD_MAX bytes); returns its length. A line
 * a streamed message left open must have been ended first. */
#define HEAD_MAX	160
static size_t
head_into(struct wsc_jsonl *j, char *line, unsigned client, const char *dir,
    int opcode)
{
	size_t	n = line_start(j, line, "message");

	if (client > 0)
		n += (size_t)snprintf(line + n, 32, ",\"client\":%u", client);
	if (dir[0] == 'i')
		PUT_CONST(line, n, ",\"dir\":\"in\"");
	else
		PUT_CONST(line, n, ",\"dir\":\"out\"");
	if (opcode == WSC_OP_TEXT)
		PUT_CONST(line, n, ",\"type\":\"text\",\"data\":\"");
	else
		PUT_CONST(line, n, ",\"type\":\"binary\",\"base64\":\"");
	return n;
}

/* The head of a message line, in one append. */
static void
message_head(struct wsc_jsonl *j, unsigned client, const char *dir,
    int opcode)
{
	char	line[HEAD_MAX];

	wsc_jsonl_finish(j);
	if (wsc_buf_append(&j->out->buf, line,
	    head_into(j, line, client, dir, opcode)) != 0)
		j->out->failed = 1;
	wsc_json_str_init(&j->str);
	j->nb64 = 0;
}

/* A whole text message of up to SMALL bytes, the common case under a
 * flood (S3 in scripts/bench): its line in one reservation, written in
 * place. Returns -1 to leave it to the general path. */
#define SMALL		4096
static int
small_text(struct wsc_jsonl *j, unsigned client, const char *dir,
    const uint8_t *p, size_t n)
{
	struct wsc_buf	*b = &j->out->buf;
	char		*d0, *d;

	if (n > SMALL)
		return -1;
	wsc_jsonl_finish(j);	/* before the reservation: it appends */
	if ((d0 = (char *)wsc_buf_reserve(b,
	    HEAD_MAX + n * WSC_JSON_WORST + 3)) == NULL)
		return -1;
	d = d0 + head_into(j, d0, client, dir, WSC_OP_TEXT);
	d += wsc_json_escape(d, p, n);
	memcpy(d, "\"}\n", 3);
	wsc_buf_commit(b, (size_t)(d + 3 - d0));
	if (wsc_buf_used(b) >= j->out->flush_at)
		wsc_out_flush(j->out);
	return 0;
}

/* Base64 of n bytes (n a multiple of 3 unless it ends the message). */
static void
put_b64(struct wsc_jsonl *j, const uint8_t *p, size_t n)
{
	uint8_t	*d;

	if ((d = wsc_buf_reserve(&j->out->buf, WSC_BASE64_LEN(n))) == NULL) {
		j->out->failed = 1;
		return;
	}
	wsc_buf_commit(&j->out->buf, wsc_base64_encode((char *)d, p, n));
}

/* More binary bytes: whole 3-byte groups are encoded, what is left over
 * waits for the next piece. */
static void
feed_b64(struct wsc_jsonl *j, const uint8_t *p, size_t n)
{
	size_t	k, whole;

	while (j->nb64 > 0 && j->nb64 < 3 && n > 0) {
		j->b64[j->nb64++] = *p++;
		n--;
	}
	if (j->nb64 == 3) {
		put_b64(j, j->b64, 3);
		j->nb64 = 0;
	}
	for (whole = n - n % 3; whole > 0; whole -= k, p += k, n -= k) {
		k = whole < B64_BLOCK ? whole : B64_BLOCK;
		put_b64(j, p, k);
		if (wsc_buf_used(&j->out->buf) >= j->out->flush_at)
			wsc_out_flush(j->out);
	}
	memcpy(j->b64 + j->nb64, p, n);
	j->nb64 += n;
}

/* More of the payload. */
static void
feed(struct wsc_jsonl *j, int opcode, const uint8_t *p, size_t n)
{
	if (opcode != WSC_OP_TEXT)
		feed_b64(j, p, n);
	else if (wsc_json_str_feed(&j->str, &j->out->buf, p, n) != 0)
		j->out->failed = 1;
	if (wsc_buf_used(&j->out->buf) >= j->out->flush_at)
		wsc_out_flush(j->out);
}

/* The payload's end, the closing quote and the line's end (tail). */
static void
message_end(struct wsc_jsonl *j, int opcode, const char *tail)
{
	if (opcode != WSC_OP_TEXT)
		put_b64(j, j->b64, j->nb64);
	else if (wsc_json_str_end(&j->str, &j->out->buf) != 0)
		j->out->failed = 1;
	j->nb64 = 0;
	end(j, tail);
}

void
wsc_jsonl_finish(struct wsc_jsonl *j)
{
	int	opcode = j->open_opcode;

	if (opcode == 0)
		return;
	j->open_opcode = 0;
	message_end(j, opcode, "\",\"truncated\":true}\n");
}

void
wsc_jsonl_message(struct wsc_jsonl *j, unsigned client, const char *dir,
    int opcode, const uint8_t *p, size_t n)
{
	if (j->out->failed)
		return;
	if (opcode == WSC_OP_TEXT && small_text(j, client, dir, p, n) == 0)
		return;
	message_head(j, client, dir, opcode);
	feed(j, opcode, p, n);
	message_end(j, opcode, "\"}\n");
}

void
wsc_jsonl_part(struct wsc_jsonl *j, unsigned client, int opcode,
    const uint8_t *p, size_t n, int first, int last)
{
	if (j->out->failed)
		return;
	if (first) {
		message_head(j, client, "in", opcode);
		j->open_opcode = opcode;
	}
	feed(j, opcode, p, n);
	if (last) {
		j->open_opcode = 0;
		message_end(j, opcode, "\"}\n");
	}
}

/* ,"name":"value" or ,"name":null */
static void
put_field(struct wsc_jsonl *j, const char *name, const char *value)
{
	put(j, ",\"");
	put(j, name);
	put(j, "\":");
	if (value == NULL)
		put(j, "null");
	else
		put_str(j, value, strlen(value));
}

/* open: {"url":..., "subprotocol":..., "extensions":...} */
static void
open_event(struct wsc_jsonl *j, const struct wsc_ui_event *ev)
{
	begin(j, "open");
	put_field(j, "url", ev->url);
	put_field(j, "subprotocol", ev->protocol);
	put_field(j, "extensions", ev->extensions);
	end(j, "}\n");
}

/* close: code, reason, clean, by */
static void
close_event(struct wsc_jsonl *j, const struct wsc_ui_event *ev)
{
	char	num[32];

	begin(j, "close");
	snprintf(num, sizeof num, ",\"code\":%u", ev->code);
	put(j, num);
	put_field(j, "reason", ev->reason != NULL ? ev->reason : "");
	put(j, ev->clean ? ",\"clean\":true" : ",\"clean\":false");
	put_field(j, "by", ev->by_server ? "server" : "client");
	end(j, "}\n");
}

/* ping / pong received: data, and a pong's round trip when it answers
 * one of ours. */
static void
control_event(struct wsc_jsonl *j, const struct wsc_ui_event *ev)
{
	char	num[48];

	begin(j, ev->kind == WSC_UI_PING ? "ping" : "pong");
	put(j, ",\"dir\":\"in\",\"data\":");
	put_str(j, ev->data, ev->len);
	if (ev->kind == WSC_UI_PONG && ev->rtt_us >= 0) {
		/* integers: a locale's decimal comma must not reach JSON */
		snprintf(num, sizeof num, ",\"rtt_ms\":%lld.%03lld",
		    (long long)(ev->rtt_us / 1000),
		    (long long)(ev->rtt_us % 1000));
		put(j, num);
	}
	end(j, "}\n");
}

void
wsc_jsonl_event(struct wsc_jsonl *j, const struct wsc_ui_event *ev)
{
	if (j->out->failed)
		return;
	switch (ev->kind) {
	case WSC_UI_OPEN:
		open_event(j, ev);
		break;
	case WSC_UI_CLOSE:
		close_event(j, ev);
		break;
	case WSC_UI_PING:
	case WSC_UI_PONG:
		control_event(j, ev);
		break;
	case WSC_UI_SENT:
		wsc_jsonl_message(j, 0, "out", ev->opcode, ev->data, ev->len);
		break;
	}
}
