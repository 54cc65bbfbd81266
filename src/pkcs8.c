/* Encrypted PKCS#8 keys with PBES2 and PBKDF2 (RFC 8018 section 6.2 and
 * appendix A.2, A.4): the ASN.1 structure, then mbedTLS's PBKDF2 and CBC
 * ciphers. Nothing cryptographic is written here. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/version.h>
#include <mbedtls/asn1.h>
#include <mbedtls/cipher.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>

#include "pkcs8.h"
#include "tlslib.h"

#define SEQ		(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define OIDLEN(s)	s, sizeof(s) - 1

/* The PRFs of PBKDF2 (RFC 8018 appendix B.1). */
static const struct prf {
	const char	*oid;
	size_t		 oidlen;
	int		 md;
	const char	*name;
} prfs[] = {
	{ OIDLEN(MBEDTLS_OID_HMAC_SHA1), MBEDTLS_MD_SHA1, "SHA1" },
	{ OIDLEN(MBEDTLS_OID_HMAC_SHA224), MBEDTLS_MD_SHA224, "SHA224" },
	{ OIDLEN(MBEDTLS_OID_HMAC_SHA256), MBEDTLS_MD_SHA256, "SHA256" },
	{ OIDLEN(MBEDTLS_OID_HMAC_SHA384), MBEDTLS_MD_SHA384, "SHA384" },
	{ OIDLEN(MBEDTLS_OID_HMAC_SHA512), MBEDTLS_MD_SHA512, "SHA512" },
};

/* The CBC encryption schemes OpenSSL writes (RFC 8018 appendix B.2;
 * RFC 3565 for AES, RFC 3657 for Camellia); the parameters are the IV. */
static const struct enc {
	const char	*oid;
	size_t		 oidlen;
	int		 cipher;
	size_t		 keylen;
	size_t		 ivlen;
	const char	*name;
} encs[] = {
	{ OIDLEN(MBEDTLS_OID_AES "\x02"), MBEDTLS_CIPHER_AES_128_CBC, 16, 16,
	    "AES-128-CBC" },
	{ OIDLEN(MBEDTLS_OID_AES "\x16"), MBEDTLS_CIPHER_AES_192_CBC, 24, 16,
	    "AES-192-CBC" },
	{ OIDLEN(MBEDTLS_OID_AES "\x2a"), MBEDTLS_CIPHER_AES_256_CBC, 32, 16,
	    "AES-256-CBC" },
	{ OIDLEN(MBEDTLS_OID_DES_EDE3_CBC), MBEDTLS_CIPHER_DES_EDE3_CBC, 24, 8,
	    "DES-EDE3-CBC" },
	{ OIDLEN(MBEDTLS_OID_DES_CBC), MBEDTLS_CIPHER_DES_CBC, 8, 8, "DES-CBC" },
#ifdef MBEDTLS_CAMELLIA_C
	{ OIDLEN("\x2a\x83\x08\x8c\x9a\x4b\x3d\x01\x01\x01\x02"),
	    MBEDTLS_CIPHER_CAMELLIA_128_CBC, 16, 16, "CAMELLIA-128-CBC" },
	{ OIDLEN("\x2a\x83\x08\x8c\x9a\x4b\x3d\x01\x01\x01\x03"),
	    MBEDTLS_CIPHER_CAMELLIA_192_CBC, 24, 16, "CAMELLIA-192-CBC" },
	{ OIDLEN("\x2a\x83\x08\x8c\x9a\x4b\x3d\x01\x01\x01\x04"),
	    MBEDTLS_CIPHER_CAMELLIA_256_CBC, 32, 16, "CAMELLIA-256-CBC" },
#endif
};

/* Names for schemes that neither this module nor mbedTLS reads, so that
 * the message says more than a number. */
