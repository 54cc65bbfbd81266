/* wsc: parse the command line, run the session, exit with its status. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "options.h"
#include "pipe.h"
#include "procside.h"
#include "rng.h"
#include "server.h"
#include "session.h"
#include "rawside.h"
#include "runside.h"
#include "side.h"
#include "signals.h"
#include "stream.h"
#include "tty.h"
#include "tunnel.h"
#include "util.h"

/* Client-side options that mean nothing to a server: refused rather than
 * silently ignored. */
static int
listen_conflict(const struct wsc_options *o)
{
	const char	*what = NULL;

	if ((o->cert == NULL) != (o->key == NULL)) {
		fprintf(stderr, "wsc: --cert and --key go together (see wsc "
		    "--help)\n");
		return WSC_EXIT_USAGE;
	}
	if (o->reconnect)
		what = "--reconnect";
	else if (o->follow)
		what = "-L";
	else if (o->proxy != NULL)
		what = "--proxy";
	else if (o->unix_socket != NULL)
		what = "--unix-socket";
	else if (o->headers.n > 0 || o->origin != NULL || o->host != NULL ||
	    o->auth != NULL)
		what = "-H/-o/--host/--auth";
	else if (o->count > 0 || o->until != NULL || o->max_time_ms > 0 ||
	    o->preamble.n > 0 || o->sends.n > o->execute.n)
		what = "--count/--until/-m/-X/--file";
	else if (o->insecure)
		what = "-n";
	else if (o->ca != NULL && o->cert == NULL)
		what = "--ca without --cert/--key (it checks client certificates)";
	else if (o->pinnedpubkey != NULL)
		what = "--pinnedpubkey";
	if (what == NULL)
		return 0;
	fprintf(stderr, "wsc: %s cannot be used with -l (see wsc --help)\n",
	    what);
	return WSC_EXIT_USAGE;
}

/* The terminal user side when a person is at a terminal (stdin and stdout
 * both; doc/pitfalls.md: readline on piped stdin still writes to stdout); 0
 * when it is set up. Without readline the piped side still works, so that
 * is what a failure leaves. */
