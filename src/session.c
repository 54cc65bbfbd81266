/* The client session: one poll() loop over the user side, the connection,
 * a signal pipe and timers (-w, close, heartbeat, reconnect backoff).
 * Nothing else waits anywhere. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "exitcode.h"
#include "goal.h"
#include "heartbeat.h"
#include "net.h"
#include "rng.h"
#include "session.h"
#include "sink.h"
#include "signals.h"
#include "util.h"
#include "ws.h"
#include "wsio.h"

/* Stop reading input while this much waits for the socket (the kernel's
 * send buffer does the real buffering: 256 KiB keeps it full, S5 in
 * scripts/bench runs as fast as with 4 MiB, at 3.2 instead of 7 MiB)... */
#define OUT_HIGH_WATER		(256 * 1024)
/* ...or, while disconnected, for the next connection. */
#define PENDING_MAX		(16 * 1024 * 1024)
/* How long to wait for the server's Close after ours (wsc(1), Keys;
 * doc/protocol.md, Closing). */
#define CLOSE_WAIT_MS		5000
/* After the close handshake, let the server close TCP first (RFC 6455
 * section 7.1.1), but not for long. */
#define TCP_CLOSE_WAIT_MS	1000
/* Reconnect backoff (wsc(1), RECONNECT): 0.5 s doubling to 30 s; a
 * connection that lasted this long starts the count over. */
#define BACKOFF_MIN_MS		500
#define BACKOFF_MAX_MS		30000
#define STABLE_MS		10000
/* After -m runs out, how long to wait for the server's Close (wsc(1)). */
#define MAX_TIME_CLOSE_MS	1000

struct wsc_session {
	const struct wsc_options	*o;
	struct wsc_ui			*ui;
	struct wsc_client		 client;
	struct wsc_ws			 ws;
	int				 connected;

	int				 input_done;	/* EOF, or -x only */
	struct wsc_buf			 pending;	/* sent while disconnected */

	int64_t				 wait_deadline;	/* -w; INT64_MAX: forever */
	int64_t				 close_deadline;
	int				 peer_gone;
	int				 protocol_error;
	int				 write_error;
	int				 dead;		/* ping timeout */
	int				 user_quit;	/* Ctrl+C, /quit */
	int				 out_failed;	/* stdout took no more */
	int				 wait_failed;	/* poll() did */
	char				 lost[200];
	int				 done;

	struct wsc_heartbeat		 hb;		/* --ping-interval */

	unsigned			 attempts;	/* failed in a row */
	int64_t				 connected_at;

	/* The last ping the user sent (/ping), so that -P can show its
	 * round-trip time; see sink_ping. */
	uint8_t				 user_ping[125];
	size_t				 user_ping_len;
	int64_t				 user_ping_us;	/* 0: none pending */

	struct wsc_goal			 goal;		/* --count, --until */
	int				 wait_ended;	/* -w ran out */
	int				 timed_out;	/* -m ran out */
	/* For /status and --jsonl's close event. */
	struct wsc_sink_stats		 stats;
	struct wsc_sink			 sink;	/* what the side sends through */
	int				 we_closed;	/* our Close went first */
};

/* -v: one line per frame. */
static void
trace_frame(void *ctx, char dir, const struct wsc_frame *f)
{
	struct wsc_session	*s = ctx;

	wsc_ui_notef(s->ui, WSC_NOTE_TRACE, "%c frame %s fin=%d%s len=%llu",
	    dir, wsc_opcode_name(f->opcode), f->fin, f->rsv1 ? " rsv1=1" : "",
	    (unsigned long long)f->len);
}

/* -v: a compressed message's size before and after compression. */
static void
trace_message(void *ctx, char dir, int opcode, uint64_t plain,
    uint64_t compressed)
{
	struct wsc_session	*s = ctx;

	wsc_ui_notef(s->ui, WSC_NOTE_TRACE, "%c message %s len=%llu "
	    "compressed=%llu", dir, wsc_opcode_name(opcode),
	    (unsigned long long)plain, (unsigned long long)compressed);
}

/* Tells the ui about an event when it records them (--jsonl). */
static void
ui_event(struct wsc_session *s, const struct wsc_ui_event *ev)
{
	if (s->ui->event != NULL)
		s->ui->event(s->ui->ctx, ev);
}

/* Queues a message on the connection, counting it for /status; a ui that
 * records events hears of it. */
static int
send_msg(struct wsc_session *s, int opcode, const void *p, size_t n)
{
	struct wsc_ui_event	ev;

	if (wsc_ws_send(&s->ws, opcode, p, n) != 0)
		return -1;
	if (opcode != WSC_OP_TEXT && opcode != WSC_OP_BINARY)
		return 0;
	s->stats.msgs_out++;
	s->stats.bytes_out += n;
	if (s->ui->event != NULL) {
		memset(&ev, 0, sizeof ev);
		ev.kind = WSC_UI_SENT;
		ev.opcode = opcode;
		ev.data = p;
		ev.len = n;
		s->ui->event(s->ui->ctx, &ev);
	}
	return 0;
}

