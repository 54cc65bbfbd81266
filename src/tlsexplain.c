/* TLS failures and certificates in words (tlsexplain.h). Every mbedTLS
 * result a user may see is turned into one line here, the most telling
 * reason first; tls.c only reports what it saw. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mbedtls/version.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define TLS_V3		1
/* 3.x hides the context's fields; the received alert is only there. */
#define IN_MSG(ssl)	((ssl)->MBEDTLS_PRIVATE(in_msg))
#else
#define IN_MSG(ssl)	((ssl)->in_msg)
#endif

#include "escape.h"
#include "tlsexplain.h"
#include "tlslib.h"

/* TLS alerts (RFC 8446 section 6) that have something to say. */
#define ALERT_HANDSHAKE_FAILURE		40
#define ALERT_BAD_CERTIFICATE		42
#define ALERT_UNKNOWN_CA		48
#define ALERT_PROTOCOL_VERSION		70
#define ALERT_INSUFFICIENT_SECURITY	71
#define ALERT_UNRECOGNIZED_NAME		112
#define ALERT_CERTIFICATE_REQUIRED	116
#define ALERT_NO_APPLICATION_PROTOCOL	120

/* Walks the handshake messages inside type-22 record bodies. */
static void
sniff_handshake(struct wsc_tls_sniff *s, const uint8_t *p, size_t n)
{
	size_t	k;

	while (n > 0) {
		if (s->hs_left == 0) {
			s->hs[s->hs_got++] = *p++;
			n--;
			if (s->hs_got == 4) {
				s->hs_got = 0;
				if (s->hs[0] == 2)	/* server_hello */
					s->server_hello = 1;
				if (s->hs[0] == 13)	/* certificate_request */
					s->cert_requested = 1;
				s->hs_left = (size_t)s->hs[1] << 16 |
				    (size_t)s->hs[2] << 8 | s->hs[3];
			}
			continue;
		}
		k = n < s->hs_left ? n : s->hs_left;
		p += k;
		n -= k;
		s->hs_left -= k;
	}
}

void
wsc_tlsexplain_sniff(struct wsc_tls_sniff *s, const uint8_t *p, size_t n)
{
	size_t	k;

	while (n > 0 && !s->done) {
		if (s->rec_left == 0) {
			s->hdr[s->hdr_got++] = *p++;
			n--;
			if (s->hdr_got == 5) {
				s->hdr_got = 0;
				s->rec_left = (size_t)s->hdr[3] << 8 | s->hdr[4];
				/* change_cipher_spec or application_data:
				 * what follows is encrypted. */
				if (s->hdr[0] == 20 || s->hdr[0] == 23)
					s->done = 1;
			}
			continue;
		}
		k = n < s->rec_left ? n : s->rec_left;
		if (s->hdr[0] == 22)
			sniff_handshake(s, p, k);
		p += k;
		n -= k;
		s->rec_left -= k;
	}
}

/* "2030-01-31 12:00:00 UTC" */
static void
format_time(const mbedtls_x509_time *tm, char *out, size_t outlen)
{
	snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm->year,
	    tm->mon, tm->day, tm->hour, tm->min, tm->sec);
}

/* Appends the certificate's DNS and IP subjectAltNames to out. A name
 * is the certificate author's bytes: escaped (escape.h), so that neither
 * a control character nor an embedded NUL hides what it really says. */
static void
list_names(const mbedtls_x509_crt *crt, char *out, size_t outlen)
{
	const mbedtls_x509_sequence	*cur;
	char				 ip[INET6_ADDRSTRLEN];
	char				 name[WSC_ESC_RATIO * 256];
	size_t				 used, n, k;

	out[0] = '\0';
	for (cur = &crt->subject_alt_names; cur != NULL; cur = cur->next) {
		used = strlen(out);
		if (cur->buf.p == NULL || used + 4 >= outlen)
			break;
		n = cur->buf.len < 256 ? cur->buf.len : 256;
		if (cur->buf.tag == WSC_TLS_SAN_DNS)
			snprintf(out + used, outlen - used, "%s%.*s",
			    used ? ", " : "", (int)wsc_escape(name, cur->buf.p,
			    n, 0, &k), name);
		else if (cur->buf.tag == WSC_TLS_SAN_IP && (cur->buf.len == 4 ||
		    cur->buf.len == 16) && inet_ntop(cur->buf.len == 4 ?
		    AF_INET : AF_INET6, cur->buf.p, ip, sizeof ip) != NULL)
			snprintf(out + used, outlen - used, "%s%s",
			    used ? ", " : "", ip);
	}
}

