/* Private key files: the bytes read once, PBES2-encrypted PKCS#8
 * decrypted by pkcs8.c, the plain key (or any other format) parsed by
 * mbedtls_pk_parse_key. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/version.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "keyfile.h"
#include "pkcs8.h"
#include "rng.h"
#include "tlslib.h"

/* Far above any key file; a larger file is not one. */
#define KEYFILE_MAX	(1024 * 1024)

int
wsc_keyfile_read(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	struct stat	 st;
	FILE		*f;
	int		 e;

	*buf = NULL;
	if ((f = fopen(path, "rbe")) == NULL)
		return -1;
	if (fstat(fileno(f), &st) != 0)
		goto fail;
	errno = EFBIG;
	if ((size_t)st.st_size > max ||
	    (*buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto fail;
	*len = fread(*buf, 1, (size_t)st.st_size, f);
	if (ferror(f))
		goto fail;
	fclose(f);
	(*buf)[*len] = '\0';
	return 0;
fail:
	e = errno;
	fclose(f);
	free(*buf);
	*buf = NULL;
	errno = e;
	return -1;
}

/* mbedtls_pk_parse_key; 3.x wants the RNG for blinding. */
static int
pk_parse(mbedtls_pk_context *pk, const uint8_t *key, size_t len,
    const char *pass)
{
	size_t	plen = pass != NULL ? strlen(pass) : 0;

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	return mbedtls_pk_parse_key(pk, key, len, (const unsigned char *)pass,
	    plen, mbedtls_ctr_drbg_random, wsc_rng_mbedtls_ctx(wsc_rng_get()));
#else
	return mbedtls_pk_parse_key(pk, key, len, (const unsigned char *)pass,
	    plen);
#endif
}

int
wsc_keyfile_pem(mbedtls_pem_context *pem, const char *label,
    const uint8_t *buf, const uint8_t **der, size_t *derlen)
{
	char	begin[64], end[64];
	size_t	used;
	int	r;

	snprintf(begin, sizeof begin, "-----BEGIN %s-----", label);
	snprintf(end, sizeof end, "-----END %s-----", label);
	if ((r = mbedtls_pem_read_buffer(pem, begin, end, buf, NULL, 0,
	    &used)) != 0)
		return r;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	*der = pem->MBEDTLS_PRIVATE(buf);
	*derlen = pem->MBEDTLS_PRIVATE(buflen);
#else
	*der = pem->buf;
	*derlen = pem->buflen;
#endif
	return 0;
}

/* Decrypts a parsed PBES2 key and parses the plain PKCS#8 it holds. */
static int
decrypt_parse(mbedtls_pk_context *pk, const struct wsc_pkcs8 *k,
    const char *pass)
{
	uint8_t	*plain;
	size_t	 len;
	int	 r;

	if (pass == NULL)
		return MBEDTLS_ERR_PK_PASSWORD_REQUIRED;
	if ((plain = malloc(k->datalen)) == NULL)
		return MBEDTLS_ERR_PK_ALLOC_FAILED;
	r = wsc_pkcs8_decrypt(k, (const uint8_t *)pass, strlen(pass), plain,
	    &len);
	if (r == WSC_PKCS8_OK)
		r = pk_parse(pk, plain, len, NULL);
	else
		r = r == WSC_PKCS8_PASSPHRASE ? MBEDTLS_ERR_PK_PASSWORD_MISMATCH :
		    MBEDTLS_ERR_PK_ALLOC_FAILED;
	mbedtls_platform_zeroize(plain, k->datalen);
	free(plain);
	return r;
}

int
wsc_keyfile_parse(mbedtls_pk_context *pk, const char *path, const char *pass,
    char *scheme, size_t schemelen)
{
	mbedtls_pem_context	 pem;
	struct wsc_pkcs8	 k;
	const uint8_t		*der;
	uint8_t			*buf;
	size_t			 len, derlen;
	int			 r;

	scheme[0] = '\0';
	if (wsc_keyfile_read(path, KEYFILE_MAX, &buf, &len) != 0)
		return MBEDTLS_ERR_PK_FILE_IO_ERROR;
	/* mbedtls_pk_parse_key wants the NUL counted for PEM. */
	if (strstr((char *)buf, "-----BEGIN ") != NULL)
		len++;
	mbedtls_pem_init(&pem);
	if (wsc_keyfile_pem(&pem, "ENCRYPTED PRIVATE KEY", buf, &der,
	    &derlen) != 0) {
		der = buf;
		derlen = len;
	}
	switch (wsc_pkcs8_parse(&k, der, derlen)) {
	case WSC_PKCS8_OK:
		r = decrypt_parse(pk, &k, pass);
		break;
	case WSC_PKCS8_UNSUPPORTED:
		snprintf(scheme, schemelen, "%s", k.scheme);
		r = MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
		break;
	case WSC_PKCS8_MALFORMED:
		r = MBEDTLS_ERR_PK_KEY_INVALID_FORMAT;
		break;
	default:
		r = pk_parse(pk, buf, len, pass);
	}
	mbedtls_pem_free(&pem);
	mbedtls_platform_zeroize(buf, len);
	free(buf);
	return r;
}
