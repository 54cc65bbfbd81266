/* Unit tests for src/pkcs8.c: keys OpenSSL encrypted, every PRF and cipher
 * the module knows on a round trip through mbedTLS, and the structure at
 * its boundaries (iteration count, key length, IV, data length, defaults,
 * schemes it names but does not read). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/version.h>
#include <mbedtls/asn1.h>
#include <mbedtls/cipher.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pkcs5.h>

#include "pkcs8.h"
#include "tlsload.h"

#define SEQ	(MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define OID(s)	(const uint8_t *)s, sizeof(s) - 1

/* openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 3
 * -outform DER -passout pass:secret, of an EC P-256 key. */
static const uint8_t aes256_sha256[] = {
	0x30, 0x81, 0xeb, 0x30, 0x56, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
	0x0d, 0x01, 0x05, 0x0d, 0x30, 0x49, 0x30, 0x28, 0x06, 0x09, 0x2a, 0x86,
	0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c, 0x30, 0x1b, 0x04, 0x08, 0xfe,
	0xe4, 0xf6, 0x7d, 0x57, 0x26, 0x8b, 0xba, 0x02, 0x01, 0x03, 0x30, 0x0c,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09, 0x05, 0x00,
	0x30, 0x1d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01,
	0x2a, 0x04, 0x10, 0x98, 0x12, 0x15, 0x68, 0x80, 0x67, 0x9a, 0x37, 0xfa,
	0x9d, 0xb2, 0x51, 0xcd, 0x96, 0x1f, 0x01, 0x04, 0x81, 0x90, 0x53, 0x2e,
	0x38, 0xc2, 0xc3, 0xde, 0x9e, 0x4e, 0xc2, 0x17, 0xe9, 0xa8, 0x3f, 0x4d,
	0xb4, 0x7b, 0x25, 0x67, 0x43, 0x07, 0xe1, 0x0d, 0xcd, 0x63, 0xcb, 0x3c,
	0xb0, 0x94, 0x49, 0x66, 0x15, 0xcc, 0x41, 0x80, 0xaa, 0xf4, 0x75, 0xba,
	0x57, 0xdc, 0xdc, 0x9f, 0xaa, 0x2b, 0x7d, 0x83, 0xca, 0x49, 0xfe, 0xa1,
	0x6e, 0xdc, 0x6f, 0x53, 0x7c, 0x9a, 0x45, 0xd3, 0xb7, 0x41, 0x78, 0xc5,
	0x25, 0x7a, 0xfe, 0xaa, 0x82, 0xa4, 0x26, 0x3d, 0x24, 0xaf, 0x1a, 0x25,
	0x10, 0x53, 0xca, 0x17, 0x50, 0xd7, 0x27, 0x67, 0x97, 0x0d, 0x9a, 0x5a,
	0x06, 0x07, 0x51, 0xa6, 0x37, 0x52, 0x98, 0x0d, 0x1a, 0xe6, 0x66, 0xba,
	0x89, 0xe1, 0x17, 0xa2, 0xac, 0x19, 0x76, 0x8f, 0x9b, 0xfd, 0xe2, 0xf4,
	0xa3, 0xec, 0x63, 0x31, 0xb4, 0x96, 0x11, 0xc9, 0x32, 0x90, 0xd7, 0x12,
	0x9d, 0x52, 0x92, 0xa0, 0x07, 0xd0, 0x0a, 0x0e, 0x9d, 0x75, 0x59, 0xf5,
	0x9c, 0x1b, 0x3d, 0xe2, 0x78, 0x54, 0x2d, 0xb8, 0x6e, 0xea,
};

