/* The NSS key log format (as documented by NSS and read by Wireshark):
 * "CLIENT_RANDOM" lines with the TLS 1.2 master secret, and with TLS 1.3
 * one line per traffic secret (RFC 8446 section 7.1), each keyed by the
 * ClientHello's random. mbedTLS 2.28 exports through the configuration,
 * 3.x through each context. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>

#include "keylog.h"
#include "tlslib.h"

/* Labels' room plus 64 + 1 + 128 hex digits (secrets up to SHA-512). */
#define LINE_MAX_LEN	256

size_t
wsc_keylog_line(char *out, size_t outlen, const char *label,
    const uint8_t client_random[32], const uint8_t *secret, size_t secretlen)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 n = strlen(label), need, i;
	char			*p = out;

	need = n + 1 + 64 + 1 + 2 * secretlen + 1;
	if (need + 1 > outlen)
		return 0;
	memcpy(p, label, n);
	p += n;
	*p++ = ' ';
	for (i = 0; i < 32; i++) {
		*p++ = hex[client_random[i] >> 4];
		*p++ = hex[client_random[i] & 15];
	}
	*p++ = ' ';
	for (i = 0; i < secretlen; i++) {
		*p++ = hex[secret[i] >> 4];
		*p++ = hex[secret[i] & 15];
	}
	*p++ = '\n';
	*p = '\0';
	return need;
}

int
wsc_keylog_append(const char *path, const char *line, size_t len)
{
	ssize_t	w;
	int	fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
	    0600);
	if (fd == -1)
		return -1;
	do
		w = write(fd, line, len);
	while (w == -1 && errno == EINTR);
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

/* Formats and appends one line to the file p names. */
static void
log_secret(void *p, const char *label, const unsigned char *client_random,
    const unsigned char *secret, size_t len)
{
	char	line[LINE_MAX_LEN];
	size_t	n;

	if ((n = wsc_keylog_line(line, sizeof line, label, client_random,
	    secret, len)) != 0)
		(void)wsc_keylog_append(p, line, n);
}

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
/* The NSS label of a secret mbedTLS 3.x exports; NULL for the rest. */
static const char *
label_of(mbedtls_ssl_key_export_type type)
{
	switch (type) {
	case MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET:
		return "CLIENT_RANDOM";
#ifdef MBEDTLS_SSL_PROTO_TLS1_3
	case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_EARLY_SECRET:
		return "CLIENT_EARLY_TRAFFIC_SECRET";
	case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_HANDSHAKE_TRAFFIC_SECRET:
		return "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
	case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_HANDSHAKE_TRAFFIC_SECRET:
		return "SERVER_HANDSHAKE_TRAFFIC_SECRET";
	case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_APPLICATION_TRAFFIC_SECRET:
		return "CLIENT_TRAFFIC_SECRET_0";
	case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_APPLICATION_TRAFFIC_SECRET:
		return "SERVER_TRAFFIC_SECRET_0";
#endif
	default:
		return NULL;
	}
}

/* mbedTLS 3.x's export callback: every secret, each with its type. */
static void
export_keys(void *p, mbedtls_ssl_key_export_type type,
    const unsigned char *secret, size_t len,
    const unsigned char client_random[32],
    const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
	const char	*label = label_of(type);

	(void)server_random;
	(void)prf;
	if (label != NULL)
		log_secret(p, label, client_random, secret, len);
}
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
/* mbedTLS 2.28's: the TLS 1.2 master secret (48 bytes), once per
 * handshake. 0: the handshake goes on whatever became of the file. */
static int
export_keys(void *p, const unsigned char *ms, const unsigned char *kb,
    size_t maclen, size_t keylen, size_t ivlen,
    const unsigned char client_random[32],
    const unsigned char server_random[32], mbedtls_tls_prf_types prf)
{
	(void)kb;
	(void)maclen;
	(void)keylen;
	(void)ivlen;
	(void)server_random;
	(void)prf;
	log_secret(p, "CLIENT_RANDOM", client_random, ms, 48);
	return 0;
}
#endif

void
wsc_keylog_attach(mbedtls_ssl_config *conf, mbedtls_ssl_context *ssl)
{
	/* The environment outlives every connection. */
	char	*path = getenv("SSLKEYLOGFILE");

	if (path == NULL || *path == '\0')
		return;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	(void)conf;
	mbedtls_ssl_set_export_keys_cb(ssl, export_keys, path);
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
	(void)ssl;
	mbedtls_ssl_conf_export_keys_ext_cb(conf, export_keys, path);
#else
	(void)conf;
	(void)ssl;
#endif
}
