/* TLS for wss:// with mbedTLS (2.28 or 3.x): a transport for the byte-
 * stream interface of conn.h, a handshake bounded by a deadline, and
 * certificate failures explained in words. */
#ifndef WSC_TLS_H
#define WSC_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

/* What the command line says about TLS. */
struct wsc_tls_opts {
	const char	*ca;		/* --ca FILE; NULL: $SSL_CERT_FILE or the bundle */
	const char	*cert;		/* --cert FILE, or NULL */
	const char	*key;		/* --key FILE, or NULL */
	const char	*passphrase;	/* --passphrase, or NULL */
	int		 insecure;	/* -n, -k: no verification */
	int		 for_proxy;	/* an https:// proxy: --proxy-ca and
					 * --proxy-insecure in messages */
	const char	*pinned;	/* --pinnedpubkey, or NULL */
};

/* Puts TLS on c (a connected non-blocking socket, set up with
 * wsc_conn_init_plain) and runs the handshake until deadline (0: none).
 * host is what the certificate must name: a host name (also sent as SNI)
 * or an IP literal without brackets (checked against the certificate's IP
 * subjectAltName; no SNI, RFC 6066 section 3). Returns 0, or -1 with the
 * reason in err, worded for "TLS failed: <reason>". On failure c stays as
 * it was; wsc_conn_close releases everything either way. When c already
 * runs TLS (to an HTTPS proxy), the new session runs inside that one. */
int	 wsc_tls_start(struct wsc_conn *c, const char *host, int host_is_ip,
	    const struct wsc_tls_opts *o, int64_t deadline, char *err,
	    size_t errlen);
/* Did the last read or write on c fail because of TLS itself (an alert,
 * a bad record) rather than the socket? */
int	 wsc_tls_failed(const struct wsc_conn *c);
/* For -v: the protocol version, cipher suite, ALPN and the peer
 * certificate's subject, issuer and validity, as lines in out. */
void	 wsc_tls_describe(const struct wsc_conn *c, char *out, size_t outlen);
/* The system CA bundle: the configured file, or where it is missing the
 * first of the n usual places that can be read (configured when none). */
const char *wsc_tls_ca_bundle(const char *configured,
	    const char *const *usual, size_t n);

/* Listen mode (-l with --cert/--key): the server's certificate and key,
 * loaded once; NULL with the reason in err (worded for "TLS failed: ").
 * With o->ca every client must show a certificate issued by those CAs. */
struct wsc_tls_server;
struct wsc_tls_server *wsc_tls_server_new(const struct wsc_tls_opts *o,
	    char *err, size_t errlen);
void	 wsc_tls_server_free(struct wsc_tls_server *s);
/* Puts server-side TLS on c, an accepted non-blocking socket set up with
 * wsc_conn_init_plain; the handshake has not started. Returns 0, or -1
 * with the reason in err (c stays plain). */
int	 wsc_tls_accept(struct wsc_conn *c, struct wsc_tls_server *s,
	    char *err, size_t errlen);
/* Runs the handshake as far as it goes without blocking: 1 done, 0 more
 * to do once c's fd is ready for wsc_conn_want(c), -1 failed (reason in
 * c->err). */
int	 wsc_tls_accept_step(struct wsc_conn *c);
/* The peer certificate's subject ("CN=wsc client, O=...") into out,
 * printable ASCII ('?' for anything else): 0, or -1 with "" when the
 * peer showed none. */
int	 wsc_tls_peer_subject(const struct wsc_conn *c, char *out,
	    size_t outlen);

#endif
