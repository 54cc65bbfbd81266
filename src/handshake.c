/* The HTTP/1.1 Upgrade handshake of RFC 6455 section 4, on buffers. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "handshake.h"
#include "sha1.h"
#include "util.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* RFC 6455 section 1.3: the GUID every Sec-WebSocket-Accept is built with. */
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* Parser step results besides NEED_MORE (0) and the negative errors. */
#define STEP_OK		1
#define STEP_DONE	2	/* the blank line that ends the head */
#define TRY(x) do {				\
	int	rv_ = (x);			\
	if (rv_ != STEP_OK)			\
		return rv_;			\
} while (0)

/* Generated headers an -H line may replace, and the ones it may not:
 * RFC 6455 section 4.1 fixes Upgrade, Connection, Key and Version. */
static const char *const fixed_names[] = {
	"Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"
};
static const char *const replaceable_names[] = {
	"Host", "Origin", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
	"Authorization", "User-Agent"
};

/* A run of bytes in the head being parsed, as offsets (the head is only
 * copied once it is complete). A head is at most WSC_HS_MAX_HEAD bytes, so
 * 16 bits hold both: the cursor's 200 header spans then take 800 bytes of
 * stack, not 3,200 (a page fault of S1 in scripts/bench). */
struct span {
	uint16_t	off;
	uint16_t	len;
};
_Static_assert(WSC_HS_MAX_HEAD <= UINT16_MAX, "a span holds any head");

/* The parser's position in a possibly incomplete head. */
struct cursor {
	const unsigned char	*p;
	size_t			 len;	/* bytes available, at most WSC_HS_MAX_HEAD */
	size_t			 i;
	struct span		 line[2];	/* reason, or method and target */
	struct span		 name[WSC_HS_MAX_HEADERS];
	struct span		 value[WSC_HS_MAX_HEADERS];
	size_t			 nheaders;
	int			 status;
	int			 minor;
};

/* Sec-WebSocket-Key: base64 of 16 random bytes (RFC 6455 section 4.1). */
void
wsc_hs_make_key(const uint8_t random16[16], char out[WSC_HS_KEY_LEN + 1])
{
	out[wsc_base64_encode(out, random16, 16)] = '\0';
}

/* The Sec-WebSocket-Accept value the server must send for key. */
void
wsc_hs_accept(const char *key, char out[WSC_HS_ACCEPT_LEN + 1])
{
	struct wsc_sha1	ctx;
	uint8_t		digest[WSC_SHA1_LEN];

	/* RFC 6455 section 4.2.2: base64(SHA-1(key + GUID)); streamed so a
	 * client's key of any length needs no buffer. */
	wsc_sha1_init(&ctx);
	wsc_sha1_update(&ctx, key, strlen(key));
	wsc_sha1_update(&ctx, WS_GUID, sizeof WS_GUID - 1);
	wsc_sha1_final(&ctx, digest);
	out[wsc_base64_encode(out, digest, sizeof digest)] = '\0';
}

/* RFC 7230 section 3.2.6: tchar. */
static int
is_tchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 7230 section 3.2: field-content bytes (VCHAR, obs-text, SP, HTAB);
 * no CR, LF or other control byte. */
static int
is_field_char(int c)
{
	return c == '\t' || (c >= ' ' && c != 0x7f);
}

/* RFC 7230 section 3.2.3: OWS. */
static int
is_ows(int c)
{
	return c == ' ' || c == '\t';
}

/* RFC 7230 section 5.3: the request target is visible ASCII. */
static int
is_target_char(int c)
{
	return c > ' ' && c < 0x7f;
}

/* Does s hold only field-content bytes? CR or LF would end the line and
 * let a value inject headers. */
static int
field_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!is_field_char((unsigned char)*s))
			return 0;
	}
	return 1;
}

/* The length of the token before the ':' of a "Name: value" line, or 0
 * when the line is not shaped like a header. */
static size_t
header_name_len(const char *line)
{
	size_t	n = 0;

	while (is_tchar((unsigned char)line[n]))
		n++;
	return line[n] == ':' ? n : 0;
}

