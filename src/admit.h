/* Admission control for listen mode: which connection still in its
 * opening handshake gives way when every handshake slot is taken, and how
 * much memory a client's unfinished incoming message holds (the total is
 * bounded by --memory-budget, see wsc(1) LISTEN MODE). */
#ifndef WSC_ADMIT_H
#define WSC_ADMIT_H

#include <stddef.h>
#include <stdint.h>

#include "ws.h"

/* One connection in the opening handshake. */
struct wsc_admit_entry {
	const char	*addr;		/* "host:port" or "[v6 host]:port" */
	int64_t		 since;		/* when it connected */
	int		 fresh;		/* not to be evicted yet (unread, young) */
	size_t		 index;		/* the caller's, returned as is */
};

/* Chooses the handshake to evict when a connection waits for a slot: the
 * oldest one of the host holding the most slots (so one host's flood
 * evicts its own connections first; with every host holding one, the
 * oldest of all goes), but never a fresh one: NULL when that host's are
 * all fresh (the caller tries again once they have been read), or when n
 * is 0. Sorts v in place. */
const struct wsc_admit_entry *wsc_admit_victim(struct wsc_admit_entry *v,
	    size_t n);

/* The bytes a connection's unfinished incoming message holds, or has
 * announced in the header of the frame being received: charged to the
 * memory budget as soon as the header arrives, before it is buffered. */
uint64_t wsc_admit_held(const struct wsc_ws *ws);

/* Is a message (or a frame) partly received? */
int	 wsc_admit_partial(const struct wsc_ws *ws);

#endif
