/* TLS with mbedTLS 2.28 or 3.x: the configuration, the client and server
 * handshakes, verification that also covers IP subjectAltNames, the conn.h
 * transport over mbedtls_ssl_read/write (also inside an https:// proxy's
 * TLS), certificates and keys. What goes wrong is put in words by
 * tlsexplain.c, from what this file saw (struct wsc_tls_seen). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mbedtls/version.h>
#include <mbedtls/asn1.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <psa/crypto.h>
#define TLS_V3		1
#endif

#include "compat.h"
#include "keyfile.h"
#include "keylog.h"
#include "net.h"
#include "pin.h"
#include "rng.h"
#include "tls.h"
#include "tlsexplain.h"
#include "tlslib.h"

/* 3.3 to 3.6.0 report TLS 1.3 session tickets from the read, write and
 * handshake calls: the caller just calls again (doc/pitfalls.md, mbedTLS). */
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
#define IS_TICKET(r)	((r) == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
#else
#define IS_TICKET(r)	0
#endif

struct tls {
	mbedtls_ssl_context	ssl;
	mbedtls_ssl_config	conf;
	mbedtls_x509_crt	ca;
	mbedtls_x509_crt	cert;
	mbedtls_pk_context	key;
	int			fd;
	struct wsc_conn		*lower;		/* TLS under this one (an HTTPS
						 * proxy's), or NULL: the socket */
	int			insecure;
	int			handshaking;
	int			failed;
	short			want;		/* POLLOUT: a read must write first */
	size_t			write_len;	/* a record left after WANT_WRITE */
	int			ip_check;	/* host is an IP literal */
	uint8_t			ip[16];
	size_t			iplen;
	char			key_scheme[64];	/* one keyfile.c cannot read */
	struct wsc_tls_seen	seen;		/* for failure messages */
};

/* Kept by pointer in the configuration: must outlive it
 * (doc/pitfalls.md, mbedTLS). */
static const char	*alpn_list[] = { "http/1.1", NULL };

/* Maps what the TLS connection underneath returned to what mbedTLS
 * expects from a send or receive callback. */
static int
lower_result(ssize_t r, int would_block)
{
	if (r >= 0)
		return (int)r;
	return r == WSC_CONN_AGAIN ? would_block : MBEDTLS_ERR_NET_CONN_RESET;
}

/* The send callback: wsc_send, since mbedtls_net_send's write() raises
 * SIGPIPE on a closed peer (doc/pitfalls.md, mbedTLS). */
static int
bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct tls	*t = ctx;
	ssize_t		 r;

	if (t->lower != NULL)
		return lower_result(wsc_conn_write(t->lower, buf, len),
		    MBEDTLS_ERR_SSL_WANT_WRITE);
	if ((r = wsc_send(t->fd, buf, len)) >= 0)
		return (int)r;
	t->seen.sys_errno = errno;
	if (errno == EAGAIN)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	if (errno == EPIPE || errno == ECONNRESET)
		return MBEDTLS_ERR_NET_CONN_RESET;
	return MBEDTLS_ERR_NET_SEND_FAILED;
}

/* The receive callback; during the handshake it also keeps the first
 * bytes and feeds the sniffer. */
static int
bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct tls		*t = ctx;
	struct wsc_tls_seen	*w = &t->seen;
	ssize_t			 r;
	size_t			 k;

	if (t->lower != NULL) {
		if ((r = wsc_conn_read(t->lower, buf, len)) < 0)
			return lower_result(r, MBEDTLS_ERR_SSL_WANT_READ);
	} else do
		r = recv(t->fd, buf, len, 0);
	while (r == -1 && errno == EINTR);
	if (r < 0) {
		t->seen.sys_errno = errno;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return MBEDTLS_ERR_SSL_WANT_READ;
		if (errno == ECONNRESET)
			return MBEDTLS_ERR_NET_CONN_RESET;
		return MBEDTLS_ERR_NET_RECV_FAILED;
	}
	if (t->handshaking) {
		for (k = 0; w->headlen < sizeof w->head && k < (size_t)r; k++)
			w->head[w->headlen++] = buf[k];
		wsc_tlsexplain_sniff(&w->sniff, buf, (size_t)r);
	}
	return (int)r;
}

