/* A stream socket as a side (wsc(1), --forward): the connect is not waited
 * for, what goes to the socket waits in a bounded queue (above its high
 * water the side is full and the loop stops reading the WebSocket), and
 * the socket's end and the WebSocket's are passed on to each other: EOF
 * becomes Close 1000 once its data is sent, the WebSocket's end shuts the
 * socket's write half once what waits for it is written, and the socket
 * is closed when the peer closes or after LINGER_MS. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "frame.h"
#include "net.h"
#include "sink.h"
#include "stream.h"
#include "url.h"
#include "util.h"

/* One read from the socket, sent as one binary message. */
#define CHUNK		(64 * 1024)
/* Above this much waiting for the socket, the side is full. */
#define HIGH_WATER	(1024 * 1024)
/* After the WebSocket's end: how long what is queued may go without
 * progress, and then how long the socket may take to close. */
#define LINGER_MS	2000

struct stream {
	const struct wsc_stream_target	*t;
	const struct wsc_ui		*notes;
	struct wsc_sink			*k;
	unsigned			 id;
	int				 fd;		/* -1: none (failed) */
	const struct addrinfo		*next;		/* to try if this fails */
	int				 connecting;
	int64_t				 connect_until;	/* 0: no limit */
	int				 unix_left;	/* unix:PATH not tried yet */
	struct wsc_buf			 out;		/* for the socket */
	int				 eof;		/* the socket sent EOF */
	int				 failed;	/* nothing more to do */
	int				 winding;	/* the WebSocket is over */
	int				 shut;		/* our write half is shut */
	int64_t				 linger_until;
};

/* Every read goes through one buffer: sides take turns, one at a time. */
static uint8_t	chunk[CHUNK];

int
wsc_stream_target_init(struct wsc_stream_target *t, const char *spec,
    int family, char *err, size_t errlen)
{
	struct wsc_net_opts	no;
	struct wsc_url		u;
	char			*url;
	int			 r;

	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", spec);
	if (strncmp(spec, "unix:", 5) == 0) {
		if (wsc_unix_addr(&t->un, spec + 5) != 0) {
			snprintf(err, errlen, "bad --forward '%s' (the path is "
			    "empty or too long)", spec);
			return 2;
		}
		t->is_unix = 1;
		return 0;
	}
	/* HOST:PORT is a URL's authority without user info: the URL parser
	 * checks it (IPv6 in brackets, the port's range). */
	memset(&u, 0, sizeof u);
	url = wsc_xasprintf("ws://%s/", spec);
	r = strpbrk(spec, "/?#@") != NULL ||
	    wsc_url_parse(&u, url, err, errlen) != 0 || !u.port_explicit;
	free(url);
	if (r) {
		wsc_url_free(&u);
		snprintf(err, errlen, "bad --forward '%s' (expected HOST:PORT "
		    "or unix:PATH)", spec);
		return 2;
	}
	memset(&no, 0, sizeof no);
	no.family = family;
	r = wsc_net_resolve(u.host, u.port, &no, &t->ai, err, errlen);
	wsc_url_free(&u);
	return r == 0 ? 0 : 3;
}

void
wsc_stream_target_free(struct wsc_stream_target *t)
{
	if (t->ai != NULL)
		freeaddrinfo(t->ai);
	t->ai = NULL;
}

/* The side is done with the socket: one status line, and the client is
 * closed with 1011 (the server's fault, as the client sees it). */
static void
stream_fail(struct stream *s, const char *what, int err)
{
	s->failed = 1;
	s->connecting = 0;
	wsc_buf_reset(&s->out);
	if (s->winding)
		return;
	wsc_ui_notef(s->notes, WSC_NOTE_STATUS, "Client %u: %s %s: %s; "
	    "closing with %u", s->id, what, s->t->name, strerror(err),
	    WSC_CLOSE_INTERNAL);
	wsc_sink_close(s->k, 0, WSC_CLOSE_INTERNAL, "the target failed");
}

/* Starts connecting to the next address; 0 when a connect is under way
 * (or done), else the last failure's errno (err when none was left). */