/* The same key with -v2 des3 -v2prf hmacWithSHA1 -iter 2. */
static const uint8_t des3_sha1[] = {
	0x30, 0x81, 0xd4, 0x30, 0x3f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
	0x0d, 0x01, 0x05, 0x0d, 0x30, 0x32, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86,
	0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c, 0x30, 0x0d, 0x04, 0x08, 0xe6,
	0x5d, 0xd8, 0x13, 0x51, 0xa2, 0x49, 0x72, 0x02, 0x01, 0x02, 0x30, 0x14,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07, 0x04, 0x08,
	0x2f, 0x01, 0x59, 0x4b, 0x48, 0x58, 0xbf, 0xcf, 0x04, 0x81, 0x90, 0xea,
	0xa0, 0xa3, 0xc4, 0x2c, 0x19, 0xa6, 0x11, 0x70, 0x40, 0x5e, 0x82, 0x3b,
	0xc1, 0x31, 0xc8, 0xad, 0x19, 0xb7, 0x9b, 0x34, 0xa7, 0x0e, 0xaf, 0xd1,
	0x97, 0x1d, 0xb4, 0x60, 0xcd, 0x65, 0x5d, 0xfc, 0xd7, 0x03, 0x1a, 0x31,
	0xb2, 0x38, 0xef, 0xec, 0x01, 0x26, 0x4f, 0x85, 0x40, 0x06, 0xaa, 0x05,
	0x55, 0x1e, 0xe9, 0x6e, 0x06, 0x49, 0x02, 0x42, 0xd2, 0x68, 0x36, 0x9a,
	0x89, 0x2f, 0xd0, 0xd3, 0x49, 0x85, 0x4e, 0x37, 0x8b, 0x23, 0x73, 0x18,
	0xae, 0xc9, 0xae, 0xd5, 0x4a, 0xdb, 0x04, 0x0a, 0x88, 0xc3, 0xfc, 0x8c,
	0x0d, 0x47, 0x06, 0xe1, 0x1e, 0x64, 0x65, 0x3f, 0x05, 0xec, 0x52, 0x09,
	0xd1, 0xda, 0x13, 0x54, 0x1a, 0x35, 0x15, 0x90, 0x5f, 0x43, 0x36, 0xdc,
	0x97, 0x87, 0x30, 0xf9, 0x93, 0xbf, 0x04, 0x6d, 0x93, 0xf0, 0xed, 0x96,
	0x31, 0x3c, 0x7f, 0x1f, 0x5e, 0xb6, 0xc7, 0x41, 0xfd, 0x2e, 0xfb, 0x74,
	0x4c, 0xd0, 0x7c, 0x60, 0xf1, 0xe7, 0xde, 0x75, 0x90, 0x54, 0x0a,
};

/* The key both hold: openssl pkcs8 -topk8 -nocrypt -outform DER. */
static const uint8_t plain[] = {
	0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86,
	0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x03, 0x01, 0x07, 0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20,
	0x34, 0xe7, 0x1a, 0x89, 0x47, 0x27, 0x1e, 0x26, 0xfb, 0xe3, 0x18, 0x9e,
	0xc2, 0x44, 0x96, 0xc7, 0xcf, 0xdb, 0xfc, 0xb4, 0x37, 0xda, 0x16, 0xd2,
	0x15, 0x24, 0xba, 0x4e, 0xc4, 0xf1, 0x2c, 0x3d, 0xa1, 0x44, 0x03, 0x42,
	0x00, 0x04, 0xcc, 0x6a, 0x47, 0x3a, 0xdb, 0xce, 0xec, 0x9d, 0xb9, 0x92,
	0xcf, 0x78, 0x15, 0xb1, 0x18, 0x9c, 0x11, 0x89, 0x58, 0x61, 0x61, 0x42,
	0x36, 0xee, 0xf2, 0x8d, 0x3f, 0x9b, 0xec, 0x8a, 0x5e, 0x8f, 0xa0, 0xa1,
	0x70, 0xf5, 0x88, 0x58, 0x0e, 0x69, 0x78, 0xc3, 0xa7, 0xf2, 0x03, 0x08,
	0x91, 0xe7, 0xbe, 0xe4, 0xb7, 0x8c, 0x8c, 0x55, 0x3c, 0x3c, 0x38, 0xf4,
	0x37, 0x8c, 0x2b, 0x94, 0xf8, 0xc0,
};