static const struct known {
	const char	*oid;
	size_t		 oidlen;
	const char	*name;
} knowns[] = {
	{ OIDLEN("\x2b\x06\x01\x04\x01\xda\x47\x04\x0b"), "scrypt" },
	{ OIDLEN(MBEDTLS_OID_RSA_COMPANY "\x03\x02"), "RC2-CBC" },
	{ OIDLEN(MBEDTLS_OID_RSA_COMPANY "\x02\x0c"), "HMAC-SHA512/224" },
	{ OIDLEN(MBEDTLS_OID_RSA_COMPANY "\x02\x0d"), "HMAC-SHA512/256" },
	{ OIDLEN(MBEDTLS_OID_PKCS5 "\x01"), "PBES1 (MD2, DES-CBC)" },
	{ OIDLEN(MBEDTLS_OID_PKCS5_PBE_MD5_DES_CBC), "PBES1 (MD5, DES-CBC)" },
	{ OIDLEN(MBEDTLS_OID_PKCS5_PBE_SHA1_DES_CBC), "PBES1 (SHA1, DES-CBC)" },
	{ OIDLEN(MBEDTLS_OID_PKCS5 "\x04"), "PBES1 (MD2, RC2-CBC)" },
	{ OIDLEN(MBEDTLS_OID_PKCS5_PBE_MD5_RC2_CBC), "PBES1 (MD5, RC2-CBC)" },
	{ OIDLEN(MBEDTLS_OID_PKCS5_PBE_SHA1_RC2_CBC), "PBES1 (SHA1, RC2-CBC)" },
};

/* Is the OID buffer this table entry's? */
static int
oid_is(const mbedtls_asn1_buf *oid, const char *want, size_t wantlen)
{
	return oid->len == wantlen && memcmp(oid->p, want, wantlen) == 0;
}

/* Names an algorithm nobody here reads; returns UNSUPPORTED. */
static int
unsupported(struct wsc_pkcs8 *k, const mbedtls_asn1_buf *oid)
{
	char	num[48];
	size_t	i;

	for (i = 0; i < sizeof knowns / sizeof knowns[0]; i++)
		if (oid_is(oid, knowns[i].oid, knowns[i].oidlen)) {
			snprintf(k->scheme, sizeof k->scheme, "%s", knowns[i].name);
			return WSC_PKCS8_UNSUPPORTED;
		}
	if (mbedtls_oid_get_numeric_string(num, sizeof num, oid) < 0)
		snprintf(num, sizeof num, "?");
	snprintf(k->scheme, sizeof k->scheme, "OID %s", num);
	return WSC_PKCS8_UNSUPPORTED;
}

/* The PRF AlgorithmIdentifier; its parameters are NULL or absent. */
static int
parse_prf(struct wsc_pkcs8 *k, unsigned char **p, const unsigned char *end,
    const struct prf **out)
{
	mbedtls_asn1_buf	oid, params;
	size_t			i;

	if (mbedtls_asn1_get_alg(p, end, &oid, &params) != 0 ||
	    (params.tag != 0 && (params.tag != MBEDTLS_ASN1_NULL ||
	    params.len != 0)))
		return WSC_PKCS8_MALFORMED;
	for (i = 0; i < sizeof prfs / sizeof prfs[0]; i++)
		if (oid_is(&oid, prfs[i].oid, prfs[i].oidlen)) {
			*out = &prfs[i];
			if (mbedtls_md_info_from_type(prfs[i].md) != NULL)
				return WSC_PKCS8_OK;
			snprintf(k->scheme, sizeof k->scheme, "HMAC-%s",
			    prfs[i].name);
			return WSC_PKCS8_UNSUPPORTED;
		}
	return unsupported(k, &oid);
}

/* PBKDF2-params (RFC 8018 appendix A.2): salt, iteration count, the
 * optional key length (*keylen, 0 when absent) and PRF. */
static int
parse_pbkdf2(struct wsc_pkcs8 *k, const mbedtls_asn1_buf *params,
    size_t *keylen, const struct prf **prf)
{
	unsigned char	*p = params->p, *end = p + params->len;
	int		 n, r;

	*keylen = 0;
	*prf = &prfs[0];	/* DEFAULT algid-hmacWithSHA1 */
	if (params->tag != SEQ)
		return WSC_PKCS8_MALFORMED;
	if (p < end && *p == SEQ) {
		snprintf(k->scheme, sizeof k->scheme,
		    "PBKDF2 with a salt from another source");
		return WSC_PKCS8_UNSUPPORTED;
	}
	if (mbedtls_asn1_get_tag(&p, end, &k->saltlen,
	    MBEDTLS_ASN1_OCTET_STRING) != 0)
		return WSC_PKCS8_MALFORMED;
	k->salt = p;
	p += k->saltlen;
	if (mbedtls_asn1_get_int(&p, end, &n) != 0 || n <= 0)
		return WSC_PKCS8_MALFORMED;
	k->iter = (unsigned long)n;
	if (p < end && *p == MBEDTLS_ASN1_INTEGER) {
		if (mbedtls_asn1_get_int(&p, end, &n) != 0 || n <= 0)
			return WSC_PKCS8_MALFORMED;
		*keylen = (size_t)n;
	}
	if (p < end && (r = parse_prf(k, &p, end, prf)) != WSC_PKCS8_OK)
		return r;
	return p == end ? WSC_PKCS8_OK : WSC_PKCS8_MALFORMED;
}