void
wsc_tlsexplain_note_peer(struct wsc_tls_peer *pi, const mbedtls_x509_crt *crt)
{
	mbedtls_x509_dn_gets(pi->subject, sizeof pi->subject, &crt->subject);
	mbedtls_x509_dn_gets(pi->issuer, sizeof pi->issuer, &crt->issuer);
	list_names(crt, pi->names, sizeof pi->names);
	format_time(&crt->valid_from, pi->not_before, sizeof pi->not_before);
	format_time(&crt->valid_to, pi->not_after, sizeof pi->not_after);
	pi->self_signed = crt->issuer_raw.len == crt->subject_raw.len &&
	    memcmp(crt->issuer_raw.p, crt->subject_raw.p,
	    crt->issuer_raw.len) == 0;
	pi->seen = 1;
}

/* How to trust the certificate or skip the check, by whose it is. */
static const char *
hint(const struct wsc_tls_seen *w)
{
	return w->for_proxy ? "--proxy-ca FILE trusts it, --proxy-insecure "
	    "skips the check" : "--ca FILE trusts it, -k skips the check";
}

/* Why the server's certificate was refused, most telling reason first. */
static void
explain_verify(const struct wsc_tls_seen *w, uint32_t flags, char *err,
    size_t errlen)
{
	const struct wsc_tls_peer	*pi = &w->peer;
	char				 info[256], *nl;

	if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
		if (pi->seen && pi->self_signed)
			snprintf(err, errlen, "certificate not trusted "
			    "(self-signed: %s); %s", pi->subject, hint(w));
		else
			snprintf(err, errlen, "certificate not trusted "
			    "(unknown CA: %s); %s", pi->seen ? pi->issuer : "?",
			    hint(w));
	} else if (flags & MBEDTLS_X509_BADCERT_EXPIRED)
		snprintf(err, errlen, "certificate expired (valid until %s)",
		    pi->seen ? pi->not_after : "?");
	else if (flags & MBEDTLS_X509_BADCERT_FUTURE)
		snprintf(err, errlen, "certificate not valid yet (valid from %s)",
		    pi->seen ? pi->not_before : "?");
	else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		snprintf(err, errlen, "certificate is for another name "
		    "(%s is not among: %s)", w->host,
		    pi->names[0] != '\0' ? pi->names : pi->subject);
	else if (flags & MBEDTLS_X509_BADCERT_REVOKED)
		snprintf(err, errlen, "certificate revoked");
	else {
		mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
		if ((nl = strchr(info, '\n')) != NULL)
			*nl = '\0';
		snprintf(err, errlen, "certificate rejected: %s", info);
	}
}

/* A name for an alert number, for the rare ones. */
static const char *
alert_name(int a)
{
	static const struct { int code; const char *name; } names[] = {
		{ 10, "unexpected message" }, { 20, "bad record MAC" },
		{ 22, "record overflow" }, { 40, "handshake failure" },
		{ 42, "bad certificate" }, { 43, "unsupported certificate" },
		{ 44, "certificate revoked" }, { 45, "certificate expired" },
		{ 46, "certificate unknown" }, { 47, "illegal parameter" },
		{ 48, "unknown CA" }, { 49, "access denied" },
		{ 50, "decode error" }, { 51, "decrypt error" },
		{ 70, "protocol version" }, { 71, "insufficient security" },
		{ 80, "internal error" }, { 109, "missing extension" },
		{ 110, "unsupported extension" }, { 112, "unrecognized name" },
		{ 116, "certificate required" },
		{ 120, "no application protocol" }
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == a)
			return names[i].name;
	return "unknown alert";
}

/* Why the server ended the handshake with a fatal alert. */
static void
explain_alert(const struct wsc_tls_seen *w, int a, char *err, size_t errlen)
{
	int	cert_alert = a >= ALERT_BAD_CERTIFICATE && a <= ALERT_UNKNOWN_CA;

	if (a == ALERT_CERTIFICATE_REQUIRED || (!w->has_cert &&
	    w->sniff.cert_requested && (a == ALERT_HANDSHAKE_FAILURE || cert_alert)))
		snprintf(err, errlen, "the server requires a client certificate "
		    "(--cert and --key)");
	else if (w->has_cert && cert_alert)
		snprintf(err, errlen, "the server rejected our client certificate "
		    "(alert: %s)", alert_name(a));
	else if (a == ALERT_HANDSHAKE_FAILURE || a == ALERT_INSUFFICIENT_SECURITY)
		snprintf(err, errlen, "the server refused the handshake (alert: %s; "
		    "no cipher suite in common?)", alert_name(a));
	else if (a == ALERT_PROTOCOL_VERSION)
		snprintf(err, errlen, "no TLS version in common with the server");
	else if (a == ALERT_UNRECOGNIZED_NAME)
		snprintf(err, errlen, "the server does not know the name %s", w->host);
	else if (a == ALERT_NO_APPLICATION_PROTOCOL)
		snprintf(err, errlen, "the server refused ALPN http/1.1");
	else
		snprintf(err, errlen, "the server sent alert %d (%s)", a,
		    alert_name(a));
}

