/* Public key pinning (RFC 7469 section 2.4 defines the SHA-256 of the
 * SubjectPublicKeyInfo as the pin; curl's --pinnedpubkey is the syntax). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/version.h>
#include <mbedtls/base64.h>
#include <mbedtls/sha256.h>

#include "keyfile.h"
#include "pin.h"
#include "tlslib.h"

#define PREFIX		"sha256//"
#define PREFIX_LEN	(sizeof PREFIX - 1)
/* A public key file is small; anything larger is not one. */
#define PIN_FILE_MAX	(64 * 1024)

/* The key's pin, "sha256//BASE64", into seen. */
static void
pin_of(const uint8_t *spki, size_t len, char seen[WSC_PIN_SEEN_LEN])
{
	uint8_t	hash[32];
	size_t	n = 0;

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	mbedtls_sha256(spki, len, hash, 0);
#else
	mbedtls_sha256_ret(spki, len, hash, 0);
#endif
	memcpy(seen, PREFIX, PREFIX_LEN);
	/* mbedtls_base64_encode wants room for the NUL too. */
	if (mbedtls_base64_encode((unsigned char *)seen + PREFIX_LEN,
	    WSC_PIN_SEEN_LEN - PREFIX_LEN, &n, hash, sizeof hash) != 0)
		n = 0;
	seen[PREFIX_LEN + n] = '\0';
}

/* "sha256//A;sha256//B": is seen one of them? */
static int
check_hashes(const char *pin, const char *seen, char *err, size_t errlen)
{
	const char	*p = pin, *end;
	size_t		 n, seenlen = strlen(seen);
	int		 found = 0;

	for (;;) {
		end = strchr(p, ';');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n < PREFIX_LEN || memcmp(p, PREFIX, PREFIX_LEN) != 0) {
			snprintf(err, errlen, "bad --pinnedpubkey entry '%.*s' "
			    "(expected sha256//BASE64)", (int)n, p);
			return WSC_PIN_BAD;
		}
		if (n == seenlen && memcmp(p, seen, n) == 0)
			found = 1;
		if (end == NULL)
			return found ? WSC_PIN_MATCH : WSC_PIN_MISMATCH;
		p = end + 1;
	}
}

/* The key in a PEM ("PUBLIC KEY") or DER file: the same bytes? */
static int
check_file(const char *path, const uint8_t *spki, size_t len, char *err,
    size_t errlen)
{
	mbedtls_pem_context	 pem;
	const uint8_t		*der;
	uint8_t			*buf;
	size_t			 n, dlen;
	int			 r = WSC_PIN_BAD;

	if (wsc_keyfile_read(path, PIN_FILE_MAX, &buf, &n) != 0) {
		snprintf(err, errlen, "cannot read --pinnedpubkey %s: %s", path,
		    errno == EFBIG ? "not a public key file" : strerror(errno));
		return WSC_PIN_BAD;
	}
	mbedtls_pem_init(&pem);
	der = buf;
	dlen = n;
	if (n == 0)
		snprintf(err, errlen, "cannot read --pinnedpubkey %s: "
		    "not a public key file", path);
	else if (strstr((char *)buf, "-----BEGIN") != NULL &&
	    wsc_keyfile_pem(&pem, "PUBLIC KEY", buf, &der, &dlen) != 0)
		snprintf(err, errlen, "cannot read --pinnedpubkey %s: "
		    "no PEM PUBLIC KEY in it", path);
	else
		r = dlen == len && memcmp(der, spki, len) == 0 ?
		    WSC_PIN_MATCH : WSC_PIN_MISMATCH;
	mbedtls_pem_free(&pem);
	free(buf);
	return r;
}

int
wsc_pin_check(const char *pin, const uint8_t *spki, size_t len,
    char seen[WSC_PIN_SEEN_LEN], char *err, size_t errlen)
{
	pin_of(spki, len, seen);
	if (strncmp(pin, PREFIX, PREFIX_LEN) == 0)
		return check_hashes(pin, seen, err, errlen);
	return check_file(pin, spki, len, err, errlen);
}
