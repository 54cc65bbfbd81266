/* Admission control for listen mode: which connection still in its
 * opening handshake gives way when every handshake slot is taken, and how
 * much memory a client's unfinished incoming message holds (the total is
 * bounded by --max-memory, see wsc(1) LISTEN MODE). */
#ifndef WSC_ADMIT_H
#define WSC_ADMIT_H

#include <stddef.h>
#include <stdint.h>

#include "ws.h"

/* One connection in the opening handshake. */
struct wsc_admit_entry {
	const char	*addr;		/* "host:port" or "[v6 host]:port" */
	int64_t		 since;		/* when it connected */
	size_t		 index;		/* the caller's, returned as is */
};

/* Chooses the handshake to evict so that a connection from newcomer (an
 * address written like the entries') can be taken in: the oldest one of
 * the host holding the most slots, the newcomer counted with its own host
 * (so one host's flood evicts its own connections first; with every host
 * holding one, the oldest of all goes). Sorts v in place. Returns the
 * chosen entry, NULL when n is 0. */
const struct wsc_admit_entry *wsc_admit_victim(struct wsc_admit_entry *v,
	    size_t n, const char *newcomer);

/* The bytes a connection's unfinished incoming message holds, or has
 * announced in the header of the frame being received: charged to the
 * memory budget as soon as the header arrives, before it is buffered. */
uint64_t wsc_admit_held(const struct wsc_ws *ws);

/* Is a message (or a frame) partly received? */
int	 wsc_admit_partial(const struct wsc_ws *ws);

#endif
