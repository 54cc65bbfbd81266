/* Making a peer's text safe to show on a terminal: every byte a server or
 * client controls goes through here before a person sees it (wsc(1),
 * ESCAPING). Pure functions on buffers, no allocation.
 *
 * Shown escaped: C0 controls and DEL as \xNN (a tab or newline only when
 * the caller does not keep them), C1 controls encoded in UTF-8 (U+0080 to
 * U+009F) and the BIDI embedding, override and isolate controls (U+202A
 * to U+202E, U+2066 to U+2069) as \uNNNN, and each byte that is not part
 * of valid UTF-8 (RFC 3629: also overlong forms, surrogates, values past
 * U+10FFFF, a truncated character) as \xNN. Hex digits are lower case.
 * Everything else, the backslash included, is copied as it is. */
#ifndef WSC_ESCAPE_H
#define WSC_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#define WSC_ESC_KEEP_NL		0x1	/* newlines pass as they are */
#define WSC_ESC_KEEP_TAB	0x2	/* tabs pass as they are */
#define WSC_ESC_MORE		0x4	/* more input follows: an unfinished
					   character at the end is left */

/* The most one input byte can become (\xNN); size dst with it. */
#define WSC_ESC_RATIO		4

/* Escapes n bytes of p into dst (room for WSC_ESC_RATIO * n bytes) and
 * returns the bytes written. *used gets the input consumed: n, unless
 * WSC_ESC_MORE is given and p ends inside a character (then 1-3 less). */
size_t	 wsc_escape(char *dst, const uint8_t *p, size_t n, unsigned flags,
	    size_t *used);

/* Escaping a text that arrives in pieces: a character split between two
 * pieces is kept back until the rest arrives. */
struct wsc_escaper {
	unsigned	flags;		/* WSC_ESC_KEEP_* */
	uint8_t		carry[4];	/* the start of an unfinished character */
	size_t		ncarry;
};

void	 wsc_escaper_init(struct wsc_escaper *e, unsigned flags);
/* Escapes the next piece (last: the text ends with it) into dst, room for
 * WSC_ESC_RATIO * (n + 3) bytes; returns the bytes written. */
size_t	 wsc_escaper_feed(struct wsc_escaper *e, char *dst, const uint8_t *p,
	    size_t n, int last);

#endif