/* Sends what was kept while disconnected, in order. */
static void
send_pending(struct wsc_session *s)
{
	const uint8_t	*p;
	size_t		 n, used;
	int		 op;

	while ((used = wsc_buf_peek_msg(&s->pending, &op, &p, &n)) > 0) {
		send_msg(s, op, p, n);
		wsc_buf_consume(&s->pending, used);
	}
}

/* The sink's send: a message of the side's for the connection. */
static int
sink_send(void *ctx, int opcode, const void *p, size_t n)
{
	struct wsc_session	*s = ctx;

	/* A connection found dead earlier in this turn takes nothing more:
	 * input read in the same turn waits for the next connection instead
	 * of going down with this one. */
	if (!s->connected || s->peer_gone) {
		if (opcode == WSC_OP_PING || opcode == WSC_OP_PONG)
			return -1;
		return wsc_buf_put_msg(&s->pending, opcode, p, n);
	}
	return send_msg(s, opcode, p, n);
}

/* The user's ping (/ping) is remembered by its payload rather than
 * numbered like the heartbeat's: the user chose the data. Its time is taken
 * when queued, not when written; interactive pings are not stuck behind a
 * flood the way a heartbeat may be. */
static int
sink_ping(void *ctx, const void *p, size_t n)
{
	struct wsc_session	*s = ctx;

	if (n > sizeof s->user_ping || sink_send(s, WSC_OP_PING, p, n) != 0)
		return -1;
	memcpy(s->user_ping, p, n);
	s->user_ping_len = n;
	s->user_ping_us = wsc_now_us();
	return 0;
}

/* The side's input has ended. */
static void
sink_input_done(void *ctx)
{
	struct wsc_session	*s = ctx;

	s->input_done = 1;
}

/* Starts our side of the close handshake. */
static void
start_close(struct wsc_session *s, unsigned code, const char *reason)
{
	if (s->ws.close_code_sent == 0 && s->ws.close_code_received == 0)
		s->we_closed = 1;
	if (s->ws.close_code_sent == 0)
		wsc_ws_close(&s->ws, code, reason);
	if (s->close_deadline == 0)
		s->close_deadline = wsc_now_ms() + CLOSE_WAIT_MS;
	s->wait_deadline = 0;
}

/* The user's /close or /quit (`to` is 0: there is one connection). */
static void
sink_close(void *ctx, unsigned to, unsigned code, const char *reason)
{
	struct wsc_session	*s = ctx;

	(void)to;
	s->user_quit = 1;
	if (!s->connected) {
		s->done = 1;
		return;
	}
	start_close(s, code, reason);
}

/* The round trip of a pong (us), or -1 when it answers no ping of ours:
 * a heartbeat ping by its number (all before it are answered too), or the
 * user's /ping by its payload. */
static int64_t
pong_rtt(struct wsc_session *s, const uint8_t *p, size_t n)
{
	unsigned long	v;
	int64_t		rtt, sent;

	if (wsc_heartbeat_pong(&s->hb, p, n, &v, &rtt))
		return rtt;
	if (s->user_ping_us != 0 && n == s->user_ping_len &&
	    (n == 0 || memcmp(p, s->user_ping, n) == 0)) {
		sent = s->user_ping_us;
		s->user_ping_us = 0;
		return wsc_now_us() - sent;
	}
	return -1;
}

/* A ping or pong received: -P shows it, with a pong's round trip. */
static void
on_control(struct wsc_session *s, enum wsc_ui_ev kind, const uint8_t *p,
    size_t n)
{
	struct wsc_ui_event	ev;
	int64_t			rtt = -1;

	if (kind == WSC_UI_PONG && (rtt = pong_rtt(s, p, n)) >= 0)
		s->stats.last_rtt_us = rtt;
	if (!s->o->show_ping_pong)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.data = p;
	ev.len = n;
	ev.rtt_us = rtt;
	ui_event(s, &ev);
	if (rtt >= 0)
		wsc_ui_notef(s->ui, WSC_NOTE_CONTROL,
		    "< [pong] %.*s (round trip %.3f ms)", (int)n,
		    (const char *)p, (double)rtt / 1000);
	else
		wsc_ui_notef(s->ui, WSC_NOTE_CONTROL, "< [%s] %.*s",
		    kind == WSC_UI_PING ? "ping" : "pong", (int)n,
		    (const char *)p);
}

/* A message or a piece of one: shown (or echoed), then counted for
 * --count/--until, which close once met. Nothing after what they asked
 * for is shown (like grep -m), even from the same read. */
