/* Unit tests for src/tlsexplain.c: the sniffer that spots a TLS 1.2
 * CertificateRequest at its record and message boundaries, and the words
 * for what a connection saw. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>

#include "tlsexplain.h"
#include "tlsload.h"

/* A ServerHello, then a Certificate and a CertificateRequest in one
 * record (TLS 1.2's plaintext flight, bodies shortened). */
static const uint8_t	hello[] = {
	22, 3, 3, 0, 8,   2, 0, 0, 4, 0xaa, 0xbb, 0xcc, 0xdd,
	22, 3, 3, 0, 12,  11, 0, 0, 2, 0x30, 0x00,  13, 0, 0, 2, 1, 1
};
/* change_cipher_spec: what follows is encrypted. */
static const uint8_t	ccs[] = { 20, 3, 3, 0, 1, 1 };
/* What would be a CertificateRequest, were it not after the CCS. */
static const uint8_t	late_request[] = { 22, 3, 3, 0, 4, 13, 0, 0, 0 };

static char	err[256];

/* Feeds p one byte at a time. */
static void
feed_bytes(struct wsc_tls_sniff *s, const uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		wsc_tlsexplain_sniff(s, p + i, 1);
}

START_TEST(sniff_request)
{
	struct wsc_tls_sniff	s, b;

	memset(&s, 0, sizeof s);
	wsc_tlsexplain_sniff(&s, hello, 13);
	ck_assert_int_eq(s.server_hello, 1);
	ck_assert_int_eq(s.cert_requested, 0);
	wsc_tlsexplain_sniff(&s, hello + 13, sizeof hello - 13);
	ck_assert_int_eq(s.cert_requested, 1);
	ck_assert_int_eq(s.done, 0);
	/* Byte by byte: the same state. */
	memset(&b, 0, sizeof b);
	feed_bytes(&b, hello, sizeof hello);
	ck_assert_mem_eq(&s, &b, sizeof s);
}
END_TEST

/* A handshake message header split between two records. */
START_TEST(sniff_split_header)
{
	static const uint8_t	recs[] = {
		22, 3, 3, 0, 2,  13, 0,
		22, 3, 3, 0, 2,  0, 0
	};
	struct wsc_tls_sniff	s;

	memset(&s, 0, sizeof s);
	wsc_tlsexplain_sniff(&s, recs, 7);
	ck_assert_int_eq(s.cert_requested, 0);
	wsc_tlsexplain_sniff(&s, recs + 7, 7);
	ck_assert_int_eq(s.cert_requested, 1);
}
END_TEST

/* After change_cipher_spec (or application data) nothing is read. */
START_TEST(sniff_stops_at_encrypted)
{
	static const uint8_t	app[] = { 23, 3, 3, 0, 1, 0x42 };
	struct wsc_tls_sniff	s;

	memset(&s, 0, sizeof s);
	wsc_tlsexplain_sniff(&s, ccs, sizeof ccs);
	ck_assert_int_eq(s.done, 1);
	wsc_tlsexplain_sniff(&s, late_request, sizeof late_request);
	ck_assert_int_eq(s.cert_requested, 0);
	memset(&s, 0, sizeof s);
	feed_bytes(&s, app, sizeof app);
	feed_bytes(&s, late_request, sizeof late_request);
	ck_assert_int_eq(s.done, 1);
	ck_assert_int_eq(s.cert_requested, 0);
}
END_TEST

/* An alert record's body is skipped, not read as handshake messages. */
START_TEST(sniff_skips_other_records)
{
	static const uint8_t	alert[] = { 21, 3, 3, 0, 4, 13, 0, 0, 0 };
	struct wsc_tls_sniff	s;

	memset(&s, 0, sizeof s);
	wsc_tlsexplain_sniff(&s, alert, sizeof alert);
	ck_assert_int_eq(s.cert_requested, 0);
	ck_assert_int_eq(s.done, 0);
	wsc_tlsexplain_sniff(&s, late_request, sizeof late_request);
	ck_assert_int_eq(s.cert_requested, 1);
}
END_TEST

/* What a client connection saw, before the handshake finished. */
static void
seen_init(struct wsc_tls_seen *w, const char *head)
{
	memset(w, 0, sizeof *w);
	strcpy(w->host, "example.test");
	w->headlen = strlen(head) < sizeof w->head ? strlen(head) :
	    sizeof w->head;
	memcpy(w->head, head, w->headlen);
}

/* The client's words for ret, with an alert read after it or -1. */
static const char *
client(const struct wsc_tls_seen *w, int ret, int late)
{
	mbedtls_ssl_context	ssl;

	/* Zeroes: no alert received, no version agreed. */
	memset(&ssl, 0, sizeof ssl);
	wsc_tlsexplain_client(w, &ssl, ret, late, err, sizeof err);
	return err;
}

START_TEST(client_not_tls)
{
	struct wsc_tls_seen	w;

	seen_init(&w, "HTTP/1.1 400");
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_SSL_INVALID_RECORD, -1),
	    "the server does not speak TLS (it answered in plain HTTP; "
	    "try ws://)");
	seen_init(&w, "SSH-2");
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_SSL_INVALID_RECORD, -1),
	    "the server does not speak TLS");
	/* Nothing at all: a hang-up, with a question. */
	seen_init(&w, "");
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_SSL_CONN_EOF, -1),
	    "the server closed the connection during the handshake (does "
	    "it speak TLS on this port?)");
}
END_TEST

