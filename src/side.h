/* Sides of their own for listen mode's clients (wsc(1), LISTEN MODE:
 * --forward, --run): what the server tells the code that makes one about
 * its client, and the factory it calls once a client's opening handshake
 * is done (doc/architecture.md, Sides). */
#ifndef WSC_SIDE_H
#define WSC_SIDE_H

#include <stddef.h>

#include "ui.h"

struct wsc_hs_header;
struct wsc_sink;

/* One client, as its side may want to know it (a program's CGI-style
 * environment). The pointers are valid during the factory's call only. */
struct wsc_client_info {
	unsigned			 id;		/* its number: 1, 2, ... */
	const char			*addr;		/* "127.0.0.1:5000", "[::1]:5000" */
	const char			*remote_addr;	/* without the port or brackets */
	const char			*remote_port;	/* "5000" */
	const char			*server_port;	/* -l PORT */
	int				 tls;		/* served over wss */
	const char			*uri;		/* the request target as sent */
	const char			*path;		/* without the query */
	const char			*query;		/* after '?'; "": none */
	const char			*protocol;	/* the subprotocol; NULL: none */
	const char			*subject;	/* its certificate's (--ca);
							   NULL: none */
	const struct wsc_hs_header	*headers;	/* the request's, in order */
	size_t				 nheaders;
};

struct wsc_side_factory {
	/* Fills *ui with client ci's side, which sends through k (k lives as
	 * long as the side). Returns 0, or -1 with a one-line reason in err
	 * (the client is then closed with 1011). */
	int	(*make)(void *ctx, const struct wsc_client_info *ci,
		    struct wsc_sink *k, struct wsc_ui *ui, char *err,
		    size_t errlen);
	void	*ctx;
};

#endif