/* Does the certificate carry the address as an IP subjectAltName? */
static int
has_ip_san(const mbedtls_x509_crt *crt, const uint8_t *ip, size_t iplen)
{
	const mbedtls_x509_sequence	*cur;

	for (cur = &crt->subject_alt_names; cur != NULL; cur = cur->next)
		if (cur->buf.tag == WSC_TLS_SAN_IP && cur->buf.len == iplen &&
		    memcmp(cur->buf.p, ip, iplen) == 0)
			return 1;
	return 0;
}

/* Called for each certificate of the chain, the server's last (depth 0).
 * mbedTLS 2.28 compares subjectAltNames as text only, so an IP literal
 * is checked here against the IP entries (RFC 6125 section 6.2.1). */
static int
verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct tls	*t = ctx;

	if (depth != 0)
		return 0;
	wsc_tlsexplain_note_peer(&t->seen.peer, crt);
	if (t->ip_check && (t->iplen == 0 || !has_ip_san(crt, t->ip, t->iplen)))
		*flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
	return 0;
}

/* After a failed write during the handshake: did the server send a
 * plaintext alert (type 21, length 2) before it closed? mbedTLS stopped
 * at the write and never read it. Returns the alert or -1. */
static int
late_alert(struct tls *t)
{
	uint8_t	buf[256];
	ssize_t	r, i;

	if (t->seen.established)
		return -1;
	r = recv(t->fd, buf, sizeof buf, MSG_DONTWAIT);
	for (i = 0; i + 7 <= r; i++)
		if (buf[i] == 21 && buf[i + 1] == 3 && buf[i + 3] == 0 &&
		    buf[i + 4] == 2 && buf[i + 5] == 2)
			return buf[i + 6];
	return -1;
}

/* The words for the client's failure ret (tlsexplain.h). */
static void
explain(struct tls *t, int ret, char *err, size_t errlen)
{
	wsc_tlsexplain_client(&t->seen, &t->ssl, ret,
	    wsc_tlsexplain_is_hangup(ret) ? late_alert(t) : -1, err, errlen);
}

/* Where distributions keep the CA bundle (configure probes the same):
 * a static binary built on one runs on the others (scripts/static). */
static const char *const ca_bundles[] = {
	"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem"
};

const char *
wsc_tls_ca_bundle(const char *configured, const char *const *usual,
    size_t n)
{
	size_t	i;

	if (access(configured, R_OK) == 0)
		return configured;
	for (i = 0; i < n; i++)
		if (access(usual[i], R_OK) == 0)
			return usual[i];
	return configured;
}

/* Trusted CAs: --ca, else $SSL_CERT_FILE, else the system bundle. */
static int
load_ca(struct tls *t, const struct wsc_tls_opts *o, char *err, size_t errlen)
{
	const char	*path = o->ca, *what = o->for_proxy ? "--proxy-ca" : "--ca";
	char		 why[160];
	int		 r;

	if (path == NULL && (path = getenv("SSL_CERT_FILE")) != NULL &&
	    *path != '\0')
		what = "SSL_CERT_FILE";
	else if (path == NULL) {
		path = wsc_tls_ca_bundle(WSC_CA_BUNDLE, ca_bundles,
		    sizeof ca_bundles / sizeof ca_bundles[0]);
		what = "the CA bundle";
	}
	r = mbedtls_x509_crt_parse_file(&t->ca, path);
	/* > 0: some certificates of a bundle did not parse; the rest do. */
	if (r < 0 || t->ca.version == 0) {
		wsc_tlsexplain_file(path, r, why, sizeof why);
		snprintf(err, errlen, "cannot read %s %s: %s", what, path,
		    r < 0 ? why : "no certificate in it");
		return -1;
	}
	mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
	return 0;
}

