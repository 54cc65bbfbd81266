/* Unit tests for the server half of the opening handshake (src/request.c):
 * the request's checks at their boundaries, the subprotocol and
 * permessage-deflate choices, request-target forms, the 101 and the
 * refusals, and what is kept for a CGI-style environment. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"
#include "request.h"

/* RFC 6455 section 1.3 / 4.2.2 sample. */
#define KEY	"dGhlIHNhbXBsZSBub25jZQ=="
#define ACCEPT	"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

#define LINE	"GET /chat HTTP/1.1\r\n"
#define HOST	"Host: example.com\r\n"
#define UPGRADE	"Upgrade: websocket\r\n"
#define CONN	"Connection: Upgrade\r\n"
#define VER	"Sec-WebSocket-Version: 13\r\n"
#define KEYH	"Sec-WebSocket-Key: " KEY "\r\n"
/* Everything a valid request needs but its first line. */
#define REST	HOST UPGRADE CONN VER KEYH

static char		 chat[] = "chat", superchat[] = "superchat";
static char		*protos[] = { chat, superchat };
static struct wsc_request	req;
static struct wsc_request_answer	ans;

/* The config most tests use: both subprotocols, compression on. */
static struct wsc_request_config
config(void)
{
	struct wsc_request_config	cfg;

	cfg.protocols = protos;
	cfg.nprotocols = 2;
	cfg.compression = 1;
	return cfg;
}

/* Reads text (a whole head, and maybe more) with the default config;
 * returns the answer's status (0: more needed). */
static int
status_of(const char *text)
{
	struct wsc_request_config	cfg = config();

	wsc_request_free(&req);
	if (wsc_request_read(text, strlen(text), &cfg, &req, &ans) == 0)
		return 0;
	if (ans.status == 101)
		ck_assert_ptr_null(ans.why);
	else
		ck_assert_ptr_nonnull(ans.why);
	return ans.status;
}

/* Frees what the last test kept. */
static void
teardown(void)
{
	wsc_request_free(&req);
}

