/* Random bytes from the kernel's CSPRNG (getrandom, or /dev/urandom
 * without it), read a block at a time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/random.h>
#endif

#include "rng.h"

/* One read serves 64 masking keys; larger requests (TLS key material)
 * bypass the block. */
#define RNG_BLOCK	256

struct wsc_rng {
	unsigned char	block[RNG_BLOCK];
	size_t		left;		/* unused bytes, at the block's end */
	int		ready;
};

static struct wsc_rng	global;

/* Reads len bytes from /dev/urandom; 0 or -1. */
static int
urandom(unsigned char *buf, size_t len)
{
	ssize_t	r;
	int	fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (len > 0) {
		if ((r = read(fd, buf, len)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf += r;
		len -= (size_t)r;
	}
	close(fd);
	return len == 0 ? 0 : -1;
}

/*
 * The kernel's generator is the source and the generator both: its output
 * is what a user-space DRBG would be seeded from, and as good as what one
 * would stretch it into. mbedTLS's CTR-DRBG cost a short run (S1 in
 * scripts/bench) 60,000 instructions to seed, the crypto library it lives
 * in 420,000 more to load; a ws:// run now needs neither.
 */
static int
system_random(unsigned char *buf, size_t len)
{
#ifdef __linux__
	ssize_t	r;

	while (len > 0) {
		if ((r = getrandom(buf, len, 0)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf += r;
		len -= (size_t)r;
	}
	if (len == 0)
		return 0;
#endif
	return urandom(buf, len);
}

struct wsc_rng *
wsc_rng_get(void)
{
	if (!global.ready) {
		if (system_random(global.block, sizeof global.block) != 0)
			return NULL;
		global.left = sizeof global.block;
		global.ready = 1;
	}
	return &global;
}

/* Hands out the block's bytes from its end and wipes them, so that the
 * block never holds a value already given out. */
int
wsc_rng_fill(void *ctx, unsigned char *buf, size_t len)
{
	struct wsc_rng	*r = ctx;

	if (r == NULL)
		return -1;
	if (len > RNG_BLOCK / 4)
		return system_random(buf, len);
	if (r->left < len) {
		if (system_random(r->block, sizeof r->block) != 0)
			return -1;
		r->left = sizeof r->block;
	}
	r->left -= len;
	memcpy(buf, r->block + r->left, len);
	memset(r->block + r->left, 0, len);
	return 0;
}

void
wsc_rng_free_global(void)
{
	memset(&global, 0, sizeof global);
}