static void
on_message(struct wsc_session *s, const struct wsc_event *ev)
{
	int	met;

	s->stats.msgs_in += ev->type != WSC_EV_MESSAGE_PART || ev->last;
	s->stats.bytes_in += ev->len;
	if (s->goal.met)
		return;
	if (ev->type == WSC_EV_MESSAGE_PART)
		s->ui->message_part(s->ui->ctx, 0, ev->opcode, ev->data,
		    ev->len, ev->first, ev->last);
	else if (s->o->echo)
		wsc_ws_send(&s->ws, ev->opcode, ev->data, ev->len);
	else
		s->ui->ops->message(s->ui->ctx, 0, ev->opcode, ev->data,
		    ev->len);
	if (!wsc_goal_active(&s->goal))
		return;
	if (ev->type == WSC_EV_MESSAGE_PART)
		met = wsc_goal_part(&s->goal, ev->opcode, ev->data, ev->len,
		    ev->first, ev->last);
	else
		met = wsc_goal_message(&s->goal, ev->opcode, ev->data,
		    ev->len);
	if (met)
		start_close(s, WSC_CLOSE_NORMAL, NULL);
}

/* One event from the protocol core. */
static void
on_event(void *ctx, const struct wsc_event *ev)
{
	struct wsc_session	*s = ctx;

	switch (ev->type) {
	case WSC_EV_MESSAGE:
	case WSC_EV_MESSAGE_PART:
		on_message(s, ev);
		break;
	case WSC_EV_PING:
		on_control(s, WSC_UI_PING, ev->data, ev->len);
		break;
	case WSC_EV_PONG:
		on_control(s, WSC_UI_PONG, ev->data, ev->len);
		break;
	case WSC_EV_CLOSE:
		if (s->close_deadline == 0)
			s->close_deadline = wsc_now_ms() + CLOSE_WAIT_MS;
		s->wait_deadline = 0;
		break;
	case WSC_EV_ERROR:
		wsc_ui_notef(s->ui, WSC_NOTE_ERROR,
		    "wsc: protocol error: %s (closing with %u)", ev->reason,
		    ev->code);
		s->protocol_error = 1;
		start_close(s, ev->code, NULL);
		break;
	case WSC_EV_NONE:
		break;
	}
}

/* Writes as much of the outbound queue as the socket takes. */
static void
write_socket(struct wsc_session *s)
{
	if (!s->peer_gone &&
	    wsc_wsio_write(&s->ws, &s->client.conn) == WSC_WSIO_ERROR) {
		snprintf(s->lost, sizeof s->lost, "write failed: %s",
		    s->client.conn.err);
		s->peer_gone = 1;
		s->write_error = 1;
		return;
	}
	wsc_heartbeat_track(&s->hb);
}

/* Reads what the socket has (and what TLS holds decrypted). */
static void
read_socket(struct wsc_session *s)
{
	int	r = wsc_wsio_read(&s->ws, &s->client.conn, on_event, s);

	if (r == WSC_WSIO_AGAIN)
		return;
	if (r == WSC_WSIO_ERROR)
		snprintf(s->lost, sizeof s->lost, "%s", s->client.conn.err);
	s->peer_gone = 1;
}

/* Handles Ctrl+C / SIGTERM: the first closes cleanly, the second quits. */
static void
handle_signals(struct wsc_session *s)
{
	int	n = wsc_signals_take();

	if (n == 0)
		return;
	s->user_quit = 1;
	if (n >= 2 || !s->connected || s->peer_gone) {
		s->done = 1;
		return;
	}
	/* A tunnel ends because wsc is going away (RFC 6455 section 7.4.1). */
	start_close(s, s->o->tunnel != NULL ? WSC_CLOSE_GOING_AWAY :
	    WSC_CLOSE_NORMAL, NULL);
}

/* The heartbeat: a ping every interval; no pong in time means dead. */
static void
heartbeat(struct wsc_session *s, int64_t now)
{
	if (!wsc_heartbeat_tick(&s->hb, now))
		return;
	snprintf(s->lost, sizeof s->lost,
	    "no pong within %g s; the connection is dead",
	    (double)s->o->ping_timeout_ms / 1000);
	s->dead = 1;
	s->done = 1;
}

/* When the heartbeat next needs attention (INT64_MAX: never); not while
 * disconnected, or the backoff would wake for a dead ping. */
static int64_t
heartbeat_due(const struct wsc_session *s)
{
	return s->connected ? wsc_heartbeat_due(&s->hb) : INT64_MAX;
}

/* -m: when the run's time is up, close (1000) and wait at most
 * MAX_TIME_CLOSE_MS more for the server's Close. */