START_TEST(test_valid)
{
	char	*head;

	ck_assert_int_eq(status_of(LINE REST "\r\n"), 101);
	ck_assert_str_eq(req.method, "GET");
	ck_assert_str_eq(req.uri, "/chat");
	ck_assert_str_eq(req.key, KEY);
	ck_assert_uint_eq(req.head_len, strlen(LINE REST "\r\n"));
	ck_assert_ptr_null(ans.protocol);
	ck_assert_int_eq(ans.pmd, 0);
	head = wsc_request_accept_head(&req, &ans);
	ck_assert_str_eq(head, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: " ACCEPT "\r\n\r\n");
	free(head);
}
END_TEST

START_TEST(test_incomplete)
{
	const char	*full = LINE REST "\r\n";
	size_t		 i;

	/* Every proper prefix of a valid head asks for more. */
	for (i = 0; i < strlen(full); i++) {
		struct wsc_request_config	cfg = config();

		ck_assert_int_eq(wsc_request_read(full, i, &cfg, &req, &ans),
		    0);
		ck_assert_ptr_null(req.raw);
	}
}
END_TEST

START_TEST(test_frames_after_head)
{
	const char	*text = LINE REST "\r\n\x81\x85";

	ck_assert_int_eq(status_of(text), 101);
	ck_assert_uint_eq(req.head_len, strlen(text) - 2);
}
END_TEST

START_TEST(test_missing_headers)
{
	ck_assert_int_eq(status_of(LINE UPGRADE CONN VER KEYH "\r\n"), 400);
	ck_assert_str_eq(ans.why, "exactly one Host header is required");
	ck_assert_int_eq(status_of(LINE HOST CONN VER KEYH "\r\n"), 400);
	ck_assert_ptr_nonnull(strstr(ans.why, "Upgrade: websocket"));
	ck_assert_int_eq(status_of(LINE HOST UPGRADE VER KEYH "\r\n"), 400);
	ck_assert_str_eq(ans.why, "no Connection: Upgrade");
	ck_assert_int_eq(status_of(LINE HOST UPGRADE CONN KEYH "\r\n"), 426);
	ck_assert_int_eq(status_of(LINE HOST UPGRADE CONN VER "\r\n"), 400);
	ck_assert_ptr_nonnull(strstr(ans.why, "Sec-WebSocket-Key"));
	/* A refused head that parsed is still kept, for the log. */
	ck_assert_str_eq(req.uri, "/chat");
}
END_TEST

START_TEST(test_duplicate_headers)
{
	ck_assert_int_eq(status_of(LINE HOST REST "\r\n"), 400);
	ck_assert_str_eq(ans.why, "exactly one Host header is required");
	ck_assert_int_eq(status_of(LINE REST VER "\r\n"), 426);
	ck_assert_int_eq(status_of(LINE REST KEYH "\r\n"), 400);
	ck_assert_ptr_nonnull(strstr(ans.why, "Sec-WebSocket-Key"));
	/* Upgrade and Connection are lists: more lines are fine. */
	ck_assert_int_eq(status_of(LINE REST UPGRADE CONN "\r\n"), 101);
}
END_TEST

START_TEST(test_oversized)
{
	char	*text = malloc(WSC_HS_MAX_HEAD + 200);
	size_t	 n, i;

	/* A head over the limit is refused as soon as the limit is read. */
	n = (size_t)sprintf(text, LINE REST "X-Pad: ");
	memset(text + n, 'a', WSC_HS_MAX_HEAD - n);
	text[WSC_HS_MAX_HEAD] = '\0';
	ck_assert_int_eq(status_of(text), 400);
	ck_assert_str_eq(ans.why, "request head too large");
	ck_assert_ptr_null(req.raw);
	/* As many header lines as the parser keeps (REST has 5), and one
	 * more. */
	n = (size_t)sprintf(text, LINE REST);
	for (i = 5; i < WSC_HS_MAX_HEADERS; i++)
		n += (size_t)sprintf(text + n, "A: b\r\n");
	sprintf(text + n, "\r\n");
	ck_assert_int_eq(status_of(text), 101);
	ck_assert_uint_eq(req.nheaders, WSC_HS_MAX_HEADERS);
	sprintf(text + n, "A: b\r\n\r\n");
	ck_assert_int_eq(status_of(text), 400);
	ck_assert_str_eq(ans.why, "request head too large");
	free(text);
}
END_TEST

START_TEST(test_oversized_lists_ignored)
{
	char	*text = malloc(8192);
	size_t	 n;

	/* A subprotocol list longer than the server looks at selects none;
	 * the request is still accepted. */
	n = (size_t)sprintf(text, LINE REST "Sec-WebSocket-Protocol: chat");
	memset(text + n, 'x', 1100);
	sprintf(text + n + 1100, ", chat\r\n\r\n");
	ck_assert_int_eq(status_of(text), 101);
	ck_assert_ptr_null(ans.protocol);
	n = (size_t)sprintf(text, LINE REST "Sec-WebSocket-Extensions: "
	    "permessage-deflate; x=");
	memset(text + n, 'x', 2100);
	sprintf(text + n + 2100, ", permessage-deflate\r\n\r\n");
	ck_assert_int_eq(status_of(text), 101);
	ck_assert_int_eq(ans.pmd, 0);
	free(text);
}
END_TEST

START_TEST(test_key_lengths)
{
	static const char *const	bad[] = {
		"",
		"dGhlIHNhbXBsZSBub25jZQ=",	/* 23 */
		"dGhlIHNhbXBsZSBub25jZQ===",	/* 25 */
		"dGhlIHNhbXBsZSBub25j",		/* 15 bytes */
		"dGhlIHNhbXBsZSBub25jZQ!=",	/* not base64 */
		"dGhlIHNhbXBsZSBub25jZXM=",	/* 17 bytes */
	};
	char	text[512];
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, LINE HOST UPGRADE CONN VER
		    "Sec-WebSocket-Key: %s\r\n\r\n", bad[i]);
		ck_assert_int_eq(status_of(text), 400);
		ck_assert_ptr_nonnull(strstr(ans.why, "base64 of 16 bytes"));
	}
	/* Another 16-byte key is fine, whatever its bytes. */
	ck_assert_int_eq(status_of(LINE HOST UPGRADE CONN VER
	    "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n"), 101);
}
END_TEST

