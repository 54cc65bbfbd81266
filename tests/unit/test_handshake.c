/* Unit tests for the opening handshake (src/handshake.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* RFC 6455 section 1.3 / 4.2.2 sample. */
#define KEY	"dGhlIHNhbXBsZSBub25jZQ=="
#define ACCEPT	"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

#define R101 \
	"HTTP/1.1 101 Switching Protocols\r\n" \
	"Upgrade: websocket\r\n" \
	"Connection: Upgrade\r\n" \
	"Sec-WebSocket-Accept: " ACCEPT "\r\n"

/* A request with only the required fields. */
static struct wsc_hs_request
base_request(void)
{
	struct wsc_hs_request	r;

	memset(&r, 0, sizeof r);
	r.host = "example.com:8080";
	r.path = "/chat?x=1";
	r.key = KEY;
	return r;
}

/* Parses a response head that must be complete. */
static void
parse_ok(const char *s, struct wsc_http_msg *m)
{
	int	n = wsc_http_parse(s, strlen(s), 0, m);

	ck_assert_int_eq(n, (int)strlen(s));
}

/* Parses a response head that must fail with err. */
static void
parse_fails(const char *s, size_t len, int err)
{
	struct wsc_http_msg	m;

	ck_assert_int_eq(wsc_http_parse(s, len, 0, &m), err);
	ck_assert_ptr_null(m.raw);
}

/* Literals may hold NUL bytes: their length comes from sizeof. */
#define PARSE_FAILS(lit, err) parse_fails((lit), sizeof(lit) - 1, (err))

/* Runs the check on a response text; returns its result, err filled. */
static int
check_text(const char *s, const struct wsc_hs_request *r,
    struct wsc_hs_result *res, char *err, size_t errlen)
{
	struct wsc_http_msg	m;
	int			rv;

	parse_ok(s, &m);
	err[0] = '\0';
	rv = wsc_hs_check_response(&m, r, res, err, errlen);
	wsc_http_msg_free(&m);
	return rv;
}

/* Asserts the check of s fails with exactly msg. */
static void
check_fails(const char *s, const struct wsc_hs_request *r, const char *msg)
{
	struct wsc_hs_result	res;
	char			err[256];

	ck_assert_int_eq(check_text(s, r, &res, err, sizeof err), -1);
	ck_assert_str_eq(err, msg);
	ck_assert_ptr_null(res.protocol);
	ck_assert_ptr_null(res.extensions);
}

START_TEST(test_accept_vector)
{
	char	out[WSC_HS_ACCEPT_LEN + 1];

	memset(out, 'x', sizeof out);
	wsc_hs_accept(KEY, out);
	ck_assert_str_eq(out, ACCEPT);
	wsc_hs_accept("", out);
	ck_assert_uint_eq(strlen(out), WSC_HS_ACCEPT_LEN);
	ck_assert_str_ne(out, ACCEPT);
}
END_TEST

START_TEST(test_make_key)
{
	static const uint8_t	sample[16] = {
		't', 'h', 'e', ' ', 's', 'a', 'm', 'p', 'l', 'e', ' ',
		'n', 'o', 'n', 'c', 'e'
	};
	uint8_t			zero[16], ff[16];
	char			out[WSC_HS_KEY_LEN + 1];

	wsc_hs_make_key(sample, out);
	ck_assert_str_eq(out, KEY);
	memset(zero, 0, sizeof zero);
	wsc_hs_make_key(zero, out);
	ck_assert_str_eq(out, "AAAAAAAAAAAAAAAAAAAAAA==");
	memset(ff, 0xff, sizeof ff);
	wsc_hs_make_key(ff, out);
	ck_assert_str_eq(out, "/////////////////////w==");
}
END_TEST

START_TEST(test_request_exact)
{
	static const char *const	protos[] = { "chat", "superchat" };
	static const char *const	extra[] = { "X-Trace: 1", "Cookie:a=b" };
	struct wsc_hs_request		r = base_request();
	char				*s;

	r.origin = "http://example.com";
	r.protocols = protos;
	r.nprotocols = 2;
	r.extensions = "permessage-deflate; client_max_window_bits";
	r.authorization = "Aladdin:open sesame";
	r.headers = extra;
	r.nheaders = 2;
	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
	    "GET /chat?x=1 HTTP/1.1\r\n"
	    "Host: example.com:8080\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "Origin: http://example.com\r\n"
	    "Sec-WebSocket-Protocol: chat, superchat\r\n"
	    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
	    "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
	    "User-Agent: wsc/" PACKAGE_VERSION "\r\n"
	    "X-Trace: 1\r\n"
	    "Cookie:a=b\r\n"
	    "\r\n");
	free(s);
}
END_TEST