static void
max_time(struct wsc_session *s, int64_t now)
{
	if (s->o->run_deadline == 0 || now < s->o->run_deadline ||
	    s->timed_out)
		return;
	s->timed_out = 1;
	wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: --max-time of %g s ran out "
	    "while connected; closing", (double)s->o->max_time_ms / 1000);
	if (s->ws.state == WSC_WS_OPEN)
		start_close(s, WSC_CLOSE_NORMAL, NULL);
	if (s->close_deadline == 0 || s->close_deadline > now +
	    MAX_TIME_CLOSE_MS)
		s->close_deadline = now + MAX_TIME_CLOSE_MS;
}

/* Ends the session when messages can no longer be written out (the
 * reader of stdout went away, as `| head` does): rather than read on and
 * drop everything, close with 1001, going away (RFC 6455 section 7.4.1),
 * and exit 1. */
static void
check_output(struct wsc_session *s)
{
	if (s->out_failed || wsc_ui_output_failed(s->ui) == 0)
		return;
	s->out_failed = 1;
	s->user_quit = 1;	/* no reconnecting either */
	if (!s->connected || s->peer_gone)
		s->done = 1;
	else
		start_close(s, WSC_CLOSE_GOING_AWAY, NULL);
}

/* Timers and the decisions that follow from the state. */
static void
tick(struct wsc_session *s)
{
	int64_t	now = wsc_now_ms();
	int	drained;

	/* First the side's own timers: they may end its input (a program's
	 * exit), which -w below must see in this turn, or the loop would
	 * sleep with nothing left to wake it. */
	if (s->ui->tick != NULL)
		s->ui->tick(s->ui->ctx, &s->sink, now);
	drained = wsc_ws_buffered(&s->ws) == 0;
	check_output(s);
	/* -w: wait for replies once the last message is really sent. */
	if (s->input_done && !s->o->echo && drained &&
	    s->ws.state == WSC_WS_OPEN && s->wait_deadline == 0 &&
	    s->close_deadline == 0) {
		if (s->o->wait_ms == 0) {
			s->wait_ended = 1;
			start_close(s, WSC_CLOSE_NORMAL, NULL);
		} else
			s->wait_deadline = s->o->wait_ms > 0 ?
			    now + s->o->wait_ms : INT64_MAX;
	}
	if (s->wait_deadline > 0 && now >= s->wait_deadline) {
		s->wait_ended = 1;
		start_close(s, WSC_CLOSE_NORMAL, NULL);
	}
	max_time(s, now);
	heartbeat(s, now);
	/* Handshake over (or failed): let the server close TCP first. */
	if ((s->ws.state == WSC_WS_CLOSED || s->ws.state == WSC_WS_FAILED) &&
	    drained && s->close_deadline > now + TCP_CLOSE_WAIT_MS)
		s->close_deadline = now + TCP_CLOSE_WAIT_MS;
	if (s->peer_gone || (s->close_deadline > 0 && now >= s->close_deadline))
		s->done = 1;
}

/* Milliseconds poll() may sleep: until the next timer, or forever. */
static int
poll_timeout(const struct wsc_session *s, int64_t next)
{
	if (s->wait_deadline > 0 && s->wait_deadline < next)
		next = s->wait_deadline;
	if (s->close_deadline > 0 && s->close_deadline < next)
		next = s->close_deadline;
	if (heartbeat_due(s) < next)
		next = heartbeat_due(s);
	if (!s->timed_out && s->o->run_deadline > 0 &&
	    s->o->run_deadline < next)
		next = s->o->run_deadline;
	if (s->ui->due != NULL && s->ui->due(s->ui->ctx) < next)
		next = s->ui->due(s->ui->ctx);
	return wsc_poll_ms(next);
}

/* Is the user side's input wanted now? Not while the queue is full. */
static int
input_wanted(const struct wsc_session *s)
{
	if (s->input_done || s->user_quit)
		return 0;
	if (!s->connected)
		return wsc_buf_used(&s->pending) < PENDING_MAX;
	return s->ws.state == WSC_WS_OPEN &&
	    wsc_ws_buffered(&s->ws) < OUT_HIGH_WATER;
}

/* Is the side above its high-water mark (a program that does not read
 * its stdin as fast as messages come)? */
static int
side_full(const struct wsc_session *s)
{
	return s->ui->ops->full != NULL && s->ui->ops->full(s->ui->ctx);
}

/* Is the socket to be read now? Not while --echo's answers wait above the
 * high-water mark: a peer that sends faster than it reads would otherwise
 * have its flood queued in our memory (listen mode does the same). Other
 * answers are pongs, which coalesce (ws.h); and our own input fills the
 * queue too, so stopping then could deadlock with an echo server that
 * stops reading while its echoes wait for us to read them. Nor while the
 * side is full: what arrives would pile up in front of it. */
