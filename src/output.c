/* Rendering messages for people and pipes, and the buffered stdout. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>


#include "base64.h"
#include "escape.h"
#include "output.h"

static const char hexdig[] = "0123456789abcdef";

void
wsc_out_init(struct wsc_out *o, int fd, size_t flush_at)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	o->flush_at = flush_at;
	wsc_buf_init(&o->buf);
}

void
wsc_out_free(struct wsc_out *o)
{
	wsc_buf_free(&o->buf);
}

int
wsc_out_flush(struct wsc_out *o)
{
	struct pollfd	pfd;
	ssize_t		r;

	o->epoch++;
	while (wsc_buf_used(&o->buf) > 0 && !o->failed) {
		r = write(o->fd, wsc_buf_head(&o->buf), wsc_buf_used(&o->buf));
		if (r > 0) {
			wsc_buf_consume(&o->buf, (size_t)r);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* stdout shared with a non-blocking reader: wait. */
			pfd.fd = o->fd;
			pfd.events = POLLOUT;
			poll(&pfd, 1, -1);
			continue;
		}
		o->failed = 1;
		o->err = r == -1 ? errno : EIO;
	}
	if (o->failed)
		wsc_buf_reset(&o->buf);
	return o->failed ? -1 : 0;
}

void
wsc_out_write(struct wsc_out *o, const void *p, size_t n)
{
	if (o->failed)
		return;
	/* A large payload goes straight out rather than through the buffer. */
	if (n >= o->flush_at) {
		wsc_out_flush(o);
		while (n > 0 && !o->failed) {
			ssize_t r = write(o->fd, p, n);
			if (r > 0) {
				p = (const char *)p + r;
				n -= (size_t)r;
			} else if (r == -1 && errno != EINTR && errno != EAGAIN) {
				o->failed = 1;
				o->err = errno;
			}
		}
		return;
	}
	if (wsc_buf_append(&o->buf, p, n) != 0) {
		o->failed = 1;
		return;
	}
	if (wsc_buf_used(&o->buf) >= o->flush_at)
		wsc_out_flush(o);
}

/* Copies 8 bytes; memcpy keeps unaligned addresses safe. */
static inline void
copy8(uint8_t *d, const uint8_t *s)
{
	uint64_t	w;

	memcpy(&w, s, sizeof w);
	memcpy(d, &w, sizeof w);
}

/* Copies n bytes, n at most 32, without a call: two to four 8-byte moves
 * whose last ones may overlap the first (never reading or writing past
 * n). A memcpy call and its dispatch cost more than the copy for the
 * small messages of a flood (S3 in scripts/bench). */
