/* The program side of one listen-mode client (wsc(1), -l PORT --run CMD):
 * the program side (procside.h) started at once with the client's
 * CGI-style environment (cgienv.h), which winds down without blocking the
 * server once the client's WebSocket is over. */
#ifndef WSC_RUNSIDE_H
#define WSC_RUNSIDE_H

#include <stddef.h>

#include "options.h"
#include "side.h"

/* Starts CMD (o->run) for client ci as the side ui, its notices through
 * notes. Returns 0, or -1 with the reason in err (the
 * program could not be started). SIGCHLD must be watched
 * (wsc_signals_watch_children) before. */
int	 wsc_run_side_new(const struct wsc_options *o,
	    const struct wsc_client_info *ci, struct wsc_ui *notes,
	    struct wsc_ui *ui, char *err, size_t errlen);

#endif