/* Did the server answer with something that is not TLS at all? */
static int
explain_not_tls(const struct wsc_tls_seen *w, char *err, size_t errlen)
{
	if (w->headlen == 0)
		return 0;
	if (w->headlen >= 5 && memcmp(w->head, "HTTP/", 5) == 0) {
		snprintf(err, errlen, "the server does not speak TLS "
		    "(it answered in plain HTTP; try ws://)");
		return 1;
	}
	/* A record starts with a content type 20-24 and version 3.x. */
	if (w->head[0] < 20 || w->head[0] > 24 ||
	    (w->headlen >= 2 && w->head[1] != 3)) {
		snprintf(err, errlen, "the server does not speak TLS");
		return 1;
	}
	return 0;
}

int
wsc_tlsexplain_tls13_silent(const struct wsc_tls_seen *w,
    const mbedtls_ssl_context *ssl)
{
#ifdef TLS_V3
	return !w->got_data && w->sniff.server_hello &&
	    mbedtls_ssl_get_version_number(ssl) == MBEDTLS_SSL_VERSION_TLS1_3;
#else
	(void)w;
	(void)ssl;
	return 0;
#endif
}

int
wsc_tlsexplain_hangup(const struct wsc_tls_seen *w,
    const mbedtls_ssl_context *ssl, char *err, size_t errlen)
{
	/* TLS 1.2: it asked for a certificate (the sniffer saw it). */
	if (!w->established && w->sniff.cert_requested)
		snprintf(err, errlen, w->has_cert ? "the server hung up after our "
		    "client certificate (not accepted?)" : "the server requires a "
		    "client certificate (--cert and --key)");
	else if (wsc_tlsexplain_tls13_silent(w, ssl))
		snprintf(err, errlen, "the server hung up %s the handshake (%s)",
		    w->established ? "right after" : "during", w->has_cert ?
		    "did it refuse our client certificate?" : "does it require "
		    "a client certificate? --cert and --key");
	else
		return 0;
	return 1;
}

int
wsc_tlsexplain_is_hangup(int ret)
{
	return ret == MBEDTLS_ERR_NET_CONN_RESET ||
	    ret == MBEDTLS_ERR_NET_SEND_FAILED || ret == MBEDTLS_ERR_SSL_CONN_EOF;
}

/* The failures that have words of their own; 0 for the rest. */
static int
explain_code(const struct wsc_tls_seen *w, const mbedtls_ssl_context *ssl,
    int ret, char *err, size_t errlen)
{
	switch (ret) {
	case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
		explain_alert(w, IN_MSG(ssl) != NULL ? IN_MSG(ssl)[1] : 0,
		    err, errlen);
		return 1;
	case MBEDTLS_ERR_SSL_CONN_EOF:
		snprintf(err, errlen, "the server closed the connection during "
		    "the handshake%s", w->headlen == 0 ?
		    " (does it speak TLS on this port?)" : "");
		return 1;
	case MBEDTLS_ERR_NET_CONN_RESET:
		snprintf(err, errlen, "the connection was reset");
		return 1;
	case MBEDTLS_ERR_NET_SEND_FAILED:
	case MBEDTLS_ERR_NET_RECV_FAILED:
		snprintf(err, errlen, "%s", strerror(w->sys_errno));
		return 1;
#ifdef MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE	/* 2.28 only */
	case MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE:
		snprintf(err, errlen, "no cipher suite in common with the server");
		return 1;
#endif
#ifdef TLS_V3
	case MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION:
#else
	case MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION:
#endif
		snprintf(err, errlen, "no TLS version in common with the server");
		return 1;
	}
	return 0;
}

void
wsc_tlsexplain_client(const struct wsc_tls_seen *w,
    const mbedtls_ssl_context *ssl, int ret, int late_alert, char *err,
    size_t errlen)
{
	char	text[160];
	int	hangup = wsc_tlsexplain_is_hangup(ret);

	if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
		explain_verify(w, mbedtls_ssl_get_verify_result(ssl), err,
		    errlen);
		return;
	}
	if (!w->established && explain_not_tls(w, err, errlen))
		return;
	if (hangup && late_alert >= 0) {
		explain_alert(w, late_alert, err, errlen);
		return;
	}
	if ((hangup && wsc_tlsexplain_hangup(w, ssl, err, errlen)) ||
	    explain_code(w, ssl, ret, err, errlen))
		return;
	mbedtls_strerror(ret, text, sizeof text);
	snprintf(err, errlen, "%s (mbedTLS error -0x%04x)", text, (unsigned)-ret);
}

