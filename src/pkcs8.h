/* Encrypted PKCS#8 private keys with PBES2 (RFC 5958 section 3, RFC 8018
 * section 6.2): the structure read with mbedTLS's ASN.1 parser, the key
 * derived with its PBKDF2 and the data decrypted with its CBC ciphers, so
 * that an mbedTLS without PBES2-AES (2.28) reads what OpenSSL writes by
 * default. Pure functions on buffers: no I/O, no allocation. */
#ifndef WSC_PKCS8_H
#define WSC_PKCS8_H

#include <stddef.h>
#include <stdint.h>

#define WSC_PKCS8_OK		0
#define WSC_PKCS8_OTHER		(-1)	/* not PBES2-encrypted PKCS#8 */
#define WSC_PKCS8_MALFORMED	(-2)
#define WSC_PKCS8_UNSUPPORTED	(-3)	/* scheme names what is not */
#define WSC_PKCS8_PASSPHRASE	(-4)	/* wrong passphrase */
#define WSC_PKCS8_LIB		(-5)	/* mbedTLS failed (out of memory) */

/* Kept well above what OpenSSL writes (2,048; 3.x up to 600,000) yet
 * bounded: the count is the attacker's choice in a hostile file. */
#ifndef WSC_PKCS8_MAX_ITER
#define WSC_PKCS8_MAX_ITER	10000000UL
#endif

/* An EncryptedPrivateKeyInfo, parsed. The pointers point into the DER. */
struct wsc_pkcs8 {
	const uint8_t	*salt;
	size_t		 saltlen;
	const uint8_t	*iv;
	size_t		 ivlen;
	const uint8_t	*data;		/* the encrypted PrivateKeyInfo */
	size_t		 datalen;
	unsigned long	 iter;
	int		 md;		/* mbedtls_md_type_t of the PRF */
	int		 cipher;	/* mbedtls_cipher_type_t */
	size_t		 keylen;	/* bytes */
	/* "PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)", or after UNSUPPORTED
	 * the part that is not (e.g. "scrypt", "OID 1.2.3.4"). */
	char		 scheme[64];
};

/* Parses der (len bytes) as an EncryptedPrivateKeyInfo with PBES2 and
 * PBKDF2 into k. WSC_PKCS8_OTHER when it is anything else that mbedTLS
 * may read (a plain key, PKCS#12 PBE); UNSUPPORTED with k->scheme set
 * for a scheme neither reads. */
int	wsc_pkcs8_parse(struct wsc_pkcs8 *k, const uint8_t *der, size_t len);
/* Decrypts a parsed key with pass (passlen bytes) into out, which must
 * hold k->datalen bytes; *outlen gets the PrivateKeyInfo's length. The
 * padding and the outer DER of the result are checked: PASSPHRASE when
 * they are wrong. */
int	wsc_pkcs8_decrypt(const struct wsc_pkcs8 *k, const uint8_t *pass,
	    size_t passlen, uint8_t *out, size_t *outlen);

#endif
