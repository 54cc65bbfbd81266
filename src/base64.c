/* Base64 (RFC 4648 section 4). */
#include "config.h"

#include "base64.h"

static const char	alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
wsc_base64_encode(char *dst, const uint8_t *src, size_t n)
{
	char		*d = dst;
	uint32_t	 v;

	for (; n >= 3; n -= 3, src += 3) {
		v = (uint32_t)src[0] << 16 | (uint32_t)src[1] << 8 | src[2];
		*d++ = alphabet[v >> 18];
		*d++ = alphabet[(v >> 12) & 63];
		*d++ = alphabet[(v >> 6) & 63];
		*d++ = alphabet[v & 63];
	}
	if (n > 0) {
		v = (uint32_t)src[0] << 16 | (n == 2 ? (uint32_t)src[1] << 8 : 0);
		*d++ = alphabet[v >> 18];
		*d++ = alphabet[(v >> 12) & 63];
		*d++ = n == 2 ? alphabet[(v >> 6) & 63] : '=';
		*d++ = '=';
	}
	return (size_t)(d - dst);
}

/* The value of one alphabet character, or -1. */
static int
value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	return c == '/' ? 63 : -1;
}

/* One group of four characters, the last with its padding: 1-3 bytes, or
 * -1. */
static int
group(const char *s, int last, uint8_t out[3])
{
	int		pad = 0, i, v;
	uint32_t	acc = 0;

	if (last)
		pad = s[3] != '=' ? 0 : s[2] != '=' ? 1 : 2;
	for (i = 0; i < 4 - pad; i++) {
		if ((v = value(s[i])) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
	}
	acc <<= 6 * pad;
	/* Bits the padding drops must be zero. */
	if ((pad == 1 && (acc & 0xff) != 0) ||
	    (pad == 2 && (acc & 0xffff) != 0))
		return -1;
	out[0] = (uint8_t)(acc >> 16);
	out[1] = (uint8_t)(acc >> 8);
	out[2] = (uint8_t)acc;
	return 3 - pad;
}

long
wsc_base64_decode(uint8_t *dst, size_t dlen, const char *src, size_t n)
{
	uint8_t	b[3];
	size_t	i, o = 0;
	int	k, j;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		if ((k = group(src + i, i + 4 == n, b)) < 0 ||
		    (size_t)k > dlen - o)
			return -1;
		for (j = 0; j < k; j++)
			dst[o++] = b[j];
	}
	return (long)o;
}