static int
socket_wanted(const struct wsc_session *s)
{
	if (side_full(s))
		return 0;
	return !s->o->echo || wsc_ws_buffered(&s->ws) < OUT_HIGH_WATER;
}

/* Notes whether the socket is read this turn, for the heartbeat's
 * timeout (heartbeat.c). */
static int
note_reading(struct wsc_session *s)
{
	int	wanted = socket_wanted(s);

	wsc_heartbeat_reading(&s->hb, wanted);
	return wanted;
}

/* The side's descriptor to poll for writing (a program's stdin while
 * messages wait for it), or -1. */
static int
side_output_fd(const struct wsc_session *s)
{
	return s->ui->ops->output_fd != NULL ?
	    s->ui->ops->output_fd(s->ui->ctx) : -1;
}

/* poll() failed, and not for a signal: the loop can wait no more. One
 * line, a Close 1001 (going away, RFC 6455 section 7.4.1) as far as one
 * write takes it, no reconnecting, exit 1. */
static void
cannot_wait(struct wsc_session *s)
{
	wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: cannot wait for input or "
	    "the connection: %s", strerror(errno));
	s->wait_failed = 1;
	s->user_quit = 1;
	if (s->connected && s->ws.state == WSC_WS_OPEN) {
		start_close(s, WSC_CLOSE_GOING_AWAY, NULL);
		write_socket(s);
	}
	s->done = 1;
}

/* Waits for something to do, until `next` at the latest. The user side is
 * flushed whenever the loop would sleep, so a pipeline sees every message
 * at once while a flood is written in large blocks. Returns the number of
 * pollfds in use and fills pfd: [0] signals, [1] input, [2] socket, [3]
 * the side's output. */
static int
wait_io(struct wsc_session *s, struct pollfd *pfd, int64_t next)
{
	int	r, fd = input_wanted(s) ? s->ui->ops->input_fd(s->ui->ctx) : -1;

	pfd[0].fd = wsc_signals_fd();
	pfd[0].events = POLLIN;
	pfd[1].fd = fd;
	pfd[1].events = POLLIN;
	pfd[2].fd = -1;
	pfd[2].events = 0;
	pfd[3].fd = side_output_fd(s);
	pfd[3].events = POLLOUT;
	pfd[3].revents = 0;
	if (s->connected) {
		pfd[2].fd = s->client.conn.fd;
		pfd[2].events = (note_reading(s) ? POLLIN : 0) |
		    wsc_conn_want(&s->client.conn);
		if (wsc_ws_buffered(&s->ws) > 0)
			pfd[2].events |= POLLOUT;
	}
	pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
	if (s->connected && socket_wanted(s) &&
	    wsc_conn_pending(&s->client.conn) > 0)
		return 0;	/* TLS holds decrypted bytes: do not sleep */
	r = poll(pfd, 4, 0);
	if (r == 0) {
		/* The flush may have written what the side had queued. */
		s->ui->ops->flush(s->ui->ctx);
		pfd[3].fd = side_output_fd(s);
		r = poll(pfd, 4, poll_timeout(s, next));
	}
	if (r < 0 && errno != EINTR)
		cannot_wait(s);
	return r < 0 ? 0 : r;
}

/* The loop for one connection: read, decode, write, tick, until it ends. */
static void
loop(struct wsc_session *s)
{
	struct pollfd	pfd[4];

	while (!s->done) {
		write_socket(s);
		tick(s);
		if (s->done)
			break;
		wait_io(s, pfd, INT64_MAX);
		handle_signals(s);
		/* A TLS read that had to write first waits for POLLOUT. */
		if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR) ||
		    (pfd[2].revents & wsc_conn_want(&s->client.conn)) ||
		    (socket_wanted(s) && wsc_conn_pending(&s->client.conn) > 0))
			read_socket(s);
		if (pfd[1].revents && input_wanted(s))
			s->ui->ops->on_input(s->ui->ctx, &s->sink);
		if (pfd[3].revents)
			s->ui->ops->on_output(s->ui->ctx);
	}
	s->ui->ops->flush(s->ui->ctx);
}

/* A server's error close is a failure: one error line, also under -q. */
static void
error_close_note(struct wsc_session *s, unsigned code)
{
	const char	*r = s->ws.close_reason;

	wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: the server closed the "
	    "connection with %u (%s)%s%s%s", code, wsc_close_code_text(code),
	    r[0] != '\0' ? ": \"" : "", r, r[0] != '\0' ? "\"" : "");
}

/* Says how the connection ended; returns the exit status and whether
 * --reconnect should try again (wsc(1), RECONNECT: no close handshake,
 * ping timeout, or close 1001/1011/1012/1013). */