START_TEST(test_version)
{
	static const char *const	bad[] = { "8", "12", "14", "13, 8",
					    "013", "" };
	char	text[512], out[512];
	size_t	i, n;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, LINE HOST UPGRADE CONN KEYH
		    "Sec-WebSocket-Version: %s\r\n\r\n", bad[i]);
		ck_assert_int_eq(status_of(text), 426);
	}
	/* Section 4.4: the refusal names the version we speak. */
	n = wsc_request_refusal(ans.status, ans.why, out, sizeof out);
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_ptr_nonnull(strstr(out, "HTTP/1.1 426 Upgrade Required\r\n"));
	ck_assert_ptr_nonnull(strstr(out, "\r\nSec-WebSocket-Version: 13\r\n"));
}
END_TEST

START_TEST(test_method_and_http_version)
{
	ck_assert_int_eq(status_of("POST /chat HTTP/1.1\r\n" REST "\r\n"),
	    400);
	ck_assert_str_eq(ans.why, "the method must be GET");
	/* Methods are case-sensitive (RFC 7230 section 3.1.1). */
	ck_assert_int_eq(status_of("get /chat HTTP/1.1\r\n" REST "\r\n"), 400);
	ck_assert_int_eq(status_of("GET /chat HTTP/1.0\r\n" REST "\r\n"), 400);
	ck_assert_str_eq(ans.why, "HTTP/1.1 or later is required");
	ck_assert_int_eq(status_of("GET /chat HTTP/2.0\r\n" REST "\r\n"), 400);
	ck_assert_str_eq(ans.why, "not an HTTP/1.1 request");
	ck_assert_ptr_null(req.raw);
	ck_assert_int_eq(status_of("\x16\x03\x01\x02\x00\x01"), 400);
	ck_assert_str_eq(ans.why, "not an HTTP/1.1 request");
}
END_TEST

START_TEST(test_connection_tokens)
{
	static const char *const	ok[] = { "keep-alive, Upgrade",
					    "upgrade", "UPGRADE,keep-alive",
					    "keep-alive ,\tUpgrade ,x" };
	static const char *const	bad[] = { "keep-alive", "upgrades",
					    "keep-alive upgrade", "" };
	char	text[512];
	size_t	i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, LINE HOST UPGRADE VER KEYH
		    "Connection: %s\r\n\r\n", ok[i]);
		ck_assert_msg(status_of(text) == 101, "%s", ok[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, LINE HOST UPGRADE VER KEYH
		    "Connection: %s\r\n\r\n", bad[i]);
		ck_assert_msg(status_of(text) == 400, "%s", bad[i]);
	}
	/* The token may come on a second Connection line. */
	ck_assert_int_eq(status_of(LINE HOST UPGRADE VER KEYH
	    "Connection: keep-alive\r\nConnection: Upgrade\r\n\r\n"), 101);
}
END_TEST

START_TEST(test_case_insensitive)
{
	ck_assert_int_eq(status_of(LINE "host: h\r\nUPGRADE: WebSocket\r\n"
	    "connection: UPGRADE\r\nsec-websocket-version: 13\r\n"
	    "SEC-WEBSOCKET-KEY: " KEY "\r\n\r\n"), 101);
	/* Names are kept as sent. */
	ck_assert_str_eq(req.headers[0].name, "host");
	ck_assert_str_eq(req.key, KEY);
	/* The key itself is base64: case matters (a different key). */
	ck_assert_int_eq(status_of(LINE HOST UPGRADE CONN VER
	    "Sec-WebSocket-Key: DGHLIHNHBXBSZSBUB25JZQ==\r\n\r\n"), 101);
	ck_assert_str_ne(req.key, KEY);
}
END_TEST