/* The same key as SEC1 (openssl pkey -outform DER): not PKCS#8. */
static const uint8_t sec1[] = {
	0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20, 0x34, 0xe7, 0x1a, 0x89, 0x47,
	0x27, 0x1e, 0x26, 0xfb, 0xe3, 0x18, 0x9e, 0xc2, 0x44, 0x96, 0xc7, 0xcf,
	0xdb, 0xfc, 0xb4, 0x37, 0xda, 0x16, 0xd2, 0x15, 0x24, 0xba, 0x4e, 0xc4,
	0xf1, 0x2c, 0x3d, 0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42, 0x00, 0x04, 0xcc, 0x6a, 0x47,
	0x3a, 0xdb, 0xce, 0xec, 0x9d, 0xb9, 0x92, 0xcf, 0x78, 0x15, 0xb1, 0x18,
	0x9c, 0x11, 0x89, 0x58, 0x61, 0x61, 0x42, 0x36, 0xee, 0xf2, 0x8d, 0x3f,
	0x9b, 0xec, 0x8a, 0x5e, 0x8f, 0xa0, 0xa1, 0x70, 0xf5, 0x88, 0x58, 0x0e,
	0x69, 0x78, 0xc3, 0xa7, 0xf2, 0x03, 0x08, 0x91, 0xe7, 0xbe, 0xe4, 0xb7,
	0x8c, 0x8c, 0x55, 0x3c, 0x3c, 0x38, 0xf4, 0x37, 0x8c, 0x2b, 0x94, 0xf8,
	0xc0,
};

/* A DER writer for the structures under test. */
struct der {
	uint8_t	b[2048];
	size_t	n;
};

/* Appends one TLV (lengths up to 65535). */
static void
put(struct der *d, int tag, const void *p, size_t len)
{
	d->b[d->n++] = (uint8_t)tag;
	if (len >= 256) {
		d->b[d->n++] = 0x82;
		d->b[d->n++] = (uint8_t)(len >> 8);
	} else if (len >= 128)
		d->b[d->n++] = 0x81;
	d->b[d->n++] = (uint8_t)len;
	memcpy(d->b + d->n, p, len);
	d->n += len;
}

/* Appends a non-negative INTEGER. */
static void
put_int(struct der *d, unsigned long v)
{
	uint8_t	b[9];
	size_t	i = sizeof b;

	do {
		b[--i] = (uint8_t)v;
		v >>= 8;
	} while (v != 0);
	if (b[i] & 0x80)
		b[--i] = 0;
	put(d, MBEDTLS_ASN1_INTEGER, b + i, sizeof b - i);
}

/* What an EncryptedPrivateKeyInfo is built from; NULL or 0 leaves a
 * field out where the syntax lets it. */
struct spec {
	const uint8_t	*kdf;
	size_t		 kdflen;
	int		 salt_seq;	/* salt as otherSource */
	unsigned long	 iter;
	unsigned long	 keylen;
	const uint8_t	*prf;
	size_t		 prflen;
	int		 prf_params;	/* 0 NULL, 1 absent, 2 an INTEGER */
	const uint8_t	*enc;
	size_t		 enclen;
	size_t		 ivlen;
	const uint8_t	*data;
	size_t		 datalen;
};

static const uint8_t	salt[8] = "saltsalt";
static const uint8_t	iv[16] = "0123456789abcdef";

/* The PBKDF2 AlgorithmIdentifier of s into d. */
static void
put_kdf(struct der *d, const struct spec *s)
{
	struct der	p = { .n = 0 }, prf = { .n = 0 }, a = { .n = 0 };
	uint8_t		zero = 0;

	if (s->salt_seq)
		put(&p, SEQ, "", 0);
	else
		put(&p, MBEDTLS_ASN1_OCTET_STRING, salt, sizeof salt);
	put_int(&p, s->iter);
	if (s->keylen != 0)
		put_int(&p, s->keylen);
	if (s->prf != NULL) {
		put(&prf, MBEDTLS_ASN1_OID, s->prf, s->prflen);
		if (s->prf_params == 0)
			put(&prf, MBEDTLS_ASN1_NULL, "", 0);
		else if (s->prf_params == 2)
			put(&prf, MBEDTLS_ASN1_INTEGER, &zero, 1);
		put(&p, SEQ, prf.b, prf.n);
	}
	put(&a, MBEDTLS_ASN1_OID, s->kdf, s->kdflen);
	put(&a, SEQ, p.b, p.n);
	put(d, SEQ, a.b, a.n);
}