static inline void
copy_short(uint8_t *d, const uint8_t *s, size_t n)
{
	size_t	i;

	if (n >= 16) {
		copy8(d, s);
		copy8(d + 8, s + 8);
		copy8(d + n - 16, s + n - 16);
		copy8(d + n - 8, s + n - 8);
	} else if (n >= 8) {
		copy8(d, s);
		copy8(d + n - 8, s + n - 8);
	} else {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/* Ends a line of n bytes just copied to the buffer's tail: its newline,
 * then a flush when the buffer is full enough. */
static inline void
line_end(struct wsc_out *o, size_t n)
{
	struct wsc_buf	*b = &o->buf;

	b->data[b->len + n] = '\n';
	b->len += n + 1;
	if (b->len - b->off >= o->flush_at)
		wsc_out_flush(o);
}

/* A text message after prefix (--timestamps; "" for none), and its
 * newline: grows the buffer or writes around it. */
void
wsc_out_text_after(struct wsc_out *o, const char *prefix, size_t plen,
    const uint8_t *p, size_t n)
{
	struct wsc_buf	*b = &o->buf;
	uint8_t		*dst;

	if (o->failed)
		return;
	if (b->cap - b->len > plen + n)
		dst = b->data + b->len;
	else if (plen + n + 1 >= o->flush_at ||
	    (dst = wsc_buf_reserve(b, plen + n + 1)) == NULL) {
		wsc_out_write(o, prefix, plen);
		wsc_out_write(o, p, n);
		wsc_out_write(o, "\n", 1);
		return;
	}
	memcpy(dst, prefix, plen);
	memcpy(dst + plen, p, n);
	line_end(o, plen + n);
}

/* A text message and its newline. This runs once per message under a
 * flood of small ones (S3 in scripts/bench): when a short message fits
 * the room left, which is nearly always, it costs the copy and no calls
 * (a flush is a tail call), so no registers are saved either. */
void
wsc_out_text(struct wsc_out *o, const uint8_t *p, size_t n)
{
	struct wsc_buf	*b = &o->buf;

	if (n > 32 || o->failed || b->cap - b->len <= n) {
		wsc_out_text_after(o, "", 0, p, n);
		return;
	}
	copy_short(b->data + b->len, p, n);
	line_end(o, n);
}

void
wsc_out_lines(struct wsc_out *o, const char *prefix, size_t plen,
    const uint8_t *p, size_t n)
{
	const uint8_t	*nl, *end = p + n;

	while (p < end && !o->failed) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl != NULL ? nl + 1 : end;
		wsc_out_write(o, prefix, plen);
		wsc_out_write(o, p, (size_t)(nl - p));
		p = nl;
	}
}

size_t
wsc_hexdump_size(size_t n)
{
	/* 79 bytes per line with an 8-digit offset, up to 8 more for a
	 * longer one; the final offset line. */
	return (n / 16 + 1) * (79 + 8) + 17 + 1;
}

/* Writes the offset with at least 8 hex digits. */
static size_t
put_offset(char *d, size_t off)
{
	int	digits = 8, i;

	while (digits < 16 && (off >> (digits * 4)) != 0)
		digits++;
	for (i = digits - 1; i >= 0; i--)
		*d++ = hexdig[(off >> (i * 4)) & 0xf];
	return (size_t)digits;
}

/* "xx " for every byte value, and the ASCII column's rendering: built
 * once so a line is table copies, not formatting (S7 in scripts/bench). */
static char	hex3[256][4];
static char	shown[256];

static void
init_tables(void)
{
	int	i;

	if (hex3[0][0] != '\0')
		return;
	for (i = 0; i < 256; i++) {
		hex3[i][0] = hexdig[i >> 4];
		hex3[i][1] = hexdig[i & 0xf];
		hex3[i][2] = ' ';
		hex3[i][3] = ' ';
		shown[i] = i >= 0x20 && i < 0x7f ? (char)i : '.';
	}
}

/* A full line with an 8-digit offset: every character has a fixed place.
 * Byte i's hex digits are at 10 + 3 * i (one more from the ninth on), its
 * ASCII rendering at 61 + i. */
#define FULL_LINE_LEN	79
static const char	full_line[FULL_LINE_LEN + 1] =
    "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  "
    "|................|\n";

/*
 * The common line, 16 bytes at an offset below 4 GiB, without a loop over
 * variable positions: the template's gaps, bars and newline in one copy,
 * then two-digit stores at fixed places and the ASCII column as one
 * 16-byte block. Stores that all land in place, rather than the general
 * path's overlapping ones, keep it fast however the code is laid out
 * (S7 in scripts/bench went from 630 to 800 MB/s and back with unrelated
 * changes before).
 */
static size_t
hex_line_full(char *d, const uint8_t *p, size_t off)
{
	char	ascii[16];
	size_t	i;

	memcpy(d, full_line, FULL_LINE_LEN);
	for (i = 0; i < 4; i++)
		memcpy(d + 2 * i, hex3[(off >> (24 - 8 * i)) & 0xff], 2);
	for (i = 0; i < 8; i++)
		memcpy(d + 10 + 3 * i, hex3[p[i]], 2);
	for (i = 8; i < 16; i++)
		memcpy(d + 11 + 3 * i, hex3[p[i]], 2);
	/* printable ASCII (0x20-0x7e) as it is, the rest as '.' */
	for (i = 0; i < 16; i++)
		ascii[i] = (uint8_t)(p[i] - 0x20) < 0x5f ? (char)p[i] : '.';
	memcpy(d + 61, ascii, 16);
	return FULL_LINE_LEN;
}

/* One hexdump -C line of up to 16 bytes. */
static size_t
hex_line(char *d, const uint8_t *p, size_t n, size_t off)
{
	char	*s = d;
	size_t	 i;

	if (n == 16 && off <= 0xffffffffu)
		return hex_line_full(d, p, off);
	d += put_offset(d, off);
	*d++ = ' ';
	*d++ = ' ';
	for (i = 0; i < 16; i++) {
		memcpy(d, i < n ? hex3[p[i]] : "    ", 4);
		d += 3;
		if (i == 7)
			*d++ = ' ';
	}
	*d++ = ' ';
	*d++ = '|';
	for (i = 0; i < n; i++)
		*d++ = shown[p[i]];
	*d++ = '|';
	*d++ = '\n';
	return (size_t)(d - s);
}

size_t
wsc_hexdump(char *dst, const uint8_t *p, size_t n)
{
	char	*d = dst;
	size_t	 off;

	init_tables();
	for (off = 0; off < n; off += 16)
		d += hex_line(d, p + off, n - off < 16 ? n - off : 16, off);
	d += put_offset(d, n);
	*d++ = '\n';
	return (size_t)(d - dst);
}

/* Renders into the buffer in slices so a huge message needs no huge
 * temporary. */
static void
out_hexdump(struct wsc_out *o, const uint8_t *p, size_t n)
{
	size_t	 off = 0, chunk, w;
	char	*d;

	init_tables();
	while (off < n) {
		chunk = n - off < 4096 ? n - off : 4096;
		if ((d = (char *)wsc_buf_reserve(&o->buf, wsc_hexdump_size(chunk))) == NULL) {
			o->failed = 1;
			return;
		}
		for (w = 0; w < chunk; w += 16)
			d += hex_line(d, p + off + w, chunk - w < 16 ? chunk - w : 16, off + w);
		wsc_buf_commit(&o->buf, (size_t)((uint8_t *)d - (o->buf.data + o->buf.len)));
		off += chunk;
		if (wsc_buf_used(&o->buf) >= o->flush_at)
			wsc_out_flush(o);
	}
	if ((d = (char *)wsc_buf_reserve(&o->buf, 18)) == NULL) {
		o->failed = 1;
		return;
	}
	w = put_offset(d, n);
	d[w] = '\n';
	wsc_buf_commit(&o->buf, w + 1);
}

void
wsc_out_hexdump_lines(struct wsc_out *o, struct wsc_buf *tmp,
    const char *prefix, size_t plen, const uint8_t *p, size_t n)
{
	uint8_t	*d;

	wsc_buf_reset(tmp);
	if ((d = wsc_buf_reserve(tmp, wsc_hexdump_size(n))) == NULL) {
		o->failed = 1;
		return;
	}
	wsc_buf_commit(tmp, wsc_hexdump((char *)d, p, n));
	wsc_out_lines(o, prefix, plen, wsc_buf_head(tmp), wsc_buf_used(tmp));
}

/* One base64 line per message. */
static void
out_base64(struct wsc_out *o, const uint8_t *p, size_t n)
{
	size_t	 olen;
	uint8_t	*d;

	if ((d = wsc_buf_reserve(&o->buf, WSC_BASE64_LEN(n) + 1)) == NULL) {
		o->failed = 1;
		return;
	}
	olen = wsc_base64_encode((char *)d, p, n);
	d[olen] = '\n';
	wsc_buf_commit(&o->buf, olen + 1);
}

void
wsc_out_binary(struct wsc_out *o, enum wsc_binfmt fmt, const uint8_t *p,
    size_t n)
{
	if (o->failed)
		return;
	switch (fmt) {
	case WSC_BIN_RAW:
		wsc_out_write(o, p, n);
		return;
	case WSC_BIN_BASE64:
		out_base64(o, p, n);
		break;
	default:
		out_hexdump(o, p, n);
		break;
	}
	if (wsc_buf_used(&o->buf) >= o->flush_at)
		wsc_out_flush(o);
}

/* Escapes in slices through a fixed buffer: b grows by the output only. */
void
wsc_escape_for_tty(struct wsc_buf *b, const uint8_t *p, size_t n)
{
	char	out[WSC_ESC_RATIO * 1024];
	size_t	k, used;

	while (n > 0) {
		k = n < 1024 ? n : 1024;
		k = wsc_escape(out, p, k, WSC_ESC_KEEP_NL | WSC_ESC_KEEP_TAB |
		    (k < n ? WSC_ESC_MORE : 0), &used);
		wsc_buf_append(b, out, k);
		p += used;
		n -= used;
	}
}