/* Is the extra header line called name? */
static int
extra_is(const char *line, const char *name)
{
	size_t	n = header_name_len(line);

	return n == strlen(name) && wsc_strncaseeq(line, name, n);
}

/* Does an extra header line replace our header called name? */
static int
user_has(const struct wsc_hs_request *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nheaders; i++) {
		if (extra_is(r->headers[i], name))
			return 1;
	}
	return 0;
}

/* Is an extra header line one we must not send (malformed, or naming a
 * header the protocol fixes)? */
static int
extra_refused(const char *line)
{
	size_t	i;

	if (header_name_len(line) == 0 || !field_ok(line))
		return 1;
	for (i = 0; i < sizeof fixed_names / sizeof fixed_names[0]; i++) {
		if (extra_is(line, fixed_names[i]))
			return 1;
	}
	return 0;
}

/* Checks every field before anything is written: nothing may end a line
 * early (header injection) or split the request line. */
static int
request_ok(const struct wsc_hs_request *r)
{
	const char	*p;
	size_t		 i;

	if (r->host == NULL || r->key == NULL || r->path == NULL ||
	    *r->path == '\0')
		return 0;
	for (p = r->path; *p != '\0'; p++) {
		if (!is_target_char((unsigned char)*p))
			return 0;
	}
	if (!field_ok(r->host) || !field_ok(r->key) ||
	    (r->origin != NULL && !field_ok(r->origin)) ||
	    (r->extensions != NULL && !field_ok(r->extensions)) ||
	    (r->authorization != NULL && !field_ok(r->authorization)))
		return 0;
	for (i = 0; i < r->nprotocols; i++) {
		if (!field_ok(r->protocols[i]))
			return 0;
	}
	for (i = 0; i < r->nheaders; i++) {
		if (extra_refused(r->headers[i]))
			return 0;
	}
	return 1;
}

/* Appends a string. */
static int
add(struct wsc_buf *b, const char *s)
{
	return wsc_buf_append(b, s, strlen(s));
}

/* Appends "name: value" and CRLF. */
static int
add_field(struct wsc_buf *b, const char *name, const char *value)
{
	if (add(b, name) != 0 || add(b, ": ") != 0 || add(b, value) != 0 ||
	    add(b, "\r\n") != 0)
		return -1;
	return 0;
}

/* Writes the header called name: the user's -H lines of that name in its
 * place, else ours when there is one. */
static int
add_slot(struct wsc_buf *b, const struct wsc_hs_request *r,
    const char *name, const char *ours)
{
	size_t	i;

	if (!user_has(r, name))
		return ours == NULL ? 0 : add_field(b, name, ours);
	for (i = 0; i < r->nheaders; i++) {
		if (extra_is(r->headers[i], name) &&
		    (add(b, r->headers[i]) != 0 || add(b, "\r\n") != 0))
			return -1;
	}
	return 0;
}

/* Writes Sec-WebSocket-Protocol with every offer (RFC 6455 section 4.1). */
static int
add_protocols(struct wsc_buf *b, const struct wsc_hs_request *r)
{
	const char	*name = "Sec-WebSocket-Protocol";
	size_t		 i;

	if (r->nprotocols == 0 || user_has(r, name))
		return add_slot(b, r, name, NULL);
	if (add(b, name) != 0 || add(b, ": ") != 0)
		return -1;
	for (i = 0; i < r->nprotocols; i++) {
		if ((i > 0 && add(b, ", ") != 0) ||
		    add(b, r->protocols[i]) != 0)
			return -1;
	}
	return add(b, "\r\n");
}

/* Writes "Authorization: Basic base64(user:pass)" (RFC 7617 section 2). */
static int
add_auth(struct wsc_buf *b, const struct wsc_hs_request *r)
{
	const unsigned char	*src = (const unsigned char *)r->authorization;
	size_t			 n;
	uint8_t			*dst;

	if (r->authorization == NULL || user_has(r, "Authorization"))
		return add_slot(b, r, "Authorization", NULL);
	if (add(b, "Authorization: Basic ") != 0)
		return -1;
	n = strlen(r->authorization);
	if ((dst = wsc_buf_reserve(b, WSC_BASE64_LEN(n))) == NULL)
		return -1;
	wsc_buf_commit(b, wsc_base64_encode((char *)dst, src, n));
	return add(b, "\r\n");
}