/* The whole EncryptedPrivateKeyInfo of s into d. */
static void
build(struct der *d, const struct spec *s)
{
	struct der	params = { .n = 0 }, enc = { .n = 0 }, alg = { .n = 0 },
			top = { .n = 0 };

	put_kdf(&params, s);
	put(&enc, MBEDTLS_ASN1_OID, s->enc, s->enclen);
	put(&enc, MBEDTLS_ASN1_OCTET_STRING, iv, s->ivlen);
	put(&params, SEQ, enc.b, enc.n);
	put(&alg, MBEDTLS_ASN1_OID, OID(MBEDTLS_OID_PKCS5_PBES2));
	put(&alg, SEQ, params.b, params.n);
	put(&top, SEQ, alg.b, alg.n);
	put(&top, MBEDTLS_ASN1_OCTET_STRING, s->data, s->datalen);
	d->n = 0;
	put(d, SEQ, top.b, top.n);
}

/* A spec OpenSSL could have written: AES-256-CBC, HMAC-SHA256. */
static struct spec
good_spec(void)
{
	static const uint8_t	data[32];
	struct spec		s;

	memset(&s, 0, sizeof s);
	s.kdf = (const uint8_t *)MBEDTLS_OID_PKCS5_PBKDF2;
	s.kdflen = MBEDTLS_OID_SIZE(MBEDTLS_OID_PKCS5_PBKDF2);
	s.iter = 2048;
	s.prf = (const uint8_t *)MBEDTLS_OID_HMAC_SHA256;
	s.prflen = MBEDTLS_OID_SIZE(MBEDTLS_OID_HMAC_SHA256);
	s.enc = (const uint8_t *)MBEDTLS_OID_AES "\x2a";
	s.enclen = MBEDTLS_OID_SIZE(MBEDTLS_OID_AES "\x2a");
	s.ivlen = 16;
	s.data = data;
	s.datalen = sizeof data;
	return s;
}

/* Parses what s builds; the result code, the scheme in k. k points into
 * the DER, which stays until the next call. */
static int
parse_spec(const struct spec *s, struct wsc_pkcs8 *k)
{
	static struct der	d;

	build(&d, s);
	return wsc_pkcs8_parse(k, d.b, d.n);
}

/* Decrypts der with pass and expects the plain key. */
static void
expect_plain(const uint8_t *der, size_t len, const char *scheme)
{
	struct wsc_pkcs8	k;
	uint8_t			out[256];
	size_t			n;

	ck_assert_int_eq(wsc_pkcs8_parse(&k, der, len), WSC_PKCS8_OK);
	ck_assert_str_eq(k.scheme, scheme);
	ck_assert_uint_le(k.datalen, sizeof out);
	ck_assert_int_eq(wsc_pkcs8_decrypt(&k, (const uint8_t *)"secret", 6,
	    out, &n), WSC_PKCS8_OK);
	ck_assert_uint_eq(n, sizeof plain);
	ck_assert_mem_eq(out, plain, n);
}

START_TEST(test_openssl)
{
	expect_plain(aes256_sha256, sizeof aes256_sha256,
	    "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)");
	expect_plain(des3_sha1, sizeof des3_sha1,
	    "PBES2 (PBKDF2-HMAC-SHA1, DES-EDE3-CBC)");
}
END_TEST

START_TEST(test_wrong_passphrase)
{
	static const char *const wrong[] = { "Secret", "secret ", "", "secre" };
	struct wsc_pkcs8	k;
	uint8_t			out[256], zero[256];
	size_t			n, i;

	memset(zero, 0, sizeof zero);
	ck_assert_int_eq(wsc_pkcs8_parse(&k, aes256_sha256,
	    sizeof aes256_sha256), WSC_PKCS8_OK);
	for (i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		n = 99;
		ck_assert_int_eq(wsc_pkcs8_decrypt(&k,
		    (const uint8_t *)wrong[i], strlen(wrong[i]), out, &n),
		    WSC_PKCS8_PASSPHRASE);
		ck_assert_uint_eq(n, 0);
		/* Nothing decrypted is left behind. */
		ck_assert_mem_eq(out, zero, k.datalen);
	}
}
END_TEST