START_TEST(test_request_minimal)
{
	struct wsc_hs_request	r = base_request();
	struct wsc_http_msg	m;
	char			*s;

	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
	    "GET /chat?x=1 HTTP/1.1\r\n"
	    "Host: example.com:8080\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "User-Agent: wsc/" PACKAGE_VERSION "\r\n"
	    "\r\n");
	/* What we send, our own server side must accept. */
	ck_assert_int_eq(wsc_http_parse(s, strlen(s), 1, &m), (int)strlen(s));
	ck_assert_uint_eq(m.nheaders, 6);
	wsc_http_msg_free(&m);
	free(s);
}
END_TEST

/* Header lines counted by name, and tokens found on any one line. */
START_TEST(test_header_count_and_token)
{
	static const char	s[] =
	    "GET / HTTP/1.1\r\n"
	    "host: a\r\n"
	    "Connection: keep-alive\r\n"
	    "CONNECTION: Upgrade\r\n"
	    "Upgrade: h2c, WebSocket\r\n"
	    "X-Long: upgradeX\r\n"
	    "\r\n";
	struct wsc_http_msg	m;

	ck_assert_int_eq(wsc_http_parse(s, sizeof s - 1, 1, &m), (int)(sizeof s - 1));
	ck_assert_uint_eq(wsc_http_header_count(&m, "Host"), 1);
	ck_assert_uint_eq(wsc_http_header_count(&m, "connection"), 2);
	ck_assert_uint_eq(wsc_http_header_count(&m, "Origin"), 0);
	ck_assert_int_eq(wsc_http_header_has_token(&m, "Connection", "upgrade"), 1);
	ck_assert_int_eq(wsc_http_header_has_token(&m, "Upgrade", "websocket"), 1);
	ck_assert_int_eq(wsc_http_header_has_token(&m, "Upgrade", "web"), 0);
	ck_assert_int_eq(wsc_http_header_has_token(&m, "X-Long", "upgrade"), 0);
	ck_assert_int_eq(wsc_http_header_has_token(&m, "Origin", "x"), 0);
	wsc_http_msg_free(&m);
}
END_TEST

START_TEST(test_request_replace)
{
	static const char *const	extra[] = {
		"X-A: 1", "host: other.example", "ORIGIN: null",
		"User-Agent: curl/8", "Authorization: Bearer t",
		"Sec-WebSocket-Protocol: mine", "Sec-WebSocket-Extensions: x",
		"X-B: 2"
	};
	static const char *const	protos[] = { "chat" };
	struct wsc_hs_request		r = base_request();
	char				*s;

	r.origin = "http://example.com";
	r.protocols = protos;
	r.nprotocols = 1;
	r.extensions = "permessage-deflate";
	r.authorization = "u:p";
	r.headers = extra;
	r.nheaders = sizeof extra / sizeof extra[0];
	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
	    "GET /chat?x=1 HTTP/1.1\r\n"
	    "host: other.example\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: " KEY "\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "ORIGIN: null\r\n"
	    "Sec-WebSocket-Protocol: mine\r\n"
	    "Sec-WebSocket-Extensions: x\r\n"
	    "Authorization: Bearer t\r\n"
	    "User-Agent: curl/8\r\n"
	    "X-A: 1\r\n"
	    "X-B: 2\r\n"
	    "\r\n");
	free(s);
}
END_TEST

START_TEST(test_request_origin_only_from_extra)
{
	static const char *const	extra[] = { "Origin: https://a.test" };
	struct wsc_hs_request		r = base_request();
	char				*s;

	r.headers = extra;
	r.nheaders = 1;
	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	/* In the Origin slot, after the version, and only once. */
	ck_assert_ptr_nonnull(strstr(s,
	    "Sec-WebSocket-Version: 13\r\nOrigin: https://a.test\r\n"
	    "User-Agent: "));
	ck_assert_ptr_eq(strstr(s, "Origin"), strrchr(s, 'O'));
	free(s);
}
END_TEST