/* Reads the private key, in any format OpenSSL writes (keyfile.h). */
static int
parse_key(struct tls *t, const char *path, const char *pass)
{
	return wsc_keyfile_parse(&t->key, path, pass, t->key_scheme,
	    sizeof t->key_scheme);
}

/* Does the key belong to the certificate? */
static int
check_pair(struct tls *t)
{
#ifdef TLS_V3
	return mbedtls_pk_check_pair(&t->cert.pk, &t->key,
	    wsc_rng_fill, wsc_rng_get());
#else
	return mbedtls_pk_check_pair(&t->cert.pk, &t->key);
#endif
}

/* Reads --key with --passphrase: mbedTLS's result, a wrong passphrase
 * told apart from a broken key. */
static int
read_key(struct tls *t, const struct wsc_tls_opts *o)
{
	int	r = parse_key(t, o->key, o->passphrase);

	/* mbedTLS spots a wrong passphrase by a heuristic on the decrypted
	 * bytes that about one wrong passphrase in 500 gets past, failing
	 * later as a malformed key (KEY_INVALID_FORMAT plus an ASN.1 code, or
	 * in 3.x at times the ASN.1 code alone); an encrypted key that
	 * decrypted to garbage had the wrong one. */
	if (((-r & 0xff80) == -MBEDTLS_ERR_PK_KEY_INVALID_FORMAT ||
	    (-r >= -MBEDTLS_ERR_ASN1_OUT_OF_DATA &&
	    -r <= -MBEDTLS_ERR_ASN1_BUF_TOO_SMALL)) &&
	    o->passphrase != NULL &&
	    parse_key(t, o->key, NULL) == MBEDTLS_ERR_PK_PASSWORD_REQUIRED)
		r = MBEDTLS_ERR_PK_PASSWORD_MISMATCH;
	return r;
}

/* --cert/--key/--passphrase: our certificate for servers that ask. */
static int
load_client_cert(struct tls *t, const struct wsc_tls_opts *o, char *err,
    size_t errlen)
{
	char	why[160];
	int	r;

	if ((r = mbedtls_x509_crt_parse_file(&t->cert, o->cert)) != 0) {
		wsc_tlsexplain_file(o->cert, r, why, sizeof why);
		snprintf(err, errlen, "cannot read the certificate %s: %s",
		    o->cert, why);
		return -1;
	}
	if ((r = read_key(t, o)) != 0)
		wsc_tlsexplain_key(o->key, r, t->key_scheme, err, errlen);
	else if (check_pair(t) != 0)
		snprintf(err, errlen, "the key %s does not belong to the "
		    "certificate %s", o->key, o->cert);
	else if (mbedtls_ssl_conf_own_cert(&t->conf, &t->cert, &t->key) != 0)
		snprintf(err, errlen, "cannot use the certificate %s", o->cert);
	else {
		t->seen.has_cert = 1;
		return 0;
	}
	return -1;
}

/* The client configuration: TLS 1.2 at least (RFC 8996), the process's
 * random generator, verification unless -k, ALPN http/1.1. */
static int
configure(struct tls *t, const struct wsc_tls_opts *o, char *err,
    size_t errlen)
{
	struct wsc_rng	*rng = wsc_rng_get();
	int		 r;

	if (rng == NULL) {
		snprintf(err, errlen, "no random numbers");
		return -1;
	}
	if ((r = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
		explain(t, r, err, errlen);
		return -1;
	}
#ifdef TLS_V3
	mbedtls_ssl_conf_min_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    MBEDTLS_SSL_MINOR_VERSION_3);
#endif
	mbedtls_ssl_conf_rng(&t->conf, wsc_rng_fill, rng);
	mbedtls_ssl_conf_alpn_protocols(&t->conf, alpn_list);
	mbedtls_ssl_conf_verify(&t->conf, verify_cb, t);
	t->insecure = o->insecure;
	t->seen.for_proxy = o->for_proxy;
	mbedtls_ssl_conf_authmode(&t->conf, o->insecure ?
	    MBEDTLS_SSL_VERIFY_NONE : MBEDTLS_SSL_VERIFY_REQUIRED);
	if (!o->insecure && load_ca(t, o, err, errlen) != 0)
		return -1;
	if (o->cert != NULL && load_client_cert(t, o, err, errlen) != 0)
		return -1;
	return 0;
}