/* Not PBES2-encrypted PKCS#8: for mbedTLS's own parser. */
START_TEST(test_other)
{
	static const uint8_t	pkcs12[] = {
		0x30, 0x10, 0x30, 0x0c, 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86,
		0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03, 0x04, 0x00 };
	struct wsc_pkcs8	k;

	ck_assert_int_eq(wsc_pkcs8_parse(&k, plain, sizeof plain),
	    WSC_PKCS8_OTHER);
	ck_assert_int_eq(wsc_pkcs8_parse(&k, sec1, sizeof sec1),
	    WSC_PKCS8_OTHER);
	ck_assert_int_eq(wsc_pkcs8_parse(&k, plain, 0), WSC_PKCS8_OTHER);
	ck_assert_int_eq(wsc_pkcs8_parse(&k, (const uint8_t *)"-----BEGIN",
	    10), WSC_PKCS8_OTHER);
	ck_assert_int_eq(wsc_pkcs8_parse(&k, pkcs12, sizeof pkcs12),
	    WSC_PKCS8_OTHER);
}
END_TEST

/* Every prefix is refused, every one-bit change is handled. */
START_TEST(test_damaged)
{
	struct wsc_pkcs8	k;
	uint8_t			buf[sizeof aes256_sha256], out[256];
	size_t			len, i, n;
	int			bit, r;

	for (len = 0; len < sizeof aes256_sha256; len++)
		ck_assert_int_ne(wsc_pkcs8_parse(&k, aes256_sha256, len),
		    WSC_PKCS8_OK);
	for (i = 0; i < sizeof buf; i++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, aes256_sha256, sizeof buf);
			buf[i] ^= (uint8_t)(1 << bit);
			r = wsc_pkcs8_parse(&k, buf, sizeof buf);
			if (r != WSC_PKCS8_OK || k.iter > 1000)
				continue;
			r = wsc_pkcs8_decrypt(&k, (const uint8_t *)"secret", 6,
			    out, &n);
			/* CBC has no integrity, but a change in the first
			 * block of the data garbles the PrivateKeyInfo's
			 * header, and one in the last block the padding. */
			if ((i >= 94 && i < 94 + 16) || i >= sizeof buf - 16)
				ck_assert_int_ne(r, WSC_PKCS8_OK);
		}
}
END_TEST

/* Encrypts in with mbedTLS as OpenSSL would; the ciphertext's length. */
static size_t
encrypt(int md, int cipher, size_t keylen, const uint8_t *in, size_t inlen,
    uint8_t *out)
{
	const mbedtls_cipher_info_t	*ci;
	mbedtls_cipher_context_t	 c;
	uint8_t				 key[32];
	size_t				 n = 0;
#if MBEDTLS_VERSION_NUMBER >= 0x03030000
	ck_assert_int_eq(mbedtls_pkcs5_pbkdf2_hmac_ext(md, (const uint8_t *)
	    "pw", 2, salt, sizeof salt, 7, (uint32_t)keylen, key), 0);
#else
	mbedtls_md_context_t		 m;

	mbedtls_md_init(&m);
	ck_assert_int_eq(mbedtls_md_setup(&m, mbedtls_md_info_from_type(md),
	    1), 0);
	ck_assert_int_eq(mbedtls_pkcs5_pbkdf2_hmac(&m, (const uint8_t *)"pw",
	    2, salt, sizeof salt, 7, (uint32_t)keylen, key), 0);
	mbedtls_md_free(&m);
#endif
	ci = mbedtls_cipher_info_from_type(cipher);
	ck_assert_ptr_nonnull(ci);
	mbedtls_cipher_init(&c);
	ck_assert_int_eq(mbedtls_cipher_setup(&c, ci), 0);
	ck_assert_int_eq(mbedtls_cipher_setkey(&c, key, (int)keylen * 8,
	    MBEDTLS_ENCRYPT), 0);
	ck_assert_int_eq(mbedtls_cipher_set_padding_mode(&c,
	    MBEDTLS_PADDING_PKCS7), 0);
	ck_assert_int_eq(mbedtls_cipher_crypt(&c, iv,
	    mbedtls_cipher_get_iv_size(&c), in, inlen, out, &n), 0);
	mbedtls_cipher_free(&c);
	return n;
}

