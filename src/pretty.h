/* --pretty: JSON text messages reindented with two spaces, optionally in
 * colour. The formatter is a loop over the input with an explicit,
 * bounded stack of open containers (no recursion), so nesting however
 * deep costs no C stack: past WSC_PRETTY_MAX_DEPTH the message is
 * treated as not JSON and printed unchanged. It validates as it goes
 * (RFC 8259) and leaves the output as it was on any error. */
#ifndef WSC_PRETTY_H
#define WSC_PRETTY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define WSC_PRETTY_MAX_DEPTH	1024

/* Colours (escape sequences, each NULL or "" for none) and whether string
 * contents must be made safe for a terminal: DEL and C1 controls
 * (U+0080-U+009F), which JSON allows raw, are then written as \u00XX
 * escapes (the same JSON value). */
struct wsc_pretty_style {
	const char	*key;
	const char	*string;
	const char	*number;
	const char	*literal;	/* true, false, null */
	const char	*punct;		/* braces, brackets, commas, colons */
	const char	*reset;
	int		 safe;
};

/* Appends the reindented form of p (no final newline) to dst and returns
 * 0 when p is one JSON object or array (surrounded by any whitespace);
 * otherwise returns -1 and leaves dst as it was (also on out-of-memory).
 * style may be NULL: no colours. */
int	 wsc_pretty(struct wsc_buf *dst, const uint8_t *p, size_t n,
	    const struct wsc_pretty_style *style);

#endif
