/* A growable byte buffer with a consumed-from-the-front head: the outbound
 * queue, the stdout buffer and the input buffers all use it. Appends never
 * allocate once the buffer has grown to its working size. */
#ifndef WSC_BUF_H
#define WSC_BUF_H

#include <stddef.h>
#include <stdint.h>

struct wsc_buf {
	uint8_t	*data;
	size_t	 off;	/* first unconsumed byte */
	size_t	 len;	/* end of valid bytes (data + len) */
	size_t	 cap;
};

void	 wsc_buf_init(struct wsc_buf *b);
void	 wsc_buf_free(struct wsc_buf *b);
/* Bytes waiting to be consumed. */
static inline size_t
wsc_buf_used(const struct wsc_buf *b)
{
	return b->len - b->off;
}
/* The first unconsumed byte. A buffer that never grew has no storage,
 * and NULL + 0 is undefined (C11 6.5.6; clang's UBSan stops there): it
 * lends a static empty array instead, as valid for zero bytes as any. */
extern uint8_t	 wsc_buf_none[1];
static inline uint8_t *
wsc_buf_head(const struct wsc_buf *b)
{
	return b->data != NULL ? b->data + b->off : wsc_buf_none;
}
/* Makes room for n more bytes at the tail (compacting or growing) and
 * returns a pointer to it; -1/NULL on out-of-memory. */
uint8_t	*wsc_buf_reserve(struct wsc_buf *b, size_t n);
/* Marks n bytes written at the tail after wsc_buf_reserve. */
void	 wsc_buf_commit(struct wsc_buf *b, size_t n);
/* Appends n bytes; 0 or -1 on out-of-memory. */
int	 wsc_buf_append(struct wsc_buf *b, const void *p, size_t n);
/* Drops n bytes from the head. Inline: it runs once per message (S3 in
 * scripts/bench); an empty buffer starts over at the front. */
static inline void
wsc_buf_consume(struct wsc_buf *b, size_t n)
{
	b->off += n;
	if (b->off >= b->len)
		b->off = b->len = 0;
}
void	 wsc_buf_reset(struct wsc_buf *b);
/* Gives memory back: an empty buffer whose capacity is above keep is
 * brought down to keep bytes (still allocated). 0, or -1 when b is not
 * empty or realloc failed (b is unchanged then). */
int	 wsc_buf_shrink(struct wsc_buf *b, size_t keep);

/* Whole messages kept in a buffer, [opcode][32-bit length][bytes] each:
 * what is read while there is no connection to send it on. */
int	 wsc_buf_put_msg(struct wsc_buf *b, int opcode, const void *p, size_t n);
/* The oldest kept message, or 0 when there is none; drop it with
 * wsc_buf_consume(b, the return value) once sent. */
size_t	 wsc_buf_peek_msg(const struct wsc_buf *b, int *opcode,
	    const uint8_t **p, size_t *n);

#endif
