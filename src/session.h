/* The client session: one poll() loop over the user side (stdin or the
 * terminal), the connection, a signal pipe and timers; heartbeat and
 * reconnect live here too. */
#ifndef WSC_SESSION_H
#define WSC_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "ui.h"

struct wsc_session;
struct wsc_server;

/* Runs a client session with ui as its user side; returns the exit status. */
int	 wsc_session_run(const struct wsc_options *o, struct wsc_ui *ui);

/* For the ui: queues a message, ping or pong. While disconnected (with
 * --reconnect) messages are kept and sent after reconnecting. Returns 0, or
 * -1 when nothing can be sent any more (closing). */
int	 wsc_session_send(struct wsc_session *s, int opcode, const void *p,
	    size_t n);
/* For the ui: sends a ping with the user's data (/ping, at most 125
 * bytes); with -P its pong is shown with the round-trip time. Returns 0 or
 * -1 when it cannot be sent (too long, disconnected, closing). */
int	 wsc_session_ping(struct wsc_session *s, const void *p, size_t n);
/* For the ui: the user's input has ended (EOF, Ctrl+D). */
void	 wsc_session_input_done(struct wsc_session *s);
/* For the ui: close now with code (0: none) and reason (/close, /quit). */
void	 wsc_session_close(struct wsc_session *s, unsigned code,
	    const char *reason);

/* The connection as the browser API describes it (/status). */
struct wsc_session_stats {
	int		 ready_state;	/* 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED */
	const char	*protocol;	/* negotiated; NULL: none */
	const char	*extensions;
	size_t		 buffered;	/* bufferedAmount: queued, not written */
	uint64_t	 msgs_in, bytes_in, msgs_out, bytes_out;
	int64_t		 last_rtt_us;	/* the last pong's round trip; 0: none */
};

/* For the ui: fills st (client sessions only; its strings stay valid
 * until the connection ends). */
void	 wsc_session_status(struct wsc_session *s, struct wsc_session_stats *st);

/* Listen mode: the handle server.c gives the ui, through which the calls
 * above reach srv (broadcast, end of input, close every client). */
struct wsc_session *wsc_session_listen_handle(struct wsc_server *srv);
/* For the ui: the server behind s in listen mode (for /to N, see
 * server.h), or NULL in a client session. */
struct wsc_server *wsc_session_server(struct wsc_session *s);

#endif
