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
/* Text for a terminal is escaped this many bytes at a time. */
#define ESC_SLICE	4096
/* Longest notice (wsc_ui_notef truncates). */
#define NOTE_MAX	1024

size_t
wsc_split_lines(const uint8_t *buf, size_t n,
    void (*fn)(void *, const uint8_t *, size_t), void *ctx)
{
	const uint8_t	*p = buf, *nl;
	size_t		 left = n;

	while ((nl = memchr(p, '\n', left)) != NULL) {
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

/* One stdin line is one text message. A line that is not UTF-8 cannot
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
	wsc_buf_consume(&p->line, wsc_split_lines(wsc_buf_head(&p->line),
	    wsc_buf_used(&p->line), send_line, &lc));
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

/* stdout carries messages only (wsc(1), OUTPUT): byte for byte in a pipe
 * or file, escaped at a terminal, where a server's ESC[2J or OSC 52 would
 * otherwise be obeyed. */
static void
pipe_message(void *ctx, unsigned client, int opcode, const uint8_t *data,
    size_t n)
{
	struct wsc_pipe	*p = ctx;

	if (opcode == WSC_OP_TEXT && p->tty) {
		wsc_escaper_init(&p->esc, WSC_ESC_KEEP_NL | WSC_ESC_KEEP_TAB);
		out_escaped(p, data, n, 1);
		wsc_out_write(&p->out, "\n", 1);
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
	if (opcode == WSC_OP_TEXT && p->tty) {
		if (first)
			wsc_escaper_init(&p->esc, WSC_ESC_KEEP_NL |
			    WSC_ESC_KEEP_TAB);
		out_escaped(p, data, n, last);
	} else
		wsc_out_write(&p->out, data, n);
	if (last && opcode == WSC_OP_TEXT)
		wsc_out_write(&p->out, "\n", 1);
}

/* Notices go to stderr; -q silences the status lines. A notice is one
 * line and may carry what the peer sent (a close reason, ping data, a
 * header): escaped whether or not stderr is a terminal, since a log file
 * is read on one later. */
static void
pipe_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct wsc_pipe	*p = ctx;
	char		 line[WSC_ESC_RATIO * NOTE_MAX + 1];
	size_t		 n = strnlen(text, NOTE_MAX), used, w;

	if (kind == WSC_NOTE_STATUS && p->o->quiet)
		return;
	w = wsc_escape(line, (const uint8_t *)text, n, 0, &used);
	line[w++] = '\n';
	fwrite(line, 1, w, stderr);
}

static void
pipe_flush(void *ctx)
{
	struct wsc_pipe	*p = ctx;

	wsc_out_flush(&p->out);
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
	p->tty = isatty(STDOUT_FILENO);
	wsc_buf_init(&p->line);
	ui->ops = &pipe_ops;
	ui->ctx = p;
	/* Text is printed as it is, raw binary too: both can stream. Hex
	 * and base64 render whole messages (a dump ends with the length). */
	ui->stream = 1u << WSC_OP_TEXT;
	if (o->binary_output == WSC_BIN_RAW)
		ui->stream |= 1u << WSC_OP_BINARY;
	ui->message_part = pipe_message_part;
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
	char	line[NOTE_MAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ui->ops->note(ui->ctx, kind, line);
}