/* Every PRF and cipher: mbedTLS encrypts, the module decrypts. */
START_TEST(test_round_trip)
{
	static const struct { const char *oid; int md; } prfs[] = {
		{ MBEDTLS_OID_HMAC_SHA1, MBEDTLS_MD_SHA1 },
		{ MBEDTLS_OID_HMAC_SHA224, MBEDTLS_MD_SHA224 },
		{ MBEDTLS_OID_HMAC_SHA256, MBEDTLS_MD_SHA256 },
		{ MBEDTLS_OID_HMAC_SHA384, MBEDTLS_MD_SHA384 },
		{ MBEDTLS_OID_HMAC_SHA512, MBEDTLS_MD_SHA512 },
	};
	static const struct { const char *oid; int cipher; size_t keylen; }
	    encs[] = {
		{ MBEDTLS_OID_AES "\x02", MBEDTLS_CIPHER_AES_128_CBC, 16 },
		{ MBEDTLS_OID_AES "\x16", MBEDTLS_CIPHER_AES_192_CBC, 24 },
		{ MBEDTLS_OID_AES "\x2a", MBEDTLS_CIPHER_AES_256_CBC, 32 },
		{ MBEDTLS_OID_DES_EDE3_CBC, MBEDTLS_CIPHER_DES_EDE3_CBC, 24 },
		{ MBEDTLS_OID_DES_CBC, MBEDTLS_CIPHER_DES_CBC, 8 },
	};
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();
	uint8_t			data[256], out[256];
	size_t			i, j, n;

	for (i = 0; i < sizeof prfs / sizeof prfs[0]; i++)
		for (j = 0; j < sizeof encs / sizeof encs[0]; j++) {
			s.prf = (const uint8_t *)prfs[i].oid;
			s.prflen = strlen(prfs[i].oid);
			s.enc = (const uint8_t *)encs[j].oid;
			s.enclen = strlen(encs[j].oid);
			s.ivlen = encs[j].cipher == MBEDTLS_CIPHER_DES_EDE3_CBC ||
			    encs[j].cipher == MBEDTLS_CIPHER_DES_CBC ? 8 : 16;
			s.iter = 7;
			s.datalen = encrypt(prfs[i].md, encs[j].cipher,
			    encs[j].keylen, plain, sizeof plain, data);
			s.data = data;
			ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
			ck_assert_int_eq(wsc_pkcs8_decrypt(&k, (const uint8_t *)
			    "pw", 2, out, &n), WSC_PKCS8_OK);
			ck_assert_mem_eq(out, plain, sizeof plain);
			ck_assert_uint_eq(n, sizeof plain);
		}
}
END_TEST

/* Right padding around something that is no PrivateKeyInfo: still a
 * wrong passphrase (what a wrong one gives 1 time in 256). */
START_TEST(test_padding_but_no_key)
{
	static const uint8_t	junk[40] = "not a key, but padded all right";
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();
	uint8_t			data[64], out[64];
	size_t			n;

	s.iter = 7;
	s.datalen = encrypt(MBEDTLS_MD_SHA256, MBEDTLS_CIPHER_AES_256_CBC, 32,
	    junk, sizeof junk, data);
	s.data = data;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	ck_assert_int_eq(wsc_pkcs8_decrypt(&k, (const uint8_t *)"pw", 2, out,
	    &n), WSC_PKCS8_PASSPHRASE);
}
END_TEST

START_TEST(test_iterations)
{
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();

	s.iter = 0;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s.iter = 1;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	ck_assert_uint_eq(k.iter, 1);
	s.iter = WSC_PKCS8_MAX_ITER;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	s.iter = WSC_PKCS8_MAX_ITER + 1;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "PBKDF2 with 10000001 iterations");
	/* Past what an int holds: refused, not wrapped around. */
	s.iter = 0x100000001UL;
	ck_assert_int_ne(parse_spec(&s, &k), WSC_PKCS8_OK);
}
END_TEST

