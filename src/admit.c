/* Admission control for listen mode: eviction of slow handshakes by host
 * share, and what an unfinished message costs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admit.h"

/* The host part's length: up to the last ':' (the port's). */
static size_t
host_len(const char *addr)
{
	const char	*colon = strrchr(addr, ':');

	return colon != NULL ? (size_t)(colon - addr) : strlen(addr);
}

/* Do two addresses name the same host? */
static int
same_host(const char *a, const char *b)
{
	size_t	la = host_len(a);

	return la == host_len(b) && memcmp(a, b, la) == 0;
}

/* qsort order: by host, then oldest first, then the caller's order. */
static int
cmp_entry(const void *pa, const void *pb)
{
	const struct wsc_admit_entry	*a = pa, *b = pb;
	size_t				 la = host_len(a->addr);
	size_t				 lb = host_len(b->addr);
	int				 r;

	r = memcmp(a->addr, b->addr, la < lb ? la : lb);
	if (r != 0 || la != lb)
		return r != 0 ? r : (la < lb ? -1 : 1);
	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

const struct wsc_admit_entry *
wsc_admit_victim(struct wsc_admit_entry *v, size_t n)
{
	const struct wsc_admit_entry	*best = NULL;
	size_t				 i = 0, j, nbest = 0;

	if (n == 0)
		return NULL;
	qsort(v, n, sizeof *v, cmp_entry);
	while (i < n) {
		for (j = i + 1; j < n && same_host(v[i].addr, v[j].addr); j++)
			;
		/* More slots first; on a tie the older connection. */
		if (best == NULL || j - i > nbest ||
		    (j - i == nbest && v[i].since < best->since)) {
			best = &v[i];
			nbest = j - i;
		}
		i = j;
	}
	/* Its oldest that has been read (they are in age order). */
	for (i = 0; i < nbest; i++)
		if (!best[i].fresh)
			return &best[i];
	return NULL;
}

uint64_t
wsc_admit_held(const struct wsc_ws *ws)
{
	uint64_t	held = wsc_buf_used(&ws->in) + wsc_buf_used(&ws->msg);

	/* A data frame's announced length is what it will take once it has
	 * arrived: counting it now refuses it before it is buffered. */
	if (ws->in_frame && ws->frame.opcode < WSC_OP_CLOSE &&
	    !ws->msg_compressed && ws->frame.len > ws->frame_got)
		held += ws->frame.len - ws->frame_got;
	return held;
}

int
wsc_admit_partial(const struct wsc_ws *ws)
{
	return ws->msg_opcode != 0 || ws->in_frame ||
	    wsc_buf_used(&ws->in) > 0;
}