/* Writes the -H lines that replaced nothing, in the order given. */
static int
add_extra(struct wsc_buf *b, const struct wsc_hs_request *r)
{
	size_t	i, j;
	int	replaced;

	for (i = 0; i < r->nheaders; i++) {
		replaced = 0;
		for (j = 0; j < sizeof replaceable_names /
		    sizeof replaceable_names[0]; j++)
			replaced |= extra_is(r->headers[i], replaceable_names[j]);
		if (!replaced &&
		    (add(b, r->headers[i]) != 0 || add(b, "\r\n") != 0))
			return -1;
	}
	return 0;
}

/* Writes the whole request head (RFC 6455 section 4.1). */
static int
add_request(struct wsc_buf *b, const struct wsc_hs_request *r)
{
	if (add(b, "GET ") != 0 || add(b, r->path) != 0 ||
	    add(b, " HTTP/1.1\r\n") != 0 ||
	    add_slot(b, r, "Host", r->host) != 0 ||
	    add(b, "Upgrade: websocket\r\nConnection: Upgrade\r\n") != 0 ||
	    add_field(b, "Sec-WebSocket-Key", r->key) != 0 ||
	    add(b, "Sec-WebSocket-Version: 13\r\n") != 0 ||
	    add_slot(b, r, "Origin", r->origin) != 0 ||
	    add_protocols(b, r) != 0 ||
	    add_slot(b, r, "Sec-WebSocket-Extensions", r->extensions) != 0 ||
	    add_auth(b, r) != 0 ||
	    add_slot(b, r, "User-Agent", "wsc/" PACKAGE_VERSION) != 0 ||
	    add_extra(b, r) != 0 ||
	    add(b, "\r\n") != 0)
		return -1;
	return 0;
}

/* The request head, or NULL when a field is unsafe to send. */
char *
wsc_hs_build_request(const struct wsc_hs_request *r)
{
	struct wsc_buf	b;

	if (!request_ok(r))
		return NULL;
	wsc_buf_init(&b);
	if (add_request(&b, r) != 0 || wsc_buf_append(&b, "", 1) != 0) {
		wsc_buf_free(&b);
		return NULL;
	}
	return (char *)b.data;	/* nothing was consumed: off is 0 */
}

/* Matches lit byte by byte, so a wrong first byte fails at once instead
 * of waiting for a line end that may never come. */
static int
expect(struct cursor *c, const char *lit)
{
	for (; *lit != '\0'; lit++, c->i++) {
		if (c->i == c->len)
			return WSC_HS_NEED_MORE;
		if (c->p[c->i] != (unsigned char)*lit)
			return WSC_HS_E_GARBAGE;
	}
	return STEP_OK;
}

/* Takes a run of at least min bytes of a class; the run must be followed
 * by a byte outside it, so running out of input means "need more". */
static int
run(struct cursor *c, int (*in)(int), size_t min, struct span *s)
{
	size_t	start = c->i;

	while (c->i < c->len && in(c->p[c->i]))
		c->i++;
	if (c->i == c->len)
		return WSC_HS_NEED_MORE;
	if (c->i - start < min)
		return WSC_HS_E_GARBAGE;
	if (s != NULL) {
		s->off = (uint16_t)start;
		s->len = (uint16_t)(c->i - start);
	}
	return STEP_OK;
}

/* Takes exactly n decimal digits. */
static int
digits(struct cursor *c, int n, int *value)
{
	*value = 0;
	for (; n > 0; n--, c->i++) {
		if (c->i == c->len)
			return WSC_HS_NEED_MORE;
		if (c->p[c->i] < '0' || c->p[c->i] > '9')
			return WSC_HS_E_GARBAGE;
		*value = *value * 10 + (c->p[c->i] - '0');
	}
	return STEP_OK;
}

/* Takes a line end: CRLF or, as RFC 7230 section 3.5 allows, a bare LF.
 * A bare CR is refused. */