/* Sets up every mbedTLS part of t for the _free calls of tls_clear. */
static void
tls_init(struct tls *t, int fd)
{
	memset(t, 0, sizeof *t);
	t->fd = fd;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_x509_crt_init(&t->ca);
	mbedtls_x509_crt_init(&t->cert);
	mbedtls_pk_init(&t->key);
}

/* Releases the mbedTLS parts; safe on a half-built context. */
static void
tls_clear(struct tls *t)
{
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_x509_crt_free(&t->ca);
	mbedtls_x509_crt_free(&t->cert);
	mbedtls_pk_free(&t->key);
}

/* Releases everything; safe on a half-built context. */
static void
tls_destroy(struct tls *t)
{
	if (t == NULL)
		return;
	tls_clear(t);
	/* The connection underneath shares the socket: conn.c closes it. */
	if (t->lower != NULL) {
		t->lower->ops->free(t->lower);
		free(t->lower);
	}
	free(t);
}

/* Runs the handshake on the non-blocking socket until done or deadline. */
static int
drive_handshake(struct tls *t, int64_t deadline, char *err, size_t errlen)
{
	int	r, w;

	t->handshaking = 1;
	for (;;) {
		r = mbedtls_ssl_handshake(&t->ssl);
		if (r == 0)
			break;
		if (IS_TICKET(r))
			continue;
		if (r != MBEDTLS_ERR_SSL_WANT_READ &&
		    r != MBEDTLS_ERR_SSL_WANT_WRITE) {
			explain(t, r, err, errlen);
			return -1;
		}
		if (t->lower != NULL && wsc_conn_pending(t->lower) > 0)
			continue;
		w = wsc_net_wait(t->fd, (r == MBEDTLS_ERR_SSL_WANT_READ ?
		    POLLIN : POLLOUT) | (t->lower != NULL ?
		    wsc_conn_want(t->lower) : 0), deadline);
		if (w <= 0) {
			snprintf(err, errlen, "%s", w == 0 ?
			    "the handshake timed out" : "interrupted");
			return -1;
		}
	}
	t->handshaking = 0;
	t->seen.established = 1;
	return 0;
}

/* Sets up the context for one connection. */
static int
prepare(struct tls *t, const char *host, int host_is_ip,
    const struct wsc_tls_opts *o, char *err, size_t errlen)
{
	int	r, fam;

	if (configure(t, o, err, errlen) != 0)
		return -1;
	if ((r = mbedtls_ssl_setup(&t->ssl, &t->conf)) != 0) {
		explain(t, r, err, errlen);
		return -1;
	}
	wsc_keylog_attach(&t->conf, &t->ssl);
	snprintf(t->seen.host, sizeof t->seen.host, "%s", host);
	if (host_is_ip) {
		/* No SNI for addresses (RFC 6066 section 3) and no name
		 * check by mbedTLS: verify_cb matches the IP SAN. NULL says
		 * so explicitly, which 3.6 requires. */
		t->ip_check = 1;
		fam = wsc_net_parse_ip(host, t->ip);
		t->iplen = fam == AF_INET ? 4 : fam == AF_INET6 ? 16 : 0;
		r = mbedtls_ssl_set_hostname(&t->ssl, NULL);
	} else
		r = mbedtls_ssl_set_hostname(&t->ssl, host);
	if (r != 0) {
		explain(t, r, err, errlen);
		return -1;
	}
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	return 0;
}

/* TLS 1.3 with nothing from the server yet (tlsexplain.h): a hang-up
 * there is most likely its verdict on our certificate, a TLS failure. */
static int
silent(const struct tls *t)
{
	return wsc_tlsexplain_tls13_silent(&t->seen, &t->ssl);
}

