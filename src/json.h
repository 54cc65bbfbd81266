/* JSON string bodies (RFC 8259 section 7) from arbitrary bytes, fed in
 * pieces of any size: what --jsonl writes for message texts, close
 * reasons and ping payloads. The result is valid JSON whatever the bytes:
 * quotes, backslashes, C0 controls and DEL are escaped, so are U+2028 and
 * U+2029 (line terminators to JavaScript), and each byte that cannot be
 * part of valid UTF-8 becomes U+FFFD (written \ufffd). */
#ifndef WSC_JSON_H
#define WSC_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The escaper's state between pieces: the start of a UTF-8 sequence that
 * the last piece cut off. */
struct wsc_json_str {
	uint8_t	carry[4];
	size_t	ncarry;
};

void	 wsc_json_str_init(struct wsc_json_str *js);
/* Appends the escaped form of n more bytes to b (no quotes). Returns 0,
 * or -1 on out-of-memory. */
int	 wsc_json_str_feed(struct wsc_json_str *js, struct wsc_buf *b,
	    const uint8_t *p, size_t n);
/* The end of the string: a sequence left incomplete becomes U+FFFD. */
int	 wsc_json_str_end(struct wsc_json_str *js, struct wsc_buf *b);
/* The most bytes one input byte can become (\u00XX, \ufffd). */
#define WSC_JSON_WORST	6

/* One-shot, into a caller's buffer: writes the escaped form of the whole
 * of p (no quotes; a sequence cut off at its end is invalid) into dst,
 * which has room for WSC_JSON_WORST * n bytes; returns the bytes written. */
size_t	 wsc_json_escape(char *dst, const uint8_t *p, size_t n);
/* One-shot: appends p as a whole JSON string, quotes included. */
int	 wsc_json_string(struct wsc_buf *b, const uint8_t *p, size_t n);

#endif