START_TEST(test_key_length)
{
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();

	s.keylen = 32;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	ck_assert_uint_eq(k.keylen, 32);
	s.keylen = 16;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s.keylen = 33;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
}
END_TEST

START_TEST(test_prf)
{
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();

	s.prf = NULL;	/* DEFAULT hmacWithSHA1 */
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	ck_assert_str_eq(k.scheme, "PBES2 (PBKDF2-HMAC-SHA1, AES-256-CBC)");
	s = good_spec();
	s.prf_params = 1;	/* parameters absent: as good as NULL */
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	s.prf_params = 2;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s = good_spec();
	s.prf = (const uint8_t *)MBEDTLS_OID_RSA_COMPANY "\x02\x0d";
	s.prflen = MBEDTLS_OID_SIZE(MBEDTLS_OID_RSA_COMPANY "\x02\x0d");
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "HMAC-SHA512/256");
	s.prf = (const uint8_t *)MBEDTLS_OID_DIGEST_ALG_SHA256;
	s.prflen = MBEDTLS_OID_SIZE(MBEDTLS_OID_DIGEST_ALG_SHA256);
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "OID 2.16.840.1.101.3.4.2.1");
}
END_TEST

START_TEST(test_cipher)
{
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();

	s.ivlen = 15;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s.ivlen = 8;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s = good_spec();
	s.datalen = 0;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s.datalen = 17;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_MALFORMED);
	s.datalen = 16;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_OK);
	/* aes256-OFB: an AES OID, but no CBC. */
	s.enc = (const uint8_t *)MBEDTLS_OID_AES "\x2b";
	s.enclen = MBEDTLS_OID_SIZE(MBEDTLS_OID_AES "\x2b");
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "OID 2.16.840.1.101.3.4.1.43");
	s.enc = (const uint8_t *)MBEDTLS_OID_RSA_COMPANY "\x03\x02";
	s.enclen = MBEDTLS_OID_SIZE(MBEDTLS_OID_RSA_COMPANY "\x03\x02");
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "RC2-CBC");
}
END_TEST

START_TEST(test_kdf)
{
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();

	s.salt_seq = 1;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "PBKDF2 with a salt from another source");
	s = good_spec();
	s.kdf = (const uint8_t *)"\x2b\x06\x01\x04\x01\xda\x47\x04\x0b";
	s.kdflen = 9;
	ck_assert_int_eq(parse_spec(&s, &k), WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "scrypt");
}
END_TEST

/* PBES1 is named (mbedTLS does not read it either); bytes after the
 * encrypted data are refused. */
START_TEST(test_outer)
{
	static const uint8_t	pbes1[] = {
		0x30, 0x0f, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
		0xf7, 0x0d, 0x01, 0x05, 0x03, 0x04, 0x00 };
	struct wsc_pkcs8	k;
	struct spec		s = good_spec();
	struct der		d;

	ck_assert_int_eq(wsc_pkcs8_parse(&k, pbes1, sizeof pbes1),
	    WSC_PKCS8_UNSUPPORTED);
	ck_assert_str_eq(k.scheme, "PBES1 (MD5, DES-CBC)");
	build(&d, &s);
	d.b[1]++;	/* a short form length: one byte more inside */
	d.b[d.n++] = 0;
	ck_assert_int_eq(wsc_pkcs8_parse(&k, d.b, d.n), WSC_PKCS8_MALFORMED);
}
END_TEST

static Suite *
pkcs8_suite(void)
{
	Suite	*s = suite_create("pkcs8");
	TCase	*tc = tcase_create("decrypt");

	tcase_add_test(tc, test_openssl);
	tcase_add_test(tc, test_wrong_passphrase);
	tcase_add_test(tc, test_other);
	tcase_add_test(tc, test_damaged);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_padding_but_no_key);
	suite_add_tcase(s, tc);
	tc = tcase_create("structure");
	tcase_add_test(tc, test_iterations);
	tcase_add_test(tc, test_key_length);
	tcase_add_test(tc, test_prf);
	tcase_add_test(tc, test_cipher);
	tcase_add_test(tc, test_kdf);
	tcase_add_test(tc, test_outer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_tls_main(pkcs8_suite());
}