/* Reads decrypted bytes. After WANT_WRITE the read must be repeated once
 * the socket is writable: want() asks the loop for POLLOUT. */
static ssize_t
tls_read(struct wsc_conn *c, void *buf, size_t n)
{
	struct tls	*t = c->impl;
	int		 r;

	for (;;) {
		r = mbedtls_ssl_read(&t->ssl, buf, n > INT32_MAX ? INT32_MAX : n);
		t->want = r == MBEDTLS_ERR_SSL_WANT_WRITE ? POLLOUT : 0;
		if (r > 0) {
			t->seen.got_data = 1;
			return r;
		}
		if ((r == 0 || r == MBEDTLS_ERR_SSL_CONN_EOF) && silent(t)) {
			t->failed = 1;
			wsc_tlsexplain_hangup(&t->seen, &t->ssl, c->err,
			    sizeof c->err);
			return WSC_CONN_ERROR;
		}
		if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY ||
		    r == MBEDTLS_ERR_SSL_CONN_EOF)
			return 0;
		if (r == MBEDTLS_ERR_SSL_WANT_READ ||
		    r == MBEDTLS_ERR_SSL_WANT_WRITE)
			return WSC_CONN_AGAIN;
		if (IS_TICKET(r))
			continue;
		t->failed = silent(t) || (r != MBEDTLS_ERR_NET_CONN_RESET &&
		    r != MBEDTLS_ERR_NET_RECV_FAILED &&
		    r != MBEDTLS_ERR_NET_SEND_FAILED);
		explain(t, r, c->err, sizeof c->err);
		return WSC_CONN_ERROR;
	}
}

/* Encrypts and sends at most one record. After WANT_WRITE mbedTLS holds
 * the record and must be called with the same length, or it reports the
 * new length as written (doc/pitfalls.md, mbedTLS): the caller's buffer
 * only grows. */
static ssize_t
tls_write(struct wsc_conn *c, const void *buf, size_t n)
{
	struct tls	*t = c->impl;
	int		 r;

	if (t->write_len > 0 && t->write_len <= n)
		n = t->write_len;
	for (;;) {
		r = mbedtls_ssl_write(&t->ssl, buf, n > INT32_MAX ? INT32_MAX : n);
		if (r >= 0) {
			t->write_len = 0;
			return r;
		}
		if (r == MBEDTLS_ERR_SSL_WANT_WRITE ||
		    r == MBEDTLS_ERR_SSL_WANT_READ) {
			t->write_len = n;
			return WSC_CONN_AGAIN;
		}
		if (IS_TICKET(r))
			continue;
		t->failed = silent(t) || (r != MBEDTLS_ERR_NET_CONN_RESET &&
		    r != MBEDTLS_ERR_NET_SEND_FAILED);
		explain(t, r, c->err, sizeof c->err);
		return WSC_CONN_ERROR;
	}
}

/* Decrypted bytes mbedTLS holds: the socket may be silent while they
 * wait, so the loop must read them before polling
 * (doc/pitfalls.md, poll() and TLS). */
static size_t
tls_pending(struct wsc_conn *c)
{
	struct tls	*t = c->impl;

	return mbedtls_ssl_get_bytes_avail(&t->ssl) +
	    (t->lower != NULL ? wsc_conn_pending(t->lower) : 0);
}

/* POLLOUT while a read waits to write (WANT_WRITE), for the poll loop. */
static short
tls_want(struct wsc_conn *c)
{
	struct tls	*t = c->impl;

	return t->want | (t->lower != NULL ? wsc_conn_want(t->lower) : 0);
}

/* close_notify (RFC 8446 section 6.1), best effort: never waits. */
static void
tls_shutdown(struct wsc_conn *c)
{
	struct tls	*t = c->impl;

	if (t->seen.established && !t->failed)
		mbedtls_ssl_close_notify(&t->ssl);
	if (t->lower != NULL)
		wsc_conn_shutdown(t->lower);
}

/* The vtable's free: the mbedTLS state, not the socket (conn.c's). */
static void
tls_free(struct wsc_conn *c)
{
	tls_destroy(c->impl);
	c->impl = NULL;
}