/* Builds with one field changed and expects NULL. */
static void
refused(struct wsc_hs_request r)
{
	char	*s = wsc_hs_build_request(&r);

	ck_assert_ptr_null(s);
}

START_TEST(test_request_injection)
{
	static const char *const	bad_proto[] = { "chat", "a\r\nX: y" };
	struct wsc_hs_request		r;
	const char			*h[1];
	char				*s;

	r = base_request(); r.host = "a\r\nX-Evil: 1"; refused(r);
	r = base_request(); r.host = "a\nb"; refused(r);
	r = base_request(); r.host = "a\rb"; refused(r);
	r = base_request(); r.host = "a\033b"; refused(r);
	r = base_request(); r.path = "/a\r\nX: y"; refused(r);
	r = base_request(); r.path = "/a b"; refused(r);
	r = base_request(); r.path = ""; refused(r);
	r = base_request(); r.path = NULL; refused(r);
	r = base_request(); r.host = NULL; refused(r);
	r = base_request(); r.key = NULL; refused(r);
	r = base_request(); r.key = "k\n"; refused(r);
	r = base_request(); r.origin = "o\r\n"; refused(r);
	r = base_request(); r.extensions = "x\n"; refused(r);
	r = base_request(); r.authorization = "u:p\r\n"; refused(r);
	r = base_request(); r.protocols = bad_proto; r.nprotocols = 2;
	refused(r);
	r = base_request(); r.headers = h; r.nheaders = 1;
	h[0] = "X-A: 1\r\nX-B: 2"; refused(r);
	h[0] = "X-A: 1\n"; refused(r);
	h[0] = "X-A: \x7f"; refused(r);
	/* malformed: the name must be a token right before ':' */
	h[0] = "NoColon"; refused(r);
	h[0] = "Bad Name: x"; refused(r);
	h[0] = "X-A : x"; refused(r);
	h[0] = ": x"; refused(r);
	h[0] = " X-A: x"; refused(r);
	h[0] = ""; refused(r);
	/* a header value may hold HTAB and obs-text */
	h[0] = "X-A:\tv\xc3\xa9";
	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "\r\nX-A:\tv\xc3\xa9\r\n\r\n"));
	free(s);
}
END_TEST

START_TEST(test_request_critical_override)
{
	static const char *const	names[] = {
		"Upgrade: h2c", "connection: close", "Sec-WebSocket-Key: abc",
		"SEC-WEBSOCKET-VERSION: 8"
	};
	struct wsc_hs_request		r = base_request();
	const char			*h[2] = { "X-Ok: 1", NULL };
	char				*s;
	size_t				i;

	r.headers = h;
	r.nheaders = 2;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		h[1] = names[i];
		ck_assert_ptr_null(wsc_hs_build_request(&r));
	}
	/* A longer name that merely starts the same is an ordinary header. */
	h[1] = "Upgrade-Insecure-Requests: 1";
	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	free(s);
	h[1] = "Sec-WebSocket-Keys: 1";
	s = wsc_hs_build_request(&r);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "\r\nSec-WebSocket-Keys: 1\r\n"));
	free(s);
}
END_TEST

START_TEST(test_parse_response)
{
	const char		*s = R101 "X-Empty:\r\nX-Trim: \t a  b \t\r\n\r\n";
	struct wsc_http_msg	m;

	parse_ok(s, &m);
	ck_assert_int_eq(m.status, 101);
	ck_assert_int_eq(m.minor_version, 1);
	ck_assert_str_eq(m.reason, "Switching Protocols");
	ck_assert_ptr_null(m.method);
	ck_assert_uint_eq(m.nheaders, 5);
	ck_assert_str_eq(m.headers[0].name, "Upgrade");
	ck_assert_str_eq(m.headers[0].value, "websocket");
	ck_assert_str_eq(wsc_http_header(&m, "sec-websocket-accept"), ACCEPT);
	ck_assert_str_eq(wsc_http_header(&m, "X-Empty"), "");
	ck_assert_str_eq(wsc_http_header(&m, "x-trim"), "a  b");
	ck_assert_ptr_null(wsc_http_header(&m, "X-Missing"));
	ck_assert_ptr_null(wsc_http_header(&m, "X-Empt"));
	wsc_http_msg_free(&m);
	wsc_http_msg_free(&m);	/* twice is harmless */
}
END_TEST

