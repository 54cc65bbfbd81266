/* The client session: one poll() loop over stdin, the connection, a
 * signal pipe and timers. Nothing else waits anywhere. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "exitcode.h"
#include "output.h"
#include "rng.h"
#include "session.h"
#include "utf8.h"
#include "util.h"
#include "ws.h"

/* Stop reading stdin while this much is queued for the socket. */
#define OUT_HIGH_WATER	(4 * 1024 * 1024)
#define STDIN_CHUNK	(64 * 1024)
#define STDOUT_FLUSH_AT	(64 * 1024)
/* How long to wait for the server's Close after ours (CLI.md). */
#define CLOSE_WAIT_MS	5000
/* After the close handshake, how long to let the server close TCP first
 * (RFC 6455 section 7.1.1) before we do. */
#define TCP_CLOSE_WAIT_MS	1000

struct session {
	const struct wsc_options	*o;
	struct wsc_client		 client;
	struct wsc_ws			 ws;
	struct wsc_out			 out;
	struct wsc_buf			 line;		/* stdin bytes, no newline yet */

	int				 reading_stdin;
	int				 input_done;	/* stdin EOF or -x sent */
	int				 utf8_warned;
	int64_t				 wait_deadline;	/* -w timer, 0: not running */
	int64_t				 close_deadline; /* give up on the close handshake */
	int				 peer_gone;	/* socket EOF or error */
	int				 protocol_error;
	int				 write_error;
	char				 lost[200];	/* why the connection dropped */
	int				 done;
};

static volatile sig_atomic_t	signals_seen;
static int			signal_pipe[2] = { -1, -1 };

/* Async-signal-safe: count, and wake poll() through the pipe. */
static void
on_signal(int sig)
{
	int	saved = errno;

	signals_seen++;
	if (write(signal_pipe[1], "s", 1) == -1) {
		/* the pipe is full: the loop wakes up anyway */
	}
	errno = saved;
	(void)sig;
}

