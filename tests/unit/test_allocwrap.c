/* Unit tests for the start-up arena's malloc, calloc, realloc and free
 * (src/allocwrap.c), in a program linked with the linker's --wrap as
 * configure --enable-startup-arena links wsc: the arena first, zeroed
 * blocks from calloc either way, blocks that move with realloc keeping
 * their bytes, the C library's allocator once the arena is full, and an
 * abort for a double or invalid free of an arena block. The cases share
 * one arena, in this order; the aborts run in a child each. Prints TAP. */
#include "config.h"

#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "arena.h"

static int	ntests, nfailed;

static void
ok(int cond, const char *name)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++ntests, name);
	nfailed += !cond;
}

/* Whether all n bytes at p are c. */
static int
all(const void *p, int c, size_t n)
{
	const unsigned char	*b = p;

	while (n > 0)
		if (b[--n] != (unsigned char)c)
			return 0;
	return 1;
}

/* Writes c over n bytes at p where the compiler cannot drop the writes as
 * dead (a block freed next). */
static void
scribble(void *p, int c, size_t n)
{
	volatile unsigned char	*v = p;

	while (n > 0)
		v[--n] = (unsigned char)c;
}

/* Whether free(p) in a child aborts it. p comes as a number: the compiler
 * knows that a block freed or moved by realloc is not to be freed again,
 * which is the point here. */
static int
free_aborts(uintptr_t p)
{
	pid_t	pid;
	int	st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		free((void *)p);
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGABRT;
}

/* While the arena has room: the blocks are its, and realloc moves them. */
static void
arena_first(void)
{
	unsigned char	*p = malloc(24), *q = calloc(4, 8), *r, *r2, *r3;
	volatile size_t	 half = SIZE_MAX / 2;
	void		*huge;
	uintptr_t	 was;

	if (p != NULL)
		memset(p, 'p', 24);
	ok(p != NULL && wsc_arena_owns(p) &&
	    (uintptr_t)p % alignof(max_align_t) == 0, "malloc: the arena's");
	ok(q != NULL && wsc_arena_owns(q) && all(q, 0, 32), "calloc: the arena's, zero");
	errno = 0;
	huge = calloc(half, 3);
	ok(huge == NULL && errno == ENOMEM,
	    "calloc: a size that overflows is ENOMEM");
	r = realloc(NULL, 256);
	ok(r != NULL && wsc_arena_owns(r), "realloc of NULL: the arena's");
	memset(r, 'a', 256);
	was = (uintptr_t)r;
	r2 = realloc(r, 512);
	ok(r2 != NULL && r2 != r && wsc_arena_owns(r2) && all(r2, 'a', 256),
	    "realloc: moved within the arena, its bytes kept");
	ok(free_aborts(was), "free of a block realloc moved: abort");
	ok(free_aborts((uintptr_t)p + 8), "free inside a block: abort");
	r3 = realloc(r2, WSC_ARENA_SIZE + 1);
	ok(r3 != NULL && !wsc_arena_owns(r3) && all(r3, 'a', 256),
	    "realloc beyond the arena's room: the C library's, its bytes kept");
	free(r3);
	was = (uintptr_t)p;
	free(p);
	ok(free_aborts(was), "double free: abort");
	free(q);
}

/* Once the arena is full, everything is the C library's. */
static void
arena_full(void)
{
	unsigned char	*p, *q, *z = malloc(0);
	size_t		 n = 0;

	ok(z != NULL && !wsc_arena_owns(z), "malloc(0): the C library's");
	free(z);
	while ((p = malloc(1)) != NULL && wsc_arena_owns(p) && n < WSC_ARENA_BLOCKS)
		n++;
	ok(p != NULL && !wsc_arena_owns(p) && n < WSC_ARENA_BLOCKS,
	    "once the arena is full: the C library's");
	free(p);
	/* A block the C library hands out again: calloc must clear it. */
	if ((p = malloc(1000)) != NULL)
		scribble(p, 0xff, 1000);
	free(p);
	q = calloc(1000, 1);
	ok(q != NULL && !wsc_arena_owns(q) && all(q, 0, 1000),
	    "calloc from the C library: zero");
	memset(q, 'b', 1000);
	q = realloc(q, 100000);
	ok(q != NULL && all(q, 'b', 1000), "realloc of the C library's block");
	free(q);
	free(NULL);
}

int
main(void)
{
	arena_first();
	arena_full();
	printf("1..%d\n", ntests);
	return nfailed == 0 ? 0 : 1;
}
