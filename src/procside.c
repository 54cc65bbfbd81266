/* The program side: a program's stdout lines in, messages to its stdin. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "pipe.h"
#include "procside.h"
#include "signals.h"
#include "sink.h"
#include "util.h"

/* The program's output is read in chunks this large (-b: each a message). */
#define OUT_CHUNK	(64 * 1024)
/* Above this much queued for its stdin the side is full: the WebSocket
 * is not read until it has taken some (wsc(1), --run). Like the socket's
 * queue (session.c), the pipe's own buffer does the rest. */
#define QUEUE_HIGH	(256 * 1024)
/* Once the WebSocket is over, what is queued gets this long without
 * progress before it is dropped and stdin closed. */
#define DRAIN_MS	2000
/* The longest command shown in its status line. */
#define CMD_SHOWN	200

/* Did the shell say it could not run the command (127: not found, 126:
 * not executable)? Then the peer is told with 1011 rather than a normal
 * close (wsc(1), PROGRAMS). */
static int
could_not_run(const struct wsc_proc *p)
{
	return p->reaped && WIFEXITED(p->status) &&
	    (WEXITSTATUS(p->status) == 126 || WEXITSTATUS(p->status) == 127);
}

/* The program could not be run: the peer gets 1011 (wsc(1), PROGRAMS). */
static void
close_cannot_run(struct wsc_sink *k)
{
	wsc_sink_close(k, 0, WSC_CLOSE_INTERNAL, "cannot run the program");
}

/* It has ended and its output is read (or, if something it started keeps
 * its stdout open, nothing more is waiting there): a last line without its
 * newline still counts, and the input is done, which closes the
 * connection once everything is sent (wsc(1), PROGRAMS: its exit, not its
 * stdout's end, closes; by then its exit status is known). */
static void
output_over(struct wsc_procside *ps, struct wsc_sink *k)
{
	int	bad = 0;

	if (k != NULL && wsc_buf_used(&ps->line) > 0)
		wsc_send_line(k, wsc_buf_head(&ps->line),
		    wsc_buf_used(&ps->line), &bad);
	wsc_buf_free(&ps->line);
	wsc_proc_close_out(&ps->proc);
	ps->eof = 1;
	if (k == NULL)
		return;
	if (could_not_run(&ps->proc))
		close_cannot_run(k);
	else
		wsc_sink_input_done(k);
}

/* Its stdout, until it is over. */
static int
ps_input_fd(void *ctx)
{
	struct wsc_procside	*ps = ctx;

	return ps->eof ? -1 : ps->proc.out;	/* -1 too once it is over */
}

/* Its stdout is readable: one chunk into messages (lines; -b: the
 * chunk). */
static void
ps_on_input(void *ctx, struct wsc_sink *k)
{
	struct wsc_procside	*ps = ctx;
	int			 bad = ps->utf8_warned;
	ssize_t			 r;

	if (ps->eof)
		return;
	r = wsc_read_messages(ps->proc.out, &ps->line, ps->o->binary,
	    ps->o->null_sep ? '\0' : '\n', k, &bad);
	if (bad && !ps->utf8_warned)
		wsc_ui_notef(ps->notes, WSC_NOTE_ERROR, "wsc: a line the "
		    "program wrote is not valid UTF-8; sending such lines as "
		    "binary messages");
	ps->utf8_warned = bad;
	if (r == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	/* Its stdout is over (the last line is sent); its exit ends the
	 * input (tick). */
	if (r <= 0)
		wsc_proc_close_out(&ps->proc);
}

/* Bytes for its stdin, queued; dropped once it takes no more (it closed
 * its stdin or ended: wsc(1), --run). */
static void
enqueue(struct wsc_procside *ps, const uint8_t *p, size_t n)
{
	if (ps->proc.in == -1 || n == 0)
		return;
	if (wsc_buf_append(&ps->queue, p, n) != 0)
		wsc_ui_notef(ps->notes, WSC_NOTE_ERROR, "wsc: out of memory; "
		    "a message for the program is lost");
}

/* A whole message: text gets the newline (-0: NUL) that makes it a line
 * again, binary goes as its bytes. */
static void
ps_message(void *ctx, unsigned client, int opcode, const uint8_t *data,
    size_t n)
{
	struct wsc_procside	*ps = ctx;

	(void)client;
	enqueue(ps, data, n);
	if (opcode == WSC_OP_TEXT)
		enqueue(ps, (const uint8_t *)(ps->o->null_sep ? "" : "\n"), 1);
}

/* A piece of a large message, queued as it comes (memory stays flat:
 * the WebSocket is not read while the queue is full). */
static void
ps_message_part(void *ctx, unsigned client, int opcode, const uint8_t *data,
    size_t n, int first, int last)
{
	struct wsc_procside	*ps = ctx;

	(void)client;
	(void)first;
	enqueue(ps, data, n);
	if (last && opcode == WSC_OP_TEXT)
		enqueue(ps, (const uint8_t *)(ps->o->null_sep ? "" : "\n"), 1);
}

/* Notices on stderr, as the piped side's. */
static void
ps_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct wsc_procside	*ps = ctx;

	wsc_ui_stderr_note(ps->o, &ps->stamp, kind, text);
}