static const struct wsc_conn_ops tls_ops = {
	tls_read, tls_write, tls_pending, tls_want, tls_shutdown, tls_free
};

/* Loads the TLS library (tlslib.h); 3.x also runs its crypto through PSA,
 * which must be set up once first. */
static int
crypto_init(char *err, size_t errlen)
{
#ifdef TLS_V3
	static int	done;
#endif

	if (wsc_tlslib_load(err, errlen) != 0)
		return -1;
#ifdef TLS_V3
	if (!done && psa_crypto_init() != PSA_SUCCESS) {
		snprintf(err, errlen, "cannot initialise the crypto library");
		return -1;
	}
	done = 1;
#endif
	return 0;
}

/* --pinnedpubkey (pin.h), after the handshake and whatever verification
 * did or, with -k, did not: curl checks the pin either way. */
static int
check_pin(struct tls *t, const char *pin, char *err, size_t errlen)
{
	const mbedtls_x509_crt	*crt = mbedtls_ssl_get_peer_cert(&t->ssl);
	unsigned char		 der[4096];	/* RSA-16384 takes 2 KiB */
	char			 seen[WSC_PIN_SEEN_LEN], why[256];
	int			 n;

	if (crt == NULL) {
		snprintf(err, errlen, "the server sent no certificate to "
		    "check --pinnedpubkey against");
		return -1;
	}
	/* 2.28 takes the key without const; it does not change it. */
	n = mbedtls_pk_write_pubkey_der((mbedtls_pk_context *)(uintptr_t)
	    &crt->pk, der, sizeof der);
	if (n <= 0) {
		snprintf(err, errlen, "cannot encode the server's public key");
		return -1;
	}
	switch (wsc_pin_check(pin, der + sizeof der - n, (size_t)n, seen, why,
	    sizeof why)) {
	case WSC_PIN_MATCH:
		return 0;
	case WSC_PIN_MISMATCH:
		snprintf(err, errlen, "the server's public key %s does not match "
		    "--pinnedpubkey", seen);
		return -1;
	default:
		snprintf(err, errlen, "%s", why);
		return -1;
	}
}