/* The alerts that say something about our certificate. */
START_TEST(client_alerts)
{
	struct wsc_tls_seen	w;

	seen_init(&w, "\x16\x03\x03");
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, 116),
	    "the server requires a client certificate (--cert and --key)");
	/* handshake_failure means it only after a CertificateRequest. */
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, 40),
	    "the server refused the handshake (alert: handshake failure; "
	    "no cipher suite in common?)");
	w.sniff.cert_requested = 1;
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, 40),
	    "the server requires a client certificate (--cert and --key)");
	w.has_cert = 1;
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_SSL_CONN_EOF, 42),
	    "the server rejected our client certificate (alert: bad "
	    "certificate)");
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, 112),
	    "the server does not know the name example.test");
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, 99),
	    "the server sent alert 99 (unknown alert)");
	/* An alert counts only after a hang-up. */
	ck_assert_str_ne(client(&w, MBEDTLS_ERR_SSL_INVALID_RECORD, 116),
	    "the server requires a client certificate (--cert and --key)");
}
END_TEST

/* A hang-up without an alert after a CertificateRequest (TLS 1.2). */
START_TEST(client_hangup)
{
	struct wsc_tls_seen	w;

	seen_init(&w, "\x16\x03\x03");
	w.sniff.cert_requested = 1;
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, -1),
	    "the server requires a client certificate (--cert and --key)");
	w.has_cert = 1;
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_SSL_CONN_EOF, -1),
	    "the server hung up after our client certificate (not "
	    "accepted?)");
	/* Once established, a reset is only a reset. */
	w.established = 1;
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_CONN_RESET, -1),
	    "the connection was reset");
}
END_TEST

/* The socket's own error, and mbedTLS's words for the rest. */
START_TEST(client_other)
{
	struct wsc_tls_seen	w;

	seen_init(&w, "\x16\x03\x03");
	w.sys_errno = EHOSTUNREACH;
	ck_assert_str_eq(client(&w, MBEDTLS_ERR_NET_RECV_FAILED, -1),
	    strerror(EHOSTUNREACH));
	ck_assert_ptr_nonnull(strstr(client(&w, MBEDTLS_ERR_SSL_INVALID_MAC,
	    -1), "(mbedTLS error -0x"));
}
END_TEST

/* Listen mode: a client's failed handshake. */
START_TEST(accept_words)
{
	struct wsc_tls_seen	w;
	mbedtls_ssl_context	ssl;

	memset(&ssl, 0, sizeof ssl);
	seen_init(&w, "GET / HTTP/1.1");
	wsc_tlsexplain_accept(&w, &ssl, MBEDTLS_ERR_SSL_INVALID_RECORD, err,
	    sizeof err);
	ck_assert_str_eq(err, "a plain HTTP request on the TLS port (ws:// "
	    "instead of wss://?)");
	seen_init(&w, "\x16\x03\x01");
	wsc_tlsexplain_accept(&w, &ssl, MBEDTLS_ERR_SSL_CONN_EOF, err,
	    sizeof err);
	ck_assert_str_eq(err, "the client hung up during the TLS handshake "
	    "(does it trust the certificate?)");
	wsc_tlsexplain_accept(&w, &ssl, MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE,
	    err, sizeof err);
	ck_assert_str_eq(err, "the client sent no certificate (--ca asks for "
	    "one)");
}
END_TEST

/* A file that cannot be opened: the system's reason. */
START_TEST(file_reason)
{
	wsc_tlsexplain_file("/nonexistent/wsc-test.pem", -1, err, sizeof err);
	ck_assert_str_eq(err, strerror(ENOENT));
}
END_TEST

/* --key: a missing or wrong passphrase, a cipher keyfile.c names but
 * cannot undo, and any other failure as the file's reason. */
START_TEST(key_words)
{
	char	want[256];

	wsc_tlsexplain_key("k.pem", MBEDTLS_ERR_PK_PASSWORD_REQUIRED, "", err,
	    sizeof err);
	ck_assert_str_eq(err, "the key k.pem is encrypted: give --passphrase");
	wsc_tlsexplain_key("k.pem", MBEDTLS_ERR_PK_PASSWORD_MISMATCH, "", err,
	    sizeof err);
	ck_assert_str_eq(err, "wrong passphrase for the key k.pem");
	wsc_tlsexplain_key("k.pem", MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE,
	    "PBES2 with SM4", err, sizeof err);
	ck_assert_str_eq(err, "the key k.pem is encrypted with PBES2 with SM4, "
	    "which wsc cannot decrypt");
	wsc_tlsexplain_key("/nonexistent/k.pem",
	    MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE, "", err, sizeof err);
	snprintf(want, sizeof want, "cannot read the key /nonexistent/k.pem: "
	    "%s", strerror(ENOENT));
	ck_assert_str_eq(err, want);
}
END_TEST

static Suite *
tlsexplain_suite(void)
{
	Suite	*s = suite_create("tlsexplain");
	TCase	*tc = tcase_create("tlsexplain");

	tcase_add_test(tc, sniff_request);
	tcase_add_test(tc, sniff_split_header);
	tcase_add_test(tc, sniff_stops_at_encrypted);
	tcase_add_test(tc, sniff_skips_other_records);
	tcase_add_test(tc, client_not_tls);
	tcase_add_test(tc, client_alerts);
	tcase_add_test(tc, client_hangup);
	tcase_add_test(tc, client_other);
	tcase_add_test(tc, accept_words);
	tcase_add_test(tc, file_reason);
	tcase_add_test(tc, key_words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_tls_main(tlsexplain_suite());
}
