/* Incremental UTF-8 validation (RFC 3629): fed any split of a message,
 * it reports the first invalid byte as soon as it is seen, so a text
 * message fails fast (RFC 6455 section 8.1). */
#ifndef WSC_UTF8_H
#define WSC_UTF8_H

#include <stddef.h>
#include <stdint.h>

struct wsc_utf8 {
	uint32_t	state;	/* 0: between characters */
};

void	 wsc_utf8_init(struct wsc_utf8 *v);
/* Validates n more bytes. Returns 0 when they are valid so far, -1 at
 * the first byte that can never be part of valid UTF-8 (its offset in p
 * in *bad_at when bad_at is not NULL). After -1 the state stays failed. */
int	 wsc_utf8_feed(struct wsc_utf8 *v, const uint8_t *p, size_t n,
	    size_t *bad_at);
/* Nonzero when the bytes fed so far end on a character boundary. */
int	 wsc_utf8_complete(const struct wsc_utf8 *v);
/* One-shot: nonzero when the n bytes are complete, valid UTF-8. */
int	 wsc_utf8_valid(const uint8_t *p, size_t n);

#endif
