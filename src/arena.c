/* The start-up arena (src/arena.h): small blocks from the bottom, large
 * ones (the input buffer) from the top, so that a short run's small blocks
 * share a page or two and the input buffer touches only the pages its
 * bytes reach. */
#include "config.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"

/* From this size on a block comes from the top. */
#define LARGE		4096
#define ALIGN		alignof(max_align_t)

struct block {
	uint32_t	off;
	uint32_t	size;
	unsigned char	freed;
};

static alignas(max_align_t) unsigned char arena[WSC_ARENA_SIZE];
static struct block	blocks[WSC_ARENA_BLOCKS];
static size_t		nblocks;
static size_t		low;	/* bytes taken from the bottom */
static size_t		high;	/* and from the top */
/* A static build may still resolve names in a thread (getaddrinfo_a). */
static atomic_flag	lock = ATOMIC_FLAG_INIT;

static void
take_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
		;
}

static void
drop_lock(void)
{
	atomic_flag_clear_explicit(&lock, memory_order_release);
}

void *
wsc_arena_alloc(size_t n)
{
	size_t	 need = (n + ALIGN - 1) & ~(ALIGN - 1), off;
	void	*p = NULL;

	if (n == 0 || need < n)
		return NULL;
	take_lock();
	if (nblocks < WSC_ARENA_BLOCKS && need <= WSC_ARENA_SIZE - low - high) {
		if (n < LARGE) {
			off = low;
			low += need;
		} else {
			high += need;
			off = WSC_ARENA_SIZE - high;
		}
		blocks[nblocks++] = (struct block){ (uint32_t)off, (uint32_t)n, 0 };
		p = arena + off;
	}
	drop_lock();
	return p;
}

int
wsc_arena_owns(const void *p)
{
	return (uintptr_t)p - (uintptr_t)arena < WSC_ARENA_SIZE;
}

/* The live block at p; aborts when there is none (the lock held). */
static struct block *
live_block(const void *p)
{
	size_t	off = (uintptr_t)p - (uintptr_t)arena, i;

	for (i = 0; i < nblocks; i++)
		if (blocks[i].off == off) {
			if (blocks[i].freed)
				break;
			return &blocks[i];
		}
	abort();
}

size_t
wsc_arena_size(const void *p)
{
	size_t	n;

	take_lock();
	n = live_block(p)->size;
	drop_lock();
	return n;
}

void
wsc_arena_free(void *p)
{
	take_lock();
	live_block(p)->freed = 1;
	drop_lock();
}
