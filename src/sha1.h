/* SHA-1 (RFC 3174), for the opening handshake's Sec-WebSocket-Accept
 * (RFC 6455 section 4.2.2) only: a check that the server speaks WebSocket,
 * not a security function. Kept here so that a ws:// run needs no crypto
 * library at all (its loading was most of a short run's start-up). */
#ifndef WSC_SHA1_H
#define WSC_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define WSC_SHA1_LEN	20

struct wsc_sha1 {
	uint32_t	h[5];
	uint64_t	bytes;		/* hashed so far */
	uint8_t		block[64];	/* the partial block */
};

void	wsc_sha1_init(struct wsc_sha1 *c);
void	wsc_sha1_update(struct wsc_sha1 *c, const void *p, size_t n);
/* The digest of everything given to update. */
void	wsc_sha1_final(struct wsc_sha1 *c, uint8_t out[WSC_SHA1_LEN]);

#endif