static int
connect_next(struct stream *s, int err)
{
	const struct addrinfo	*ai;

	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->connecting = 0;
	if (s->unix_left) {
		s->unix_left = 0;
		s->fd = wsc_net_connect_start((const struct sockaddr *)
		    &s->t->un, sizeof s->t->un, &s->connecting, &err);
		return s->fd != -1 ? 0 : err;
	}
	while ((ai = s->next) != NULL) {
		s->next = ai->ai_next;
		s->fd = wsc_net_connect_start(ai->ai_addr, ai->ai_addrlen,
		    &s->connecting, &err);
		if (s->fd != -1)
			return 0;
	}
	return err;
}

/* The connect under way has finished: on to the next address if it
 * failed, and when none is left, give up. */
static void
connect_done(struct stream *s)
{
	int		err = 0;
	socklen_t	len = sizeof err;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == 0) {
		s->connecting = 0;
		return;
	}
	if ((err = connect_next(s, err)) != 0)
		stream_fail(s, "could not connect to", err);
}

/* Writes as much of the queue as the socket takes. */
static void
flush_out(struct stream *s)
{
	ssize_t	r;

	while (wsc_buf_used(&s->out) > 0) {
		r = wsc_send(s->fd, wsc_buf_head(&s->out), wsc_buf_used(&s->out));
		if (r < 0) {
			if (errno != EAGAIN)
				stream_fail(s, "lost the connection to", errno);
			return;
		}
		wsc_buf_consume(&s->out, (size_t)r);
		if (s->winding)	/* progress: the queue is not given up */
			s->linger_until = wsc_now_ms() + LINGER_MS;
	}
}

/* The descriptor to read: the socket once connected, until its EOF. */
static int
stream_input_fd(void *ctx)
{
	struct stream	*s = ctx;

	return s->failed || s->connecting || s->eof ? -1 : s->fd;
}

/* The socket is readable: one chunk, one binary message. EOF ends the
 * side's input: the client is closed with 1000 after what is queued. */
static void
stream_on_input(void *ctx, struct wsc_sink *k)
{
	struct stream	*s = ctx;
	ssize_t		 r = read(s->fd, chunk, sizeof chunk);

	if (r < 0) {
		if (errno != EAGAIN && errno != EINTR)
			stream_fail(s, "lost the connection to", errno);
		return;
	}
	if (r == 0) {
		s->eof = 1;
		if (!s->winding)
			wsc_sink_input_done(k);
		return;
	}
	if (!s->winding)
		wsc_sink_send(k, WSC_OP_BINARY, chunk, (size_t)r);
}

/* A message from the WebSocket: its payload for the socket. A large one
 * is written at once when nothing waits before it (no copy), what the
 * socket does not take is queued; small ones are gathered and written
 * by CHUNK, or when the loop is about to sleep (stream_flush): not a
 * system call per message. */
static void
stream_message(void *ctx, unsigned client, int opcode, const uint8_t *p,
    size_t n)
{
	struct stream	*s = ctx;
	ssize_t		 r;

	(void)client;
	(void)opcode;
	if (s->failed || s->shut || n == 0)
		return;
	if (!s->connecting && wsc_buf_used(&s->out) == 0 && n >= CHUNK) {
		if ((r = wsc_send(s->fd, p, n)) < 0 && errno != EAGAIN) {
			stream_fail(s, "lost the connection to", errno);
			return;
		}
		if (r > 0) {
			p += r;
			n -= (size_t)r;
		}
	}
	if (n > 0 && wsc_buf_append(&s->out, p, n) != 0) {
		stream_fail(s, "ran out of memory for", ENOMEM);
		return;
	}
	if (!s->connecting && wsc_buf_used(&s->out) >= CHUNK)
		flush_out(s);
}

/* A piece of a large message: its bytes, as a message's. */
static void
stream_message_part(void *ctx, unsigned client, int opcode, const uint8_t *p,
    size_t n, int first, int last)
{
	(void)first;
	(void)last;
	stream_message(ctx, client, opcode, p, n);
}

