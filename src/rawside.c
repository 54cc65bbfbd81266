/* The byte-stream side: chunks in as binary messages, payloads out as
 * they are (--raw, and each connection of --tunnel). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "escape.h"
#include "frame.h"
#include "signals.h"
#include "sink.h"
#include "rawside.h"
#include "util.h"

/* One read, one binary message (as -b does with stdin). */
#define READ_CHUNK	(64 * 1024)
/* Payloads are written in blocks this large under a flood... */
#define WRITE_AT	(64 * 1024)
/* ...and above this much waiting, the WebSocket is not read (wsc(1),
 * --tunnel: flow control end to end). */
#define HIGH_WATER	(256 * 1024)
/* At the end: give up on a reader that takes nothing for this long, and
 * wait this long for the TCP peer to close after our shutdown(). */
#define LINGER_MS	2000
/* Room for "wsc: LABEL: " before an error line. */
#define LABEL_MAX	128

/* Lines name the tunnel ("wsc: tunnel 3 from 127.0.0.1:40312: ..." for
 * an error, "[tunnel 3 ...] " before others); status lines only with -v (--raw has none: its stderr is often
 * another program's, ssh's); -P and -v lines as asked. Escaped, since a
 * notice may carry what the peer sent. */
static void
raw_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct wsc_raw	*st = ctx;
	char			 line[LABEL_MAX + WSC_ESC_RATIO * WSC_NOTE_MAX + 1];
	size_t			 n, used, w = 0;

	/* Status lines come here only with -v (muted: wsc_raw_init). */
	(void)kind;
	/* One write per line: the tunnels share stderr. */
	if (st->label != NULL && strncmp(text, "wsc: ", 5) == 0) {
		w = (size_t)snprintf(line, LABEL_MAX, "wsc: %s: ", st->label);
		text += 5;
	} else if (st->label != NULL)
		w = (size_t)snprintf(line, LABEL_MAX, "[%s] ", st->label);
	w = w < LABEL_MAX ? w : LABEL_MAX - 1;
	n = strnlen(text, WSC_NOTE_MAX);
	w += wsc_escape(line + w, (const uint8_t *)text, n, 0, &used);
	line[w++] = '\n';
	fwrite(line, 1, w, stderr);
}

/* The input descriptor, until its end of file. */
static int
raw_input_fd(void *ctx)
{
	struct wsc_raw	*st = ctx;

	return st->eof ? -1 : st->in_fd;
}

/* Readable: one chunk, one binary message. End of file or a reset is the
 * end of the input, which the session turns into Close 1000 once what is
 * queued has been sent. */
