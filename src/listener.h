/* Listen mode's listening socket: a TCP port on an address literal or a
 * Unix domain socket (-l unix:PATH), accepting non-blocking, close-on-exec
 * connections, and the descriptor limit that as many clients as
 * --max-clients need. No printing: errors come back as text and an exit
 * status. */
#ifndef WSC_LISTENER_H
#define WSC_LISTENER_H

#include <stddef.h>
#include <sys/types.h>

#define WSC_LISTENER_UNIX	"unix:"	/* -l unix:PATH */
/* Room for what it listens on, for messages: "[v6 address]:port" or
 * "unix:" and a socket path (sockaddr_un has room for 108 bytes). */
#define WSC_LISTENER_WHERE	128

struct wsc_listener {
	int	fd;				/* -1: closed */
	int	is_unix;
	char	where[WSC_LISTENER_WHERE];	/* what it listens on */
	dev_t	dev;				/* the socket file made, */
	ino_t	ino;				/* removed at close if still ours */
};

/* Opens the listening socket for spec: a port on addr (an IPv4 or IPv6
 * literal, brackets allowed; NULL: 127.0.0.1), or "unix:PATH" (addr
 * unused). A socket file left at PATH by a server that is gone is
 * replaced; one that a server listens on, or a file that is not a socket,
 * is not touched (wsc(1), LISTEN MODE). Returns 0, or -1 with the reason
 * in err and the exit status in *st (2: addr is no literal, 3: cannot
 * listen). */
int	 wsc_listener_open(struct wsc_listener *l, const char *spec,
	    const char *addr, char *err, size_t errlen, int *st);
/* Accepts one waiting connection (non-blocking, close-on-exec) and writes
 * the client's address into out ("127.0.0.1:41234"; "unix" for a Unix
 * socket's client, which has none). Returns its fd, or -1 with errno
 * (EAGAIN: none waiting). */
int	 wsc_listener_accept(struct wsc_listener *l, char *out,
	    size_t outlen);
/* Closes the socket and removes the socket file it made, unless another
 * file has taken its place since; safe twice. */
void	 wsc_listener_close(struct wsc_listener *l);
/* Every client and every handshake holds a descriptor: raises the soft
 * limit to what max_clients needs where the hard limit allows, and
 * returns how many connections may be in the handshake at once. */
unsigned wsc_listener_fit_descriptors(unsigned max_clients);

#endif