/* The encryption scheme: a CBC cipher whose parameters are the IV. */
static int
parse_enc(struct wsc_pkcs8 *k, const mbedtls_asn1_buf *oid,
    const mbedtls_asn1_buf *params, const struct enc **out)
{
	size_t	i;

	for (i = 0; i < sizeof encs / sizeof encs[0]; i++)
		if (oid_is(oid, encs[i].oid, encs[i].oidlen))
			break;
	if (i == sizeof encs / sizeof encs[0])
		return unsupported(k, oid);
	*out = &encs[i];
	if (mbedtls_cipher_info_from_type(encs[i].cipher) == NULL) {
		snprintf(k->scheme, sizeof k->scheme, "%s", encs[i].name);
		return WSC_PKCS8_UNSUPPORTED;
	}
	if (params->tag != MBEDTLS_ASN1_OCTET_STRING ||
	    params->len != encs[i].ivlen)
		return WSC_PKCS8_MALFORMED;
	k->iv = params->p;
	k->ivlen = params->len;
	k->cipher = encs[i].cipher;
	k->keylen = encs[i].keylen;
	return WSC_PKCS8_OK;
}

/* PBES2-params (RFC 8018 appendix A.4): the key derivation function,
 * which must be PBKDF2, and the encryption scheme. */
static int
parse_pbes2(struct wsc_pkcs8 *k, const mbedtls_asn1_buf *params)
{
	unsigned char		*p = params->p, *end = p + params->len;
	mbedtls_asn1_buf	 kdf, kdfp, enc, encp;
	const struct prf	*prf = NULL;
	const struct enc	*e = NULL;
	size_t			 keylen;
	int			 r;

	if (params->tag != SEQ || mbedtls_asn1_get_alg(&p, end, &kdf, &kdfp) ||
	    mbedtls_asn1_get_alg(&p, end, &enc, &encp) || p != end)
		return WSC_PKCS8_MALFORMED;
	if (!oid_is(&kdf, OIDLEN(MBEDTLS_OID_PKCS5_PBKDF2)))
		return unsupported(k, &kdf);
	if ((r = parse_pbkdf2(k, &kdfp, &keylen, &prf)) != WSC_PKCS8_OK ||
	    (r = parse_enc(k, &enc, &encp, &e)) != WSC_PKCS8_OK)
		return r;
	if (keylen != 0 && keylen != k->keylen)
		return WSC_PKCS8_MALFORMED;
	if (k->iter > WSC_PKCS8_MAX_ITER) {
		snprintf(k->scheme, sizeof k->scheme,
		    "PBKDF2 with %lu iterations", k->iter);
		return WSC_PKCS8_UNSUPPORTED;
	}
	k->md = prf->md;
	snprintf(k->scheme, sizeof k->scheme, "PBES2 (PBKDF2-HMAC-%s, %s)",
	    prf->name, e->name);
	return WSC_PKCS8_OK;
}

int
wsc_pkcs8_parse(struct wsc_pkcs8 *k, const uint8_t *der, size_t len)
{
	unsigned char		*p = (unsigned char *)(uintptr_t)der, *end = p + len;
	mbedtls_asn1_buf	 alg, params;
	size_t			 n, bs;
	int			 r;

	memset(k, 0, sizeof *k);
	/* EncryptedPrivateKeyInfo (RFC 5958 section 3). A plain key starts
	 * with an INTEGER where this has the AlgorithmIdentifier. */
	if (len == 0 || mbedtls_asn1_get_tag(&p, end, &n, SEQ) != 0 ||
	    p + n != end || mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0)
		return WSC_PKCS8_OTHER;
	if (!oid_is(&alg, OIDLEN(MBEDTLS_OID_PKCS5_PBES2))) {
		/* mbedTLS reads PKCS#12's PBE itself. */
		if (alg.len > MBEDTLS_OID_SIZE(MBEDTLS_OID_PKCS12_PBE) &&
		    memcmp(alg.p, MBEDTLS_OID_PKCS12_PBE,
		    MBEDTLS_OID_SIZE(MBEDTLS_OID_PKCS12_PBE)) == 0)
			return WSC_PKCS8_OTHER;
		return unsupported(k, &alg);
	}
	if (mbedtls_asn1_get_tag(&p, end, &k->datalen,
	    MBEDTLS_ASN1_OCTET_STRING) != 0 || p + k->datalen != end)
		return WSC_PKCS8_MALFORMED;
	k->data = p;
	if ((r = parse_pbes2(k, &params)) != WSC_PKCS8_OK)
		return r;
	bs = k->ivlen;	/* CBC: the IV is one block */
	if (k->datalen == 0 || k->datalen % bs != 0)
		return WSC_PKCS8_MALFORMED;
	return WSC_PKCS8_OK;
}