/* Why the client's certificate failed verification against --ca. */
static void
explain_client_cert(const mbedtls_ssl_context *ssl, char *err, size_t errlen)
{
	char	info[96], *nl;

	mbedtls_x509_crt_verify_info(info, sizeof info, "",
	    mbedtls_ssl_get_verify_result(ssl));
	if ((nl = strchr(info, '\n')) != NULL)
		*nl = '\0';
	snprintf(err, errlen, "the client's certificate was refused (%s)", info);
}

void
wsc_tlsexplain_accept(const struct wsc_tls_seen *w,
    const mbedtls_ssl_context *ssl, int r, char *err, size_t errlen)
{
	char	text[120];

	if (w->headlen >= 4 && memcmp(w->head, "GET ", 4) == 0)
		snprintf(err, errlen, "a plain HTTP request on the TLS port "
		    "(ws:// instead of wss://?)");
	else if (r == MBEDTLS_ERR_SSL_CONN_EOF ||
	    r == MBEDTLS_ERR_NET_CONN_RESET)
		snprintf(err, errlen, "the client hung up during the TLS "
		    "handshake (does it trust the certificate?)");
	else if (r == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE)
		snprintf(err, errlen, "the client sent no certificate (--ca "
		    "asks for one)");
	else if (r == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED)
		explain_client_cert(ssl, err, errlen);
	else if (r == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE)
		snprintf(err, errlen, "the client refused the TLS handshake "
		    "(alert: %s)", alert_name(IN_MSG(ssl) != NULL ?
		    IN_MSG(ssl)[1] : 0));
	else {
		mbedtls_strerror(r, text, sizeof text);
		snprintf(err, errlen, "TLS handshake failed: %s", text);
	}
}

void
wsc_tlsexplain_file(const char *path, int ret, char *out, size_t outlen)
{
	int	fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		snprintf(out, outlen, "%s", strerror(errno));
		return;
	}
	close(fd);
	mbedtls_strerror(ret, out, outlen);
}

void
wsc_tlsexplain_key(const char *path, int ret, const char *scheme, char *err,
    size_t errlen)
{
	char	why[160];

	if (ret == MBEDTLS_ERR_PK_PASSWORD_REQUIRED)
		snprintf(err, errlen, "the key %s is encrypted: give --passphrase",
		    path);
	else if (ret == MBEDTLS_ERR_PK_PASSWORD_MISMATCH)
		snprintf(err, errlen, "wrong passphrase for the key %s", path);
	else if (ret == MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE && scheme[0] != '\0')
		snprintf(err, errlen, "the key %s is encrypted with %s, which "
		    "wsc cannot decrypt", path, scheme);
	else {
		wsc_tlsexplain_file(path, ret, why, sizeof why);
		snprintf(err, errlen, "cannot read the key %s: %s", path, why);
	}
}

void
wsc_tlsexplain_describe(const mbedtls_ssl_context *ssl, int insecure,
    char *out, size_t outlen)
{
	const mbedtls_x509_crt	*crt;
	const char		*alpn;
	struct wsc_tls_peer	 pi;
	size_t			 used;

	alpn = mbedtls_ssl_get_alpn_protocol(ssl);
	snprintf(out, outlen, "TLS: %s, cipher suite %s, ALPN %s\n",
	    mbedtls_ssl_get_version(ssl),
	    mbedtls_ssl_get_ciphersuite(ssl), alpn != NULL ? alpn : "none");
	if ((crt = mbedtls_ssl_get_peer_cert(ssl)) == NULL)
		return;
	memset(&pi, 0, sizeof pi);
	wsc_tlsexplain_note_peer(&pi, crt);
	used = strlen(out);
	snprintf(out + used, outlen - used, "TLS: subject: %s\n"
	    "TLS: issuer: %s\nTLS: valid from %s until %s%s%s%s\n",
	    pi.subject, pi.issuer, pi.not_before, pi.not_after,
	    pi.names[0] != '\0' ? "\nTLS: names: " : "", pi.names,
	    insecure ? "\nTLS: certificate NOT verified (-k)" : "");
}

int
wsc_tlsexplain_subject(const mbedtls_ssl_context *ssl, char *out,
    size_t outlen)
{
	const mbedtls_x509_crt	*crt;
	char			*p;

	out[0] = '\0';
	if ((crt = mbedtls_ssl_get_peer_cert(ssl)) == NULL ||
	    mbedtls_x509_dn_gets(out, outlen, &crt->subject) < 0) {
		out[0] = '\0';
		return -1;
	}
	/* The client chose these bytes: printable ASCII only, whatever
	 * mbedTLS version escaped them how. */
	for (p = out; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	return 0;
}
