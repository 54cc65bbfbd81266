/* Random bytes from mbedTLS's CTR-DRBG, seeded once from the system. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/random.h>
#endif

#include <mbedtls/version.h>
#include <mbedtls/ctr_drbg.h>

#include "rng.h"

struct wsc_rng {
	mbedtls_ctr_drbg_context	drbg;
	int				seeded;
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
 * The seed comes straight from the kernel's CSPRNG (getrandom, or
 * /dev/urandom without it), which is also mbedTLS's own platform source.
 * mbedtls_entropy_init is avoided: where the library was built with
 * HAVEGE (Debian's 2.28) it spends a million instructions, a third of a
 * whole connect-echo-close (S1 in scripts/bench), on a timing-jitter
 * source that adds nothing to the kernel's and was removed in 3.0.
 */
static int
system_entropy(void *ctx, unsigned char *buf, size_t len)
{
	(void)ctx;
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
	return urandom(buf, len) == 0 ? 0 :
	    MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

struct wsc_rng *
wsc_rng_get(void)
{
	static const unsigned char	pers[] = "wsc";

	if (global.seeded)
		return &global;
	mbedtls_ctr_drbg_init(&global.drbg);
	if (mbedtls_ctr_drbg_seed(&global.drbg, system_entropy, NULL, pers,
	    sizeof pers - 1) != 0) {
		mbedtls_ctr_drbg_free(&global.drbg);
		return NULL;
	}
	global.seeded = 1;
	return &global;
}

/* CTR-DRBG hands out at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes a call. */
int
wsc_rng_fill(void *ctx, uint8_t *buf, size_t len)
{
	struct wsc_rng	*r = ctx;
	size_t		 n;

	while (len > 0) {
		n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ?
		    len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
		if (mbedtls_ctr_drbg_random(&r->drbg, buf, n) != 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

void *
wsc_rng_mbedtls_ctx(struct wsc_rng *r)
{
	return &r->drbg;
}

void
wsc_rng_free_global(void)
{
	if (!global.seeded)
		return;
	mbedtls_ctr_drbg_free(&global.drbg);
	global.seeded = 0;
}