START_TEST(test_parse_reason)
{
	struct wsc_http_msg	m;

	parse_ok("HTTP/1.0 404 \r\n\r\n", &m);
	ck_assert_int_eq(m.status, 404);
	ck_assert_int_eq(m.minor_version, 0);
	ck_assert_str_eq(m.reason, "");
	wsc_http_msg_free(&m);
	parse_ok("HTTP/1.1 101\r\n\r\n", &m);
	ck_assert_int_eq(m.status, 101);
	ck_assert_str_eq(m.reason, "");
	ck_assert_uint_eq(m.nheaders, 0);
	wsc_http_msg_free(&m);
	parse_ok("HTTP/1.1 301 Moved \tPermanently\r\nLocation: /x\r\n\r\n", &m);
	ck_assert_str_eq(m.reason, "Moved \tPermanently");
	ck_assert_str_eq(wsc_http_header(&m, "location"), "/x");
	wsc_http_msg_free(&m);
}
END_TEST

/* Every proper prefix of s must ask for more bytes. */
static void
all_prefixes_need_more(const char *s, int is_request)
{
	struct wsc_http_msg	m;
	size_t			i, n = strlen(s);

	for (i = 0; i < n; i++) {
		ck_assert_msg(wsc_http_parse(s, i, is_request, &m) ==
		    WSC_HS_NEED_MORE, "prefix %zu of %zu", i, n);
		ck_assert_ptr_null(m.raw);
	}
	ck_assert_int_eq(wsc_http_parse(s, n, is_request, &m), (int)n);
	wsc_http_msg_free(&m);
}

