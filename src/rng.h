/* Random bytes from the kernel's CSPRNG, buffered: handshake keys, masking
 * keys, and mbedTLS's f_rng for TLS. */
#ifndef WSC_RNG_H
#define WSC_RNG_H

#include <stddef.h>
#include <stdint.h>

struct wsc_rng;

/* The process-wide generator, its buffer filled on first use; NULL when
 * the system gives no random bytes. */
struct wsc_rng	*wsc_rng_get(void);
/* Fills buf; 0 or -1. Usable as the ws core's rng callback, and with
 * wsc_rng_get() as mbedTLS's f_rng/p_rng pair. */
int		 wsc_rng_fill(void *rng, unsigned char *buf, size_t len);
/* Forgets the bytes not yet handed out. */
void		 wsc_rng_free_global(void);

#endif
