/* Random bytes from mbedTLS's CTR-DRBG seeded from the system's entropy:
 * handshake keys and masking keys. */
#ifndef WSC_RNG_H
#define WSC_RNG_H

#include <stddef.h>
#include <stdint.h>

struct wsc_rng;

/* The process-wide generator, seeded on first use; NULL if seeding failed. */
struct wsc_rng	*wsc_rng_get(void);
/* Fills buf; 0 or -1. Usable as the ws core's rng callback. */
int		 wsc_rng_fill(void *rng, uint8_t *buf, size_t len);
/* The mbedTLS f_rng/p_rng pair, for the TLS layer. */
void		*wsc_rng_mbedtls_ctx(struct wsc_rng *rng);
void		 wsc_rng_free_global(void);

#endif