static int
eol(struct cursor *c)
{
	if (c->i == c->len)
		return WSC_HS_NEED_MORE;
	if (c->p[c->i] == '\n') {
		c->i++;
		return STEP_OK;
	}
	if (c->p[c->i] != '\r')
		return WSC_HS_E_GARBAGE;
	if (c->i + 1 == c->len)
		return WSC_HS_NEED_MORE;
	if (c->p[c->i + 1] != '\n')
		return WSC_HS_E_GARBAGE;
	c->i += 2;
	return STEP_OK;
}

/* "HTTP/1.x SP 3DIGIT [SP reason]" (RFC 7230 section 3.1.2); a missing
 * reason is tolerated, as browsers do. */
static int
status_line(struct cursor *c)
{
	TRY(expect(c, "HTTP/1."));
	TRY(digits(c, 1, &c->minor));
	TRY(expect(c, " "));
	TRY(digits(c, 3, &c->status));
	if (c->i == c->len)
		return WSC_HS_NEED_MORE;
	if (c->p[c->i] == '\r' || c->p[c->i] == '\n') {
		c->line[0].off = (uint16_t)c->i;
		c->line[0].len = 0;
	} else {
		TRY(expect(c, " "));
		/* reason-phrase is field-content too (HTAB, SP, VCHAR, obs-text) */
		TRY(run(c, is_field_char, 0, &c->line[0]));
	}
	return eol(c);
}

/* "METHOD SP target SP HTTP/1.x" (RFC 7230 section 3.1.1). */
static int
request_line(struct cursor *c)
{
	TRY(run(c, is_tchar, 1, &c->line[0]));
	TRY(expect(c, " "));
	TRY(run(c, is_target_char, 1, &c->line[1]));
	TRY(expect(c, " HTTP/1."));
	TRY(digits(c, 1, &c->minor));
	return eol(c);
}

/* One "name: value" line (RFC 7230 section 3.2), or the blank line that
 * ends the head. A line starting with SP or HT (obs-fold, section 3.2.4)
 * fails the token test: no WebSocket server folds, so it is garbage. */
static int
header_line(struct cursor *c)
{
	struct span	*v;

	if (c->i == c->len)
		return WSC_HS_NEED_MORE;
	if (c->p[c->i] == '\r' || c->p[c->i] == '\n') {
		TRY(eol(c));
		return STEP_DONE;
	}
	if (c->nheaders == WSC_HS_MAX_HEADERS)
		return WSC_HS_E_TOO_BIG;
	TRY(run(c, is_tchar, 1, &c->name[c->nheaders]));
	TRY(expect(c, ":"));
	TRY(run(c, is_ows, 0, NULL));
	v = &c->value[c->nheaders];
	TRY(run(c, is_field_char, 0, v));
	while (v->len > 0 && is_ows(c->p[v->off + v->len - 1]))
		v->len--;
	TRY(eol(c));
	c->nheaders++;
	return STEP_OK;
}

/* Walks the head as far as the bytes go. */
static int
parse_head(struct cursor *c, int is_request)
{
	int	rv;

	TRY(is_request ? request_line(c) : status_line(c));
	while ((rv = header_line(c)) == STEP_OK)
		continue;
	return rv == STEP_DONE ? STEP_OK : rv;
}

/* NUL-terminates a span inside the copy; the byte after a span is always
 * a delimiter (SP, ':', OWS or a line end), never part of another. */
static const char *
cut(char *raw, const struct span *s)
{
	raw[s->off + s->len] = '\0';
	return raw + s->off;
}

/* Copies a complete head into m. */
static int
fill_msg(const struct cursor *c, int is_request, struct wsc_http_msg *m)
{
	size_t	i;

	if ((m->raw = malloc(c->i + 1)) == NULL)
		return WSC_HS_E_NOMEM;
	memcpy(m->raw, c->p, c->i);
	m->raw[c->i] = '\0';
	m->minor_version = c->minor;
	if (is_request) {
		m->method = cut(m->raw, &c->line[0]);
		m->target = cut(m->raw, &c->line[1]);
	} else {
		m->status = c->status;
		m->reason = cut(m->raw, &c->line[0]);
	}
	for (i = 0; i < c->nheaders; i++) {
		m->headers[i].name = cut(m->raw, &c->name[i]);
		m->headers[i].value = cut(m->raw, &c->value[i]);
	}
	m->nheaders = c->nheaders;
	return (int)c->i;
}

