/* The start-up arena: a run's first allocations served from static
 * storage, so that a short run of a static build never sets up the C
 * library's allocator (doc/decisions.md, "The start-up arena"). A block
 * is never handed out twice: a freed block stays unused, the arena keeps
 * its records beside the blocks, not in them, and a double or invalid
 * free aborts, as musl's allocator does. It is wired in as malloc, calloc,
 * realloc and free by allocwrap.c (configure --enable-startup-arena). */
#ifndef WSC_ARENA_H
#define WSC_ARENA_H

#include <stddef.h>

/* The connection's input buffer (WSC_WS_READ_CHUNK, ws.h: test_arena
 * checks that it fits) and the small blocks of a short run. */
#define WSC_ARENA_SIZE	((256 + 16) * 1024)
/* How many blocks the arena hands out before it leaves everything to
 * malloc. */
#define WSC_ARENA_BLOCKS	64

/* A block of n bytes, zeroed and aligned for any object; NULL when the
 * arena has no room for it (or n is 0): the caller goes to malloc. */
void	*wsc_arena_alloc(size_t n);
/* Whether p lies in the arena (NULL does not). */
int	 wsc_arena_owns(const void *p);
/* The size asked for the live block at p; aborts when p is not one. */
size_t	 wsc_arena_size(const void *p);
/* Marks the live block at p freed; aborts when p is not one. */
void	 wsc_arena_free(void *p);

#endif