START_TEST(test_bare_lf)
{
	ck_assert_int_eq(status_of("GET / HTTP/1.1\nHost: h\nUpgrade: "
	    "websocket\nConnection: Upgrade\nSec-WebSocket-Version: 13\n"
	    "Sec-WebSocket-Key: " KEY "\n\n"), 101);
}
END_TEST

START_TEST(test_protocol_order)
{
	struct wsc_request_config	cfg = config();
	char				*head;
	const char			*t;

	/* The client's order decides among those the server accepts. */
	ck_assert_int_eq(status_of(LINE REST
	    "Sec-WebSocket-Protocol: x, superchat, chat\r\n\r\n"), 101);
	ck_assert_str_eq(ans.protocol, "superchat");
	head = wsc_request_accept_head(&req, &ans);
	ck_assert_ptr_nonnull(strstr(head,
	    "\r\nSec-WebSocket-Protocol: superchat\r\n"));
	free(head);
	/* Split over lines: one list (RFC 7230 section 3.2.2). */
	ck_assert_int_eq(status_of(LINE REST "Sec-WebSocket-Protocol: x\r\n"
	    "Sec-WebSocket-Protocol: chat,superchat\r\n\r\n"), 101);
	ck_assert_str_eq(ans.protocol, "chat");
	/* Subprotocols are case-sensitive; none matching: none chosen. */
	ck_assert_int_eq(status_of(LINE REST
	    "Sec-WebSocket-Protocol: CHAT, chatty\r\n\r\n"), 101);
	ck_assert_ptr_null(ans.protocol);
	head = wsc_request_accept_head(&req, &ans);
	ck_assert_ptr_null(strstr(head, "Sec-WebSocket-Protocol"));
	free(head);
	/* A server that lists none chooses none. */
	cfg.nprotocols = 0;
	t = LINE REST "Sec-WebSocket-Protocol: chat\r\n\r\n";
	wsc_request_free(&req);
	ck_assert_int_eq(wsc_request_read(t, strlen(t), &cfg, &req, &ans), 1);
	ck_assert_int_eq(ans.status, 101);
	ck_assert_ptr_null(ans.protocol);
}
END_TEST

START_TEST(test_extension_offers)
{
	char	*head;

	ck_assert_int_eq(status_of(LINE REST "Sec-WebSocket-Extensions: "
	    "permessage-deflate; client_max_window_bits\r\n\r\n"), 101);
	ck_assert_int_eq(ans.pmd, 1);
	ck_assert_str_eq(ans.pmd_resp, "permessage-deflate");
	ck_assert_int_eq(ans.pmd_params.server_max_window_bits, 15);
	head = wsc_request_accept_head(&req, &ans);
	ck_assert_ptr_nonnull(strstr(head,
	    "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"));
	free(head);
	/* Parameters are echoed; the server's window is at most offered. */
	ck_assert_int_eq(status_of(LINE REST "Sec-WebSocket-Extensions: "
	    "permessage-deflate; server_no_context_takeover; "
	    "client_no_context_takeover; server_max_window_bits=10\r\n\r\n"),
	    101);
	ck_assert_str_eq(ans.pmd_resp, "permessage-deflate; "
	    "server_no_context_takeover; client_no_context_takeover; "
	    "server_max_window_bits=10");
	ck_assert_int_eq(ans.pmd_params.server_max_window_bits, 10);
	/* A bad offer is declined; a later acceptable one is taken. */
	ck_assert_int_eq(status_of(LINE REST "Sec-WebSocket-Extensions: "
	    "permessage-deflate; server_max_window_bits=7, x-foo, "
	    "permessage-deflate; server_max_window_bits=9\r\n\r\n"), 101);
	ck_assert_int_eq(ans.pmd, 1);
	ck_assert_int_eq(ans.pmd_params.server_max_window_bits, 9);
	/* Only bad or unknown offers: no extension, still accepted. */
	ck_assert_int_eq(status_of(LINE REST "Sec-WebSocket-Extensions: "
	    "permessage-deflate; foo, x-webkit-deflate-frame\r\n\r\n"), 101);
	ck_assert_int_eq(ans.pmd, 0);
	head = wsc_request_accept_head(&req, &ans);
	ck_assert_ptr_null(strstr(head, "Extensions"));
	free(head);
}
END_TEST

