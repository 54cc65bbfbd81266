/* The piped user side: stdin lines in, messages out on a buffered stdout. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "pipe.h"
#include "session.h"
#include "utf8.h"

/* Read stdin in large chunks; with -b each chunk is one message. */
#define STDIN_CHUNK	(64 * 1024)
/* Buffered stdout goes out in blocks this large under a flood. */
#define STDOUT_FLUSH_AT	(64 * 1024)

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

struct line_ctx {
	struct wsc_pipe		*p;
	struct wsc_session	*s;
};

/* One stdin line (-0: NUL-terminated record) is one text message. A line that is not UTF-8 cannot
 * be a text message; it goes as binary so nothing read is lost. */
static void
send_line(void *arg, const uint8_t *line, size_t n)
{
	struct line_ctx	*lc = arg;
	int		 op = WSC_OP_TEXT;

	if (!wsc_utf8_valid(line, n)) {
		op = WSC_OP_BINARY;
		if (!lc->p->utf8_warned)
			fprintf(stderr, "wsc: a stdin line is not valid UTF-8; "
			    "sending such lines as binary messages\n");
		lc->p->utf8_warned = 1;
	}
	wsc_session_send(lc->s, op, line, n);
}

static int
pipe_input_fd(void *ctx)
{
	struct wsc_pipe	*p = ctx;

	return p->eof ? -1 : STDIN_FILENO;
}

/* stdin is readable: one chunk into messages. */
static void
pipe_on_input(void *ctx, struct wsc_session *s)
{
	struct wsc_pipe	*p = ctx;
	struct line_ctx	 lc = { p, s };
	uint8_t		*dst;
	ssize_t		 r;

	if ((dst = wsc_buf_reserve(&p->line, STDIN_CHUNK)) == NULL)
		return;
	r = read(STDIN_FILENO, dst, STDIN_CHUNK);
	if (r == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		/* The last line needs no newline to count. */
		if (wsc_buf_used(&p->line) > 0)
			send_line(&lc, wsc_buf_head(&p->line), wsc_buf_used(&p->line));
		wsc_buf_reset(&p->line);
		p->eof = 1;
		wsc_session_input_done(s);
		return;
	}
	if (p->o->binary) {
		wsc_session_send(s, WSC_OP_BINARY, dst, (size_t)r);
		return;
	}
	wsc_buf_commit(&p->line, (size_t)r);
	wsc_buf_consume(&p->line, wsc_split_records(wsc_buf_head(&p->line),
	    wsc_buf_used(&p->line), p->o->null_sep ? '\0' : '\n', send_line,
	    &lc));
}

/* stdout carries messages only (CLI.md, Output). */
static void
pipe_message(void *ctx, unsigned client, int opcode, const uint8_t *data,
    size_t n)
{
	struct wsc_pipe	*p = ctx;

	if (opcode == WSC_OP_TEXT && p->o->null_sep) {
		wsc_out_write(&p->out, data, n);
		wsc_out_write(&p->out, "", 1);
	} else if (opcode == WSC_OP_TEXT)
		wsc_out_text(&p->out, data, n);
	else
		wsc_out_binary(&p->out, p->o->binary_output, data, n);
}

/* A piece of a large message (ws.h, stream_opcodes): raw bytes go out
 * as they come, and a text message gets its newline after the last. */
static void
pipe_message_part(void *ctx, unsigned client, int opcode,
    const uint8_t *data, size_t n, int first, int last)
{
	struct wsc_pipe	*p = ctx;

	(void)client;
	(void)first;
	wsc_out_write(&p->out, data, n);
	if (last && opcode == WSC_OP_TEXT)
		wsc_out_write(&p->out, p->o->null_sep ? "" : "\n", 1);
}

/* Notices go to stderr; -q silences the status lines. */
static void
pipe_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct wsc_pipe	*p = ctx;

	if (kind == WSC_NOTE_STATUS && p->o->quiet)
		return;
	fprintf(stderr, "%s\n", text);
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

static const struct wsc_ui_ops pipe_ops = {
	pipe_input_fd, pipe_on_input, pipe_message, pipe_note, pipe_flush,
	pipe_flush
};

void
wsc_pipe_init(struct wsc_pipe *p, const struct wsc_options *o,
    struct wsc_ui *ui)
{
	memset(p, 0, sizeof *p);
	p->o = o;
	wsc_out_init(&p->out, STDOUT_FILENO, STDOUT_FLUSH_AT);
	wsc_buf_init(&p->line);
	ui->ops = &pipe_ops;
	ui->ctx = p;
	/* Text is printed as it is, raw binary too: both can stream. Hex
	 * and base64 render whole messages (a dump ends with the length). */
	ui->stream = 1u << WSC_OP_TEXT;
	if (o->binary_output == WSC_BIN_RAW)
		ui->stream |= 1u << WSC_OP_BINARY;
	ui->message_part = pipe_message_part;
	ui->output_error = pipe_output_error;
}

void
wsc_pipe_free(struct wsc_pipe *p)
{
	wsc_out_flush(&p->out);
	wsc_out_free(&p->out);
	wsc_buf_free(&p->line);
}

void
wsc_ui_notef(const struct wsc_ui *ui, enum wsc_note kind, const char *fmt,
    ...)
{
	char	line[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ui->ops->note(ui->ctx, kind, line);
}

int
wsc_ui_output_failed(const struct wsc_ui *ui)
{
	int	err;

	if (ui->output_error == NULL || (err = ui->output_error(ui->ctx)) == 0)
		return 0;
	wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: %s: %s", err == EPIPE ?
	    "stdout closed" : "cannot write to stdout", strerror(err));
	return err;
}
