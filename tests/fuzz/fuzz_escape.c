/* fuzz-sources: src/escape.c src/utf8.c */
/*
 * libFuzzer target for the terminal escaping: whatever the input, the
 * output is valid UTF-8 (checked by the validator of src/utf8.c) holding no
 * C0 control but the newlines and tabs the flags keep, no DEL, no C1 and no
 * BIDI control; it is at most WSC_ESC_RATIO times the input; text that
 * needs no escaping comes out unchanged; and an escaper fed the input in
 * pieces (sizes taken from the input) writes the same bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The code point of the valid UTF-8 character at p; its length in *len. */
static uint32_t
decode(const uint8_t *p, size_t *len)
{
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if (p[0] < 0xf0) {
		*len = 3;
		return (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

/* Does valid UTF-8 p hold a character a terminal would obey? */
static int
has_control(const uint8_t *p, size_t n, unsigned flags)
{
	size_t		i, len;
	uint32_t	cp;

	for (i = 0; i < n; i += len) {
		cp = decode(p + i, &len);
		if ((cp == '\n' && (flags & WSC_ESC_KEEP_NL)) ||
		    (cp == '\t' && (flags & WSC_ESC_KEEP_TAB)))
			continue;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return 1;
	}
	return 0;
}

/* Feeds in pieces of 1..8 bytes chosen by the input; returns the length. */
static size_t
feed_pieces(char *out, const uint8_t *p, size_t n, unsigned flags)
{
	struct wsc_escaper	e;
	size_t			i = 0, k, w = 0;

	wsc_escaper_init(&e, flags);
	while (i < n) {
		k = 1 + p[(i * 5) % n] % 8;
		if (k > n - i)
			k = n - i;
		w += wsc_escaper_feed(&e, out + w, p + i, k, 0);
		i += k;
	}
	return w + wsc_escaper_feed(&e, out + w, NULL, 0, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned	flags;
	char		*out, *pieces;
	size_t		w, pw, used;

	if (size < 1)
		return 0;
	flags = data[0] & (WSC_ESC_KEEP_NL | WSC_ESC_KEEP_TAB);
	data++;
	size--;
	out = malloc(WSC_ESC_RATIO * size + 1);
	pieces = malloc(WSC_ESC_RATIO * (size + 3) + 1);
	if (out == NULL || pieces == NULL)
		abort();
	w = wsc_escape(out, data, size, flags, &used);
	if (used != size || w > WSC_ESC_RATIO * size ||
	    !wsc_utf8_valid((const uint8_t *)out, w) ||
	    has_control((const uint8_t *)out, w, flags))
		abort();
	if (wsc_utf8_valid(data, size) && !has_control(data, size, flags) &&
	    (w != size || memcmp(out, data, size) != 0))
		abort();
	pw = feed_pieces(pieces, data, size, flags);
	if (pw != w || memcmp(pieces, out, w) != 0)
		abort();
	free(out);
	free(pieces);
	return 0;
}
