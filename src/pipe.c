/* The piped user side: stdin lines in, messages out on a buffered stdout. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "pipe.h"
#include "pretty.h"
#include "sink.h"
#include "utf8.h"
#include "util.h"

/* Read stdin in large chunks; with -b each chunk is one message. */
#define STDIN_CHUNK	(64 * 1024)
/* Buffered stdout goes out in blocks this large under a flood. */
#define STDOUT_FLUSH_AT	(64 * 1024)
/* The rendering buffer (--pretty, stamped dumps) is kept up to this size. */
#define SCRATCH_KEEP	(1024 * 1024)
/* Text for a terminal is escaped this many bytes at a time. */
#define ESC_SLICE	4096

size_t
wsc_split_lines(const uint8_t *buf, size_t n,
    void (*fn)(void *, const uint8_t *, size_t), void *ctx)
{
	return wsc_split_records(buf, n, '\n', fn, ctx);
}

size_t
wsc_split_records(const uint8_t *buf, size_t n, int sep,
    void (*fn)(void *, const uint8_t *, size_t), void *ctx)
{
	const uint8_t	*p = buf, *nl;
	size_t		 left = n;

	while ((nl = memchr(p, sep, left)) != NULL) {
		fn(ctx, p, (size_t)(nl - p));
		left -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	return n - left;
}

/* Notices go to stderr (wsc_ui_stderr_note). */
static void
pipe_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct wsc_pipe	*p = ctx;

	wsc_ui_stderr_note(p->o, &p->stamp, kind, text);
}

struct line_ctx {
	struct wsc_sink		*k;
	int			*not_utf8;
};

/* One line (-0: NUL-terminated record) is one text message. A line that is
 * not UTF-8 cannot be a text message; it goes as binary so nothing read is
 * lost. */
void
wsc_send_line(struct wsc_sink *k, const uint8_t *line, size_t n,
    int *not_utf8)
{
	int	op = WSC_OP_TEXT;

	if (!wsc_utf8_valid(line, n)) {
		op = WSC_OP_BINARY;
		*not_utf8 = 1;
	}
	wsc_sink_send(k, op, line, n);
}

/* wsc_send_line for wsc_split_records. */
static void
send_line(void *arg, const uint8_t *line, size_t n)
{
	struct line_ctx	*lc = arg;

	wsc_send_line(lc->k, line, n, lc->not_utf8);
}

ssize_t
wsc_read_messages(int fd, struct wsc_buf *line, int binary, int sep,
    struct wsc_sink *k, int *not_utf8)
{
	struct line_ctx	 lc = { k, not_utf8 };
	uint8_t		*dst;
	ssize_t		 r;

