/* permessage-deflate (RFC 7692): parameter negotiation and the zlib
 * streams behind compressed messages. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deflate.h"
#include "zlibload.h"

#define PMD_NAME	"permessage-deflate"

/* Output room asked for at a time while inflating. */
#define INFLATE_CHUNK	(64 * 1024)
/* Longest parameter value kept (window bits need two digits). */
#define VALUE_MAX	16

/* The four parameters, as bits of a "seen" mask. */
enum {
	P_SERVER_NCT = 1,
	P_CLIENT_NCT = 2,
	P_SERVER_BITS = 4,
	P_CLIENT_BITS = 8
};

/* In the order of the bits above. */
static const char *const param_names[] = {
	"server_no_context_takeover", "client_no_context_takeover",
	"server_max_window_bits", "client_max_window_bits"
};

/* Formats a negotiation failure; returns WSC_PMD_E_NEGOTIATION. */
static int
neg_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
neg_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return WSC_PMD_E_NEGOTIATION;
}

/* RFC 7230 section 3.2.6 tchar. */
static int
is_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* Length of the token at p (0: none). */
static size_t
token_len(const char *p)
{
	size_t	n = 0;

	while (is_tchar((unsigned char)p[n]))
		n++;
	return n;
}

/* Skips optional whitespace (RFC 7230 section 3.2.3). */
static void
skip_ows(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* Copies a printable, bounded excerpt of a name for an error message. */
static const char *
shown(char *out, size_t outlen, const char *p, size_t n)
{
	size_t	i, j = 0;

	for (i = 0; i < n && j + 1 < outlen; i++)
		out[j++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
	out[j] = '\0';
	return out;
}

/* Reads a parameter value: a token or a quoted-string (section 7.1 allows
 * both), unescaped into out. Returns 0, or -1 when malformed or too long. */
static int
read_value(const char **pp, char *out, size_t outlen)
{
	const char	*p = *pp;
	size_t		 n = 0;

	if (*p != '"') {
		n = token_len(p);
		if (n == 0 || n >= outlen)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		*pp = p + n;
		return 0;
	}
	for (p++; *p != '"'; p++) {
		if (*p == '\\')
			p++;
		if (*p == '\0' || n + 1 >= outlen)
			return -1;
		out[n++] = *p;
	}
	out[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* Window bits: a decimal 8-15 without leading zeros (section 7.1.2.1). */
static int
parse_bits(const char *v)
{
	if (v[0] == '8' || v[0] == '9')
		return v[1] == '\0' ? v[0] - '0' : -1;
	if (v[0] == '1' && v[1] >= '0' && v[1] <= '5' && v[2] == '\0')
		return 10 + v[1] - '0';
	return -1;
}

/* Applies one parameter (name of nlen bytes, value or NULL) to p. */
static int
apply_param(struct wsc_pmd_params *p, unsigned *seen, const char *name,
    size_t nlen, const char *value, int is_offer, char *err, size_t errlen)
{
	char		 nm[40];
	unsigned	 i;
	int		 bits;

	for (i = 0; i < 4; i++)
		if (strlen(param_names[i]) == nlen &&
		    strncasecmp(param_names[i], name, nlen) == 0)
			break;
	if (i == 4)
		return neg_fail(err, errlen, PMD_NAME ": unknown parameter '%s'",
		    shown(nm, sizeof nm, name, nlen));
	if (*seen & (1u << i))
		return neg_fail(err, errlen, PMD_NAME ": %s given twice",
		    param_names[i]);
	*seen |= 1u << i;
	if (i < 2) {
		/* section 7.1.1: the no_context_takeover ones have no value */
		if (value != NULL)
			return neg_fail(err, errlen,
			    PMD_NAME ": %s takes no value", param_names[i]);
		*(i == 0 ? &p->server_no_context_takeover :
		    &p->client_no_context_takeover) = 1;
		return 0;
	}
	if (value == NULL) {
		/* Only an offer's client_max_window_bits may omit the value
		 * (section 7.1.2.2). */
		if (!is_offer || i != 3)
			return neg_fail(err, errlen,
			    PMD_NAME ": %s without a value", param_names[i]);
		bits = WSC_PMD_BITS_ANY;
	} else if ((bits = parse_bits(value)) < 0)
		return neg_fail(err, errlen,
		    PMD_NAME ": %s '%s' is not a number from 8 to 15",
		    param_names[i], shown(nm, sizeof nm, value, strlen(value)));
	*(i == 2 ? &p->server_max_window_bits : &p->client_max_window_bits) =
	    bits;
	return 0;
}

/* Parses the parameters after an extension name at *pp, up to the next
 * ',' or the end (RFC 6455 section 9.1 grammar). */
static int
parse_params(const char **pp, struct wsc_pmd_params *p, int is_offer,
    char *err, size_t errlen)
{
	const char	*s = *pp, *name;
	char		 value[VALUE_MAX];
	size_t		 nlen;
	unsigned	 seen = 0;
	int		 r, has_value;

	memset(p, 0, sizeof *p);
	for (skip_ows(&s); *s == ';'; skip_ows(&s)) {
		s++;
		skip_ows(&s);
		name = s;
		if ((nlen = token_len(s)) == 0)
			return neg_fail(err, errlen, PMD_NAME
			    ": malformed parameter list");
		s += nlen;
		skip_ows(&s);
		has_value = *s == '=';
		if (has_value) {
			s++;
			skip_ows(&s);
			if (read_value(&s, value, sizeof value) != 0)
				return neg_fail(err, errlen, PMD_NAME
				    ": malformed value of %.*s", (int)(nlen < 40 ?
				    nlen : 40), name);
		}
		r = apply_param(p, &seen, name, nlen, has_value ? value : NULL,
		    is_offer, err, errlen);
		if (r != 0)
			return r;
	}
	if (*s != ',' && *s != '\0')
		return neg_fail(err, errlen, PMD_NAME ": malformed parameter list");
	*pp = s;
	return 0;
}

/* Moves *pp past empty list elements (RFC 7230 section 7); returns 0 at
 * the end of the list. */
static int
next_element(const char **pp)
{
	while (**pp == ',' || **pp == ' ' || **pp == '\t')
		(*pp)++;
	return **pp != '\0';
}

int
wsc_pmd_parse_offer(const char *offer, struct wsc_pmd_params *p, char *err,
    size_t errlen)
{
	const char	*s = offer;
	size_t		 n;

	memset(p, 0, sizeof *p);
	if (s == NULL || !next_element(&s))
		return neg_fail(err, errlen, "empty extension offer");
	n = token_len(s);
	if (n != sizeof PMD_NAME - 1 || strncasecmp(s, PMD_NAME, n) != 0)
		return neg_fail(err, errlen, "the offer is not " PMD_NAME);
	s += n;
	if (parse_params(&s, p, 1, err, errlen) != 0)
		return WSC_PMD_E_NEGOTIATION;
	if (next_element(&s))
		return neg_fail(err, errlen, "more than one extension offered");
	return 0;
}

/* Section 7.1: does the server's choice stay within what was offered? */
static int
check_agreement(const struct wsc_pmd_params *offer,
    const struct wsc_pmd_params *r, char *err, size_t errlen)
{
	/* 7.1.2.2: not offered means the server must not send it. */
	if (r->client_max_window_bits != 0 && offer->client_max_window_bits == 0)
		return neg_fail(err, errlen, PMD_NAME
		    ": server sent client_max_window_bits, which was not offered");
	if (offer->client_max_window_bits > 0 &&
	    r->client_max_window_bits > offer->client_max_window_bits)
		return neg_fail(err, errlen, PMD_NAME
		    ": client_max_window_bits %d is above the %d offered",
		    r->client_max_window_bits, offer->client_max_window_bits);
	/* 7.1.2.1: accepted with the same or a smaller value. */
	if (offer->server_max_window_bits > 0 &&
	    r->server_max_window_bits == 0)
		return neg_fail(err, errlen, PMD_NAME
		    ": server ignored the server_max_window_bits offered");
	if (offer->server_max_window_bits > 0 &&
	    r->server_max_window_bits > offer->server_max_window_bits)
		return neg_fail(err, errlen, PMD_NAME
		    ": server_max_window_bits %d is above the %d offered",
		    r->server_max_window_bits, offer->server_max_window_bits);
	/* 7.1.1.1: accepting the offer means honouring it. */
	if (offer->server_no_context_takeover && !r->server_no_context_takeover)
		return neg_fail(err, errlen, PMD_NAME
		    ": server ignored the server_no_context_takeover offered");
	return 0;
}

int
wsc_pmd_negotiate(const struct wsc_pmd_params *offer, const char *response,
    struct wsc_pmd_params *out, char *err, size_t errlen)
{
	const char	*s = response;
	char		 nm[40];
	size_t		 n;
	int		 found = 0;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return 0;
	while (next_element(&s)) {
		n = token_len(s);
		if (n == 0)
			return neg_fail(err, errlen,
			    "malformed Sec-WebSocket-Extensions header");
		if (n != sizeof PMD_NAME - 1 || strncasecmp(s, PMD_NAME, n) != 0)
			return neg_fail(err, errlen,
			    "server enabled extension '%s' which was not offered",
			    shown(nm, sizeof nm, s, n));
		/* RFC 6455 section 9.1: the server picks one of the offers. */
		if (found++)
			return neg_fail(err, errlen,
			    "server enabled " PMD_NAME " more than once");
		s += n;
		if (parse_params(&s, out, 0, err, errlen) != 0 ||
		    check_agreement(offer, out, err, errlen) != 0)
			return WSC_PMD_E_NEGOTIATION;
	}
	if (!found)
		return 0;
	if (out->server_max_window_bits == 0)
		out->server_max_window_bits = 15;
	if (out->client_max_window_bits == 0)
		out->client_max_window_bits = 15;
	return 1;
}

/* Moves *pp to the ',' that ends the current list element (or the end),
 * stepping over quoted strings, which may hold commas. */
static void
skip_element(const char **pp)
{
	const char	*p = *pp;
	int		 quoted = 0;

	for (; *p != '\0' && (quoted || *p != ','); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (quoted && *p == '\\' && p[1] != '\0')
			p++;
	}
	*pp = p;
}

/* The response header value accepting offer o, as the server applies it
 * (section 7.1): both no_context_takeover flags echoed, the server's
 * window at most what was offered. */
static void
format_response(const struct wsc_pmd_params *o, char *resp, size_t cap)
{
	snprintf(resp, cap, PMD_NAME "%s%s", o->server_no_context_takeover ?
	    "; server_no_context_takeover" : "", o->client_no_context_takeover ?
	    "; client_no_context_takeover" : "");
	if (o->server_max_window_bits > 0)
		snprintf(resp + strlen(resp), cap - strlen(resp),
		    "; server_max_window_bits=%d", o->server_max_window_bits);
}

int
wsc_pmd_select(const char *offers, struct wsc_pmd_params *agreed,
    char *resp, size_t cap)
{
	const char		*s = offers;
	struct wsc_pmd_params	 o;
	size_t			 n;

	memset(agreed, 0, sizeof *agreed);
	while (s != NULL && next_element(&s)) {
		n = token_len(s);
		if (n == sizeof PMD_NAME - 1 && strncasecmp(s, PMD_NAME, n) == 0) {
			s += n;
			/* Section 5: an offer with unknown, repeated or bad
			 * parameters is declined; a later one may do. */
			if (parse_params(&s, &o, 1, NULL, 0) == 0) {
				format_response(&o, resp, cap);
				*agreed = o;
				if (agreed->server_max_window_bits == 0)
					agreed->server_max_window_bits = 15;
				/* We inflate whatever window the client uses. */
				agreed->client_max_window_bits = 15;
				return 1;
			}
		}
		skip_element(&s);
	}
	return 0;
}

int
wsc_pmd_init(struct wsc_pmd *z, const struct wsc_pmd_params *a,
    int is_server)
{
	int	ours = is_server ? a->server_max_window_bits :
		    a->client_max_window_bits;
	int	theirs = is_server ? a->client_max_window_bits :
		    a->server_max_window_bits;

	memset(z, 0, sizeof *z);
	if (wsc_zlib_load(z->errstr, sizeof z->errstr) != 0)
		return WSC_PMD_E_LOAD;
	z->inf_bits = theirs;
	/* zlib refuses raw deflate with an 8-bit window. 9 is safe: zlib
	 * never matches further back than the window size minus 262 bytes
	 * (MAX_DIST in deflate.c), i.e. 250 bytes with 9 bits, so a peer
	 * inflating with a 256-byte window can follow every match. Node's
	 * zlib binding does the same. Inflating with 8 works as is. */
	z->def_bits = ours < 9 ? 9 : ours;
	z->inf_reset = is_server ? a->client_no_context_takeover :
	    a->server_no_context_takeover;
	z->def_reset = is_server ? a->server_no_context_takeover :
	    a->client_no_context_takeover;
	if (inflateInit2(&z->inf, -z->inf_bits) != Z_OK)
		return WSC_PMD_E_NOMEM;
	z->inf_ready = 1;
	if (deflateInit2(&z->def, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	    -z->def_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		wsc_pmd_free(z);
		return WSC_PMD_E_NOMEM;
	}
	z->def_ready = 1;
	return 0;
}

void
wsc_pmd_free(struct wsc_pmd *z)
{
	if (z->inf_ready)
		inflateEnd(&z->inf);
	if (z->def_ready)
		deflateEnd(&z->def);
	z->inf_ready = z->def_ready = 0;
	free(z->dict);
	z->dict = NULL;
}

/* Records why inflating failed; returns WSC_PMD_E_DATA. */
static int
data_error(struct wsc_pmd *z, const char *why)
{
	snprintf(z->errstr, sizeof z->errstr, "%s", why);
	return WSC_PMD_E_DATA;
}

/* Where the next inflated bytes go: free room in out, never past limit;
 * at the limit, a one-byte spill that only shows whether more would come. */
static uint8_t *
out_room(struct wsc_buf *out, uint64_t limit, uint8_t *spill, size_t *room)
{
	uint64_t	left = limit - wsc_buf_used(out);

	*room = out->cap - out->len;
	if (*room < INFLATE_CHUNK)
		*room = INFLATE_CHUNK;
	if (*room > left)
		*room = (size_t)left;
	if (*room > UINT_MAX / 2)
		*room = UINT_MAX / 2;
	if (*room == 0) {
		*room = 1;
		return spill;
	}
	return wsc_buf_reserve(out, *room);
}

/* Runs n bytes through the inflater into out (see wsc_pmd_inflate). The
 * tail is fed with Z_BLOCK so that its end shows whether the message
 * stopped at a block boundary, as a flushed one must. */
static int
inflate_some(struct wsc_pmd *z, const uint8_t *in, size_t n, int tail,
    struct wsc_buf *out, uint64_t limit)
{
	uint8_t	spill, *dst;
	size_t	room, got;
	int	r;

	z->inf.next_in = in;
	z->inf.avail_in = (uInt)n;
	for (;;) {
		if ((dst = out_room(out, limit, &spill, &room)) == NULL)
			return WSC_PMD_E_NOMEM;
		z->inf.next_out = dst;
		z->inf.avail_out = (uInt)room;
		r = inflate(&z->inf, tail ? Z_BLOCK : Z_NO_FLUSH);
		got = room - z->inf.avail_out;
		if (dst == &spill && got > 0)
			return WSC_PMD_E_TOO_BIG;
		if (dst != &spill)
			wsc_buf_commit(out, got);
		if (r == Z_STREAM_END) {
			/* BFINAL (section 7.2.3): nothing may follow */
			z->inf_ended = 1;
			if (z->inf.avail_in > 0 && !tail)
				return data_error(z, "data after the end of "
				    "the compressed stream");
			return 0;
		}
		if (r == Z_MEM_ERROR)
			return WSC_PMD_E_NOMEM;
		if (r != Z_OK && r != Z_BUF_ERROR)
			return data_error(z, z->inf.msg != NULL ? z->inf.msg :
			    "invalid compressed data");
		if (z->inf.avail_in == 0 && z->inf.avail_out > 0)
			break;
		if (r == Z_BUF_ERROR && z->inf.avail_out > 0)
			return data_error(z, "invalid compressed data");
	}
	if (tail && !(z->inf.data_type & 128))
		return data_error(z, "compressed message does not end "
		    "at a block boundary");
	return 0;
}

/* Gets the inflater ready for the next message: a fresh context when the
 * sender does not keep one, or the last window carried over a stream the
 * sender ended with BFINAL (context takeover still applies). */
static int
inflate_next(struct wsc_pmd *z)
{
	uInt	len = 0;

	z->inf_msg_bytes = 0;
	if (!z->inf_ended) {
		if (z->inf_reset)
			inflateReset(&z->inf);
		return 0;
	}
	z->inf_ended = 0;
	if (z->inf_reset) {
		inflateReset(&z->inf);
		return 0;
	}
	if (z->dict == NULL &&
	    (z->dict = malloc((size_t)1 << z->inf_bits)) == NULL)
		return WSC_PMD_E_NOMEM;
	inflateGetDictionary(&z->inf, z->dict, &len);
	inflateReset(&z->inf);
	if (len > 0)
		inflateSetDictionary(&z->inf, z->dict, len);
	return 0;
}

int
wsc_pmd_inflate(struct wsc_pmd *z, const uint8_t *in, size_t n, int fin,
    struct wsc_buf *out, uint64_t limit)
{
	static const uint8_t	tail[4] = { 0x00, 0x00, 0xff, 0xff };
	size_t			step;
	int			r;

	z->inf_msg_bytes += n;
	while (n > 0) {
		if (z->inf_ended)
			return data_error(z, "data after the end of the "
			    "compressed stream");
		step = n > UINT_MAX / 2 ? UINT_MAX / 2 : n;
		if ((r = inflate_some(z, in, step, 0, out, limit)) != 0)
			return r;
		in += step;
		n -= step;
	}
	if (!fin)
		return 0;
	/* section 7.2.2: the sender removed this empty stored block. An
	 * empty payload holds no block at all (others take it as an empty
	 * message too); its tail alone would be a truncated block. */
	if (!z->inf_ended && z->inf_msg_bytes > 0 &&
	    (r = inflate_some(z, tail, sizeof tail, 1, out, limit)) != 0)
		return r;
	return inflate_next(z);
}

ssize_t
wsc_pmd_deflate(struct wsc_pmd *z, const uint8_t *in, size_t n,
    uint8_t *dst, size_t cap)
{
	size_t	len;
	int	r;

	if (n > UINT_MAX / 2 || cap > UINT_MAX / 2 || cap < 5)
		return WSC_PMD_E_NOT_SMALLER;
	z->def.next_in = in;
	z->def.avail_in = (uInt)n;
	z->def.next_out = dst;
	z->def.avail_out = (uInt)cap;
	/* section 7.2.1: a sync flush ends the message on a byte boundary
	 * with an empty stored block, 00 00 ff ff, which is not sent. */
	r = deflate(&z->def, Z_SYNC_FLUSH);
	len = cap - z->def.avail_out;
	if (r != Z_OK || z->def.avail_out == 0 || len < 4 ||
	    memcmp(dst + len - 4, "\0\0\377\377", 4) != 0) {
		/* The peer will not see this output: start over so that
		 * later messages do not refer to it. */
		deflateReset(&z->def);
		return WSC_PMD_E_NOT_SMALLER;
	}
	if (z->def_reset)
		deflateReset(&z->def);
	return (ssize_t)(len - 4);
}