static void
raw_on_input(void *ctx, struct wsc_sink *k)
{
	struct wsc_raw	*st = ctx;
	uint8_t			 chunk[READ_CHUNK];
	ssize_t			 r;

	r = read(st->in_fd, chunk, sizeof chunk);
	if (r == -1 && (errno == EINTR || errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		return;
	if (r <= 0) {
		st->eof = 1;
		wsc_sink_input_done(k);
		return;
	}
	wsc_sink_send(k, WSC_OP_BINARY, chunk, (size_t)r);
}

/* Writes up to n bytes of p, as many as the descriptor takes now, and
 * returns how many. A write error ends the output: what waits is dropped.
 * On stdout the session reports it (output_error); on a socket the peer
 * has gone, and reading it will show the end. */
static size_t
write_now(struct wsc_raw *st, const uint8_t *p, size_t n)
{
	ssize_t	r = write(st->out_fd, p, n);

	if (r > 0)
		return (size_t)r;
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return 0;
	st->out_err = r == 0 ? EIO : errno;
	wsc_buf_reset(&st->out);
	return 0;
}

/* Writes what waits, as much as the descriptor takes now. */
static void
write_some(struct wsc_raw *st)
{
	size_t	k;

	while (wsc_buf_used(&st->out) > 0 && (k = write_now(st,
	    wsc_buf_head(&st->out), wsc_buf_used(&st->out))) > 0)
		wsc_buf_consume(&st->out, k);
}

/* A piece of a message: its bytes, nothing added (text too). */
static void
raw_part(void *ctx, unsigned client, int opcode, const uint8_t *p,
    size_t n, int first, int last)
{
	struct wsc_raw	*st = ctx;
	size_t			 k;

	(void)client;
	(void)opcode;
	(void)first;
	(void)last;
	if (st->out_err != 0 || n == 0)
		return;
	/* A large piece with nothing waiting goes out without a copy. */
	if (n >= WRITE_AT && wsc_buf_used(&st->out) == 0) {
		k = write_now(st, p, n);
		p += k;
		n -= k;
		if (n == 0 || st->out_err != 0)
			return;
	}
	if (wsc_buf_append(&st->out, p, n) != 0) {
		st->out_err = ENOMEM;
		wsc_buf_reset(&st->out);
		return;
	}
	if (wsc_buf_used(&st->out) >= WRITE_AT)
		write_some(st);
}

/* A whole message (one too small to come in pieces). */
static void
raw_message(void *ctx, unsigned client, int opcode, const uint8_t *p,
    size_t n)
{
	raw_part(ctx, client, opcode, p, n, 1, 1);
}

/* The loop is about to sleep: what waits goes out now. */
static void
raw_flush(void *ctx)
{
	write_some(ctx);
}

/* The output descriptor while bytes wait for it. */
static int
raw_output_fd(void *ctx)
{
	struct wsc_raw	*st = ctx;

	return wsc_buf_used(&st->out) > 0 ? st->out_fd : -1;
}

/* The output descriptor takes more. */
static void
raw_on_output(void *ctx)
{
	write_some(ctx);
}

/* Above the high-water mark: the session stops reading the WebSocket. */
static int
raw_full(void *ctx)
{
	struct wsc_raw	*st = ctx;

	return wsc_buf_used(&st->out) >= HIGH_WATER;
}

/* Waits for fd to be ready for events, at most ms; 1 ready, 0 not, -1
 * when Ctrl+C or SIGTERM came meanwhile: then the end is not waited for. */
static int
wait_fd(int fd, short events, int ms)
{
	struct pollfd	pfd[2];
	int		r;

	pfd[0].fd = fd;
	pfd[0].events = events;
	pfd[1].fd = wsc_signals_fd();
	pfd[1].events = POLLIN;
	pfd[0].revents = pfd[1].revents = 0;
	r = poll(pfd, pfd[1].fd >= 0 ? 2 : 1, ms);
	if (r > 0 && pfd[1].revents != 0)
		return -1;
	if (r == -1 && errno == EINTR)
		return -1;
	return r > 0;
}

/* Writes out everything still queued, while the reader takes some at
 * least every LINGER_MS. */
static void
drain(struct wsc_raw *st)
{
	size_t	before;

	while (wsc_buf_used(&st->out) > 0 && st->out_err == 0) {
		before = wsc_buf_used(&st->out);
		write_some(st);
		if (wsc_buf_used(&st->out) == 0 || st->out_err != 0)
			break;
		if (wsc_buf_used(&st->out) == before &&
		    wait_fd(st->out_fd, POLLOUT, LINGER_MS) <= 0)
			break;
	}
}

/* The WebSocket is over: the rest goes out; a socket's write half is shut
 * down (the TCP peer reads end of file) and it is left open, what it sends
 * discarded, until the peer closes too or LINGER_MS pass (a close would
 * reset the connection and could lose the last bytes). */
static void
raw_finish(void *ctx)
{
	struct wsc_raw	*st = ctx;
	uint8_t			 junk[4096];
	int64_t			 until;
	ssize_t			 r;

	drain(st);
	if (!st->socket)
		return;
	shutdown(st->out_fd, SHUT_WR);
	until = wsc_now_ms() + LINGER_MS;
	while (wsc_now_ms() < until) {
		r = read(st->in_fd, junk, sizeof junk);
		if (r == 0 || (r == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != EINTR))
			break;
		if (r == -1 && wait_fd(st->in_fd, POLLIN,
		    (int)(until - wsc_now_ms())) < 0)
			break;
	}
}

/* Why the output stopped (stdout only: see write_some). */
static int
raw_output_error(void *ctx)
{
	struct wsc_raw	*st = ctx;

	return st->socket ? 0 : st->out_err;
}

static const struct wsc_ui_ops raw_ops = {
	raw_input_fd, raw_on_input, raw_message, raw_note,
	raw_flush, raw_finish, raw_output_fd, raw_on_output,
	raw_full, NULL
};

void
wsc_raw_init(struct wsc_raw *st, const struct wsc_options *o,
    int in_fd, int out_fd, const char *label, struct wsc_ui *ui)
{
	socklen_t	len;
	int		type;

	memset(st, 0, sizeof *st);
	st->o = o;
	st->in_fd = in_fd;
	st->out_fd = out_fd;
	/* One descriptor both ways that is a socket: a tunnel's connection,
	 * half-closed at the end. */
	len = sizeof type;
	st->socket = in_fd == out_fd && getsockopt(in_fd, SOL_SOCKET, SO_TYPE,
	    &type, &len) == 0;
	st->label = label;
	wsc_buf_init(&st->out);
	memset(ui, 0, sizeof *ui);
	ui->ops = &raw_ops;
	ui->ctx = st;
	/* Every message in pieces as it arrives: memory stays flat. */
	ui->stream = 1u << WSC_OP_TEXT | 1u << WSC_OP_BINARY;
	ui->message_part = raw_part;
	ui->output_error = raw_output_error;
	/* Status lines only with -v: none is formatted else. */
	ui->muted = o->verbose ? 0 : 1u << WSC_NOTE_STATUS;
}

void
wsc_raw_free(struct wsc_raw *st)
{
	wsc_buf_free(&st->out);
}