/* Notices go where the server's go. */
static void
stream_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct stream	*s = ctx;

	s->notes->ops->note(s->notes->ctx, kind, text);
}

/* The loop is about to sleep: what was gathered goes out. */
static void
stream_flush(void *ctx)
{
	struct stream	*s = ctx;

	if (!s->connecting && !s->failed)
		flush_out(s);
}

/* Frees the side; the socket is closed. */
static void
stream_finish(void *ctx)
{
	struct stream	*s = ctx;

	if (s->fd != -1)
		close(s->fd);
	wsc_buf_free(&s->out);
	free(s);
}

/* POLLOUT is wanted while connecting and while output waits. */
static int
stream_output_fd(void *ctx)
{
	struct stream	*s = ctx;

	if (s->failed || (!s->connecting && wsc_buf_used(&s->out) == 0))
		return -1;
	return s->fd;
}

/* The socket is writable: the connect has finished, or it takes more. */
static void
stream_on_output(void *ctx)
{
	struct stream	*s = ctx;

	if (s->connecting)
		connect_done(s);
	if (!s->connecting && !s->failed)
		flush_out(s);
}

/* Above the high-water mark the loop stops reading the WebSocket. */
static int
stream_full(void *ctx)
{
	struct stream	*s = ctx;

	return wsc_buf_used(&s->out) >= HIGH_WATER;
}

/* The WebSocket is over: what is queued is written (given up after
 * LINGER_MS without progress), then the write half is shut, and the
 * socket closed when its peer closes or LINGER_MS later, whichever comes
 * first. */
static int64_t
stream_wind_down(void *ctx, int64_t now)
{
	struct stream	*s = ctx;

	if (!s->winding) {
		s->winding = 1;
		s->linger_until = now + LINGER_MS;
	}
	if (s->failed || now >= s->linger_until)
		return 0;
	if (s->connecting || wsc_buf_used(&s->out) > 0)
		return s->linger_until;
	if (!s->shut) {
		shutdown(s->fd, SHUT_WR);
		s->shut = 1;
		s->linger_until = now + LINGER_MS;
	}
	return s->eof ? 0 : s->linger_until;
}

/* While connecting: the connect's deadline. */
static int64_t
stream_due(void *ctx)
{
	struct stream	*s = ctx;

	return s->connecting && s->connect_until > 0 ? s->connect_until :
	    INT64_MAX;
}

/* A connect that has not finished by its deadline (--connect-timeout)
 * fails as a refused one does. */
static void
stream_tick(void *ctx, struct wsc_sink *k, int64_t now)
{
	struct stream	*s = ctx;

	(void)k;
	if (s->connecting && s->connect_until > 0 && now >= s->connect_until)
		stream_fail(s, "could not connect to", ETIMEDOUT);
}

static const struct wsc_ui_ops stream_ops = {
	stream_input_fd, stream_on_input, stream_message, stream_note,
	stream_flush, stream_finish, stream_output_fd, stream_on_output,
	stream_full, stream_wind_down
};

int
wsc_stream_side_new(const struct wsc_stream_target *t, unsigned id,
    const struct wsc_ui *notes, struct wsc_sink *k, struct wsc_ui *ui)
{
	struct stream	*s = calloc(1, sizeof *s);
	int		 err;

	if (s == NULL)
		return -1;
	s->t = t;
	s->notes = notes;
	s->k = k;
	s->id = id;
	s->fd = -1;
	s->next = t->ai;
	s->unix_left = t->is_unix;
	wsc_buf_init(&s->out);
	memset(ui, 0, sizeof *ui);
	ui->ops = &stream_ops;
	ui->ctx = s;
	/* Large messages in pieces: the socket takes bytes, not messages. */
	ui->stream = 1u << WSC_OP_TEXT | 1u << WSC_OP_BINARY;
	ui->message_part = stream_message_part;
	ui->due = stream_due;
	ui->tick = stream_tick;
	if (t->connect_ms > 0)
		s->connect_until = wsc_now_ms() + t->connect_ms;
	if ((err = connect_next(s, ENOENT)) != 0)
		stream_fail(s, "could not connect to", err);
	return 0;
}
