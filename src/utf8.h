/* Incremental UTF-8 validation (RFC 3629): fed any split of a message,
 * it reports the first invalid byte as soon as it is seen, so a text
 * message fails fast (RFC 6455 section 8.1). */
#ifndef WSC_UTF8_H
#define WSC_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
/* Nonzero when all n bytes are ASCII: plain text, valid without the
 * DFA. Inline and branch-light for short messages, where a call and the
 * validator's setup cost more than the check (S3 in scripts/bench). The
 * last word may overlap the one before: an OR does not mind. */
static inline int
wsc_utf8_ascii(const uint8_t *p, size_t n)
{
	uint64_t	w, w2, acc = 0;
	size_t		i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			acc |= p[i];
		return (acc & 0x80) == 0;
	}
	for (i = 0; n - i > 16; i += 16) {
		memcpy(&w, p + i, sizeof w);	/* unaligned-safe loads */
		memcpy(&w2, p + i + 8, sizeof w2);
		acc |= w | w2;
	}
	if (n - i > 8) {
		memcpy(&w, p + i, sizeof w);
		acc |= w;
	}
	memcpy(&w, p + n - 8, sizeof w);
	acc |= w;
	return (acc & 0x8080808080808080ULL) == 0;
}
/* One-shot: nonzero when the n bytes are complete, valid UTF-8. */
int	 wsc_utf8_valid(const uint8_t *p, size_t n);

#endif