/* Ctrl+C and SIGTERM go through a self-pipe in the poll set (race-free). */
static int
signals_install(void)
{
	struct sigaction	sa;

	if (signal_pipe[0] == -1) {
		if (pipe(signal_pipe) == -1)
			return -1;
		fcntl(signal_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
		fcntl(signal_pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(signal_pipe[1], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return 0;
}

/* -v: one line per frame. */
static void
trace_frame(void *ctx, char dir, const struct wsc_frame *f)
{
	fprintf(stderr, "%c frame %s fin=%d%s len=%llu\n", dir,
	    wsc_opcode_name(f->opcode), f->fin, f->rsv1 ? " rsv1=1" : "",
	    (unsigned long long)f->len);
}

/* Status lines go to stderr unless -q. */
static void
status(struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
status(struct session *s, const char *fmt, ...)
{
	va_list	ap;

	if (s->o->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Queues one stdin line as a text message. A line that is not UTF-8
 * cannot be a text message; it goes as binary so nothing read is lost. */
static void
send_line(struct session *s, const uint8_t *p, size_t n)
{
	int	op = WSC_OP_TEXT;

	if (!wsc_utf8_valid(p, n)) {
		op = WSC_OP_BINARY;
		if (!s->utf8_warned)
			fprintf(stderr, "wsc: stdin line is not valid UTF-8; "
			    "sending such lines as binary messages\n");
		s->utf8_warned = 1;
	}
	wsc_ws_send(&s->ws, op, p, n);
}

/* Splits what stdin gave into lines; keeps the unfinished one. */
static void
send_lines(struct session *s)
{
	uint8_t	*p = wsc_buf_head(&s->line), *nl;
	size_t	 n = wsc_buf_used(&s->line);

	while ((nl = memchr(p, '\n', n)) != NULL) {
		send_line(s, p, (size_t)(nl - p));
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	wsc_buf_consume(&s->line, wsc_buf_used(&s->line) - n);
}

/* stdin is readable: read one chunk into messages. */
static void
read_stdin(struct session *s)
{
	uint8_t	*dst;
	ssize_t	 r;

	if ((dst = wsc_buf_reserve(&s->line, STDIN_CHUNK)) == NULL)
		return;
	r = read(STDIN_FILENO, dst, STDIN_CHUNK);
	if (r == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		/* The last line needs no newline to count. */
		if (!s->o->binary && wsc_buf_used(&s->line) > 0)
			send_line(s, wsc_buf_head(&s->line), wsc_buf_used(&s->line));
		wsc_buf_reset(&s->line);
		s->reading_stdin = 0;
		s->input_done = 1;
		return;
	}
	if (s->o->binary) {
		wsc_ws_send(&s->ws, WSC_OP_BINARY, dst, (size_t)r);
		return;
	}
	wsc_buf_commit(&s->line, (size_t)r);
	send_lines(s);
}

/* Starts our side of the close handshake. */
static void
start_close(struct session *s, unsigned code, const char *reason)
{
	if (s->ws.close_code_sent == 0)
		wsc_ws_close(&s->ws, code, reason);
	if (s->close_deadline == 0)
		s->close_deadline = wsc_now_ms() + CLOSE_WAIT_MS;
	s->reading_stdin = 0;
	s->wait_deadline = 0;
}

/* One event from the protocol core. */
static void
on_event(struct session *s, const struct wsc_event *ev)
{
	switch (ev->type) {
	case WSC_EV_MESSAGE:
		if (s->o->echo) {
			wsc_ws_send(&s->ws, ev->opcode, ev->data, ev->len);
			break;
		}
		if (ev->opcode == WSC_OP_TEXT)
			wsc_out_text(&s->out, ev->data, ev->len);
		else
			wsc_out_binary(&s->out, s->o->binary_output, ev->data, ev->len);
		break;
	case WSC_EV_PING:
	case WSC_EV_PONG:
		if (s->o->show_ping_pong)
			fprintf(stderr, "< [%s] %.*s\n",
			    ev->type == WSC_EV_PING ? "ping" : "pong",
			    (int)ev->len, (const char *)ev->data);
		break;
	case WSC_EV_CLOSE:
		if (s->close_deadline == 0)
			s->close_deadline = wsc_now_ms() + CLOSE_WAIT_MS;
		s->reading_stdin = 0;
		s->wait_deadline = 0;
		break;
	case WSC_EV_ERROR:
		fprintf(stderr, "wsc: protocol error: %s (closing with %u)\n",
		    ev->reason, ev->code);
		s->protocol_error = 1;
		start_close(s, ev->code, NULL);
		break;
	case WSC_EV_NONE:
		break;
	}
}

/* Decodes everything buffered. */
static void
drain_events(struct session *s)
{
	struct wsc_event	ev;

	while (wsc_ws_next(&s->ws, &ev) != WSC_EV_NONE)
		on_event(s, &ev);
}

/* Writes as much of the outbound queue as the socket takes. */
static void
write_socket(struct session *s)
{
	ssize_t	r;

	while (wsc_ws_buffered(&s->ws) > 0 && !s->peer_gone) {
		r = wsc_conn_write(&s->client.conn, wsc_ws_out_data(&s->ws),
		    wsc_ws_buffered(&s->ws));
		if (r == WSC_CONN_AGAIN)
			return;
		if (r < 0) {
			snprintf(s->lost, sizeof s->lost, "write failed: %s",
			    s->client.conn.err);
			s->peer_gone = 1;
			s->write_error = 1;
			return;
		}
		wsc_ws_out_consume(&s->ws, (size_t)r);
	}
}

/* Reads what the socket has (and what TLS holds decrypted). */
static void
read_socket(struct session *s)
{
	uint8_t	*dst;
	size_t	 avail;
	ssize_t	 r;

	do {
		if ((dst = wsc_ws_read_space(&s->ws, 0, &avail)) == NULL)
			return;
		r = wsc_conn_read(&s->client.conn, dst, avail);
		if (r == WSC_CONN_AGAIN)
			return;
		if (r <= 0) {
			if (r < 0)
				snprintf(s->lost, sizeof s->lost, "%s",
				    s->client.conn.err);
			s->peer_gone = 1;
			return;
		}
		wsc_ws_commit(&s->ws, (size_t)r);
		drain_events(s);
	} while (wsc_conn_pending(&s->client.conn) > 0);
}

/* Handles Ctrl+C / SIGTERM: the first closes cleanly, the second quits. */
static void
handle_signals(struct session *s, int *handled)
{
	char	drain[64];

	while (read(signal_pipe[0], drain, sizeof drain) > 0)
		;
	if (signals_seen == *handled)
		return;
	*handled = signals_seen;
	if (*handled >= 2 || s->peer_gone) {
		s->done = 1;
		return;
	}
	start_close(s, WSC_CLOSE_NORMAL, NULL);
}

/* Timers and the decisions that follow from the state. */
static void
tick(struct session *s)
{
	int64_t	now = wsc_now_ms();
	int	drained = wsc_ws_buffered(&s->ws) == 0;

	/* -w: wait for replies once the last message is really sent. */
	if (s->input_done && drained && s->ws.state == WSC_WS_OPEN &&
	    s->wait_deadline == 0 && s->close_deadline == 0) {
		if (s->o->wait_ms == 0)
			start_close(s, WSC_CLOSE_NORMAL, NULL);
		else if (s->o->wait_ms > 0)
			s->wait_deadline = now + s->o->wait_ms;
		else
			s->wait_deadline = INT64_MAX;
	}
	if (s->wait_deadline > 0 && now >= s->wait_deadline)
		start_close(s, WSC_CLOSE_NORMAL, NULL);
	/* Handshake over (or failed): let the server close TCP first. */
	if ((s->ws.state == WSC_WS_CLOSED || s->ws.state == WSC_WS_FAILED) &&
	    drained && s->close_deadline > now + TCP_CLOSE_WAIT_MS)
		s->close_deadline = now + TCP_CLOSE_WAIT_MS;
	if (s->peer_gone || (s->close_deadline > 0 && now >= s->close_deadline))
		s->done = 1;
}

/* Milliseconds poll() may sleep: until the next timer, or forever. */
static int
poll_timeout(const struct session *s)
{
	int64_t	next = INT64_MAX, left;

	if (s->wait_deadline > 0 && s->wait_deadline < next)
		next = s->wait_deadline;
	if (s->close_deadline > 0 && s->close_deadline < next)
		next = s->close_deadline;
	if (next == INT64_MAX)
		return -1;
	left = next - wsc_now_ms();
	if (left < 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

/* Fills the poll set: stdin only while the queue is below high water. */
static nfds_t
poll_set(struct session *s, struct pollfd *pfd)
{
	nfds_t	n = 2;

	pfd[0].fd = signal_pipe[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = s->client.conn.fd;
	pfd[1].events = POLLIN | wsc_conn_want(&s->client.conn);
	if (wsc_ws_buffered(&s->ws) > 0)
		pfd[1].events |= POLLOUT;
	if (s->reading_stdin && wsc_ws_buffered(&s->ws) < OUT_HIGH_WATER) {
		pfd[2].fd = STDIN_FILENO;
		pfd[2].events = POLLIN;
		n = 3;
	}
	return n;
}

/* Waits for the next thing to do. stdout is flushed whenever the loop
 * would sleep, so a pipeline sees every message at once. */
static int
wait_io(struct session *s, struct pollfd *pfd, nfds_t n)
{
	int	r;

	r = poll(pfd, n, 0);
	if (r == 0) {
		wsc_out_flush(&s->out);
		r = poll(pfd, n, poll_timeout(s));
	}
	if (r == -1 && errno != EINTR)
		return -1;
	return r;
}

/* The loop: read, decode, write, tick, until the session is over. */
static void
loop(struct session *s)
{
	struct pollfd	pfd[3];
	nfds_t		n;
	int		handled = 0;

	while (!s->done) {
		write_socket(s);
		tick(s);
		if (s->done)
			break;
		n = poll_set(s, pfd);
		if (wait_io(s, pfd, n) <= 0) {
			handle_signals(s, &handled);
			continue;
		}
		if (pfd[0].revents)
			handle_signals(s, &handled);
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			read_socket(s);
		if (n > 2 && pfd[2].revents)
			read_stdin(s);
	}
	wsc_out_flush(&s->out);
}

/* Says how the session ended and picks the exit status (CLI.md). */
static int
finish(struct session *s)
{
	struct wsc_ws	*ws = &s->ws;
	unsigned	 code;

	if (s->protocol_error) {
		status(s, "Disconnected (code: %u, reason: \"%s\")",
		    ws->close_code_sent, wsc_close_code_text(ws->close_code_sent));
		return WSC_EXIT_ABNORMAL;
	}
	if ((code = ws->close_code_received) != 0) {
		status(s, "Disconnected (code: %u, reason: \"%s\")", code,
		    ws->close_reason);
		return code == WSC_CLOSE_NORMAL || code == WSC_CLOSE_GOING_AWAY ||
		    code == WSC_CLOSE_NO_STATUS ? WSC_EXIT_OK : WSC_EXIT_ABNORMAL;
	}
	/* Our Close 1000 went out and the server hung up or stayed silent. */
	if (ws->close_code_sent == WSC_CLOSE_NORMAL && !s->write_error) {
		status(s, "Disconnected (code: %u, reason: \"\")", WSC_CLOSE_NORMAL);
		return WSC_EXIT_OK;
	}
	fprintf(stderr, "wsc: connection lost: %s\n", s->lost[0] != '\0' ?
	    s->lost : "the server closed the connection without a close frame");
	status(s, "Disconnected (code: %u, reason: \"\")", WSC_CLOSE_ABNORMAL);
	return WSC_EXIT_ABNORMAL;
}

/* Connects and announces the connection. */
static int
open_connection(struct session *s)
{
	char	err[512];
	int	st;

	st = wsc_client_open(&s->client, s->o, &s->ws, err, sizeof err);
	if (st != 0) {
		fprintf(stderr, "wsc: %s\n", err);
		return st;
	}
	if (s->client.protocol != NULL)
		status(s, "Connected to %s (subprotocol: %s)", s->o->url,
		    s->client.protocol);
	else
		status(s, "Connected to %s", s->o->url);
	return 0;
}

/* Options that this build parses but does not implement yet. */
static int
unsupported(const struct wsc_options *o)
{
	const char	*what = NULL;

	if (o->listen_port != NULL)
		what = "-l";
	else if (o->proxy != NULL)
		what = "--proxy";
	else if (o->follow)
		what = "-L";
	else if (o->reconnect)
		what = "--reconnect";
	else if (o->ping_interval_ms > 0)
		what = "--ping-interval";
	if (what == NULL)
		return 0;
	fprintf(stderr, "wsc: %s is not implemented yet\n", what);
	return WSC_EXIT_USAGE;
}

int
wsc_session_run(const struct wsc_options *o)
{
	struct session	s;
	size_t		i;
	int		st;

	if ((st = unsupported(o)) != 0)
		return st;
	memset(&s, 0, sizeof s);
	s.o = o;
	wsc_out_init(&s.out, STDOUT_FILENO, STDOUT_FLUSH_AT);
	wsc_buf_init(&s.line);
	if (signals_install() != 0 || wsc_rng_get() == NULL ||
	    wsc_ws_init(&s.ws, WSC_ROLE_CLIENT, wsc_rng_fill, wsc_rng_get(),
	    o->max_message) != 0) {
		fprintf(stderr, "wsc: cannot set up: %s\n", strerror(errno));
		return WSC_EXIT_ABNORMAL;
	}
	if (o->verbose)
		s.ws.trace = trace_frame;
	if ((st = open_connection(&s)) == 0) {
		for (i = 0; i < o->execute.n; i++)
			wsc_ws_send(&s.ws, WSC_OP_TEXT, o->execute.v[i],
			    strlen(o->execute.v[i]));
		s.input_done = o->execute.n > 0;
		s.reading_stdin = !s.input_done && !o->echo;
		drain_events(&s);
		loop(&s);
		st = finish(&s);
	}
	wsc_client_close(&s.client);
	wsc_ws_free(&s.ws);
	wsc_out_free(&s.out);
	wsc_buf_free(&s.line);
	return st;
}
