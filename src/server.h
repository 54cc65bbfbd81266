/* Listen mode (wsc -l PORT): a small WebSocket server for testing clients
 * by hand. One poll() loop over the listening socket, every client, the
 * user side (through ui.h, as the client session does) and a signal pipe.
 * RFC 6455 server side: the opening handshake of section 4.2, unmasked
 * frames out, masked frames required in (ws.c in the server role). */
#ifndef WSC_SERVER_H
#define WSC_SERVER_H

#include "options.h"
#include "ui.h"

struct wsc_server;

/* Runs the server with ui as its side until Ctrl+C, SIGTERM or the
 * side's close; returns the exit status (0, or 3 when the port cannot be
 * listened on). When route_to is set, a text line from the side that starts
 * with "/to N " goes to client N only (the piped side with --slash; the
 * terminal parses /to itself and calls the sink's send_to).
 *
 * The side's on_input gets the server's sink (sink.h, `many` set): send
 * goes to every connected client, send_to to one; with no client
 * connected, messages for all are kept (bounded) and sent to the next
 * client that connects. ui->message gets the client's number when more
 * than one client is connected, 0 otherwise (wsc(1), LISTEN MODE: "< [2]
 * text" only then). */
int	 wsc_server_run(const struct wsc_options *o, struct wsc_ui *ui,
	    int route_to);

struct wsc_side_factory;
/* The same, where each client gets a side of its own from factory once
 * its opening handshake is done (--forward, --run; side.h): its messages
 * go to that side, which sends to that client only, and ui is not read
 * (it still gets the status lines). The side's input ends: the client is
 * closed with 1000 after what is queued for it; the client ends: the side
 * winds down (ui.h) and is finished. A side that holds too much stops
 * its client being read, a client whose queue is long stops its side
 * being read. */
int	 wsc_server_run_sides(const struct wsc_options *o, struct wsc_ui *ui,
	    int route_to, const struct wsc_side_factory *factory);

#endif