START_TEST(test_parse_prefixes)
{
	all_prefixes_need_more(R101 "X-Empty:\r\n\r\n", 0);
	all_prefixes_need_more("HTTP/1.1 101\nA: b\n\n", 0);
	all_prefixes_need_more("HTTP/1.1 200 OK\r\n\r\n", 0);
	all_prefixes_need_more("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 1);
}
END_TEST

START_TEST(test_parse_lf_only)
{
	const char		*s = "HTTP/1.1 101 Switching Protocols\n"
	    "Upgrade: websocket\nConnection: Upgrade\r\nX: y\n\n";
	struct wsc_http_msg	m;

	parse_ok(s, &m);
	ck_assert_uint_eq(m.nheaders, 3);
	ck_assert_str_eq(m.reason, "Switching Protocols");
	ck_assert_str_eq(wsc_http_header(&m, "connection"), "Upgrade");
	ck_assert_str_eq(wsc_http_header(&m, "x"), "y");
	wsc_http_msg_free(&m);
	/* a blank line of CRLF after LF-ended lines also ends the head */
	parse_ok("HTTP/1.1 101\nA: b\n\r\n", &m);
	wsc_http_msg_free(&m);
}
END_TEST

START_TEST(test_parse_trailing_bytes)
{
	static const char	head[] = R101 "\r\n";
	char			buf[sizeof head + 8];
	struct wsc_http_msg	m;

	/* A frame arriving in the same read as the 101, NUL byte included. */
	memcpy(buf, head, sizeof head - 1);
	memcpy(buf + sizeof head - 1, "\x81\x02hi\x00\x00\r\n", 8);
	ck_assert_int_eq(wsc_http_parse(buf, sizeof buf - 1, 0, &m),
	    (int)sizeof head - 1);
	ck_assert_uint_eq(m.nheaders, 3);
	ck_assert_str_eq(wsc_http_header(&m, "Sec-WebSocket-Accept"), ACCEPT);
	ck_assert_int_eq(m.raw[sizeof head - 1], '\0');
	wsc_http_msg_free(&m);
	/* a second head after the first is not ours to read either */
	ck_assert_int_eq(wsc_http_parse("HTTP/1.1 100 Continue\n\nHTTP/1.1 101\n"
	    "\n", 37, 0, &m), 23);
	ck_assert_int_eq(m.status, 100);
	wsc_http_msg_free(&m);
}
END_TEST

START_TEST(test_parse_early_garbage)
{
	/* These fail on the bytes seen so far, without a line end. */
	PARSE_FAILS("SSH-2.0-OpenSSH_9.2p1", WSC_HS_E_GARBAGE);
	PARSE_FAILS("S", WSC_HS_E_GARBAGE);
	PARSE_FAILS("\x16\x03\x01\x02\x00\x01\x00", WSC_HS_E_GARBAGE);
	PARSE_FAILS("\x16", WSC_HS_E_GARBAGE);
	PARSE_FAILS("<html>", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/2 200", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.", WSC_HS_NEED_MORE);
	PARSE_FAILS("http/1.1 101", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 1x", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1  101", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 1011 ", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\nX-A : b", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\nX(A", WSC_HS_E_GARBAGE);
	PARSE_FAILS("", WSC_HS_NEED_MORE);
}
END_TEST

START_TEST(test_parse_garbage_lines)
{
	/* bare CR, control bytes, a header without a name or colon */
	PARSE_FAILS("HTTP/1.1 101 OK\rX", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\nA: b\rc\r\n\r\n", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\nA: \x1b[31m\r\n\r\n", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\n: b\r\n\r\n", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\nAb\r\n\r\n", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\n\r", WSC_HS_NEED_MORE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\n\rX", WSC_HS_E_GARBAGE);
}
END_TEST

START_TEST(test_parse_obs_fold)
{
	PARSE_FAILS("HTTP/1.1 101 OK\r\nA: b\r\n c\r\n\r\n", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\nA: b\r\n\tc", WSC_HS_E_GARBAGE);
	PARSE_FAILS("HTTP/1.1 101 OK\r\n ", WSC_HS_E_GARBAGE);
}
END_TEST

START_TEST(test_parse_nul)
{
	static const char	a[] = "HTTP/1.1 101 O\0K\r\n\r\n";
	static const char	b[] = "HTTP/1.1 101 OK\r\nA: \0\r\n\r\n";
	static const char	c[] = "HTTP/1.1 101 OK\r\nA\0: b\r\n\r\n";
	static const char	d[] = "HTTP\0";

	parse_fails(a, sizeof a - 1, WSC_HS_E_GARBAGE);
	parse_fails(b, sizeof b - 1, WSC_HS_E_GARBAGE);
	parse_fails(c, sizeof c - 1, WSC_HS_E_GARBAGE);
	parse_fails(d, sizeof d - 1, WSC_HS_E_GARBAGE);
}
END_TEST

/* A response head of exactly size bytes (size >= 40), one long header. */
static char *
head_of_size(size_t size)
{
	static const char	pre[] = "HTTP/1.1 101 OK\r\nX: ";
	char			*s = malloc(size + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, pre, sizeof pre - 1);
	memset(s + sizeof pre - 1, 'a', size - (sizeof pre - 1) - 4);
	memcpy(s + size - 4, "\r\n\r\n", 5);
	return s;
}

START_TEST(test_parse_too_big)
{
	struct wsc_http_msg	m;
	char			*s;

	s = head_of_size(WSC_HS_MAX_HEAD);
	ck_assert_int_eq(wsc_http_parse(s, WSC_HS_MAX_HEAD, 0, &m),
	    WSC_HS_MAX_HEAD);
	wsc_http_msg_free(&m);
	free(s);
	s = head_of_size(WSC_HS_MAX_HEAD + 1);
	ck_assert_int_eq(wsc_http_parse(s, WSC_HS_MAX_HEAD - 1, 0, &m),
	    WSC_HS_NEED_MORE);
	ck_assert_int_eq(wsc_http_parse(s, WSC_HS_MAX_HEAD, 0, &m),
	    WSC_HS_E_TOO_BIG);
	ck_assert_int_eq(wsc_http_parse(s, WSC_HS_MAX_HEAD + 1, 0, &m),
	    WSC_HS_E_TOO_BIG);
	ck_assert_ptr_null(m.raw);
	free(s);
	/* no terminator at all within the limit */
	s = head_of_size(3 * WSC_HS_MAX_HEAD);
	ck_assert_int_eq(wsc_http_parse(s, 2 * WSC_HS_MAX_HEAD, 0, &m),
	    WSC_HS_E_TOO_BIG);
	free(s);
}
END_TEST

/* A response with n headers "Hn: v". */
static char *
head_with_headers(size_t n)
{
	char	*s = malloc(32 + n * 16), *p;
	size_t	 i;

	ck_assert_ptr_nonnull(s);
	p = s + sprintf(s, "HTTP/1.1 101 OK\r\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "H%zu: v\r\n", i);
	strcpy(p, "\r\n");
	return s;
}

START_TEST(test_parse_too_many_headers)
{
	struct wsc_http_msg	m;
	char			*s;

	s = head_with_headers(WSC_HS_MAX_HEADERS);
	parse_ok(s, &m);
	ck_assert_uint_eq(m.nheaders, WSC_HS_MAX_HEADERS);
	ck_assert_str_eq(m.headers[WSC_HS_MAX_HEADERS - 1].name, "H99");
	wsc_http_msg_free(&m);
	free(s);
	s = head_with_headers(WSC_HS_MAX_HEADERS + 1);
	parse_fails(s, strlen(s), WSC_HS_E_TOO_BIG);
	free(s);
}
END_TEST

START_TEST(test_header_list)
{
	const char		*s = "HTTP/1.1 101 OK\r\nConnection: keep-alive\r\n"
	    "X: 1\r\nconnection: Upgrade\r\nCONNECTION:\r\n\r\n";
	struct wsc_http_msg	m;
	char			out[64];

	parse_ok(s, &m);
	ck_assert_int_eq(wsc_http_header_list(&m, "Connection", out,
	    sizeof out), 0);
	ck_assert_str_eq(out, "keep-alive, Upgrade, ");
	ck_assert_int_eq(wsc_http_header_list(&m, "x", out, sizeof out), 0);
	ck_assert_str_eq(out, "1");
	ck_assert_int_eq(wsc_http_header_list(&m, "Y", out, sizeof out), -1);
	ck_assert_str_eq(out, "");
	/* "keep-alive, Upgrade, " is 21 bytes: 22 fit, 21 do not */
	ck_assert_int_eq(wsc_http_header_list(&m, "Connection", out, 22), 0);
	ck_assert_int_eq(wsc_http_header_list(&m, "Connection", out, 21), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(wsc_http_header_list(&m, "x", out, 1), -1);
	ck_assert_int_eq(wsc_http_header_list(&m, "x", out, 0), -1);
	wsc_http_msg_free(&m);
}
END_TEST

START_TEST(test_parse_request)
{
	const char		*s = "GET /chat?a=b%20c HTTP/1.1\r\n"
	    "Host: server.example.com\r\nUpgrade: websocket\r\n\r\nrest";
	struct wsc_http_msg	m;

	ck_assert_int_eq(wsc_http_parse(s, strlen(s), 1, &m),
	    (int)strlen(s) - 4);
	ck_assert_str_eq(m.method, "GET");
	ck_assert_str_eq(m.target, "/chat?a=b%20c");
	ck_assert_int_eq(m.minor_version, 1);
	ck_assert_ptr_null(m.reason);
	ck_assert_str_eq(wsc_http_header(&m, "host"), "server.example.com");
	wsc_http_msg_free(&m);
	ck_assert_int_eq(wsc_http_parse("OPTIONS * HTTP/1.0\n\n", 20, 1, &m),
	    20);
	ck_assert_str_eq(m.method, "OPTIONS");
	ck_assert_str_eq(m.target, "*");
	ck_assert_int_eq(m.minor_version, 0);
	wsc_http_msg_free(&m);
	/* a TLS ClientHello or a response sent to a server */
	ck_assert_int_eq(wsc_http_parse("\x16\x03\x01", 3, 1, &m),
	    WSC_HS_E_GARBAGE);
	ck_assert_int_eq(wsc_http_parse("HTTP/1.1 101 OK\r\n", 17, 1, &m),
	    WSC_HS_E_GARBAGE);
	ck_assert_int_eq(wsc_http_parse("GET  / HTTP/1.1", 15, 1, &m),
	    WSC_HS_E_GARBAGE);
	ck_assert_int_eq(wsc_http_parse("GET /a b HTTP/1.1", 17, 1, &m),
	    WSC_HS_E_GARBAGE);
	ck_assert_int_eq(wsc_http_parse("GET / HTTP/2\r\n", 14, 1, &m),
	    WSC_HS_E_GARBAGE);
	ck_assert_int_eq(wsc_http_parse("GET / HTTP/1.1", 14, 1, &m),
	    WSC_HS_NEED_MORE);
}
END_TEST

START_TEST(test_check_ok)
{
	static const char *const	protos[] = { "chat", "superchat" };
	struct wsc_hs_request		r = base_request();
	struct wsc_hs_result		res;
	struct wsc_http_msg		m;
	const char			*end;
	char				err[128];

	ck_assert_int_eq(check_text(R101 "\r\n", &r, &res, err, sizeof err), 0);
	ck_assert_ptr_null(res.protocol);
	ck_assert_ptr_null(res.extensions);
	/* tokens are case-insensitive; lists may span lines */
	ck_assert_int_eq(check_text("HTTP/1.1 101 x\r\nUPGRADE: WebSocket\r\n"
	    "Connection: keep-alive\r\nconnection: UPGRADE\r\n"
	    "sec-websocket-accept: " ACCEPT "\r\n\r\n", &r, &res, err,
	    sizeof err), 0);
	ck_assert_int_eq(check_text("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: "
	    ACCEPT "\r\n\r\n", &r, &res, err, sizeof err), 0);
	/* with a subprotocol: the result points into the message */
	r.protocols = protos;
	r.nprotocols = 2;
	parse_ok(R101 "Sec-WebSocket-Protocol: superchat\r\n\r\n", &m);
	end = m.raw + sizeof(R101 "Sec-WebSocket-Protocol: superchat\r\n\r\n");
	ck_assert_int_eq(wsc_hs_check_response(&m, &r, &res, err, sizeof err),
	    0);
	ck_assert_str_eq(res.protocol, "superchat");
	ck_assert(res.protocol > m.raw && res.protocol < end);
	wsc_http_msg_free(&m);
	/* offered but not chosen is the server's right */
	ck_assert_int_eq(check_text(R101 "\r\n", &r, &res, err, sizeof err), 0);
	ck_assert_ptr_null(res.protocol);
}
END_TEST

START_TEST(test_check_extensions)
{
	struct wsc_hs_request	r = base_request();
	struct wsc_hs_result	res;
	char			err[128];

	check_fails(R101 "Sec-WebSocket-Extensions: permessage-deflate; "
	    "server_no_context_takeover\r\n\r\n", &r,
	    "server enabled extension 'permessage-deflate' which was not "
	    "offered");
	check_fails(R101 "Sec-WebSocket-Extensions: ,\r\n"
	    "Sec-WebSocket-Extensions: , x-foo, y\r\n\r\n", &r,
	    "server enabled extension 'x-foo' which was not offered");
	/* an empty list enables nothing */
	ck_assert_int_eq(check_text(R101 "Sec-WebSocket-Extensions:\r\n\r\n",
	    &r, &res, err, sizeof err), 0);
	ck_assert_ptr_null(res.extensions);
	r.extensions = "permessage-deflate";
	ck_assert_int_eq(check_text(R101 "Sec-WebSocket-Extensions: "
	    "permessage-deflate\r\n\r\n", &r, &res, err, sizeof err), 0);
	ck_assert_ptr_nonnull(res.extensions);
	check_fails(R101 "Sec-WebSocket-Extensions: permessage-deflate\r\n"
	    "Sec-WebSocket-Extensions: x-foo\r\n\r\n", &r,
	    "Sec-WebSocket-Extensions sent on more than one line");
}
END_TEST

START_TEST(test_check_status)
{
	struct wsc_hs_request	r = base_request();

	check_fails("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n"
	    "\r\n", &r, "server answered 401 Unauthorized");
	/* status comes first, whatever else is wrong */
	check_fails("HTTP/1.1 200 OK\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\n\r\n",
	    &r, "server answered 200 OK");
	check_fails("HTTP/1.1 302\r\nLocation: /\r\n\r\n", &r,
	    "server answered 302");
	check_fails("HTTP/1.0 100 \r\n\r\n", &r, "server answered 100");
	/* a server's reason cannot carry bytes to the terminal */
	check_fails("HTTP/1.1 500 Bad\xc2\x9b""1m\r\n\r\n", &r,
	    "server answered 500 Bad??1m");
}
END_TEST

START_TEST(test_check_upgrade_connection)
{
	struct wsc_hs_request	r = base_request();

	check_fails("HTTP/1.1 101 x\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: " ACCEPT "\r\n\r\n", &r,
	    "missing or wrong Upgrade header");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: websockets\r\n"
	    "Connection: Upgrade\r\n\r\n", &r,
	    "missing or wrong Upgrade header");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: h2c\r\n\r\n", &r,
	    "missing or wrong Upgrade header");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Accept: " ACCEPT "\r\n\r\n", &r,
	    "missing or wrong Connection header");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Connection: keep-alive\r\nConnection: close\r\n\r\n", &r,
	    "missing or wrong Connection header");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Connection: upgraded\r\n\r\n", &r,
	    "missing or wrong Connection header");
}
END_TEST

START_TEST(test_check_accept)
{
	struct wsc_hs_request	r = base_request();

	check_fails("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\n\r\n", &r, "missing Sec-WebSocket-Accept");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Accept: "
	    "s3pPLMBiTxaQ9kYGzzhZRbK+xOO=\r\n\r\n", &r,
	    "Sec-WebSocket-Accept does not match the key");
	check_fails("HTTP/1.1 101 x\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Accept: \r\n\r\n", &r,
	    "Sec-WebSocket-Accept does not match the key");
	check_fails(R101 "Sec-WebSocket-Accept: " ACCEPT "\r\n\r\n", &r,
	    "Sec-WebSocket-Accept does not match the key");
	r.key = "AAAAAAAAAAAAAAAAAAAAAA==";
	check_fails(R101 "\r\n", &r,
	    "Sec-WebSocket-Accept does not match the key");
}
END_TEST

