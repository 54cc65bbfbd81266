/* JSON string bodies from arbitrary bytes, fed in pieces (json.h). */
#include "config.h"

#include <string.h>

#include "json.h"

/* Input is escaped in slices of this size, each with room reserved for
 * its worst case (six output bytes per input byte), so a large piece needs
 * no temporary of its own size. */
#define SLICE		4096
#define WORST		WSC_JSON_WORST
#define REPLACEMENT	"\\ufffd"

static const char	hexdig[] = "0123456789abcdef";

/* Bytes that go out as they are: printable ASCII but '"' and '\\'. The
 * fast path copies runs of them. */
static int
plain(uint8_t c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Are all 8 bytes at p plain? Word-at-a-time tests (a byte below 0x20,
 * 0x7f or above, '"', '\\'); false alarms only send a word to the byte
 * loop. */
static int
plain8(const uint8_t *p)
{
	uint64_t	v, q, b;

	memcpy(&v, p, 8);
	q = v ^ (ONES * '"');
	b = v ^ (ONES * '\\');
	return (((v - ONES * 0x20) & ~v) | ((v + ONES) | v) |
	    ((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS ? 0 : 1;
}

/* An ASCII byte that is not plain: its short escape or \u00XX. */
static size_t
esc_ascii(char *d, uint8_t c)
{
	static const char	short_esc[] = "\"\"\\\\\bb\ff\nn\rr\tt";
	const char		*s;

	if (c != 0 && (s = memchr(short_esc, c, sizeof short_esc - 1)) != NULL &&
	    (s - short_esc) % 2 == 0) {
		d[0] = '\\';
		d[1] = s[1];
		return 2;
	}
	memcpy(d, "\\u00", 4);
	d[4] = hexdig[c >> 4];
	d[5] = hexdig[c & 0xf];
	return 6;
}

/* The length of the sequence lead byte b starts, and the range its second
 * byte must be in (RFC 3629 section 4); 0 when b cannot start one. */
static size_t
lead_len(uint8_t b, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef) {
		*lo = b == 0xe0 ? 0xa0 : 0x80;
		*hi = b == 0xed ? 0x9f : 0xbf;
		return 3;
	}
	if (b >= 0xf0 && b <= 0xf4) {
		*lo = b == 0xf0 ? 0x90 : 0x80;
		*hi = b == 0xf4 ? 0x8f : 0xbf;
		return 4;
	}
	return 0;
}

/*
 * Escapes the character at p (n > 0 bytes available) into d and
 * returns the bytes written; *used says how many input bytes it took. A
 * valid sequence cut off by the end of p takes none (*used = 0) unless
 * final, when its lead byte is invalid like any other.
 */
static size_t
esc_char(char *d, const uint8_t *p, size_t n, int final, size_t *used)
{
	uint8_t	lo, hi;
	size_t	len, k;

	*used = 1;
	if (plain(p[0])) {
		d[0] = (char)p[0];
		return 1;
	}
	if (p[0] < 0x80)
		return esc_ascii(d, p[0]);
	if ((len = lead_len(p[0], &lo, &hi)) == 0)
		goto bad;
	for (k = 1; k < len; k++, lo = 0x80, hi = 0xbf) {
		if (k == n) {
			if (final)
				goto bad;
			*used = 0;
			return 0;
		}
		if (p[k] < lo || p[k] > hi)
			goto bad;
	}
	*used = len;
	/* U+2028 and U+2029 end a line in JavaScript source. */
	if (len == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0xa8 || p[2] == 0xa9)) {
		memcpy(d, p[2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
		return 6;
	}
	memcpy(d, p, len);
	return len;
bad:
	memcpy(d, REPLACEMENT, 6);
	return 6;
}

/* Escapes p from *ip up to stop into d (n bytes available from p); stops
 * early at a sequence cut off by the end of p unless final. Returns the
 * end of the output. */
static char *
esc_run(char *d, const uint8_t *p, size_t n, size_t stop, int final,
    size_t *ip)
{
	size_t	i = *ip, used;

	while (i < stop) {
		/* fixed-size copies: a variable memcpy here became a "rep
		 * movs" whose start-up cost dominated short messages */
		for (; i + 8 <= stop && plain8(p + i); i += 8, d += 8)
			memcpy(d, p + i, 8);
		for (; i < stop && plain(p[i]); i++)
			*d++ = (char)p[i];
		if (i == stop)
			break;
		d += esc_char(d, p + i, n - i, final, &used);
		if (used == 0)
			break;
		i += used;
	}
	*ip = i;
	return d;
}

/* Escapes up to about SLICE bytes of p into b; returns the bytes taken
 * (fewer than n only at a sequence cut off by the end of p), or 0 with
 * *err set on out-of-memory. */
static size_t
esc_slice(struct wsc_buf *b, const uint8_t *p, size_t n, int *err)
{
	size_t	 stop = n < SLICE ? n : SLICE, i = 0;
	char	*d0, *d;

	/* the worst case of the bytes it takes: a character that starts
	 * before stop and ends after it still writes at most 6 bytes */
	if ((d0 = (char *)wsc_buf_reserve(b, stop * WORST + 8)) == NULL) {
		*err = -1;
		return 0;
	}
	d = esc_run(d0, p, n, stop, 0, &i);
	wsc_buf_commit(b, (size_t)(d - d0));
	return i;
}

size_t
wsc_json_escape(char *dst, const uint8_t *p, size_t n)
{
	size_t	i = 0;

	return (size_t)(esc_run(dst, p, n, n, 1, &i) - dst);
}

/* Works off the carried bytes of a cut sequence with the first bytes of
 * the new piece; returns how many of p it took. */
static size_t
feed_carry(struct wsc_json_str *js, struct wsc_buf *b, const uint8_t *p,
    size_t n, int final)
{
	char	d[WORST];
	size_t	fed = 0, used, w;

	while (js->ncarry > 0) {
		w = esc_char(d, js->carry, js->ncarry, final && fed == n, &used);
		if (used == 0) {
			if (fed == n)
				break;
			js->carry[js->ncarry++] = p[fed++];
			continue;
		}
		if (wsc_buf_append(b, d, w) != 0)
			return n + 1;
		memmove(js->carry, js->carry + used, js->ncarry - used);
		js->ncarry -= used;
	}
	return fed;
}

void
wsc_json_str_init(struct wsc_json_str *js)
{
	js->ncarry = 0;
}

int
wsc_json_str_feed(struct wsc_json_str *js, struct wsc_buf *b,
    const uint8_t *p, size_t n)
{
	size_t	i, took;
	int	err = 0;

	if ((i = feed_carry(js, b, p, n, 0)) > n)
		return -1;
	while (i < n) {
		took = esc_slice(b, p + i, n - i, &err);
		if (err != 0)
			return -1;
		if (took == 0 || (i += took) >= n)
			break;
	}
	/* What is left is the valid start of a sequence cut off here. */
	if (i < n) {
		memcpy(js->carry, p + i, n - i);
		js->ncarry = n - i;
	}
	return 0;
}

int
wsc_json_str_end(struct wsc_json_str *js, struct wsc_buf *b)
{
	return feed_carry(js, b, NULL, 0, 1) > 0 ? -1 : 0;
}

int
wsc_json_string(struct wsc_buf *b, const uint8_t *p, size_t n)
{
	struct wsc_json_str	js;

	wsc_json_str_init(&js);
	if (wsc_buf_append(b, "\"", 1) != 0 ||
	    wsc_json_str_feed(&js, b, p, n) != 0 ||
	    wsc_json_str_end(&js, b) != 0)
		return -1;
	return wsc_buf_append(b, "\"", 1);
}
