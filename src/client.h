/* Opening a client connection: resolve, connect, (TLS,) send the Upgrade
 * request and check the answer. Blocking, bounded by --connect-timeout. */
#ifndef WSC_CLIENT_H
#define WSC_CLIENT_H

#include <stddef.h>

#include "conn.h"
#include "options.h"
#include "ui.h"
#include "url.h"
#include "ws.h"

struct wsc_client {
	struct wsc_url	 url;
	struct wsc_conn	 conn;
	char		*protocol;	/* negotiated subprotocol, or NULL */
	char		*extensions;	/* negotiated extensions, or NULL */
	char		*refusal;	/* lines explaining a refused
					   handshake (refusal.h), or NULL */
	int		 connected;
};

/* Connects as the options say and leaves the opened connection in c and
 * any bytes that followed the 101 response in ws. -v's lines and the
 * "Redirected to" status go to ui as notices. Returns 0, or an exit
 * status (3, 4 or 5) with a one-line reason in err. */
int	 wsc_client_open(struct wsc_client *c, const struct wsc_options *o,
	    struct wsc_ws *ws, const struct wsc_ui *ui, char *err,
	    size_t errlen);
void	 wsc_client_close(struct wsc_client *c);

#endif
