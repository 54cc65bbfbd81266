/* Explaining a refused WebSocket handshake (a status other than 101): the
 * response headers that say why and the start of the body, escaped,
 * for the lines under the error (wsc(1), EXIT STATUS 5). No I/O. */
#ifndef WSC_REFUSAL_H
#define WSC_REFUSAL_H

#include <stddef.h>
#include <stdint.h>

#include "handshake.h"

/* At most this much of the body is shown. */
#define WSC_REFUSAL_BODY_MAX	512

/* Copies n bytes of peer text into out (cap bytes, NUL included),
 * escaped as wsc(1) ESCAPING says (escape.h), so nothing the server sends
 * can move the cursor or change the terminal. Stops before a character or
 * an escape that would not fit. Returns the length written. */
size_t	 wsc_refusal_printable(const uint8_t *p, size_t n, char *out,
	    size_t cap);
/* The explanation of refusal m with the first n bytes of its body (at most
 * WSC_REFUSAL_BODY_MAX are used): lines separated by '\n', each indented,
 * no newline at the end; NULL when there is nothing to show. The caller
 * frees it. */
char	*wsc_refusal_explain(const struct wsc_http_msg *m, const uint8_t *body,
	    size_t n);

#endif