static int
finish(struct wsc_session *s, int *retry)
{
	struct wsc_ws	*ws = &s->ws;
	unsigned	 code = ws->close_code_received;

	*retry = 0;
	if (s->protocol_error) {
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
		    "Disconnected (code: %u, reason: \"%s\")", ws->close_code_sent,
		    wsc_close_code_text(ws->close_code_sent));
		return WSC_EXIT_ABNORMAL;
	}
	if (code != 0) {
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
		    "Disconnected (code: %u, reason: \"%s\")", code,
		    ws->close_reason);
		*retry = code == 1001 || code == 1011 || code == 1012 ||
		    code == 1013;
		if (code == WSC_CLOSE_NORMAL || code == WSC_CLOSE_GOING_AWAY ||
		    code == WSC_CLOSE_NO_STATUS)
			return WSC_EXIT_OK;
		error_close_note(s, code);
		return WSC_EXIT_ABNORMAL;
	}
	/* Our Close 1000 went out and the server hung up or stayed silent. */
	if (ws->close_code_sent == WSC_CLOSE_NORMAL && !s->write_error &&
	    !s->dead) {
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
		    "Disconnected (code: %u, reason: \"\")", WSC_CLOSE_NORMAL);
		return WSC_EXIT_OK;
	}
	if (s->user_quit && !s->peer_gone && !s->dead)
		return WSC_EXIT_ABNORMAL;	/* second Ctrl+C */
	wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: connection lost: %s",
	    s->lost[0] != '\0' ? s->lost :
	    "the server closed the connection without a close frame");
	wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
	    "Disconnected (code: %u, reason: \"\")", WSC_CLOSE_ABNORMAL);
	*retry = 1;
	return WSC_EXIT_ABNORMAL;
}

/* The URL as connected, without any password from its userinfo; the
 * caller frees it. */
static char *
shown_url(const struct wsc_session *s)
{
	char	*host = wsc_url_host_header(&s->client.url), *url;

	url = wsc_xasprintf("%s://%s%s", s->client.url.secure ? "wss" : "ws",
	    host, s->client.url.path);
	free(host);
	return url;
}

