/* Listen mode's listening socket: a TCP port on an address literal,
 * accepting non-blocking, close-on-exec connections, and the descriptor
 * limit that as many clients as --max-clients need. No printing: errors
 * come back as text and an exit status. */
#ifndef WSC_LISTENER_H
#define WSC_LISTENER_H

#include <stddef.h>

#define WSC_LISTENER_WHERE	64	/* "[v6 address]:port", for messages */

struct wsc_listener {
	int	fd;				/* -1: closed */
	char	where[WSC_LISTENER_WHERE];	/* what it listens on */
};

/* Opens the listening socket for port on addr (an IPv4 or IPv6 literal,
 * brackets allowed; NULL: 127.0.0.1). Returns 0, or -1 with the reason in
 * err and the exit status in *st (2: addr is no literal, 3: cannot
 * listen). */
int	 wsc_listener_open(struct wsc_listener *l, const char *port,
	    const char *addr, char *err, size_t errlen, int *st);
/* Accepts one waiting connection (non-blocking, close-on-exec) and writes
 * the client's address into out ("127.0.0.1:41234"). Returns its fd, or
 * -1 with errno (EAGAIN: none waiting). */
int	 wsc_listener_accept(struct wsc_listener *l, char *out,
	    size_t outlen);
/* Closes the socket; safe twice. */
void	 wsc_listener_close(struct wsc_listener *l);
/* Every client and every handshake holds a descriptor: raises the soft
 * limit to what max_clients needs where the hard limit allows, and
 * returns how many connections may be in the handshake at once. */
unsigned wsc_listener_fit_descriptors(unsigned max_clients);

#endif
