/* "/to N text": a message for client N only, in listen mode with --slash
 * (wsc(1), LISTEN MODE), typed at the prompt or read from piped input.
 * One parser for both: bytes in, the client and the text out. No I/O. */
#ifndef WSC_ROUTE_H
#define WSC_ROUTE_H

#include <stddef.h>

/* What a line is. */
enum wsc_route_kind {
	WSC_ROUTE_NONE = 0,	/* not a /to line: a message as it is */
	WSC_ROUTE_TO,		/* text for one client */
	WSC_ROUTE_BAD		/* a /to line that cannot be sent: why */
};

struct wsc_route {
	unsigned	 client;	/* WSC_ROUTE_TO: 1 or more */
	const char	*text;		/* WSC_ROUTE_TO: inside the input */
	size_t		 len;
	const char	*why;		/* WSC_ROUTE_BAD: a constant string */
};

/* Parses the n bytes of line p (no NUL needed): "/to", blanks, N in
 * decimal (leading zeros allowed, 1 to UINT_MAX), then the end or one
 * blank (space or tab) after which the rest, byte for byte, is the text.
 * "/to" must end the line or be followed by a blank: "/tox" is not one. */
enum wsc_route_kind wsc_route_parse(const char *p, size_t n,
	    struct wsc_route *r);
/* The same for what follows "/to" and its blanks ("N text"), as the
 * prompt's command table hands it over. */
enum wsc_route_kind wsc_route_parse_args(const char *p, size_t n,
	    struct wsc_route *r);

#endif
