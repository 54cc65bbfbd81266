/* Explaining a refused handshake: headers and body, escaped as every
 * notice is (escape.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "refusal.h"
#include "util.h"

/* The headers that explain a refusal (RFC 9110: authentication, where to
 * go, when to retry, what the body is; RFC 6455 section 4.4: the versions
 * the server speaks). */
static const char *const explaining[] = {
	"WWW-Authenticate", "Location", "Retry-After", "Content-Type",
	"Sec-WebSocket-Version"
};

/* Escapes the next character of p (n > 0 bytes), or the next byte that
 * cannot start one, into dst (room for 4 * WSC_ESC_RATIO bytes); *used
 * gets the bytes of p it took. A character is at most 4 bytes long, so
 * by then the escaper has taken something. */
static size_t
escape_unit(const uint8_t *p, size_t n, char *dst, size_t *used)
{
	size_t	len, w = 0;

	for (len = 1; len <= n && len <= 4; len++) {
		w = wsc_escape(dst, p, len, len < n ? WSC_ESC_MORE : 0, used);
		if (*used > 0)
			break;
	}
	return w;
}

/* Peer text as every notice shows it (escape.h), one character at a
 * time so that an escape or a character is never cut at cap. */
size_t
wsc_refusal_printable(const uint8_t *p, size_t n, char *out, size_t cap)
{
	char	unit[4 * WSC_ESC_RATIO];
	size_t	i = 0, o = 0, w, used;

	if (cap == 0)
		return 0;
	while (i < n) {
		w = escape_unit(p + i, n - i, unit, &used);
		if (o + w >= cap)
			break;
		memcpy(out + o, unit, w);
		o += w;
		i += used;
	}
	out[o] = '\0';
	return o;
}

/* Appends "indent" and the printable form of p to the text at *t. */
static void
add_line(char **t, size_t *len, const char *indent, const char *label,
    const uint8_t *p, size_t n)
{
	char	line[WSC_REFUSAL_BODY_MAX * WSC_ESC_RATIO + 128], *nt;
	size_t	k;

	k = (size_t)snprintf(line, sizeof line, "%s%s", *len > 0 ? "\n" : "",
	    indent);
	k += (size_t)snprintf(line + k, sizeof line - k, "%s", label);
	k += wsc_refusal_printable(p, n, line + k, sizeof line - k);
	if ((nt = realloc(*t, *len + k + 1)) == NULL)
		return;
	memcpy(nt + *len, line, k + 1);
	*t = nt;
	*len += k;
}

/* The body, line by line (CR LF or LF), indented under its title. */
static void
add_body(char **t, size_t *len, const uint8_t *body, size_t n)
{
	const uint8_t	*p = body, *end = body + n, *nl;
	char		 title[64];
	size_t		 k;

	snprintf(title, sizeof title, "body (first %zu bytes):", n);
	add_line(t, len, "  ", n < WSC_REFUSAL_BODY_MAX ? "body:" : title,
	    NULL, 0);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl != NULL ? nl : end) - p);
		add_line(t, len, "    ", "", p, k > 0 && p[k - 1] == '\r' ?
		    k - 1 : k);
		p += k + (nl != NULL);
	}
}

char *
wsc_refusal_explain(const struct wsc_http_msg *m, const uint8_t *body,
    size_t n)
{
	char		*t = NULL, label[64];
	size_t		 len = 0, i, j;
	const char	*v;

	for (i = 0; i < sizeof explaining / sizeof explaining[0]; i++)
		for (j = 0; j < m->nheaders; j++) {
			if (!wsc_strcaseeq(m->headers[j].name, explaining[i]))
				continue;
			v = m->headers[j].value;
			snprintf(label, sizeof label, "%s: ", explaining[i]);
			add_line(&t, &len, "  ", label, (const uint8_t *)v,
			    strlen(v));
		}
	if (n > WSC_REFUSAL_BODY_MAX)
		n = WSC_REFUSAL_BODY_MAX;
	if (n > 0)
		add_body(&t, &len, body, n);
	return t;
}