/* Parses one head from the front of buf (see handshake.h). */
int
wsc_http_parse(const char *buf, size_t len, int is_request,
    struct wsc_http_msg *m)
{
	struct cursor	c;
	int		rv;

	memset(m, 0, sizeof *m);
	memset(&c, 0, sizeof c);
	c.p = (const unsigned char *)buf;
	c.len = len < WSC_HS_MAX_HEAD ? len : WSC_HS_MAX_HEAD;
	/* The whole head is parsed again on every call: it is small, and
	 * starting over keeps the parser free of saved state. */
	rv = parse_head(&c, is_request);
	if (rv == WSC_HS_NEED_MORE && len >= WSC_HS_MAX_HEAD)
		return WSC_HS_E_TOO_BIG;
	if (rv != STEP_OK)
		return rv;
	return fill_msg(&c, is_request, m);
}

/* Releases a parsed head; safe twice and after a failed parse. */
void
wsc_http_msg_free(struct wsc_http_msg *m)
{
	free(m->raw);
	memset(m, 0, sizeof *m);
}

/* The first value of a header, by case-insensitive name. */
const char *
wsc_http_header(const struct wsc_http_msg *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nheaders; i++) {
		if (wsc_strcaseeq(m->headers[i].name, name))
			return m->headers[i].value;
	}
	return NULL;
}

/* All values of a header, joined as one list. */
int
wsc_http_header_list(const struct wsc_http_msg *m, const char *name,
    char *out, size_t outlen)
{
	size_t	i, used = 0, n, sep;
	int	found = 0;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	/* RFC 7230 section 3.2.2: repeated fields equal one joined by ", ". */
	for (i = 0; i < m->nheaders; i++) {
		if (!wsc_strcaseeq(m->headers[i].name, name))
			continue;
		n = strlen(m->headers[i].value);
		sep = found ? 2 : 0;
		if (n + sep >= outlen - used) {
			out[0] = '\0';
			return -1;
		}
		memcpy(out + used, ", ", sep);
		memcpy(out + used + sep, m->headers[i].value, n);
		used += sep + n;
		out[used] = '\0';
		found = 1;
	}
	return found ? 0 : -1;
}

size_t
wsc_http_header_count(const struct wsc_http_msg *m, const char *name)
{
	size_t	i, n = 0;

	for (i = 0; i < m->nheaders; i++)
		n += wsc_strcaseeq(m->headers[i].name, name);
	return n;
}

/* A token never spans lines, so each line is searched on its own. */
int
wsc_http_header_has_token(const struct wsc_http_msg *m, const char *name,
    const char *token)
{
	size_t	i;

	for (i = 0; i < m->nheaders; i++) {
		if (wsc_strcaseeq(m->headers[i].name, name) &&
		    wsc_token_list_has(m->headers[i].value, token))
			return 1;
	}
	return 0;
}

/* Copies at most n bytes of a server-supplied string for a message,
 * replacing anything but printable ASCII so it cannot drive the terminal. */
static void
clean(char *out, size_t outlen, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && s[i] != '\0' && i + 1 < outlen; i++)
		out[i] = (s[i] >= ' ' && s[i] < 0x7f) ? s[i] : '?';
	out[i] = '\0';
}

/* Writes the reason for a failed check; returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* RFC 6455 section 4.1: the Accept value must be base64(SHA-1(key +
 * GUID)). Repeated lines are joined first, so two never match. */
static int
check_accept(const struct wsc_http_msg *m, const struct wsc_hs_request *r,
    char *err, size_t errlen)
{
	const char	*name = "Sec-WebSocket-Accept";
	char		 want[WSC_HS_ACCEPT_LEN + 1], got[WSC_HS_ACCEPT_LEN + 2];

	if (wsc_http_header(m, name) == NULL)
		return fail(err, errlen, "missing %s", name);
	wsc_hs_accept(r->key, want);
	if (wsc_http_header_list(m, name, got, sizeof got) != 0 ||
	    want[0] == '\0' || strcmp(got, want) != 0)
		return fail(err, errlen, "%s does not match the key", name);
	return 0;
}

