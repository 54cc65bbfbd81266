/* fuzz-sources: src/frame.c */
/*
 * libFuzzer target for frame headers and masking. Input: one byte of decode
 * flags, then header bytes (and payload for the masking check). Checks that
 * a header decodes the same whatever follows it, that every prefix of a good
 * header asks for more, that errors are stable as bytes arrive, that
 * re-encoding round-trips, and that masking matches a byte-wise reference.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Compares the fields two decodes produced. */
static int
same_frame(const struct wsc_frame *a, const struct wsc_frame *b)
{
	return (a->fin == b->fin && a->rsv1 == b->rsv1 &&
	    a->rsv2 == b->rsv2 && a->rsv3 == b->rsv3 &&
	    a->opcode == b->opcode && a->masked == b->masked &&
	    a->len == b->len &&
	    (!a->masked || memcmp(a->mask, b->mask, 4) == 0));
}

/* Checks a header that decoded: prefixes, re-encoding, names. */
static void
check_good(const uint8_t *p, size_t n, int flags, const struct wsc_frame *f,
    int r)
{
	struct wsc_frame	g;
	uint8_t			out[WSC_FRAME_MAX_HEADER];
	size_t			k, m;

	if (r > WSC_FRAME_MAX_HEADER || (size_t)r > n ||
	    f->header_len != (size_t)r || f->rsv2 || f->rsv3 ||
	    (f->opcode >= 8 && (!f->fin || f->len > 125)) ||
	    (f->len >> 63) != 0)
		abort();
	for (k = 0; k < (size_t)r; k++)
		if (wsc_frame_decode(p, k, flags, &g) != WSC_FRAME_NEED_MORE)
			abort();
	m = wsc_frame_encode(out, f->fin, f->rsv1, f->opcode,
	    f->masked ? f->mask : NULL, f->len);
	if (m > (size_t)r || wsc_frame_decode(out, m, flags, &g) != (int)m ||
	    !same_frame(f, &g))
		abort();
	if (wsc_opcode_name(f->opcode) == NULL)
		abort();
}

/* Checks that an error stays the same or is not yet visible on prefixes. */
static void
check_bad(const uint8_t *p, size_t n, int flags, int r)
{
	struct wsc_frame	g;
	size_t			k;
	int			q;

	if (r < WSC_FRAME_E_LEN64 || wsc_frame_strerror(r) == NULL ||
	    wsc_frame_strerror_flags(r, flags) == NULL)
		abort();
	for (k = 0; k < n && k <= WSC_FRAME_MAX_HEADER; k++) {
		q = wsc_frame_decode(p, k, flags, &g);
		if (q != WSC_FRAME_NEED_MORE && q != r)
			abort();
	}
}

/* Masks the payload at once and in two pieces against a byte loop. */
static void
check_mask(const uint8_t *p, size_t n, const uint8_t key[4], uint64_t off)
{
	uint8_t	*a, *b;
	size_t	 i, cut;

	if ((a = malloc(n + 1)) == NULL || (b = malloc(n + 1)) == NULL)
		abort();
	memcpy(a, p, n);
	memcpy(b, p, n);
	for (i = 0; i < n; i++)
		b[i] ^= key[(off + i) % 4];
	cut = n == 0 ? 0 : p[0] % (n + 1);
	wsc_frame_mask(a, cut, key, off);
	wsc_frame_mask(a + cut, n - cut, key, off + cut);
	if (memcmp(a, b, n) != 0)
		abort();
	/* Unaligned by one, in one go, back to the original. */
	memmove(a + 1, a, n);
	wsc_frame_mask(a + 1, n, key, off);
	if (memcmp(a + 1, p, n) != 0)
		abort();
	free(a);
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_frame	f, g;
	uint8_t			key[4] = { 0, 0, 0, 0 };
	unsigned		code;
	int			flags, r;

	if (size < 1)
		return (0);
	flags = data[0] & (WSC_FRAME_EXPECT_MASKED | WSC_FRAME_ALLOW_RSV1);
	data++;
	size--;
	r = wsc_frame_decode(data, size, flags, &f);
	if (r > 0) {
		check_good(data, size, flags, &f, r);
		/* Bytes after the header change nothing. */
		if (wsc_frame_decode(data, (size_t)r, flags, &g) != r ||
		    !same_frame(&f, &g))
			abort();
		if (f.masked)
			memcpy(key, f.mask, 4);
		check_mask(data + r, size - (size_t)r, key, f.len & 0xff);
	} else if (r == WSC_FRAME_NEED_MORE) {
		if (size >= WSC_FRAME_MAX_HEADER)
			abort();
	} else
		check_bad(data, size, flags, r);

	if (size >= 2) {
		code = (unsigned)data[0] << 8 | data[1];
		if (wsc_close_code_text(code) == NULL ||
		    wsc_close_code_valid(code) != ((code >= 1000 &&
		    code <= 1003) || (code >= 1007 && code <= 1014) ||
		    (code >= 3000 && code <= 4999)))
			abort();
	}
	return (0);
}