START_TEST(test_compression_off)
{
	struct wsc_request_config	cfg = config();
	const char			*t = LINE REST
	    "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n";

	cfg.compression = 0;
	ck_assert_int_eq(wsc_request_read(t, strlen(t), &cfg, &req, &ans), 1);
	ck_assert_int_eq(ans.status, 101);
	ck_assert_int_eq(ans.pmd, 0);
}
END_TEST

/* Reads a valid request for target; returns its status. */
static int
target_status(const char *target)
{
	char	text[1024];

	snprintf(text, sizeof text, "GET %s HTTP/1.1\r\n" REST "\r\n", target);
	return status_of(text);
}

START_TEST(test_target_forms)
{
	ck_assert_int_eq(target_status("/"), 101);
	ck_assert_str_eq(req.path, "/");
	ck_assert_str_eq(req.query, "");
	ck_assert_int_eq(target_status("/a/b%20c?x=1&y=2?z"), 101);
	ck_assert_str_eq(req.uri, "/a/b%20c?x=1&y=2?z");
	ck_assert_str_eq(req.path, "/a/b%20c");
	ck_assert_str_eq(req.query, "x=1&y=2?z");
	ck_assert_int_eq(target_status("/p?"), 101);
	ck_assert_str_eq(req.path, "/p");
	ck_assert_str_eq(req.query, "");
	/* Absolute form (RFC 7230 section 5.3.2). */
	ck_assert_int_eq(target_status("http://h:8080/x/y?q"), 101);
	ck_assert_str_eq(req.uri, "http://h:8080/x/y?q");
	ck_assert_str_eq(req.path, "/x/y");
	ck_assert_str_eq(req.query, "q");
	ck_assert_int_eq(target_status("WSS://h"), 101);
	ck_assert_str_eq(req.path, "/");
	ck_assert_int_eq(target_status("https://h?a=b"), 101);
	ck_assert_str_eq(req.path, "/");
	ck_assert_str_eq(req.query, "a=b");
	/* Asterisk, authority and relative forms are no WebSocket target. */
	ck_assert_int_eq(target_status("*"), 400);
	ck_assert_ptr_nonnull(strstr(ans.why, "request target"));
	ck_assert_int_eq(target_status("h:80"), 400);
	ck_assert_int_eq(target_status("chat"), 400);
	ck_assert_int_eq(target_status("ftp://h/x"), 400);
}
END_TEST

START_TEST(test_refusals)
{
	char	out[512], small[64];
	size_t	n;

	n = wsc_request_refusal(400, "why", out, sizeof out);
	ck_assert_str_eq(out, "HTTP/1.1 400 Bad Request\r\n"
	    "Content-Type: text/plain\r\nContent-Length: 4\r\n"
	    "Connection: close\r\n\r\nwhy\n");
	ck_assert_uint_eq(n, strlen(out));
	wsc_request_refusal(503, "busy", out, sizeof out);
	ck_assert_ptr_nonnull(strstr(out, "HTTP/1.1 503 Service Unavailable\r\n"
	    "Retry-After: 1\r\n"));
	ck_assert_str_eq(wsc_request_status_text(426), "426 Upgrade Required");
	ck_assert_str_eq(wsc_request_status_text(999), "400 Bad Request");
	/* A reason that does not fit gives a bare 400. */
	n = wsc_request_refusal(503, "a reason far too long for this buffer "
	    "of sixty-four bytes", small, sizeof small);
	ck_assert_str_eq(small, "HTTP/1.1 400 Bad Request\r\n"
	    "Connection: close\r\n\r\n");
	ck_assert_uint_eq(n, strlen(small));
	ck_assert_uint_eq(wsc_request_refusal(400, "x", small, 8), 0);
}
END_TEST