START_TEST(test_check_protocol)
{
	static const char *const	protos[] = { "chat", "superchat" };
	struct wsc_hs_request		r = base_request();

	check_fails(R101 "Sec-WebSocket-Protocol: chat\r\n\r\n", &r,
	    "server chose subprotocol 'chat' which was not offered");
	r.protocols = protos;
	r.nprotocols = 2;
	check_fails(R101 "Sec-WebSocket-Protocol: mqtt\r\n\r\n", &r,
	    "server chose subprotocol 'mqtt' which was not offered");
	check_fails(R101 "Sec-WebSocket-Protocol: Chat\r\n\r\n", &r,
	    "server chose subprotocol 'Chat' which was not offered");
	check_fails(R101 "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n", &r,
	    "server chose subprotocol 'chat, superchat' which was not offered");
	check_fails(R101 "Sec-WebSocket-Protocol: chat\r\n"
	    "Sec-WebSocket-Protocol: chat\r\n\r\n", &r,
	    "server chose subprotocol 'chat, chat' which was not offered");
	check_fails(R101 "Sec-WebSocket-Protocol:\r\n\r\n", &r,
	    "server chose subprotocol '' which was not offered");
}
END_TEST

START_TEST(test_check_small_err)
{
	struct wsc_hs_request	r = base_request();
	struct wsc_hs_result	res;
	char			err[8];

	memset(err, 'x', sizeof err);
	ck_assert_int_eq(check_text("HTTP/1.1 401 Unauthorized\r\n\r\n", &r,
	    &res, err, sizeof err), -1);
	ck_assert_str_eq(err, "server ");
	ck_assert_int_eq(check_text("HTTP/1.1 401 Unauthorized\r\n\r\n", &r,
	    &res, err, 0), -1);
}
END_TEST