/* Notices are written at once; nothing else is buffered. */
static void
ps_flush(void *ctx)
{
	(void)ctx;
}

/* Its stdin, while something is queued for it. */
static int
ps_output_fd(void *ctx)
{
	struct wsc_procside	*ps = ctx;

	return wsc_buf_used(&ps->queue) > 0 ? ps->proc.in : -1;
}

/* Its stdin takes more: as much of the queue as it will. A program that
 * closed its stdin (EPIPE) is not an error of wsc's: what it would have
 * read is dropped. */
static void
ps_on_output(void *ctx)
{
	struct wsc_procside	*ps = ctx;
	ssize_t			 r;

	while (wsc_buf_used(&ps->queue) > 0 && ps->proc.in != -1) {
		r = write(ps->proc.in, wsc_buf_head(&ps->queue),
		    wsc_buf_used(&ps->queue));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EAGAIN)
			return;
		if (r == -1) {
			wsc_proc_close_in(&ps->proc);
			wsc_buf_reset(&ps->queue);
			return;
		}
		wsc_buf_consume(&ps->queue, (size_t)r);
		if (ps->ended)
			ps->give_up_at = wsc_now_ms() + DRAIN_MS;
	}
	/* The queue stays at its working size (no allocation per write);
	 * only what one large whole message made it is given back. */
	if (wsc_buf_used(&ps->queue) == 0 && ps->queue.cap > 4 * QUEUE_HIGH)
		wsc_buf_shrink(&ps->queue, QUEUE_HIGH);
}

/* Above the high-water mark: the loop stops reading the WebSocket. */
static int
ps_full(void *ctx)
{
	struct wsc_procside	*ps = ctx;

	return wsc_buf_used(&ps->queue) >= QUEUE_HIGH;
}

/* The status line of its end: an error line when it failed (a status
 * other than 0, or a signal the schedule did not send), else a status
 * line (-q hides it). */
static void
report(struct wsc_procside *ps)
{
	char	how[128];

	ps->reported = 1;
	wsc_ui_notef(ps->notes, wsc_proc_ended_well(&ps->proc) ?
	    WSC_NOTE_STATUS : WSC_NOTE_ERROR, "wsc: \"%.*s%s\" %s", CMD_SHOWN,
	    ps->cmd, strlen(ps->cmd) > CMD_SHOWN ? "..." : "",
	    wsc_proc_describe(ps->proc.status, how, sizeof how));
}

/* Has it nothing more to write now (ended, its stdout empty)? A program
 * that ended while something it started keeps its stdout open is over
 * all the same. */
static int
out_idle(const struct wsc_procside *ps)
{
	struct pollfd	pfd;

	pfd.fd = ps->proc.out;
	pfd.events = POLLIN;
	return ps->proc.out == -1 || poll(&pfd, 1, 0) == 0;
}

/* The schedule, on every turn of the loop: a program that could not
 * start ends the connection (1011); one that ended ends the input once
 * its output is read; once the WebSocket is over its queue is written or
 * given up, then its stdin closed and the end scheduled. */
static void
tick(struct wsc_procside *ps, struct wsc_sink *k, int64_t now)
{
	if (ps->failed && !ps->eof) {
		ps->eof = 1;
		if (k != NULL)
			close_cannot_run(k);
	}
	if (!ps->started)
		return;
	wsc_proc_tick(&ps->proc, now);
	if (ps->proc.reaped && !ps->eof && out_idle(ps))
		output_over(ps, k);
	if (ps->ended && ps->proc.in != -1 && (wsc_buf_used(&ps->queue) == 0 ||
	    now >= ps->give_up_at)) {
		wsc_buf_reset(&ps->queue);
		wsc_proc_stop(&ps->proc, now);
	}
	if (ps->proc.reaped && !ps->reported)
		report(ps);
}

