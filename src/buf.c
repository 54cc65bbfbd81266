/* A growable byte buffer consumed from the front. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

uint8_t	wsc_buf_none[1];

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

	if (b->data != NULL && b->cap - b->len >= n)
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
	/* Small at first: a short run sets up several buffers, and 4 KiB
	 * ones each cost page faults of their own (S1 in scripts/bench);
	 * one that fills grows by doubling. */
	cap = b->cap ? b->cap : 256;
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
wsc_buf_reset(struct wsc_buf *b)
{
	b->off = b->len = 0;
}

int
wsc_buf_shrink(struct wsc_buf *b, size_t keep)
{
	uint8_t	*p;

	if (b->cap <= keep)
		return 0;
	/* Refused while bytes are held, and for 0: the buffer stays allocated. */
	if (b->len != b->off || keep == 0 ||
	    (p = realloc(b->data, keep)) == NULL)
		return -1;
	b->data = p;
	b->cap = keep;
	b->off = b->len = 0;
	return 0;
}

int
wsc_buf_put_msg(struct wsc_buf *b, int opcode, const void *p, size_t n)
{
	uint8_t		hdr[5];
	uint32_t	len = (uint32_t)n;

	if (n > UINT32_MAX)
		return -1;
	hdr[0] = (uint8_t)opcode;
	memcpy(hdr + 1, &len, 4);
	if (wsc_buf_append(b, hdr, 5) != 0 || wsc_buf_append(b, p, n) != 0)
		return -1;
	return 0;
}

size_t
wsc_buf_peek_msg(const struct wsc_buf *b, int *opcode, const uint8_t **p,
    size_t *n)
{
	const uint8_t	*h = wsc_buf_head(b);
	uint32_t	 len;

	if (wsc_buf_used(b) < 5)
		return 0;
	memcpy(&len, h + 1, 4);
	*opcode = h[0];
	*p = h + 5;
	*n = len;
	return 5 + (size_t)len;
}

