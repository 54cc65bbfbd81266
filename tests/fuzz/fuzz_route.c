/* fuzz-sources: src/route.c */
/* Fuzzes the "/to N text" parser: whatever the line, a line that does not
 * start with "/to" and a blank (or end there) is no /to line; a /to line
 * is either refused with a reason, or names a client from 1 whose
 * decimal digits come right before the text, and the text is the line's
 * tail, inside it. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Is the line "/to" alone or "/to" and a blank? */
static int
is_to_line(const char *p, size_t n)
{
	return n >= 3 && memcmp(p, "/to", 3) == 0 &&
	    (n == 3 || p[3] == ' ' || p[3] == '\t');
}

/* The value of the digits that end just before q (one blank between them
 * and q, unless q is where they end); 0 when none. */
static unsigned long long
digits_before(const char *start, const char *q)
{
	unsigned long long	v = 0, scale = 1;

	if (q > start && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	while (q > start && q[-1] >= '0' && q[-1] <= '9' &&
	    scale <= 10000000000ULL) {
		v += (unsigned long long)(q[-1] - '0') * scale;
		scale *= 10;
		q--;
	}
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*p = (const char *)data;
	struct wsc_route	 r;
	enum wsc_route_kind	 k = wsc_route_parse(p, size, &r);

	if ((k != WSC_ROUTE_NONE) != is_to_line(p, size))
		abort();
	if (k == WSC_ROUTE_BAD && (r.why == NULL || r.client != 0))
		abort();
	if (k == WSC_ROUTE_TO && (r.client == 0 || r.text < p ||
	    r.text + r.len != p + size ||
	    digits_before(p, r.text) % 10000000000ULL !=
	    r.client % 10000000000ULL))
		abort();
	/* The prompt's entry point takes any bytes too. */
	k = wsc_route_parse_args(p, size, &r);
	if (k == WSC_ROUTE_NONE || (k == WSC_ROUTE_TO && (r.client == 0 ||
	    r.text + r.len != p + size)))
		abort();
	return 0;
}
