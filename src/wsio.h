/* Moving bytes between a protocol core (ws.h) and its transport (conn.h):
 * the read and write loops the client session and listen mode share. */
#ifndef WSC_WSIO_H
#define WSC_WSIO_H

#include "conn.h"
#include "ws.h"

#define WSC_WSIO_AGAIN	0	/* everything possible was done; poll again */
#define WSC_WSIO_EOF	1	/* the peer closed the stream */
#define WSC_WSIO_ERROR	(-1)	/* reason in c->err */

/* Called for every event decoded. */
typedef void (*wsc_wsio_event_fn)(void *ctx, const struct wsc_event *ev);

/* Hands fn every event in what ws holds already (e.g. the bytes that came
 * with the 101 answer). */
void	 wsc_wsio_drain(struct wsc_ws *ws, wsc_wsio_event_fn fn, void *ctx);
/* Reads what c has (and what TLS holds decrypted) into ws, calling fn for
 * every event. Returns one of the WSC_WSIO_ codes. */
int	 wsc_wsio_read(struct wsc_ws *ws, struct wsc_conn *c,
	    wsc_wsio_event_fn fn, void *ctx);
/* Writes ws's outbound queue to c until it would block or is empty.
 * Returns WSC_WSIO_AGAIN or WSC_WSIO_ERROR. */
int	 wsc_wsio_write(struct wsc_ws *ws, struct wsc_conn *c);

#endif