/* PBKDF2 (RFC 8018 section 5.2) with mbedTLS: the key into key. */
static int
derive(const struct wsc_pkcs8 *k, const uint8_t *pass, size_t passlen,
    uint8_t *key)
{
	int			 r;
#if MBEDTLS_VERSION_NUMBER >= 0x03030000
	r = mbedtls_pkcs5_pbkdf2_hmac_ext((mbedtls_md_type_t)k->md, pass,
	    passlen, k->salt, k->saltlen, (unsigned int)k->iter,
	    (uint32_t)k->keylen, key);
#else
	mbedtls_md_context_t	 md;

	mbedtls_md_init(&md);
	r = mbedtls_md_setup(&md, mbedtls_md_info_from_type(
	    (mbedtls_md_type_t)k->md), 1);
	if (r == 0)
		r = mbedtls_pkcs5_pbkdf2_hmac(&md, pass, passlen, k->salt,
		    k->saltlen, (unsigned int)k->iter, (uint32_t)k->keylen, key);
	mbedtls_md_free(&md);
#endif
	return r == 0 ? WSC_PKCS8_OK : WSC_PKCS8_LIB;
}

/* CBC decryption with mbedTLS, which also checks the PKCS#7 padding
 * (RFC 8018 section 6.1.1 step 4): bad padding is a wrong key. */
static int
decrypt_cbc(const struct wsc_pkcs8 *k, const uint8_t *key, uint8_t *out,
    size_t *outlen)
{
	mbedtls_cipher_context_t	c;
	int				r;

	mbedtls_cipher_init(&c);
	r = mbedtls_cipher_setup(&c, mbedtls_cipher_info_from_type(
	    (mbedtls_cipher_type_t)k->cipher));
	if (r == 0)
		r = mbedtls_cipher_setkey(&c, key, (int)k->keylen * 8,
		    MBEDTLS_DECRYPT);
	if (r == 0)
		r = mbedtls_cipher_set_padding_mode(&c, MBEDTLS_PADDING_PKCS7);
	if (r == 0)
		r = mbedtls_cipher_crypt(&c, k->iv, k->ivlen, k->data,
		    k->datalen, out, outlen);
	mbedtls_cipher_free(&c);
	if (r == MBEDTLS_ERR_CIPHER_INVALID_PADDING)
		return WSC_PKCS8_PASSPHRASE;
	return r == 0 ? WSC_PKCS8_OK : WSC_PKCS8_LIB;
}

/* Is this the start of a PrivateKeyInfo (RFC 5958 section 2): one
 * SEQUENCE filling the buffer, version 0 or 1, an AlgorithmIdentifier?
 * Right padding from a wrong key passes 1 time in 256; this does not. */
static int
is_key_info(uint8_t *der, size_t len)
{
	unsigned char	*p = der, *end = der + len;
	size_t		 n;
	int		 v;

	return mbedtls_asn1_get_tag(&p, end, &n, SEQ) == 0 && p + n == end &&
	    mbedtls_asn1_get_int(&p, end, &v) == 0 && (v == 0 || v == 1) &&
	    mbedtls_asn1_get_tag(&p, end, &n, SEQ) == 0;
}

int
wsc_pkcs8_decrypt(const struct wsc_pkcs8 *k, const uint8_t *pass,
    size_t passlen, uint8_t *out, size_t *outlen)
{
	uint8_t	key[32];
	int	r;

	*outlen = 0;
	if (k->keylen > sizeof key)
		return WSC_PKCS8_LIB;
	if ((r = derive(k, pass, passlen, key)) == WSC_PKCS8_OK)
		r = decrypt_cbc(k, key, out, outlen);
	mbedtls_platform_zeroize(key, sizeof key);
	if (r == WSC_PKCS8_OK && !is_key_info(out, *outlen))
		r = WSC_PKCS8_PASSPHRASE;
	if (r != WSC_PKCS8_OK) {
		mbedtls_platform_zeroize(out, k->datalen);
		*outlen = 0;
	}
	return r;
}
