/* "/to N text" (route.h): where the prompt and piped input agree on what
 * a client's number is and where its text starts. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "route.h"

/* Is c a blank between the words of a command line? */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Fills r for a refusal and says so. */
static enum wsc_route_kind
bad(struct wsc_route *r, const char *why)
{
	r->why = why;
	return WSC_ROUTE_BAD;
}

/* Reads N, decimal, at p; *i gets the bytes read. NULL, or why not. */
static const char *
parse_number(const char *p, size_t n, size_t *i, unsigned *out)
{
	unsigned long long	v = 0;
	size_t			k = 0;

	while (k < n && p[k] >= '0' && p[k] <= '9') {
		v = v * 10 + (unsigned)(p[k++] - '0');
		/* Past UINT_MAX it can only grow: no need to read on. */
		if (v > UINT_MAX)
			return "N is too large";
	}
	*i = k;
	if (k == 0 || (k < n && !is_blank(p[k])))
		return "N is not a number";
	if (v == 0)
		return "N is 0: clients are numbered from 1";
	*out = (unsigned)v;
	return NULL;
}

enum wsc_route_kind
wsc_route_parse_args(const char *p, size_t n, struct wsc_route *r)
{
	const char	*why;
	size_t		 i;

	memset(r, 0, sizeof *r);
	if (n == 0)
		return bad(r, "N is missing");
	if ((why = parse_number(p, n, &i, &r->client)) != NULL) {
		r->client = 0;
		return bad(r, why);
	}
	/* One blank separates: the text keeps any blanks after it. */
	if (i < n)
		i++;
	r->text = p + i;
	r->len = n - i;
	return WSC_ROUTE_TO;
}

enum wsc_route_kind
wsc_route_parse(const char *p, size_t n, struct wsc_route *r)
{
	size_t	i = 3;

	memset(r, 0, sizeof *r);
	if (n < 3 || memcmp(p, "/to", 3) != 0 || (n > 3 && !is_blank(p[3])))
		return WSC_ROUTE_NONE;
	while (i < n && is_blank(p[i]))
		i++;
	return wsc_route_parse_args(p + i, n - i, r);
}
