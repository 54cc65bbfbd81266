/* fuzz-sources: src/utf8.c */
/*
 * libFuzzer target for the UTF-8 validator: a differential check against a
 * plain transcription of the RFC 3629 section 4 grammar, fed whole and in
 * pieces whose sizes come from the input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Second-byte range for lead byte b, and the character length; 0 when b
 * cannot start a character (RFC 3629 section 4, UTF8-2/3/4).
 */
static size_t
ref_lead(uint8_t b, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b < 0x80)
		return (1);
	if (b >= 0xc2 && b <= 0xdf)
		return (2);
	if (b == 0xe0)
		*lo = 0xa0;
	if (b == 0xed)
		*hi = 0x9f;
	if (b >= 0xe0 && b <= 0xef)
		return (3);
	if (b == 0xf0)
		*lo = 0x90;
	if (b == 0xf4)
		*hi = 0x8f;
	if (b >= 0xf0 && b <= 0xf4)
		return (4);
	return (0);
}

/* Offset of the first bad byte or -1; *complete when it ends cleanly. */
static long
ref_check(const uint8_t *s, size_t n, int *complete)
{
	size_t	i = 0, len, k;
	uint8_t	lo, hi;

	*complete = 1;
	while (i < n) {
		if ((len = ref_lead(s[i], &lo, &hi)) == 0)
			return ((long)i);
		for (k = 1; k < len; k++) {
			if (i + k == n) {
				*complete = 0;
				return (-1);
			}
			if (s[i + k] < lo || s[i + k] > hi)
				return ((long)(i + k));
			lo = 0x80;
			hi = 0xbf;
		}
		i += len;
	}
	return (-1);
}

/* Feeds s in pieces of 1..16 bytes chosen by the bytes of s itself. */
static long
feed_pieces(const uint8_t *s, size_t n, int *complete)
{
	struct wsc_utf8	v;
	size_t		i = 0, step, bad;

	wsc_utf8_init(&v);
	while (i < n) {
		step = 1 + (s[(i * 7) % n] % 16);
		if (step > n - i)
			step = n - i;
		if (wsc_utf8_feed(&v, s + i, step, &bad) != 0) {
			/* The state stays failed. */
			if (wsc_utf8_feed(&v, s, 1, NULL) != -1 ||
			    wsc_utf8_complete(&v))
				abort();
			*complete = 0;
			return ((long)(i + bad));
		}
		i += step;
	}
	*complete = wsc_utf8_complete(&v);
	return (-1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_utf8	v;
	size_t		bad;
	long		want, got, pieces;
	int		want_c, got_c, pieces_c;

	want = ref_check(data, size, &want_c);
	if (want != -1)
		want_c = 0;
	wsc_utf8_init(&v);
	got = wsc_utf8_feed(&v, data, size, &bad) == 0 ? -1 : (long)bad;
	got_c = wsc_utf8_complete(&v);
	pieces = feed_pieces(data, size, &pieces_c);
	if (got != want || got_c != want_c || pieces != want ||
	    pieces_c != want_c || wsc_utf8_valid(data, size) != want_c)
		abort();
	return (0);
}
