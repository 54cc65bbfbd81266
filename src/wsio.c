/* The read and write loops between a protocol core and its transport. */
#include "config.h"

#include <stdio.h>

#include "wsio.h"

void
wsc_wsio_drain(struct wsc_ws *ws, wsc_wsio_event_fn fn, void *ctx)
{
	struct wsc_event	ev;

	while (wsc_ws_next(ws, &ev) != WSC_EV_NONE)
		fn(ctx, &ev);
}

int
wsc_wsio_read(struct wsc_ws *ws, struct wsc_conn *c, wsc_wsio_event_fn fn,
    void *ctx)
{
	uint8_t			*dst;
	size_t			 avail;
	ssize_t			 r;

	/* TLS decrypts whole records: bytes can wait inside it while the
	 * socket has nothing, so read until it holds none (doc/pitfalls.md,
	 * poll() and TLS). */
	do {
		if ((dst = wsc_ws_read_space(ws, 0, &avail)) == NULL) {
			snprintf(c->err, sizeof c->err, "out of memory");
			return WSC_WSIO_ERROR;
		}
		r = wsc_conn_read(c, dst, avail);
		if (r == WSC_CONN_AGAIN)
			return WSC_WSIO_AGAIN;
		if (r == 0)
			return WSC_WSIO_EOF;
		if (r < 0)
			return WSC_WSIO_ERROR;
		wsc_ws_commit(ws, (size_t)r);
		wsc_wsio_drain(ws, fn, ctx);
	} while (wsc_conn_pending(c) > 0);
	return WSC_WSIO_AGAIN;
}

int
wsc_wsio_write(struct wsc_ws *ws, struct wsc_conn *c)
{
	ssize_t	r;

	while (wsc_ws_buffered(ws) > 0) {
		r = wsc_conn_write(c, wsc_ws_out_data(ws), wsc_ws_buffered(ws));
		if (r == WSC_CONN_AGAIN)
			break;
		if (r < 0)
			return WSC_WSIO_ERROR;
		wsc_ws_out_consume(ws, (size_t)r);
	}
	return WSC_WSIO_AGAIN;
}
