/* SSLKEYLOGFILE: the TLS secrets of each connection appended to that file
 * in the NSS key log format, as curl and browsers write it, so that
 * Wireshark can decrypt a wss:// session. */
#ifndef WSC_KEYLOG_H
#define WSC_KEYLOG_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ssl.h>

/* One key log line: "LABEL <client random> <secret>\n" in lowercase hex,
 * NUL-terminated in out. Returns its length, or 0 when out is too small. */
size_t	wsc_keylog_line(char *out, size_t outlen, const char *label,
	    const uint8_t client_random[32], const uint8_t *secret,
	    size_t secretlen);
/* Appends line (len bytes) to path, creating it with mode 0600, in one
 * write so that concurrent writers do not interleave. 0 or -1. */
int	wsc_keylog_append(const char *path, const char *line, size_t len);
/* When SSLKEYLOGFILE is set, has ssl (set up with conf) log its secrets
 * there: call after mbedtls_ssl_setup. A file that cannot be written is
 * skipped silently, as curl does: it never fails the connection. */
void	wsc_keylog_attach(mbedtls_ssl_config *conf, mbedtls_ssl_context *ssl);

#endif