static Suite *
handshake_suite(void)
{
	Suite	*s = suite_create("handshake");
	TCase	*tc;

	tc = tcase_create("request");
	tcase_add_test(tc, test_accept_vector);
	tcase_add_test(tc, test_make_key);
	tcase_add_test(tc, test_request_exact);
	tcase_add_test(tc, test_request_minimal);
	tcase_add_test(tc, test_request_replace);
	tcase_add_test(tc, test_header_count_and_token);
	tcase_add_test(tc, test_request_origin_only_from_extra);
	tcase_add_test(tc, test_request_injection);
	tcase_add_test(tc, test_request_critical_override);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_response);
	tcase_add_test(tc, test_parse_reason);
	tcase_add_test(tc, test_parse_prefixes);
	tcase_add_test(tc, test_parse_lf_only);
	tcase_add_test(tc, test_parse_trailing_bytes);
	tcase_add_test(tc, test_parse_early_garbage);
	tcase_add_test(tc, test_parse_garbage_lines);
	tcase_add_test(tc, test_parse_obs_fold);
	tcase_add_test(tc, test_parse_nul);
	tcase_add_test(tc, test_parse_too_big);
	tcase_add_test(tc, test_parse_too_many_headers);
	tcase_add_test(tc, test_header_list);
	tcase_add_test(tc, test_parse_request);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_test(tc, test_check_ok);
	tcase_add_test(tc, test_check_extensions);
	tcase_add_test(tc, test_check_status);
	tcase_add_test(tc, test_check_upgrade_connection);
	tcase_add_test(tc, test_check_accept);
	tcase_add_test(tc, test_check_protocol);
	tcase_add_test(tc, test_check_small_err);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(handshake_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
