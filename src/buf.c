/* A growable byte buffer consumed from the front. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
wsc_buf_init(struct wsc_buf *b)
{
	memset(b, 0, sizeof *b);
}

void
wsc_buf_free(struct wsc_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

uint8_t *
wsc_buf_reserve(struct wsc_buf *b, size_t n)
{
	size_t	 used = b->len - b->off, cap;
	uint8_t	*p;

	if (b->cap - b->len >= n)
		return b->data + b->len;
	/* Slide the live bytes down when that makes room: cheaper than
	 * growing, and keeps the buffer at its working size. */
	if (b->off > 0 && b->cap - used >= n) {
		memmove(b->data, b->data + b->off, used);
		b->off = 0;
		b->len = used;
		return b->data + b->len;
	}
	if (used + n < used)
		return NULL;
	cap = b->cap ? b->cap : 4096;
	while (cap < used + n) {
		if (cap > SIZE_MAX / 2)
			return NULL;
		cap *= 2;
	}
	if (b->off > 0) {
		memmove(b->data, b->data + b->off, used);
		b->off = 0;
		b->len = used;
	}
	p = realloc(b->data, cap);
	if (p == NULL)
		return NULL;
	b->data = p;
	b->cap = cap;
	return b->data + b->len;
}

void
wsc_buf_commit(struct wsc_buf *b, size_t n)
{
	b->len += n;
}

int
wsc_buf_append(struct wsc_buf *b, const void *p, size_t n)
{
	uint8_t	*dst;

	if (n == 0)
		return 0;
	if ((dst = wsc_buf_reserve(b, n)) == NULL)
		return -1;
	memcpy(dst, p, n);
	b->len += n;
	return 0;
}

void
wsc_buf_consume(struct wsc_buf *b, size_t n)
{
	b->off += n;
	if (b->off >= b->len)
		b->off = b->len = 0;
}

void
wsc_buf_reset(struct wsc_buf *b)
{
	b->off = b->len = 0;
}