/* The open event, for a ui that records events (--jsonl). */
static void
open_event(struct wsc_session *s)
{
	struct wsc_ui_event	ev;
	char			*url;

	if (s->ui->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = WSC_UI_OPEN;
	ev.url = url = shown_url(s);
	ev.protocol = s->client.protocol;
	ev.extensions = s->client.extensions;
	s->ui->event(s->ui->ctx, &ev);
	free(url);
}

/* The close event, for a ui that records events (--jsonl): the code and
 * reason as the Disconnected line gives them; clean when both Close frames
 * were exchanged (the browser API's wasClean). */
static void
close_event(struct wsc_session *s)
{
	struct wsc_ui_event	ev;
	struct wsc_ws		*ws = &s->ws;

	if (s->ui->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = WSC_UI_CLOSE;
	ev.by_server = !s->we_closed && !s->protocol_error;
	if (s->protocol_error) {
		ev.code = ws->close_code_sent;
		ev.reason = wsc_close_code_text(ws->close_code_sent);
	} else if (ws->close_code_received != 0) {
		ev.code = ws->close_code_received;
		ev.reason = ws->close_reason;
		ev.clean = 1;
	} else if (ws->close_code_sent == WSC_CLOSE_NORMAL && !s->write_error &&
	    !s->dead) {
		ev.code = WSC_CLOSE_NORMAL;
	} else {
		ev.code = WSC_CLOSE_ABNORMAL;
		ev.reason = s->lost;
		ev.by_server = !s->user_quit && !s->dead;
	}
	s->ui->event(s->ui->ctx, &ev);
}

/* The "Connected" status line: at a terminal it says how to quit and
 * what the server negotiated (wsc(1), Status lines); in a pipe it names
 * the URL. */
static void
connected_note(struct wsc_session *s)
{
	const char	*proto = s->client.protocol, *ext = s->client.extensions;
	char		*url;

	if (!wsc_ui_shows(s->ui, WSC_NOTE_STATUS))
		return;
	if (s->ui->interactive) {
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
		    "Connected (press CTRL+C to quit)%s%s%s%s",
		    proto ? "; subprotocol: " : "", proto ? proto : "",
		    ext ? "; extensions: " : "", ext ? ext : "");
		return;
	}
	url = shown_url(s);
	wsc_ui_notef(s->ui, WSC_NOTE_STATUS, "Connected to %s%s%s%s", url,
	    proto ? " (subprotocol: " : "", proto ? proto : "",
	    proto ? ")" : "");
	free(url);
}

/* Under a refused handshake's error line, what explains it (-q: not
 * shown), one notice per line. */
static void
explain_refusal(struct wsc_session *s)
{
	const char	*p = s->client.refusal;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, "\n");
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS, "%.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* -X, then -x and --file in order: first on every connection. */
static void
send_initial(struct wsc_session *s)
{
	const struct wsc_options	*o = s->o;
	size_t				 i;

	for (i = 0; i < o->preamble.n; i++)
		send_msg(s, WSC_OP_TEXT, o->preamble.v[i],
		    strlen(o->preamble.v[i]));
	for (i = 0; i < o->sends.n; i++)
		send_msg(s, o->sends.v[i].path != NULL && o->binary ?
		    WSC_OP_BINARY : WSC_OP_TEXT, o->sends.v[i].p,
		    o->sends.v[i].n);
}

/* Resets the per-connection state and connects. Returns 0 or an exit
 * status (the reason already shown). */
static int
connect_once(struct wsc_session *s)
{
	char	err[512];
	int	st;

	wsc_ws_free(&s->ws);
	if (wsc_ws_init(&s->ws, WSC_ROLE_CLIENT, wsc_rng_fill, wsc_rng_get(),
	    s->o->max_message) != 0) {
		wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: out of memory");
		return WSC_EXIT_ABNORMAL;
	}
	/* Large messages in pieces when the ui takes them; --echo sends
	 * whole messages back. */
	if (!s->o->echo && s->ui->message_part != NULL)
		s->ws.stream_opcodes = s->ui->stream;
	/* Pongs coalesce once the queue is as full as input may fill it. */
	s->ws.pong_coalesce = OUT_HIGH_WATER;
	if (s->o->verbose) {
		s->ws.trace = trace_frame;
		s->ws.trace_msg = trace_message;
		s->ws.trace_ctx = s;
	}
	st = wsc_client_open(&s->client, s->o, &s->ws, s->ui, err, sizeof err);
	if (st != 0) {
		wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: %s", err);
		explain_refusal(s);
		wsc_client_close(&s->client);
		return st;
	}
	s->connected = 1;
	s->connected_at = wsc_now_ms();
	s->wait_deadline = s->close_deadline = 0;
	s->peer_gone = s->protocol_error = s->write_error = s->dead = 0;
	s->lost[0] = '\0';
	wsc_heartbeat_init(&s->hb, &s->ws, s->client.conn.fd,
	    s->o->ping_interval_ms, s->o->ping_timeout_ms, s->connected_at);
	s->user_ping_us = 0;
	s->we_closed = 0;
	connected_note(s);
	open_event(s);
	send_initial(s);
	send_pending(s);
	wsc_wsio_drain(&s->ws, on_event, s);
	return 0;
}

/* Has -m run out during the backoff? Says so; 1 if it has, else 0. */
static int
backoff_ran_out(struct wsc_session *s)
{
	if (s->o->run_deadline == 0 || wsc_now_ms() < s->o->run_deadline)
		return 0;
	wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: --max-time of %g s ran out "
	    "while waiting to reconnect (after %u attempts)",
	    (double)s->o->max_time_ms / 1000, s->attempts);
	return 1;
}

/* Sleeps the backoff before the next attempt, still reading input so
 * nothing typed or piped meanwhile is lost. Returns 0, -1 if interrupted,
 * or 1 when -m ran out meanwhile. */
static int
backoff(struct wsc_session *s)
{
	struct pollfd	pfd[4];
	uint8_t		r8 = 0;
	int64_t		ms = BACKOFF_MIN_MS, until;
	unsigned	i;

	for (i = 1; i < s->attempts && ms < BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	/* Full jitter between half and all of it spreads the clients of a
	 * restarted server apart. */
	wsc_rng_fill(wsc_rng_get(), &r8, 1);
	ms = ms / 2 + ms / 2 * r8 / 255;
	if (s->o->reconnect_max > 0)
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
		    "Reconnecting in %.1f s (attempt %u of %u)",
		    (double)ms / 1000, s->attempts, s->o->reconnect_max);
	else
		wsc_ui_notef(s->ui, WSC_NOTE_STATUS,
		    "Reconnecting in %.1f s (attempt %u)", (double)ms / 1000,
		    s->attempts);
	until = wsc_now_ms() + ms;
	if (s->o->run_deadline > 0 && s->o->run_deadline < until)
		until = s->o->run_deadline;
	while (wsc_now_ms() < until) {
		wait_io(s, pfd, until);
		handle_signals(s);
		if (s->done)
			return -1;
		if (pfd[1].revents && input_wanted(s))
			s->ui->ops->on_input(s->ui->ctx, &s->sink);
	}
	return backoff_ran_out(s);
}

/* May --reconnect try once more? Not after the user asked to stop, and
 * not past --reconnect=N failures in a row. */
static int
may_retry(const struct wsc_session *s)
{
	if (!s->o->reconnect || s->user_quit)
		return 0;
	return s->o->reconnect_max == 0 || s->attempts <= s->o->reconnect_max;
}

/* One connection from open to end; returns its status and whether the way
 * it ended asks for a reconnect. */
