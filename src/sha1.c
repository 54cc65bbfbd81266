/* SHA-1 (RFC 3174; FIPS 180-4 section 6.1). */
#include "config.h"

#include <string.h>

#include "sha1.h"

#define ROL(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))

/* Reads a big-endian 32-bit word. */
static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The round function and constant of round t (section 5). */
static uint32_t
f_k(int t, uint32_t b, uint32_t c, uint32_t d, uint32_t *k)
{
	if (t < 20) {
		*k = 0x5a827999;
		return (b & c) | (~b & d);
	}
	if (t < 40) {
		*k = 0x6ed9eba1;
		return b ^ c ^ d;
	}
	if (t < 60) {
		*k = 0x8f1bbcdc;
		return (b & c) | (b & d) | (c & d);
	}
	*k = 0xca62c1d6;
	return b ^ c ^ d;
}

/* Hashes one 64-byte block into h (section 6.1, method 1). */
static void
compress(uint32_t h[5], const uint8_t *blk)
{
	uint32_t	w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	uint32_t	f, k, tmp;
	int		t;

	for (t = 0; t < 16; t++)
		w[t] = be32(blk + 4 * t);
	for (; t < 80; t++)
		w[t] = ROL(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (t = 0; t < 80; t++) {
		f = f_k(t, b, c, d, &k);
		tmp = ROL(a, 5) + f + e + w[t] + k;
		e = d;
		d = c;
		c = ROL(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
wsc_sha1_init(struct wsc_sha1 *c)
{
	static const uint32_t	h0[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};

	memcpy(c->h, h0, sizeof h0);
	c->bytes = 0;
}

void
wsc_sha1_update(struct wsc_sha1 *c, const void *p, size_t n)
{
	const uint8_t	*in = p;
	size_t		 used = (size_t)(c->bytes % 64), take;

	c->bytes += n;
	while (n > 0) {
		take = 64 - used < n ? 64 - used : n;
		memcpy(c->block + used, in, take);
		in += take;
		n -= take;
		used += take;
		if (used == 64) {
			compress(c->h, c->block);
			used = 0;
		}
	}
}

/* Pads with 0x80, zeros and the length in bits (section 4), in place. */
void
wsc_sha1_final(struct wsc_sha1 *c, uint8_t out[WSC_SHA1_LEN])
{
	uint64_t	bits = c->bytes * 8;
	size_t		used = (size_t)(c->bytes % 64);
	int		i;

	c->block[used++] = 0x80;
	if (used > 56) {
		memset(c->block + used, 0, 64 - used);
		compress(c->h, c->block);
		used = 0;
	}
	memset(c->block + used, 0, 56 - used);
	for (i = 0; i < 8; i++)
		c->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	compress(c->h, c->block);
	for (i = 0; i < 20; i++)
		out[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}