/* Was protocol among the offers? Subprotocol names compare exactly. */
static int
offered(const struct wsc_hs_request *r, const char *protocol)
{
	size_t	i;

	for (i = 0; i < r->nprotocols; i++) {
		if (strcmp(r->protocols[i], protocol) == 0)
			return 1;
	}
	return 0;
}

/* RFC 6455 section 4.1: the server picks one of the offered subprotocols,
 * or none; a list or an unoffered name fails the connection. */
static int
check_protocol(const struct wsc_http_msg *m, const struct wsc_hs_request *r,
    struct wsc_hs_result *res, char *err, size_t errlen)
{
	const char	*name = "Sec-WebSocket-Protocol", *p;
	char		 all[256], shown[128];

	if ((p = wsc_http_header(m, name)) == NULL)
		return 0;
	if (wsc_http_header_count(m, name) == 1 && strchr(p, ',') == NULL &&
	    offered(r, p)) {
		res->protocol = p;
		return 0;
	}
	if (wsc_http_header_list(m, name, all, sizeof all) == 0)
		p = all;
	clean(shown, sizeof shown, p, strlen(p));
	return fail(err, errlen,
	    "server chose subprotocol '%s' which was not offered", shown);
}

/* The name of the first extension the server enabled, or 0 when the
 * header is absent or only empty list elements (RFC 7230 section 7). */
static int
first_extension(const struct wsc_http_msg *m, char *out, size_t outlen)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < m->nheaders; i++) {
		if (!wsc_strcaseeq(m->headers[i].name,
		    "Sec-WebSocket-Extensions"))
			continue;
		v = m->headers[i].value;
		v += strspn(v, ", \t");
		if (*v != '\0') {
			clean(out, outlen, v, strcspn(v, ",; \t"));
			return 1;
		}
	}
	return 0;
}

/* RFC 6455 section 4.1: no extension the client did not ask for. */
static int
check_extensions(const struct wsc_http_msg *m, const struct wsc_hs_request *r,
    struct wsc_hs_result *res, char *err, size_t errlen)
{
	const char	*name = "Sec-WebSocket-Extensions";
	char		 ext[128];

	if (!first_extension(m, ext, sizeof ext))
		return 0;
	if (r->extensions == NULL)
		return fail(err, errlen,
		    "server enabled extension '%s' which was not offered", ext);
	/* res->extensions points at one line: a second one would go
	 * unvalidated, so a split header is refused. */
	if (wsc_http_header_count(m, name) > 1)
		return fail(err, errlen, "%s sent on more than one line", name);
	res->extensions = wsc_http_header(m, name);
	return 0;
}

/* Validates the server's answer in the order RFC 6455 section 4.1 lists. */
int
wsc_hs_check_response(const struct wsc_http_msg *m,
    const struct wsc_hs_request *r, struct wsc_hs_result *res,
    char *err, size_t errlen)
{
	char	reason[128];

	memset(res, 0, sizeof *res);
	if (m->status != 101) {
		clean(reason, sizeof reason, m->reason ? m->reason : "",
		    sizeof reason);
		return fail(err, errlen, "server answered %d%s%s", m->status,
		    reason[0] != '\0' ? " " : "", reason);
	}
	/* RFC 6455 section 4.1: both are token lists, case-insensitive. */
	if (!wsc_http_header_has_token(m, "Upgrade", "websocket"))
		return fail(err, errlen, "missing or wrong Upgrade header");
	if (!wsc_http_header_has_token(m, "Connection", "upgrade"))
		return fail(err, errlen, "missing or wrong Connection header");
	if (check_accept(m, r, err, errlen) != 0 ||
	    check_protocol(m, r, res, err, errlen) != 0 ||
	    check_extensions(m, r, res, err, errlen) != 0) {
		memset(res, 0, sizeof *res);
		return -1;
	}
	return 0;
}
