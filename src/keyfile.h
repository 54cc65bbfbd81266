/* Private key files for --key: every encrypted format OpenSSL writes.
 * PBES2-encrypted PKCS#8 goes through pkcs8.h (mbedTLS 2.28's parser
 * knows only DES there), everything else through mbedTLS's own. */
#ifndef WSC_KEYFILE_H
#define WSC_KEYFILE_H

#include <stddef.h>

#include <mbedtls/pk.h>

/* Reads the PEM or DER key at path into pk, decrypted with pass (NULL:
 * none given). Returns 0 or an mbedTLS error code, as
 * mbedtls_pk_parse_keyfile does; MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE with
 * scheme set names an encryption scheme that cannot be read. */
int	wsc_keyfile_parse(mbedtls_pk_context *pk, const char *path,
	    const char *pass, char *scheme, size_t schemelen);

#endif