static int
run_connection(struct wsc_session *s, int *retry)
{
	int	st;

	loop(s);
	st = finish(s, retry);
	close_event(s);
	if (s->out_failed)
		st = WSC_EXIT_ABNORMAL;
	if (s->user_quit || s->timed_out || !s->o->reconnect)
		*retry = 0;
	if (wsc_now_ms() - s->connected_at >= STABLE_MS)
		s->attempts = 0;
	wsc_conn_shutdown(&s->client.conn);
	wsc_client_close(&s->client);
	s->connected = 0;
	s->done = 0;
	/* The timers belonged to that connection: left set, a past one made
	 * every poll() of the backoff return at once (a busy loop). */
	s->wait_deadline = s->close_deadline = 0;
	return st;
}

/* The run's exit status with -m and --count/--until (wsc(1), EXIT
 * STATUS): 6 when -m ran out, or when a clean end came before what was
 * asked for arrived; an error status stays. */
static int
script_status(struct wsc_session *s, int st)
{
	if (s->timed_out && (st == WSC_EXIT_OK || st == WSC_EXIT_ABNORMAL))
		return WSC_EXIT_TIMEOUT;
	if (st != WSC_EXIT_OK || !wsc_goal_active(&s->goal) || s->goal.met ||
	    s->user_quit)
		return st;
	wsc_ui_notef(s->ui, WSC_NOTE_ERROR, "wsc: %s not met: %lu message%s "
	    "received before %s", s->o->until == NULL ? "--count" :
	    s->o->count == 0 ? "--until" : "--count/--until", s->goal.seen,
	    s->goal.seen == 1 ? "" : "s", s->wait_ended ?
	    "the wait (-w) ended" : "the server closed");
	return WSC_EXIT_TIMEOUT;
}

/* /status: the connection as the browser API describes it. */
static int
sink_status(void *ctx, struct wsc_sink_stats *st)
{
	struct wsc_session	*s = ctx;

	*st = s->stats;
	st->ready_state = !s->connected ? 0 : s->ws.state == WSC_WS_OPEN ? 1 :
	    s->ws.state == WSC_WS_CLOSED ? 3 : 2;
	st->protocol = s->connected ? s->client.protocol : NULL;
	st->extensions = s->connected ? s->client.extensions : NULL;
	st->buffered = s->connected ? wsc_ws_buffered(&s->ws) :
	    wsc_buf_used(&s->pending);
	return 0;
}

/* Refused: a client connection has no numbered clients. */
static int
sink_send_to(void *ctx, unsigned to, int opcode, const void *p, size_t n)
{
	(void)ctx;
	(void)to;
	(void)opcode;
	(void)p;
	(void)n;
	return -1;
}

static const struct wsc_sink_ops sink_ops = {
	sink_send, sink_send_to, sink_ping, sink_input_done, sink_close,
	sink_status
};

int
wsc_session_run(const struct wsc_options *o, struct wsc_ui *ui)
{
	struct wsc_session	s;
	char			err[256];
	int			st, retry, r;

	memset(&s, 0, sizeof s);
	s.o = o;
	s.ui = ui;
	s.sink.ops = &sink_ops;
	s.sink.ctx = &s;
	s.client.conn.fd = -1;
	s.input_done = o->sends.n > 0 || o->echo;
	if (wsc_goal_init(&s.goal, o->count, o->until, err, sizeof err) != 0) {
		wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: --until: %s", err);
		return WSC_EXIT_USAGE;
	}
	if (wsc_signals_install() != 0 || wsc_rng_get() == NULL) {
		wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: cannot set up: %s",
		    strerror(errno));
		wsc_goal_free(&s.goal);
		return WSC_EXIT_ABNORMAL;
	}
	for (;;) {
		/* A drop asks for a retry by how it ended (close 1001 exits 0
		 * yet reconnects); a failed attempt by its status: a server
		 * that cannot be reached or answered badly may come back, a
		 * usage or TLS error will not. */
		if ((st = connect_once(&s)) == 0) {
			st = run_connection(&s, &retry);
			if (!retry)
				break;
		} else if (st != WSC_EXIT_CONNECT && st != WSC_EXIT_HANDSHAKE)
			break;
		s.attempts++;
		if (!may_retry(&s) || (r = backoff(&s)) < 0)
			break;
		if (r > 0) {
			st = WSC_EXIT_TIMEOUT;
			break;
		}
	}
	/* In a connection or in the backoff: exit 1 either way. */
	if (s.wait_failed)
		st = WSC_EXIT_ABNORMAL;
	st = script_status(&s, st);
	ui->ops->finish(ui->ctx);
	wsc_ws_free(&s.ws);
	wsc_buf_free(&s.pending);
	wsc_goal_free(&s.goal);
	return st;
}
