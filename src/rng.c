/* Random bytes from mbedTLS's CTR-DRBG, seeded once from the system. */
#include "config.h"

#include <stdlib.h>

#include <mbedtls/version.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#include "rng.h"

struct wsc_rng {
	mbedtls_entropy_context		entropy;
	mbedtls_ctr_drbg_context	drbg;
	int				seeded;
};

static struct wsc_rng	global;

struct wsc_rng *
wsc_rng_get(void)
{
	static const unsigned char	pers[] = "wsc";

	if (global.seeded)
		return &global;
	mbedtls_entropy_init(&global.entropy);
	mbedtls_ctr_drbg_init(&global.drbg);
	if (mbedtls_ctr_drbg_seed(&global.drbg, mbedtls_entropy_func,
	    &global.entropy, pers, sizeof pers - 1) != 0) {
		mbedtls_ctr_drbg_free(&global.drbg);
		mbedtls_entropy_free(&global.entropy);
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
	mbedtls_entropy_free(&global.entropy);
	global.seeded = 0;
}
