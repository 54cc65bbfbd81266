/* Private key files for --key: every encrypted format OpenSSL writes.
 * PBES2-encrypted PKCS#8 goes through pkcs8.h (mbedTLS 2.28's parser
 * knows only DES there), everything else through mbedTLS's own. */
#ifndef WSC_KEYFILE_H
#define WSC_KEYFILE_H

#include <stddef.h>

#include <stdint.h>

#include <mbedtls/pem.h>
#include <mbedtls/pk.h>

/* Reads the PEM or DER key at path into pk, decrypted with pass (NULL:
 * none given). Returns 0 or an mbedTLS error code, as
 * mbedtls_pk_parse_keyfile does; MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE with
 * scheme set names an encryption scheme that cannot be read. */
int	wsc_keyfile_parse(mbedtls_pk_context *pk, const char *path,
	    const char *pass, char *scheme, size_t schemelen);
/* Reads the file at path, at most max bytes, into *buf (malloc'd, with a
 * NUL after the *len bytes). 0, or -1 with errno (EFBIG: too large). */
int	wsc_keyfile_read(const char *path, size_t max, uint8_t **buf,
	    size_t *len);
/* The DER inside the "-----BEGIN label-----" PEM block of buf (NUL-
 * terminated): *der points into pem, which the caller frees. 0 or the
 * mbedTLS error. */
int	wsc_keyfile_pem(mbedtls_pem_context *pem, const char *label,
	    const uint8_t *buf, const uint8_t **der, size_t *derlen);

#endif
