/* malloc, calloc, realloc and free for a build linked with the linker's
 * --wrap of each (configure --enable-startup-arena, a static link only):
 * the start-up arena first (src/arena.h), then the C library's allocator,
 * reached as __real_NAME. Every call to these names in the program, the C
 * library and mbedTLS comes here, so a block always returns to the
 * allocator it came from. The __wrap_ and __real_ names are the linker's. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

void	*__real_malloc(size_t);
void	*__real_realloc(void *, size_t);
void	 __real_free(void *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	 __wrap_free(void *);

void *
__wrap_malloc(size_t n)
{
	void	*p = wsc_arena_alloc(n);

	return p != NULL ? p : __real_malloc(n);
}

/* The arena's blocks are zero, never having been used. Not the C
 * library's calloc: it calls malloc, which is this file's, then asks its
 * own allocator whether the block is already zero. */
void *
__wrap_calloc(size_t m, size_t n)
{
	void	*p;

	if (n != 0 && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = wsc_arena_alloc(m * n)) != NULL)
		return p;
	if ((p = __real_malloc(m * n)) != NULL)
		memset(p, 0, m * n);
	return p;
}

/* A block of the arena moves, into the arena while it has room. */
void *
__wrap_realloc(void *p, size_t n)
{
	void	*q;
	size_t	 old;

	if (p == NULL)
		return __wrap_malloc(n);
	if (!wsc_arena_owns(p))
		return __real_realloc(p, n);
	old = wsc_arena_size(p);
	if ((q = __wrap_malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	wsc_arena_free(p);
	return q;
}

void
__wrap_free(void *p)
{
	if (wsc_arena_owns(p))
		wsc_arena_free(p);
	else
		__real_free(p);
}
