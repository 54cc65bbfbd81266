/* A TCP or Unix stream socket as a WebSocket's side (wsc(1), --forward):
 * every message's payload is written to it through a bounded queue, every
 * chunk read from it is sent as a binary message. */
#ifndef WSC_STREAM_H
#define WSC_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ui.h"

struct addrinfo;
struct wsc_sink;

/* Where the sides connect: HOST:PORT, resolved once, or unix:PATH. */
struct wsc_stream_target {
	char			 name[300];	/* as given, for messages */
	struct addrinfo		*ai;		/* TCP: every address */
	struct sockaddr_un	 un;		/* unix:PATH */
	int			 is_unix;
	int64_t			 connect_ms;	/* a connect's limit; 0: none */
};

/* Parses spec (HOST:PORT, [IPV6]:PORT or unix:PATH) and resolves the host
 * (family: 0, 4 or 6). Returns 0, or an exit status with a reason in err:
 * 2 for a spec that is not one of those, 3 when the host does not
 * resolve. */
int	 wsc_stream_target_init(struct wsc_stream_target *t, const char *spec,
	    int family, char *err, size_t errlen);
void	 wsc_stream_target_free(struct wsc_stream_target *t);

/* Makes ui a new side connected (without waiting) to t, for client id;
 * it sends through k and says what happens through notes. A target that
 * cannot be reached closes the client with 1011 and one status line.
 * The side's finish frees it. Returns 0, or -1 out of memory. */
int	 wsc_stream_side_new(const struct wsc_stream_target *t, unsigned id,
	    const struct wsc_ui *notes, struct wsc_sink *k, struct wsc_ui *ui);

#endif
