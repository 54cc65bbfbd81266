/* TLS failures and certificates in words (tls.c does the TLS): the one
 * clear line a user sees for an mbedTLS result, a verification failure or
 * an alert, and the descriptions -v and listen mode print. What tls.c saw
 * of the connection comes in a struct wsc_tls_seen; a peer certificate's
 * names are escaped (escape.h) before they reach a message. */
#ifndef WSC_TLSEXPLAIN_H
#define WSC_TLSEXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/version.h>
#include <mbedtls/asn1.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

/* subjectAltName choices (RFC 5280 section 4.2.1.6), as context tags. */
#define WSC_TLS_SAN_DNS		(MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2)
#define WSC_TLS_SAN_IP		(MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7)

/* Follows the server's plaintext TLS 1.2 handshake just far enough to see
 * a CertificateRequest, which mbedTLS does not report: a handshake_failure
 * alert after one means "you sent no certificate". */
struct wsc_tls_sniff {
	uint8_t		hdr[5];		/* record header being read */
	size_t		hdr_got;
	size_t		rec_left;	/* body bytes of the current record */
	uint8_t		hs[4];		/* handshake message header */
	size_t		hs_got;
	size_t		hs_left;
	int		done;
	int		server_hello;
	int		cert_requested;
};

/* What the verification saw of the server's certificate, kept for the
 * failure message (the session has no peer certificate yet then). */
struct wsc_tls_peer {
	char		subject[160];
	char		issuer[160];
	char		names[200];	/* its DNS and IP subjectAltNames */
	char		not_before[32];
	char		not_after[32];
	int		self_signed;
	int		seen;
};

/* What a connection saw, for the words of its failure. */
struct wsc_tls_seen {
	char			host[256];	/* the name asked for */
	int			for_proxy;	/* to an https:// proxy */
	int			has_cert;	/* we have a certificate */
	int			established;	/* the handshake finished */
	int			got_data;	/* application data arrived */
	int			sys_errno;	/* of the last socket error */
	uint8_t			head[5];	/* the peer's first bytes */
	size_t			headlen;
	struct wsc_tls_sniff	sniff;
	struct wsc_tls_peer	peer;
};

/* Feeds bytes from the server; stops at the first encrypted record. */
void	 wsc_tlsexplain_sniff(struct wsc_tls_sniff *s, const uint8_t *p,
	    size_t n);
/* Notes what a message may need to say about a certificate. */
void	 wsc_tlsexplain_note_peer(struct wsc_tls_peer *pi,
	    const mbedtls_x509_crt *crt);
/* Is this a TLS 1.3 connection on which the server has sent nothing yet?
 * Its CertificateRequest was encrypted, so a hang-up there likely means
 * it wanted a certificate, or not ours. */
int	 wsc_tlsexplain_tls13_silent(const struct wsc_tls_seen *w,
	    const mbedtls_ssl_context *ssl);
/* A server that hung up without an alert: explained into err when a
 * client certificate is the likely cause. Returns 1 when err was filled. */
int	 wsc_tlsexplain_hangup(const struct wsc_tls_seen *w,
	    const mbedtls_ssl_context *ssl, char *err, size_t errlen);
/* Is ret how mbedTLS reports that the peer hung up? */
int	 wsc_tlsexplain_is_hangup(int ret);
/* The client's failure ret (from the configuration, the handshake, a read
 * or a write) in words, for "TLS failed: <reason>". late_alert: the alert
 * the server sent before it hung up, which mbedTLS did not read, or -1. */
void	 wsc_tlsexplain_client(const struct wsc_tls_seen *w,
	    const mbedtls_ssl_context *ssl, int ret, int late_alert,
	    char *err, size_t errlen);
/* Why a client's handshake with the server failed, in words. */
void	 wsc_tlsexplain_accept(const struct wsc_tls_seen *w,
	    const mbedtls_ssl_context *ssl, int ret, char *err, size_t errlen);
/* Why the file at path could not be used (mbedTLS's result ret): the
 * system's reason when it cannot even be opened, mbedTLS's otherwise. */
void	 wsc_tlsexplain_file(const char *path, int ret, char *out,
	    size_t outlen);
/* Why the key at path could not be read (mbedTLS's result ret, not 0);
 * scheme: the encryption keyfile.c named but cannot undo, or "". */
void	 wsc_tlsexplain_key(const char *path, int ret, const char *scheme,
	    char *err, size_t errlen);
/* For -v: the protocol version, cipher suite, ALPN and the peer
 * certificate's subject, issuer, validity and names, as lines in out. */
void	 wsc_tlsexplain_describe(const mbedtls_ssl_context *ssl,
	    int insecure, char *out, size_t outlen);
/* The peer certificate's subject in printable ASCII ('?' for anything
 * else): 0, or -1 with "" when the peer showed none. */
int	 wsc_tlsexplain_subject(const mbedtls_ssl_context *ssl, char *out,
	    size_t outlen);

#endif