static int
open_tty(struct wsc_tty *t, const struct wsc_options *o, struct wsc_ui *ui)
{
	char	err[256];

	/* --jsonl writes for programs: no prompt on stdout. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || o->jsonl)
		return -1;
	if (wsc_tty_init(t, o, ui, err, sizeof err) == 0)
		return 0;
	fprintf(stderr, "wsc: no interactive prompt: %s\n", err);
	return -1;
}

/* -l with --forward or --run: every client has a side of its own. */
struct own_sides {
	const struct wsc_options	*o;
	struct wsc_stream_target	 t;	/* --forward's */
	struct wsc_ui			*notes;
};

/* A new connection to --forward's target, or --run's program. */
static int
own_side(void *ctx, const struct wsc_client_info *ci, struct wsc_sink *k,
    struct wsc_ui *ui, char *err, size_t errlen)
{
	struct own_sides	*f = ctx;

	if (f->o->run != NULL)
		return wsc_run_side_new(f->o, ci, f->notes, ui, err, errlen);
	if (wsc_stream_side_new(&f->t, ci->id, f->notes, k, ui) == 0)
		return 0;
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* Gets ready for the sides: --forward's target resolved, or SIGCHLD
 * watched for --run's programs. Returns 0, or an exit status (said). */
static int
own_sides_init(struct own_sides *f, const struct wsc_options *o)
{
	char	err[256];
	int	st;

	memset(f, 0, sizeof *f);
	f->o = o;
	if (o->run != NULL) {
		if (wsc_signals_watch_children() == 0)
			return 0;
		fprintf(stderr, "wsc: cannot set up: %s\n", strerror(errno));
		return WSC_EXIT_ABNORMAL;
	}
	if ((st = wsc_stream_target_init(&f->t, o->forward, o->family, err,
	    sizeof err)) != 0)
		fprintf(stderr, "wsc: %s%s\n", st == WSC_EXIT_USAGE ? "" :
		    "--forward: ", err);
	f->t.connect_ms = o->connect_timeout_ms;
	return st;
}

/* Listen mode with a side of its own for each client; the piped side
 * only shows the status lines. */
static int
run_own_sides(const struct wsc_options *o)
{
	struct wsc_side_factory	 fac;
	struct own_sides	 f;
	struct wsc_pipe		 p;
	struct wsc_ui		 ui;
	int			 st;

	if ((st = own_sides_init(&f, o)) != 0)
		return st;
	memset(&ui, 0, sizeof ui);
	wsc_pipe_init(&p, o, &ui);
	f.notes = &ui;
	fac.make = own_side;
	fac.ctx = &f;
	st = wsc_server_run_sides(o, &ui, 0, &fac);
	wsc_pipe_free(&p);
	wsc_stream_target_free(&f.t);
	return st;
}

/* Runs listen mode with the terminal or the piped user side, as
 * run_client chooses. The piped one takes "/to N text" lines with --slash
 * itself; the terminal's slash commands include /to. */
static int
run_server(const struct wsc_options *o)
{
	struct wsc_pipe	p;
	struct wsc_tty	t;
	struct wsc_ui	ui;
	int		st;

	if ((st = listen_conflict(o)) != 0)
		return st;
	if (o->forward != NULL || o->run != NULL)
		return run_own_sides(o);
	memset(&ui, 0, sizeof ui);
	if (open_tty(&t, o, &ui) == 0) {
		st = wsc_server_run(o, &ui, 0);
		wsc_tty_free(&t);
		return st;
	}
	wsc_pipe_init(&p, o, &ui);
	st = wsc_server_run(o, &ui, o->slash);
	wsc_pipe_free(&p);
	return st;
}

/* Runs a client session with --run's program as its side (wsc(1),
 * --run): stdin and stdout are not used. */
static int
run_program(const struct wsc_options *o)
{
	struct wsc_procside	ps;
	struct wsc_ui		ui;
	int			st;

	memset(&ui, 0, sizeof ui);
	wsc_procside_init(&ps, o, o->run, NULL, &ui);
	st = wsc_session_run(o, &ui);
	wsc_procside_free(&ps);
	return st;
}

/* --raw: a client session whose side is stdin and stdout as bytes. */
static int
run_raw(const struct wsc_options *o)
{
	struct wsc_raw	s;
	struct wsc_ui	ui;
	int		st, in = wsc_tty_nonblocking(STDIN_FILENO);

	wsc_raw_init(&s, o, in, STDOUT_FILENO, NULL, &ui);
	st = wsc_session_run(o, &ui);
	wsc_raw_free(&s);
	if (in != STDIN_FILENO)
		close(in);
	return st;
}

/* Runs a client session: a readline prompt when a person is at a
 * terminal, otherwise the piped user side (--raw: bytes; --tunnel: one
 * session per TCP connection). */
static int
run_client(const struct wsc_options *o)
{
	struct wsc_pipe	p;
	struct wsc_tty	t;
	struct wsc_ui	ui;
	int		st;

	if (o->run != NULL)
		return run_program(o);
	if (o->tunnel != NULL)
		return wsc_tunnel_run(o);
	if (o->raw)
		return run_raw(o);
	memset(&ui, 0, sizeof ui);
	if (open_tty(&t, o, &ui) == 0) {
		st = wsc_session_run(o, &ui);
		wsc_tty_free(&t);
		return st;
	}
	wsc_pipe_init(&p, o, &ui);
	st = wsc_session_run(o, &ui);
	wsc_pipe_free(&p);
	return st;
}

/* Opens /dev/null on each of fds 0-2 that is closed. Started with them
 * closed (`wsc URL <&- >&- 2>&-`), the socket would become one of them and
 * status lines meant for stderr would go into the frame stream. Returns 0,
 * or -1 when one cannot be opened (there is nowhere to say so). One poll()
 * finds the closed ones (POLLNVAL): every run pays for this check. */
static int
std_fds_open(void)
{
	struct pollfd	pfd[3];
	int		fd, nfd, r;

	for (fd = 0; fd <= 2; fd++) {
		pfd[fd].fd = fd;
		pfd[fd].events = 0;
		pfd[fd].revents = 0;
	}
	if ((r = poll(pfd, 3, 0)) == 0)
		return 0;
	for (fd = 0; fd <= 2; fd++) {
		if (r > 0 ? !(pfd[fd].revents & POLLNVAL) :
		    fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* The lower ones are open now: open() takes the lowest free. */
		nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (nfd != fd) {
			if (nfd != -1)
				close(nfd);
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct wsc_options	o;
	int			st;

	if (std_fds_open() != 0)
		return WSC_EXIT_ABNORMAL;
	/* A closed peer or pipe must give EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if ((st = wsc_options_parse(&o, argc, argv)) == -1)
		st = o.listen_port != NULL ? run_server(&o) : run_client(&o);
	wsc_options_free(&o);
	wsc_rng_free_global();
	return st;
}