/* The headers the request keeps, in order, names as sent, values
 * trimmed: what -l --run's HTTP_NAME variables are made of. */
START_TEST(test_headers_kept)
{
	char	out[1024] = "";
	size_t	i;

	ck_assert_int_eq(status_of("GET /x?y HTTP/1.1\r\nHost: h\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " KEY "\r\n"
	    "X-A: 1\r\nx-a:  2 \r\n\r\n"), 101);
	for (i = 0; i < req.nheaders; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s=%s;",
		    req.headers[i].name, req.headers[i].value);
	ck_assert_str_eq(out, "Host=h;Upgrade=websocket;Connection=Upgrade;"
	    "Sec-WebSocket-Version=13;Sec-WebSocket-Key=" KEY ";X-A=1;x-a=2;");
}
END_TEST

START_TEST(test_env_name)
{
	char	out[32];

	ck_assert_int_eq(wsc_request_env_name("Sec-WebSocket-Key", out,
	    sizeof out), 0);
	ck_assert_str_eq(out, "HTTP_SEC_WEBSOCKET_KEY");
	ck_assert_int_eq(wsc_request_env_name("host", out, sizeof out), 0);
	ck_assert_str_eq(out, "HTTP_HOST");
	ck_assert_int_eq(wsc_request_env_name("X9", out, 8), 0);
	ck_assert_str_eq(out, "HTTP_X9");
	ck_assert_int_eq(wsc_request_env_name("X9a", out, 8), -1);
	ck_assert_int_eq(wsc_request_env_name("", out, sizeof out), -1);
	/* No name may pass for another: '_' and other tchars are refused. */
	ck_assert_int_eq(wsc_request_env_name("X_Real_IP", out, sizeof out),
	    -1);
	ck_assert_int_eq(wsc_request_env_name("a.b", out, sizeof out), -1);
	ck_assert_int_eq(wsc_request_env_name("a=b", out, sizeof out), -1);
}
END_TEST

START_TEST(test_free_twice)
{
	ck_assert_int_eq(status_of(LINE REST "\r\n"), 101);
	wsc_request_free(&req);
	wsc_request_free(&req);
	ck_assert_ptr_null(req.raw);
	ck_assert_ptr_null(wsc_request_accept_head(&req, &ans));
}
END_TEST

static Suite *
request_suite(void)
{
	Suite	*s = suite_create("request");
	TCase	*tc;

	tc = tcase_create("checks");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_incomplete);
	tcase_add_test(tc, test_frames_after_head);
	tcase_add_test(tc, test_missing_headers);
	tcase_add_test(tc, test_duplicate_headers);
	tcase_add_test(tc, test_oversized);
	tcase_add_test(tc, test_oversized_lists_ignored);
	tcase_add_test(tc, test_key_lengths);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_method_and_http_version);
	tcase_add_test(tc, test_connection_tokens);
	tcase_add_test(tc, test_case_insensitive);
	tcase_add_test(tc, test_bare_lf);
	suite_add_tcase(s, tc);

	tc = tcase_create("choices");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_protocol_order);
	tcase_add_test(tc, test_extension_offers);
	tcase_add_test(tc, test_compression_off);
	tcase_add_test(tc, test_target_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("answers");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_headers_kept);
	tcase_add_test(tc, test_env_name);
	tcase_add_test(tc, test_free_twice);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(request_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
