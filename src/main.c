/* wsc: parse the command line, run the session, exit with its status. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "options.h"
#include "pipe.h"
#include "rng.h"
#include "session.h"
#include "tty.h"

/* Options that this build parses but does not implement yet. */
static int
unsupported(const struct wsc_options *o)
{
	const char	*what = NULL;

	if (o->listen_port != NULL)
		what = "-l";
	if (what == NULL)
		return 0;
	fprintf(stderr, "wsc: %s is not implemented yet\n", what);
	return WSC_EXIT_USAGE;
}

/* Runs a client session: a readline prompt when a person is at a
 * terminal (stdin and stdout both; PITFALLS.md: readline on piped stdin
 * still writes to stdout), otherwise the piped user side. */
static int
run_client(const struct wsc_options *o)
{
	struct wsc_pipe	p;
	struct wsc_tty	t;
	struct wsc_ui	ui;
	int		st;

	memset(&ui, 0, sizeof ui);
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		wsc_tty_init(&t, o, &ui);
		st = wsc_session_run(o, &ui);
		wsc_tty_free(&t);
		return st;
	}
	wsc_pipe_init(&p, o, &ui);
	st = wsc_session_run(o, &ui);
	wsc_pipe_free(&p);
	return st;
}

int
main(int argc, char **argv)
{
	struct wsc_options	o;
	int			st;

	/* A closed peer or pipe must give EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if ((st = wsc_options_parse(&o, argc, argv)) == -1 &&
	    (st = unsupported(&o)) == 0)
		st = run_client(&o);
	wsc_options_free(&o);
	wsc_rng_free_global();
	return st;
}
