/* Making a peer's text safe to show on a terminal (escape.h). A terminal
 * obeys C0 and C1 controls (cursor motion, ESC[2J, an OSC 52 clipboard
 * write, a title change) and a BIDI override reorders what follows it on
 * the line, so none of them may pass; nor may bytes that are not UTF-8,
 * which some terminals decode into controls. */
#include "config.h"

#include <string.h>

#include "escape.h"

static const char	hexdig[] = "0123456789abcdef";

/* Length of the run of printable ASCII at p: the common case, copied in
 * one piece. Eight bytes are looked at together: a high bit in x, x -
 * 0x20 or x + 1 (per byte) means one of them is below 0x20 or 0x7f and
 * above; a borrow or carry between bytes comes only from such a byte, so
 * it can at worst send a clean word to the byte loop. */
static size_t
plain_run(const uint8_t *p, size_t n)
{
	const uint64_t	ones = 0x0101010101010101ULL, high = ones << 7;
	uint64_t	x;
	size_t		i = 0;

	/* Not even one: text in another script goes on at once. */
	if ((uint8_t)(p[0] - 0x20) >= 0x5f)
		return 0;
	while (n - i >= 8) {
		memcpy(&x, p + i, 8);
		if ((x | (x - 0x20 * ones) | (x + ones)) & high)
			break;
		i += 8;
	}
	while (i < n && (uint8_t)(p[i] - 0x20) < 0x5f)
		i++;
	return i;
}

/* Writes "\xNN" for byte c. */
static size_t
put_x(char *d, uint8_t c)
{
	d[0] = '\\';
	d[1] = 'x';
	d[2] = hexdig[c >> 4];
	d[3] = hexdig[c & 0xf];
	return 4;
}

/* Writes "\uNNNN" for code point cp (below U+10000). */
static size_t
put_u(char *d, unsigned cp)
{
	d[0] = '\\';
	d[1] = 'u';
	d[2] = hexdig[(cp >> 12) & 0xf];
	d[3] = hexdig[(cp >> 8) & 0xf];
	d[4] = hexdig[(cp >> 4) & 0xf];
	d[5] = hexdig[cp & 0xf];
	return 6;
}

/* The length of the UTF-8 character at p (RFC 3629 section 4: no overlong
 * forms, surrogates or values past U+10FFFF); 0 when p[0] cannot start
 * one here, -1 when the n bytes end before it does. */
static int
char_len(const uint8_t *p, size_t n)
{
	uint8_t	b = p[0], lo = 0x80, hi = 0xbf;
	size_t	len, k;

	if (b >= 0xc2 && b <= 0xdf)
		len = 2;
	else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		lo = b == 0xe0 ? 0xa0 : 0x80;
		hi = b == 0xed ? 0x9f : 0xbf;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		lo = b == 0xf0 ? 0x90 : 0x80;
		hi = b == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	for (k = 1; k < len; k++) {
		if (k == n)
			return -1;
		if (p[k] < lo || p[k] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return (int)len;
}

/* Writes the valid character p (len bytes): C1 controls (U+0080-U+009F,
 * C2 80-C2 9F) and BIDI controls (U+202A-U+202E, U+2066-U+2069) escaped,
 * anything else as it is. */
static size_t
put_char(char *d, const uint8_t *p, int len)
{
	unsigned	cp;

	if (len == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return put_u(d, p[1]);
	if (len == 3 && p[0] == 0xe2) {
		cp = 0x2000 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return put_u(d, cp);
	}
	memcpy(d, p, (size_t)len);
	return (size_t)len;
}

/* Writes a control character below 0x80 (C0 or DEL). */
static size_t
put_ascii(char *d, uint8_t c, unsigned flags)
{
	if ((c == '\n' && (flags & WSC_ESC_KEEP_NL)) ||
	    (c == '\t' && (flags & WSC_ESC_KEEP_TAB))) {
		*d = (char)c;
		return 1;
	}
	return put_x(d, c);
}

size_t
wsc_escape(char *dst, const uint8_t *p, size_t n, unsigned flags,
    size_t *used)
{
	char	*d = dst;
	size_t	 i = 0, run;
	int	 len;

	while (i < n) {
		run = plain_run(p + i, n - i);
		memcpy(d, p + i, run);
		d += run;
		if ((i += run) == n)
			break;
		if (p[i] < 0x80) {
			d += put_ascii(d, p[i++], flags);
			continue;
		}
		len = char_len(p + i, n - i);
		if (len < 0 && (flags & WSC_ESC_MORE))
			break;
		if (len <= 0) {
			/* Each bad byte on its own: what follows may be fine. */
			d += put_x(d, p[i++]);
			continue;
		}
		d += put_char(d, p + i, len);
		i += (size_t)len;
	}
	*used = i;
	return (size_t)(d - dst);
}

void
wsc_escaper_init(struct wsc_escaper *e, unsigned flags)
{
	memset(e, 0, sizeof *e);
	e->flags = flags & (WSC_ESC_KEEP_NL | WSC_ESC_KEEP_TAB);
}

/* Finishes the character kept back from the last piece with the first
 * bytes of this one. Returns the bytes written; *skip gets how many of p
 * that took (all n when the character is still unfinished). */
static size_t
feed_carry(struct wsc_escaper *e, char *dst, const uint8_t *p, size_t n,
    int last, size_t *skip)
{
	uint8_t	tmp[7];
	size_t	k = n < 3 ? n : 3, m = e->ncarry + k, used, w;

	memcpy(tmp, e->carry, e->ncarry);
	if (k > 0)
		memcpy(tmp + e->ncarry, p, k);
	w = wsc_escape(dst, tmp, m, e->flags |
	    (last && k == n ? 0 : WSC_ESC_MORE), &used);
	if (used < e->ncarry) {
		/* Only when all of p fits in tmp: an unfinished character is
		 * at most 3 bytes long. */
		e->ncarry = m - used;
		memmove(e->carry, tmp + used, e->ncarry);
		*skip = n;
		return w;
	}
	*skip = used - e->ncarry;
	e->ncarry = 0;
	return w;
}

size_t
wsc_escaper_feed(struct wsc_escaper *e, char *dst, const uint8_t *p,
    size_t n, int last)
{
	size_t	w = 0, skip, used;

	if (e->ncarry > 0) {
		w = feed_carry(e, dst, p, n, last, &skip);
		if (e->ncarry > 0 || skip == n)
			return w;
		p += skip;
		n -= skip;
	}
	if (n == 0)	/* p may be NULL */
		return w;
	w += wsc_escape(dst + w, p, n, e->flags | (last ? 0 : WSC_ESC_MORE),
	    &used);
	e->ncarry = n - used;
	memcpy(e->carry, p + used, e->ncarry);
	return w;
}
