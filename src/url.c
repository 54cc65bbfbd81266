/* WebSocket URLs (RFC 6455 section 3, RFC 3986 syntax) and redirect
 * Location resolution (RFC 7231 section 7.1.2, RFC 3986 section 5.2).
 * Pure: no I/O, no name resolution, never prints. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "util.h"

/* RFC 1035 section 2.3.4: 63 octets a label, 253 characters a name
 * (255 on the wire) not counting an optional root dot. */
#define URL_LABEL_MAX	63
#define URL_NAME_MAX	253
/* How much of a bad piece of input an error message quotes. */
#define URL_QUOTE_MAX	40

static void	url_seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Puts a message in the caller's err buffer, if it gave one. */
static void
url_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Clamps a length for "%.*s" so messages stay short. */
static int
url_qlen(size_t n)
{
	return (n > URL_QUOTE_MAX ? URL_QUOTE_MAX : (int)n);
}

/* ASCII only: URLs are ASCII and the locale must not matter. */
static int
url_lower(int c)
{
	return (c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* ASCII letter, whatever the locale. */
static int
url_isalpha(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/* ASCII decimal digit. */
static int
url_isdigit(int c)
{
	return (c >= '0' && c <= '9');
}

/* Value of a hex digit, or -1. */
static int
url_hexval(int c)
{
	if (url_isdigit(c))
		return (c - '0');
	c = url_lower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

/* strndup that reports out-of-memory through err instead of aborting. */
static char *
url_strndup(const char *s, size_t n, char *err, size_t errlen)
{
	char	*p;

	if ((p = malloc(n + 1)) == NULL) {
		url_seterr(err, errlen, "out of memory");
		return (NULL);
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

/* Copies an optional string: NULL stays NULL. Returns 0 or -1. */
static int
url_dup_opt(char **dst, const char *s, char *err, size_t errlen)
{
	*dst = NULL;
	if (s == NULL)
		return (0);
	*dst = url_strndup(s, strlen(s), err, errlen);
	return (*dst == NULL ? -1 : 0);
}

/* RFC 3986 section 2 and 7.3: spaces, control characters and raw
 * non-ASCII bytes cannot appear in a URL; letting them through would put
 * them in the request line (request smuggling, broken headers). */
static int
url_check_chars(const char *s, char *err, size_t errlen)
{
	size_t		i;
	unsigned char	c;

	for (i = 0; s[i] != '\0'; i++) {
		c = (unsigned char)s[i];
		if (c == ' ') {
			url_seterr(err, errlen, "space at offset %zu "
			    "(percent-encode it as %%20)", i);
			return (-1);
		}
		if (c < 0x20 || c == 0x7f) {
			url_seterr(err, errlen, "control character 0x%02x at "
			    "offset %zu", c, i);
			return (-1);
		}
		if (c >= 0x80) {
			url_seterr(err, errlen, "non-ASCII byte at offset %zu "
			    "(percent-encode it)", i);
			return (-1);
		}
	}
	return (0);
}

/* Are all n bytes of s decimal digits? */
static int
url_all_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!url_isdigit((unsigned char)s[i]))
			return (0);
	return (1);
}

/* Length of an RFC 3986 section 3.1 scheme followed by ':', or 0. */
static size_t
url_scheme_len(const char *s)
{
	size_t	n;

	if (!url_isalpha((unsigned char)s[0]))
		return (0);
	for (n = 1; s[n] != '\0' && s[n] != ':'; n++) {
		if (!url_isalpha((unsigned char)s[n]) &&
		    !url_isdigit((unsigned char)s[n]) &&
		    s[n] != '+' && s[n] != '-' && s[n] != '.')
			return (0);
	}
	return (s[n] == ':' ? n : 0);
}

/* Does s (what follows "name:") look like a port, as in "localhost:8080"?
 * Then the user left out the scheme rather than naming a strange one. */
static int
url_looks_like_port(const char *s)
{
	size_t	n = strspn(s, "0123456789");

	return (n > 0 && (s[n] == '\0' || strchr("/?#", s[n]) != NULL));
}

/* 1 for wss/https, 0 for ws/http (RFC 6455 section 3; schemes are
 * case-insensitive, RFC 3986 section 3.1), -1 for anything else. */
static int
url_scheme_secure(const char *s, size_t n)
{
	char	buf[6];
	size_t	i;

	if (n >= sizeof buf)
		return (-1);
	for (i = 0; i < n; i++)
		buf[i] = url_lower((unsigned char)s[i]);
	buf[n] = '\0';
	if (strcmp(buf, "ws") == 0 || strcmp(buf, "http") == 0)
		return (0);
	if (strcmp(buf, "wss") == 0 || strcmp(buf, "https") == 0)
		return (1);
	return (-1);
}

/* Reads "scheme://" and sets u->secure; *rest points after the "//". */
static int
url_parse_scheme(struct wsc_url *u, const char *s, const char **rest,
    char *err, size_t errlen)
{
	size_t	n = url_scheme_len(s);
	int	secure;

	if (n == 0 ||
	    (url_scheme_secure(s, n) == -1 && url_looks_like_port(s + n + 1))) {
		url_seterr(err, errlen,
		    "missing scheme (expected ws:// or wss://)");
		return (-1);
	}
	if ((secure = url_scheme_secure(s, n)) == -1) {
		url_seterr(err, errlen, "unsupported scheme '%.*s' "
		    "(expected ws:// or wss://)", url_qlen(n), s);
		return (-1);
	}
	/* RFC 6455 section 3: "ws:" "//" host [ ":" port ] path [ "?" q ]. */
	if (s[n + 1] != '/' || s[n + 2] != '/') {
		url_seterr(err, errlen, "expected '//' after '%.*s:'",
		    (int)n, s);
		return (-1);
	}
	u->secure = secure;
	*rest = s + n + 3;
	return (0);
}

/* Percent-decodes n bytes of s (RFC 3986 section 2.1) into a new string.
 * A decoded NUL would silently truncate a credential, so it is refused. */
static char *
url_pct_decode(const char *s, size_t n, const char *what, char *err,
    size_t errlen)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	if ((out = o = url_strndup(s, n, err, errlen)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= n)
			hi = lo = -1;
		else {
			hi = url_hexval((unsigned char)s[i + 1]);
			lo = url_hexval((unsigned char)s[i + 2]);
		}
		if (hi == -1 || lo == -1) {
			url_seterr(err, errlen, "invalid percent-encoding "
			    "in %s", what);
			goto fail;
		}
		if ((*o++ = (char)(hi << 4 | lo)) == '\0') {
			url_seterr(err, errlen, "percent-encoded NUL (%%00) "
			    "in %s", what);
			goto fail;
		}
		i += 2;
	}
	*o = '\0';
	return (out);
fail:
	free(out);
	return (NULL);
}

/* Splits userinfo at the first ':' into user and password (RFC 3986
 * section 3.2.1); empty userinfo ("@host") means no credentials. */
static int
url_parse_userinfo(struct wsc_url *u, const char *s, size_t n, char *err,
    size_t errlen)
{
	const char	*colon = memchr(s, ':', n);
	size_t		 ulen = colon != NULL ? (size_t)(colon - s) : n;

	if (n == 0)
		return (0);
	u->user = url_pct_decode(s, ulen, "user name", err, errlen);
	if (u->user == NULL)
		return (-1);
	if (colon == NULL)
		return (0);
	u->password = url_pct_decode(colon + 1, n - ulen - 1, "password", err,
	    errlen);
	return (u->password == NULL ? -1 : 0);
}

/* Copies a host name lower-cased: DNS names are case-insensitive
 * (RFC 4343) and so is the hex of IPv6 literals. */
static int
url_set_host(struct wsc_url *u, const char *h, size_t n, char *err,
    size_t errlen)
{
	size_t	i;

	if ((u->host = url_strndup(h, n, err, errlen)) == NULL)
		return (-1);
	for (i = 0; i < n; i++)
		u->host[i] = url_lower((unsigned char)u->host[i]);
	return (0);
}

/* Checks the inside of "[...]" (RFC 3986 section 3.2.2 IP-literal). */
static int
url_set_ipv6(struct wsc_url *u, const char *h, size_t n, char *err,
    size_t errlen)
{
	struct in6_addr	a6;
	char		buf[INET6_ADDRSTRLEN];

	/* RFC 6874 zone ids ("%25eth0") mean nothing to a remote Host
	 * header and getaddrinfo handling varies: refuse them plainly. */
	if (memchr(h, '%', n) != NULL) {
		url_seterr(err, errlen, "IPv6 zone ids are not supported "
		    "('[%.*s]')", url_qlen(n), h);
		return (-1);
	}
	if (n >= sizeof buf)
		goto bad;
	memcpy(buf, h, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, &a6) != 1)
		goto bad;
	u->host_is_ipv6 = u->host_is_ip = 1;
	return (url_set_host(u, h, n, err, errlen));
bad:
	url_seterr(err, errlen, "invalid IPv6 address '%.*s'", url_qlen(n), h);
	return (-1);
}

/* A name whose last label is all digits is meant as an IPv4 address
 * (the WHATWG URL rule): it must then be a dotted quad. glibc's
 * getaddrinfo would otherwise take "127.1" or "0x7f.1" via inet_aton. */
static int
url_check_ipv4(struct wsc_url *u, const char *h, size_t n, char *err,
    size_t errlen)
{
	struct in_addr	 a4;
	char		 buf[INET_ADDRSTRLEN];
	size_t		 m = n, last;

	if (m > 0 && h[m - 1] == '.')
		m--;
	for (last = m; last > 0 && h[last - 1] != '.'; last--)
		;
	if (last == m || !url_all_digits(h + last, m - last))
		return (0);
	if (n < sizeof buf) {
		memcpy(buf, h, n);
		buf[n] = '\0';
		if (inet_pton(AF_INET, buf, &a4) == 1) {
			u->host_is_ip = 1;
			return (0);
		}
	}
	url_seterr(err, errlen, "invalid IPv4 address '%.*s'", url_qlen(n), h);
	return (-1);
}

/* Checks labels of a DNS name against RFC 1035 section 2.3.4 limits;
 * one trailing dot (an absolute name) is allowed. */
static int
url_check_labels(const char *h, size_t n, char *err, size_t errlen)
{
	size_t	i, start = 0;

	if (n - (h[n - 1] == '.') > URL_NAME_MAX) {
		url_seterr(err, errlen, "host name longer than %d characters",
		    URL_NAME_MAX);
		return (-1);
	}
	for (i = 0; i <= n; i++) {
		if (i < n && h[i] != '.')
			continue;
		if (i == start && !(i == n && n > 1)) {
			url_seterr(err, errlen, "empty label in host '%.*s'",
			    url_qlen(n), h);
			return (-1);
		}
		if (i - start > URL_LABEL_MAX) {
			url_seterr(err, errlen, "host name label longer than "
			    "%d characters", URL_LABEL_MAX);
			return (-1);
		}
		start = i + 1;
	}
	return (0);
}

/* Checks an unbracketed host: an IPv4 literal or a DNS name made of
 * letters, digits, '-', '.' and '_' (seen in SRV-style names). */
static int
url_set_regname(struct wsc_url *u, const char *h, size_t n, char *err,
    size_t errlen)
{
	size_t	i;

	if (n == 0) {
		url_seterr(err, errlen, "empty host");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (url_isalpha((unsigned char)h[i]) ||
		    url_isdigit((unsigned char)h[i]) || h[i] == '-' ||
		    h[i] == '.' || h[i] == '_')
			continue;
		url_seterr(err, errlen, "invalid character '%c' in host", h[i]);
		return (-1);
	}
	if (url_check_labels(h, n, err, errlen) == -1 ||
	    url_check_ipv4(u, h, n, err, errlen) == -1)
		return (-1);
	return (url_set_host(u, h, n, err, errlen));
}

/* Reads the port: digits only, 1..65535 (RFC 3986 section 3.2.3; port 0
 * cannot be connected to). An empty port is refused as a likely typo. */
static int
url_parse_port(struct wsc_url *u, const char *p, size_t n, char *err,
    size_t errlen)
{
	unsigned long	v = 0;
	size_t		i;

	if (n == 0) {
		url_seterr(err, errlen, "empty port after ':'");
		return (-1);
	}
	if (!url_all_digits(p, n)) {
		url_seterr(err, errlen, "bad port '%.*s'", url_qlen(n), p);
		return (-1);
	}
	for (i = 0; i < n && v <= 65535; i++)
		v = v * 10 + (unsigned long)(p[i] - '0');
	if (v == 0 || v > 65535) {
		url_seterr(err, errlen, "port %.*s out of range (1-65535)",
		    url_qlen(n), p);
		return (-1);
	}
	u->port = (unsigned)v;
	u->port_explicit = 1;
	return (0);
}

/* Reads host and port from hostport, the authority without userinfo. */
static int
url_parse_hostport(struct wsc_url *u, const char *a, size_t n, char *err,
    size_t errlen)
{
	const char	*end = a + n, *close, *colon;

	u->port = u->secure ? 443 : 80;
	if (n > 0 && a[0] == '[') {
		if ((close = memchr(a, ']', n)) == NULL) {
			url_seterr(err, errlen, "unterminated IPv6 literal "
			    "(missing ']')");
			return (-1);
		}
		if (url_set_ipv6(u, a + 1, close - a - 1, err, errlen) == -1)
			return (-1);
		colon = close + 1;
		if (colon < end && *colon != ':') {
			url_seterr(err, errlen, "unexpected '%c' after IPv6 "
			    "literal", *colon);
			return (-1);
		}
	} else {
		if ((colon = memchr(a, ':', n)) == NULL)
			colon = end;
		else if (memchr(colon + 1, ':', end - colon - 1) != NULL) {
			url_seterr(err, errlen, "IPv6 address must be enclosed "
			    "in [ ]");
			return (-1);
		}
		if (url_set_regname(u, a, colon - a, err, errlen) == -1)
			return (-1);
	}
	if (colon == end)
		return (0);
	return (url_parse_port(u, colon + 1, end - colon - 1, err, errlen));
}

/* Reads the authority (RFC 3986 section 3.2): [userinfo "@"] hostport.
 * The last '@' separates userinfo, as browsers do, so an unencoded '@'
 * in a password still works. */
static int
url_parse_authority(struct wsc_url *u, const char *a, size_t n, char *err,
    size_t errlen)
{
	size_t	at = n;

	while (at > 0 && a[at - 1] != '@')
		at--;
	if (at > 0) {
		if (url_parse_userinfo(u, a, at - 1, err, errlen) == -1)
			return (-1);
		a += at;
		n -= at;
	}
	return (url_parse_hostport(u, a, n, err, errlen));
}

/* Copies path and query without the fragment, which is never sent (RFC
 * 6455 section 3); "" becomes "/" and "?q" becomes "/?q". */
static int
url_set_path(struct wsc_url *u, const char *p, char *err, size_t errlen)
{
	size_t	n = strcspn(p, "#");

	if (n == 0 || p[0] == '?') {
		if ((u->path = malloc(n + 2)) == NULL) {
			url_seterr(err, errlen, "out of memory");
			return (-1);
		}
		u->path[0] = '/';
		memcpy(u->path + 1, p, n);
		u->path[n + 1] = '\0';
		return (0);
	}
	u->path = url_strndup(p, n, err, errlen);
	return (u->path == NULL ? -1 : 0);
}

int
wsc_url_parse(struct wsc_url *u, const char *s, char *err, size_t errlen)
{
	const char	*p;
	size_t		 alen;

	memset(u, 0, sizeof *u);
	if (s == NULL || *s == '\0') {
		url_seterr(err, errlen, "empty URL");
		return (-1);
	}
	if (url_check_chars(s, err, errlen) == -1 ||
	    url_parse_scheme(u, s, &p, err, errlen) == -1)
		goto fail;
	/* Section 3.2: the authority ends at the next '/', '?' or '#'. */
	alen = strcspn(p, "/?#");
	if (url_parse_authority(u, p, alen, err, errlen) == -1 ||
	    url_set_path(u, p + alen, err, errlen) == -1)
		goto fail;
	return (0);
fail:
	wsc_url_free(u);
	return (-1);
}

void
wsc_url_free(struct wsc_url *u)
{
	if (u == NULL)
		return;
	free(u->host);
	free(u->path);
	free(u->user);
	free(u->password);
	memset(u, 0, sizeof *u);
}

/* Built by hand: every connection asks for it up to three times, and
 * the printf machinery cost S1 (scripts/bench) 12,000 instructions. */
char *
wsc_url_host_header(const struct wsc_url *u)
{
	unsigned	 dflt = u->secure ? 443 : 80, v = u->port;
	int		 br = u->host_is_ipv6;
	char		 port[12], *p = port + sizeof port, *s;
	size_t		 hl, pl, n;

	if (u->host == NULL)
		return (NULL);
	/* RFC 7230 section 5.4: Host is uri-host [ ":" port ]; the port
	 * is left out when it is the scheme's default. */
	if (v != dflt) {
		do
			*--p = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		*--p = ':';
	}
	pl = (size_t)(port + sizeof port - p);
	hl = strlen(u->host);
	if ((s = malloc(hl + pl + 3)) == NULL)
		return (NULL);
	n = 0;
	if (br)
		s[n++] = '[';
	memcpy(s + n, u->host, hl);
	n += hl;
	if (br)
		s[n++] = ']';
	memcpy(s + n, p, pl);
	s[n + pl] = '\0';
	return (s);
}

/* RFC 3986 section 5.2.4 remove_dot_segments, on a writable copy "in"
 * of an absolute path; out has room for strlen(in) + 1 bytes. */
static void
url_remove_dots(char *in, char *out)
{
	size_t	o = 0;

	while (*in != '\0') {
		if (strncmp(in, "../", 3) == 0)
			in += 3;
		else if (strncmp(in, "./", 2) == 0 ||
		    strncmp(in, "/./", 3) == 0)
			in += 2;
		else if (strcmp(in, "/.") == 0)
			in[1] = '\0';
		else if (strncmp(in, "/../", 4) == 0 ||
		    strcmp(in, "/..") == 0) {
			if (in[3] == '\0')
				in[1] = '\0';
			else
				in += 3;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0)
			in += strlen(in);
		else {
			do
				out[o++] = *in++;
			while (*in != '\0' && *in != '/');
		}
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
}

/* Removes "." and ".." segments from the path part of *path, leaving
 * the query alone (RFC 3986 section 5.2.2 applies it to the path). */
static int
url_normalize_path(char **path, char *err, size_t errlen)
{
	size_t	 plen = strcspn(*path, "?"), qlen = strlen(*path + plen);
	char	*in, *out;

	if ((in = url_strndup(*path, plen, err, errlen)) == NULL)
		return (-1);
	if ((out = malloc(plen + qlen + 2)) == NULL) {
		free(in);
		url_seterr(err, errlen, "out of memory");
		return (-1);
	}
	url_remove_dots(in, out);
	free(in);
	memcpy(out + strlen(out), *path + plen, qlen + 1);
	free(*path);
	*path = out;
	return (0);
}

/* Same origin (RFC 6454 section 4: scheme, host, port)? */
static int
url_same_origin(const struct wsc_url *a, const struct wsc_url *b)
{
	return (a->secure == b->secure && a->port == b->port &&
	    a->host_is_ipv6 == b->host_is_ipv6 &&
	    strcmp(a->host, b->host) == 0);
}

/* Resolves "scheme://..." or "//..." (network-path reference, RFC 3986
 * section 4.2: the base's scheme is kept). Credentials go along only to
 * the same origin, so a redirect cannot leak them to another host. */
static int
url_resolve_network(const struct wsc_url *base, const char *loc,
    struct wsc_url *u, char *err, size_t errlen)
{
	char	*abs = NULL;
	int	 r;

	if (loc[0] == '/') {
		if (wsc_asprintf(&abs, "%s:%s", base->secure ? "wss" : "ws",
		    loc) < 0) {
			url_seterr(err, errlen, "out of memory");
			return (-1);
		}
		loc = abs;
	}
	r = wsc_url_parse(u, loc, err, errlen);
	free(abs);
	if (r == -1)
		return (-1);
	if (u->user == NULL && url_same_origin(base, u)) {
		if (url_dup_opt(&u->user, base->user, err, errlen) == -1 ||
		    url_dup_opt(&u->password, base->password, err,
		    errlen) == -1)
			return (-1);
	}
	return (0);
}

/* Builds the new path for a same-host reference (RFC 3986 section
 * 5.2.2 and 5.2.3): absolute path, query only, empty, or relative path
 * merged with the directory of the base path. */
static char *
url_merge_path(const char *bpath, const char *loc, char *err, size_t errlen)
{
	size_t	 llen = strcspn(loc, "#"), blen;
	char	*p;

	if (loc[0] == '/')
		blen = 0;
	else if (llen == 0)
		blen = strlen(bpath);
	else if (loc[0] == '?')
		blen = strcspn(bpath, "?");
	else {
		blen = strcspn(bpath, "?");
		while (blen > 0 && bpath[blen - 1] != '/')
			blen--;
	}
	if ((p = malloc(blen + llen + 2)) == NULL) {
		url_seterr(err, errlen, "out of memory");
		return (NULL);
	}
	/* A base path always starts with '/'; the "/" guards a zeroed one. */
	if (blen == 0 && loc[0] != '/')
		memcpy(p, "/", blen = 1);
	else
		memcpy(p, bpath, blen);
	memcpy(p + blen, loc, llen);
	p[blen + llen] = '\0';
	return (p);
}

/* Resolves a reference without authority against base: same host,
 * port, scheme and credentials. */
static int
url_resolve_local(const struct wsc_url *base, const char *loc,
    struct wsc_url *u, char *err, size_t errlen)
{
	u->secure = base->secure;
	u->host_is_ipv6 = base->host_is_ipv6;
	u->host_is_ip = base->host_is_ip;
	u->port = base->port;
	u->port_explicit = base->port_explicit;
	if (url_dup_opt(&u->host, base->host, err, errlen) == -1 ||
	    url_dup_opt(&u->user, base->user, err, errlen) == -1 ||
	    url_dup_opt(&u->password, base->password, err, errlen) == -1)
		return (-1);
	u->path = url_merge_path(base->path != NULL ? base->path : "/", loc,
	    err, errlen);
	return (u->path == NULL ? -1 : 0);
}

int
wsc_url_resolve(const struct wsc_url *base, const char *location,
    struct wsc_url *out, char *err, size_t errlen)
{
	struct wsc_url	u;
	int		r;

	/* out may be base: build aside and replace base only on success. */
	memset(&u, 0, sizeof u);
	if (out != base)
		memset(out, 0, sizeof *out);
	if (base == NULL || base->host == NULL || location == NULL) {
		url_seterr(err, errlen, "no base URL to resolve against");
		return (-1);
	}
	if (url_check_chars(location, err, errlen) == -1)
		return (-1);
	if (url_scheme_len(location) > 0 ||
	    (location[0] == '/' && location[1] == '/'))
		r = url_resolve_network(base, location, &u, err, errlen);
	else
		r = url_resolve_local(base, location, &u, err, errlen);
	if (r == -1 || url_normalize_path(&u.path, err, errlen) == -1) {
		wsc_url_free(&u);
		return (-1);
	}
	if (out == base)
		wsc_url_free(out);
	*out = u;
	return (0);
}
