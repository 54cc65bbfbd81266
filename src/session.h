/* The session: one poll() loop over stdin, the connection and timers. */
#ifndef WSC_SESSION_H
#define WSC_SESSION_H

#include "options.h"

/* Runs a client session as the options say; returns the exit status. */
int	 wsc_session_run(const struct wsc_options *o);

#endif