int
wsc_tls_start(struct wsc_conn *c, const char *host, int host_is_ip,
    const struct wsc_tls_opts *o, int64_t deadline, char *err, size_t errlen)
{
	struct tls	*t;

	if (crypto_init(err, errlen) != 0)
		return -1;
	if ((t = malloc(sizeof *t)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tls_init(t, c->fd);
	/* TLS already on c (to an HTTPS proxy): the new session runs
	 * inside it, and owns it from now on. */
	if (c->ops == &tls_ops) {
		if ((t->lower = malloc(sizeof *c)) == NULL) {
			snprintf(err, errlen, "out of memory");
			tls_destroy(t);
			return -1;
		}
		*t->lower = *c;
	}
	if (prepare(t, host, host_is_ip, o, err, errlen) != 0 ||
	    drive_handshake(t, deadline, err, errlen) != 0 ||
	    (o->pinned != NULL && check_pin(t, o->pinned, err, errlen) != 0)) {
		if (t->lower != NULL)
			free(t->lower);	/* still c's */
		t->lower = NULL;
		tls_destroy(t);
		return -1;
	}
	c->ops = &tls_ops;
	c->impl = t;
	return 0;
}

int
wsc_tls_failed(const struct wsc_conn *c)
{
	const struct tls	*t = c->impl;

	return c->ops == &tls_ops && t != NULL && t->failed;
}

void
wsc_tls_describe(const struct wsc_conn *c, char *out, size_t outlen)
{
	const struct tls	*t = c->impl;

	out[0] = '\0';
	if (c->ops == &tls_ops && t != NULL)
		wsc_tlsexplain_describe(&t->ssl, t->insecure, out, outlen);
}

/* ------------------------------------------------------------ listen mode
 * wsc -l with --cert/--key: one server configuration shared by every
 * connection accepted, and a handshake the server's poll loop drives one
 * step at a time (it must never block the other clients). Connections use
 * the same transport (tls_ops) as the client's. */

/* The configuration lives in the conf, cert and key of a struct tls. */
struct wsc_tls_server {
	struct tls	cfg;
};

/* --ca in listen mode: every client must show a certificate from those
 * CAs (RFC 5246 section 7.4.4, RFC 8446 section 4.3.2); none otherwise. */
static int
ask_client_cert(struct tls *t, const struct wsc_tls_opts *o, char *err,
    size_t errlen)
{
	if (o->ca == NULL) {
		mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
		return 0;
	}
	if (load_ca(t, o, err, errlen) != 0)
		return -1;
	mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	return 0;
}

struct wsc_tls_server *
wsc_tls_server_new(const struct wsc_tls_opts *o, char *err, size_t errlen)
{
	struct wsc_tls_server	*s;
	struct wsc_rng		*rng = wsc_rng_get();
	struct tls		*t;
	int			 r;

	if (crypto_init(err, errlen) != 0)
		return NULL;
	if (rng == NULL) {
		snprintf(err, errlen, "cannot initialise the crypto library");
		return NULL;
	}
	if ((s = malloc(sizeof *s)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t = &s->cfg;
	tls_init(t, -1);
	if ((r = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_SERVER,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
		mbedtls_strerror(r, err, errlen);
		wsc_tls_server_free(s);
		return NULL;
	}
#ifdef TLS_V3
	mbedtls_ssl_conf_min_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    MBEDTLS_SSL_MINOR_VERSION_3);
#endif
	mbedtls_ssl_conf_rng(&t->conf, wsc_rng_fill, rng);
	mbedtls_ssl_conf_alpn_protocols(&t->conf, alpn_list);
	if (ask_client_cert(t, o, err, errlen) != 0 ||
	    load_client_cert(t, o, err, errlen) != 0) {
		wsc_tls_server_free(s);
		return NULL;
	}
	return s;
}

void
wsc_tls_server_free(struct wsc_tls_server *s)
{
	if (s == NULL)
		return;
	tls_clear(&s->cfg);
	free(s);
}

int
wsc_tls_accept(struct wsc_conn *c, struct wsc_tls_server *s, char *err,
    size_t errlen)
{
	struct tls	*t;
	int		 r;

	if ((t = malloc(sizeof *t)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tls_init(t, c->fd);
	if ((r = mbedtls_ssl_setup(&t->ssl, &s->cfg.conf)) != 0) {
		mbedtls_strerror(r, err, errlen);
		tls_destroy(t);
		return -1;
	}
	wsc_keylog_attach(&s->cfg.conf, &t->ssl);
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	t->handshaking = 1;	/* keeps the client's first bytes */
	t->want = POLLIN;	/* the ClientHello comes first */
	c->ops = &tls_ops;
	c->impl = t;
	return 0;
}

int
wsc_tls_accept_step(struct wsc_conn *c)
{
	struct tls	*t = c->impl;
	int		 r;

	for (;;) {
		r = mbedtls_ssl_handshake(&t->ssl);
		if (r == 0) {
			t->handshaking = 0;
			t->seen.established = 1;
			t->want = 0;
			return 1;
		}
		if (IS_TICKET(r))
			continue;
		if (r == MBEDTLS_ERR_SSL_WANT_READ ||
		    r == MBEDTLS_ERR_SSL_WANT_WRITE) {
			t->want = r == MBEDTLS_ERR_SSL_WANT_READ ? POLLIN :
			    POLLOUT;
			return 0;
		}
		t->failed = 1;
		wsc_tlsexplain_accept(&t->seen, &t->ssl, r, c->err,
		    sizeof c->err);
		return -1;
	}
}

int
wsc_tls_peer_subject(const struct wsc_conn *c, char *out, size_t outlen)
{
	const struct tls	*t = c->impl;

	out[0] = '\0';
	if (c->ops != &tls_ops || t == NULL)
		return -1;
	return wsc_tlsexplain_subject(&t->ssl, out, outlen);
}