/* The ui's tick (ui.h). */
static void
ps_tick(void *ctx, struct wsc_sink *k, int64_t now)
{
	tick(ctx, k, now);
}

/* When the schedule next needs a tick. */
static int64_t
ps_due(void *ctx)
{
	struct wsc_procside	*ps = ctx;
	int64_t			 due = wsc_proc_due(&ps->proc);

	if (ps->ended && ps->proc.in != -1 && ps->give_up_at < due)
		due = ps->give_up_at;
	return due;
}

/* The connection has ended: the program's end, waited for (Ctrl+C
 * moves it on to its next step at once). */
static void
ps_finish(void *ctx)
{
	struct wsc_procside	*ps = ctx;
	struct pollfd		 pfd[2];
	int64_t			 now = wsc_now_ms();

	wsc_procside_end(ps, now);
	while (tick(ps, NULL, now), !wsc_procside_done(ps)) {
		pfd[0].fd = wsc_signals_fd();
		pfd[0].events = POLLIN;
		pfd[1].fd = ps_output_fd(ps);
		pfd[1].events = POLLOUT;
		pfd[0].revents = pfd[1].revents = 0;
		poll(pfd, 2, wsc_poll_ms(ps_due(ps)));
		now = wsc_now_ms();
		if (wsc_signals_take() > 0) {
			ps->give_up_at = now;
			wsc_proc_hurry(&ps->proc, now);
		}
		if (pfd[1].revents)
			ps_on_output(ps);
	}
}

/* The open event starts the program: nothing runs for a connection that
 * never opened. */
static void
ps_event(void *ctx, const struct wsc_ui_event *ev)
{
	struct wsc_procside	*ps = ctx;
	char			 err[256];

	if (ev->kind == WSC_UI_OPEN && !ps->started && !ps->failed &&
	    wsc_procside_start(ps, err, sizeof err) != 0)
		wsc_ui_notef(ps->notes, WSC_NOTE_ERROR, "wsc: --run: %s", err);
}

static const struct wsc_ui_ops procside_ops = {
	ps_input_fd, ps_on_input, ps_message, ps_note, ps_flush, ps_finish,
	ps_output_fd, ps_on_output, ps_full, NULL
};

void
wsc_procside_init(struct wsc_procside *ps, const struct wsc_options *o,
    const char *cmd, char *const *envp, struct wsc_ui *ui)
{
	memset(ps, 0, sizeof *ps);
	ps->o = o;
	ps->cmd = cmd;
	ps->envp = envp;
	wsc_proc_init(&ps->proc);
	wsc_buf_init(&ps->line);
	wsc_buf_init(&ps->queue);
	wsc_stamp_init(&ps->stamp);
	ps->notes = ui;
	ui->ops = &procside_ops;
	ui->ctx = ps;
	ui->stream = 1u << WSC_OP_TEXT | 1u << WSC_OP_BINARY;
	ui->message_part = ps_message_part;
	ui->event = ps_event;
	ui->due = ps_due;
	ui->tick = ps_tick;
	ui->muted = wsc_ui_stderr_muted(o);
}

int
wsc_procside_start(struct wsc_procside *ps, char *err, size_t errlen)
{
	if (ps->started)
		return 0;
	if (wsc_proc_start(&ps->proc, ps->cmd, ps->envp, err, errlen) != 0) {
		ps->failed = 1;
		return -1;
	}
	ps->started = 1;
	return 0;
}

void
wsc_procside_end(struct wsc_procside *ps, int64_t now)
{
	if (ps->ended)
		return;
	ps->ended = 1;
	ps->give_up_at = now + DRAIN_MS;
	ps->eof = 1;
	wsc_buf_free(&ps->line);
	wsc_proc_close_out(&ps->proc);
}

int
wsc_procside_done(const struct wsc_procside *ps)
{
	return !ps->started || ps->reported;
}

void
wsc_procside_free(struct wsc_procside *ps)
{
	wsc_proc_free(&ps->proc);
	wsc_buf_free(&ps->line);
	wsc_buf_free(&ps->queue);
}
