/* The client session: one poll() loop over the user side (stdin or the
 * terminal), the connection, a signal pipe and timers; heartbeat and
 * reconnect live here too. */
#ifndef WSC_SESSION_H
#define WSC_SESSION_H

#include "options.h"
#include "ui.h"

/* Runs a client session with ui as its side; returns the exit status. The
 * side sends through the session's sink (sink.h): while disconnected (with
 * --reconnect) messages are kept and sent after reconnecting. */
int	 wsc_session_run(const struct wsc_options *o, struct wsc_ui *ui);

#endif