	if ((dst = wsc_buf_reserve(line, STDIN_CHUNK)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	r = read(fd, dst, STDIN_CHUNK);
	if (r == 0 && wsc_buf_used(line) > 0) {
		/* The last line needs no newline to count. */
		wsc_send_line(k, wsc_buf_head(line), wsc_buf_used(line),
		    not_utf8);
		wsc_buf_reset(line);
	}
	if (r <= 0)
		return r;
	if (binary) {
		wsc_sink_send(k, WSC_OP_BINARY, dst, (size_t)r);
		return r;
	}
	wsc_buf_commit(line, (size_t)r);
	wsc_buf_consume(line, wsc_split_records(wsc_buf_head(line),
	    wsc_buf_used(line), sep, send_line, &lc));
	return r;
}

static int
pipe_input_fd(void *ctx)
{
	struct wsc_pipe	*p = ctx;

	if (p->eof)
		return -1;
	/* Opened on the first poll: a run that sends only -x pays nothing. */
	if (p->in_fd == -1)
		p->in_fd = wsc_tty_nonblocking(STDIN_FILENO);
	return p->in_fd;
}

/* stdin is readable: one chunk into messages. */
static void
pipe_on_input(void *ctx, struct wsc_sink *k)
{
	struct wsc_pipe	*p = ctx;
	int		 bad = p->utf8_warned;
	ssize_t		 r;

	r = wsc_read_messages(p->in_fd, &p->line, p->o->binary,
	    p->o->null_sep ? '\0' : '\n', k, &bad);
	if (bad && !p->utf8_warned)
		pipe_note(p, WSC_NOTE_ERROR, "wsc: a stdin line is not valid "
		    "UTF-8; sending such lines as binary messages");
	p->utf8_warned = bad;
	if (r == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		wsc_buf_reset(&p->line);
		p->eof = 1;
		wsc_sink_input_done(k);
	}
}

/* Text on its way to a terminal: escaped (escape.h, wsc(1) ESCAPING) in
 * slices through a fixed buffer, so memory does not follow message size;
 * last ends the text (a character cut off at its end is shown escaped). */
static void
out_escaped(struct wsc_pipe *p, const uint8_t *data, size_t n, int last)
{
	char	buf[WSC_ESC_RATIO * (ESC_SLICE + 3)];
	size_t	k;

	while (n > 0) {
		k = n < ESC_SLICE ? n : ESC_SLICE;
		wsc_out_write(&p->out, buf,
		    wsc_escaper_feed(&p->esc, buf, data, k, 0));
		data += k;
		n -= k;
	}
	if (last)
		wsc_out_write(&p->out, buf,
		    wsc_escaper_feed(&p->esc, buf, NULL, 0, 1));
}

/* A whole text message to a terminal, escaped, and its terminator. */
static void
escaped_text(struct wsc_pipe *p, const uint8_t *data, size_t n)
{
	wsc_escaper_init(&p->esc, WSC_ESC_KEEP_NL | WSC_ESC_KEEP_TAB);
	out_escaped(p, data, n, 1);
	wsc_out_write(&p->out, p->o->null_sep ? "" : "\n", 1);
}

/* --timestamps: the local time of the next line into stamp. */
static void
get_stamp(struct wsc_pipe *p, char *stamp)
{
	struct timespec	now;

	wsc_stamp_clock(&p->stamp, p->out.epoch, &now);
	wsc_stamp_local(&p->stamp, &now, stamp);
}

/* --timestamps: the local time now, at the start of the next line. */
static void
put_stamp(struct wsc_pipe *p)
{
	char	stamp[WSC_STAMP_LOCAL_LEN];

	get_stamp(p, stamp);
	wsc_out_write(&p->out, stamp, sizeof stamp);
}

/* --timestamps: a message after the time; each line of a hex dump gets
 * it (a text message's own newlines are the server's and are left). */
static void
stamped_message(struct wsc_pipe *p, int opcode, const uint8_t *data,
    size_t n)
{
	char	stamp[WSC_STAMP_LOCAL_LEN];

	get_stamp(p, stamp);
	if (opcode == WSC_OP_TEXT && p->tty) {
		wsc_out_write(&p->out, stamp, sizeof stamp);
		escaped_text(p, data, n);
	} else if (opcode == WSC_OP_TEXT)
		wsc_out_text_after(&p->out, stamp, sizeof stamp, data, n);
	else if (p->o->binary_output == WSC_BIN_BASE64) {
		wsc_out_write(&p->out, stamp, sizeof stamp);
		wsc_out_binary(&p->out, WSC_BIN_BASE64, data, n);
	} else
		wsc_out_hexdump_lines(&p->out, &p->scratch, stamp,
		    sizeof stamp, data, n);
}

/* stdout carries messages only (wsc(1), OUTPUT): byte for byte in a pipe
 * or file, escaped at a terminal, where a server's ESC[2J or OSC 52 would
 * otherwise be obeyed; --jsonl one object each, --pretty reindents JSON. */
static void
pipe_message(void *ctx, unsigned client, int opcode, const uint8_t *data,
    size_t n)
{
	struct wsc_pipe	*p = ctx;

	if (p->o->jsonl) {
		wsc_jsonl_message(&p->jsonl, client, "in", opcode, data, n);
		return;
	}
	if (opcode == WSC_OP_TEXT && p->o->pretty) {
		wsc_buf_reset(&p->scratch);
		if (wsc_pretty(&p->scratch, data, n, NULL) == 0) {
			data = wsc_buf_head(&p->scratch);
			n = wsc_buf_used(&p->scratch);
		}
	}
	if (p->o->timestamps && (opcode == WSC_OP_TEXT ||
	    p->o->binary_output != WSC_BIN_RAW))
		stamped_message(p, opcode, data, n);
	else if (opcode == WSC_OP_TEXT && p->tty)
		escaped_text(p, data, n);
	else if (opcode == WSC_OP_TEXT && p->o->null_sep) {
		wsc_out_write(&p->out, data, n);
		wsc_out_write(&p->out, "", 1);
	} else if (opcode == WSC_OP_TEXT)
		wsc_out_text(&p->out, data, n);
	else
		wsc_out_binary(&p->out, p->o->binary_output, data, n);
	/* A large message's rendering is not kept: memory goes back to
	 * what small messages need. */
	if (p->scratch.cap > SCRATCH_KEEP)
		wsc_buf_free(&p->scratch);
}

/* A piece of a large message (ws.h, stream_opcodes): raw bytes go out
 * as they come, and a text message gets its newline after the last. */
static void
pipe_message_part(void *ctx, unsigned client, int opcode,
    const uint8_t *data, size_t n, int first, int last)
{
	struct wsc_pipe	*p = ctx;

	if (p->o->jsonl) {
		wsc_jsonl_part(&p->jsonl, client, opcode, data, n, first, last);
		return;
	}
	if (first && opcode == WSC_OP_TEXT && p->o->timestamps)
		put_stamp(p);
	if (opcode == WSC_OP_TEXT && p->tty) {
		if (first)
			wsc_escaper_init(&p->esc, WSC_ESC_KEEP_NL |
			    WSC_ESC_KEEP_TAB);
		out_escaped(p, data, n, last);
	} else
		wsc_out_write(&p->out, data, n);
	if (last && opcode == WSC_OP_TEXT)
		wsc_out_write(&p->out, p->o->null_sep ? "" : "\n", 1);
}

/* --jsonl: connection events; messages sent only with -v. */
static void
pipe_event(void *ctx, const struct wsc_ui_event *ev)
{
	struct wsc_pipe	*p = ctx;

	if (ev->kind != WSC_UI_SENT || p->o->verbose)
		wsc_jsonl_event(&p->jsonl, ev);
}

static void
pipe_flush(void *ctx)
{
	struct wsc_pipe	*p = ctx;

	wsc_out_flush(&p->out);
}

/* Why stdout took no more messages (0: it still does). */
static int
pipe_output_error(void *ctx)
{
	struct wsc_pipe	*p = ctx;

	return p->out.failed ? p->out.err : 0;
}

/* The session is over: a --jsonl line a lost connection cut off is
 * ended, then everything written. */
static void
pipe_finish(void *ctx)
{
	struct wsc_pipe	*p = ctx;

	wsc_jsonl_finish(&p->jsonl);
	wsc_out_flush(&p->out);
}

static const struct wsc_ui_ops pipe_ops = {
	pipe_input_fd, pipe_on_input, pipe_message, pipe_note, pipe_flush,
	pipe_finish, NULL, NULL, NULL, NULL
};

void
wsc_pipe_init(struct wsc_pipe *p, const struct wsc_options *o,
    struct wsc_ui *ui)
{
	memset(p, 0, sizeof *p);
	p->o = o;
	p->in_fd = -1;
	wsc_out_init(&p->out, STDOUT_FILENO, STDOUT_FLUSH_AT);
	p->tty = isatty(STDOUT_FILENO);
	wsc_buf_init(&p->line);
	wsc_buf_init(&p->scratch);
	wsc_stamp_init(&p->stamp);
	wsc_jsonl_init(&p->jsonl, &p->out);
	ui->ops = &pipe_ops;
	ui->ctx = p;
	/* Text is printed as it is, raw binary too: both can stream, and so
	 * can --jsonl's base64 (it carries 0-2 bytes between pieces). Hex
	 * and base64 lines render whole messages (a dump ends with the
	 * length). */
	ui->stream = 1u << WSC_OP_TEXT;
	if (o->binary_output == WSC_BIN_RAW || o->jsonl)
		ui->stream |= 1u << WSC_OP_BINARY;
	/* --pretty needs a whole message to tell whether it is JSON. */
	if (o->pretty)
		ui->stream &= ~(1u << WSC_OP_TEXT);
	ui->message_part = pipe_message_part;
	ui->output_error = pipe_output_error;
	ui->muted = wsc_ui_stderr_muted(o);
	if (o->jsonl)
		ui->event = pipe_event;
}

void
wsc_pipe_free(struct wsc_pipe *p)
{
	wsc_out_flush(&p->out);
	wsc_out_free(&p->out);
	if (p->in_fd > STDIN_FILENO)
		close(p->in_fd);
	wsc_buf_free(&p->line);
	wsc_buf_free(&p->scratch);
}
