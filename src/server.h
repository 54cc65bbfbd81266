/* Listen mode (wsc -l PORT): a small WebSocket server for testing clients
 * by hand. One poll() loop over the listening socket, every client, the
 * user side (through ui.h, as the client session does) and a signal pipe.
 * RFC 6455 server side: the opening handshake of section 4.2, unmasked
 * frames out, masked frames required in (ws.c in the server role). */
#ifndef WSC_SERVER_H
#define WSC_SERVER_H

#include <stddef.h>

#include "options.h"
#include "ui.h"

struct wsc_server;

/* Runs the server with ui as its user side until Ctrl+C, SIGTERM or
 * wsc_server_close; returns the exit status (0, or 3 when the port cannot
 * be listened on). When route_to is set, a text line from the ui that
 * starts with "/to N " goes to client N only (the piped ui with --slash; a
 * terminal ui parses /to itself and calls wsc_server_send_to).
 *
 * The ui's on_input receives a struct wsc_session handle: the
 * wsc_session_send/input_done/close calls the ui already makes reach the
 * server through it, and wsc_session_server() returns the server for the
 * calls below. ui->message gets the client's number when more than one
 * client is connected, 0 otherwise (wsc(1), LISTEN
 * MODE: "< [2] text" only then). */
int	 wsc_server_run(const struct wsc_options *o, struct wsc_ui *ui,
	    int route_to);

/* Queues a message (text or binary), ping or pong for client n, or for
 * every connected client when n is 0. With no client connected, messages
 * for all are kept (bounded) and sent to the next client that connects.
 * Returns 0, or -1 when client n is not connected or nothing can be kept
 * (the reason is shown through the ui). */
int	 wsc_server_send_to(struct wsc_server *srv, unsigned n, int opcode,
	    const void *p, size_t len);
/* A message from the ui's input, for session.c's wsc_session_send: with
 * route_to, "/to N text" goes to client N; anything else as
 * wsc_server_send_to(srv, 0, ...). */
int	 wsc_server_send_input(struct wsc_server *srv, int opcode,
	    const void *p, size_t len);
/* The user's input has ended: stop reading it; the server goes on. */
void	 wsc_server_input_done(struct wsc_server *srv);
/* Closes client n with code (0: no status) and reason, or, when n is 0,
 * every client, and then ends the server (/quit). */
void	 wsc_server_close(struct wsc_server *srv, unsigned n, unsigned code,
	    const char *reason);
/* How many clients are connected (handshake done, not yet closed). */
unsigned wsc_server_clients(const struct wsc_server *srv);

#endif
