/* wsc: parse the command line, run the session, exit with its status. */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include "options.h"
#include "rng.h"
#include "session.h"

int
main(int argc, char **argv)
{
	struct wsc_options	o;
	int			st;

	/* A closed peer or pipe must give EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if ((st = wsc_options_parse(&o, argc, argv)) == -1)
		st = wsc_session_run(&o);
	wsc_options_free(&o);
	wsc_rng_free_global();
	return st;
}
