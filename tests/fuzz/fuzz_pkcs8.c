/* fuzz-sources: src/pkcs8.c src/tlslib.c src/lazy.c */
/* Fuzzes the encrypted PKCS#8 decoder: any bytes are parsed; what parses
 * points inside the input and, when its iteration count is small enough
 * to keep the fuzzer fast, is decrypted with a fixed passphrase. A
 * decryption that succeeds must yield no more than the encrypted data. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs8.h"
#include "tlsload.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Does [p, p + n) lie inside [base, base + len)? */
static int
inside(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
	return p >= base && p <= base + len && n <= (size_t)(base + len - p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_pkcs8	 k;
	uint8_t			*copy, *out;
	size_t			 n;
	int			 r;

	fuzz_tls_load();
	/* A copy of its own, so ASan sees any read past the end. */
	if ((copy = malloc(size + 1)) == NULL)
		return (0);
	memcpy(copy, data, size);
	r = wsc_pkcs8_parse(&k, copy, size);
	if (r == WSC_PKCS8_UNSUPPORTED && k.scheme[0] == '\0')
		abort();
	if (r == WSC_PKCS8_OK && (!inside(k.data, k.datalen, copy, size) ||
	    !inside(k.salt, k.saltlen, copy, size) ||
	    !inside(k.iv, k.ivlen, copy, size) || k.iter == 0 ||
	    k.keylen > 32))
		abort();
	if (r == WSC_PKCS8_OK && k.iter <= 64 &&
	    (out = malloc(k.datalen)) != NULL) {
		r = wsc_pkcs8_decrypt(&k, (const uint8_t *)"secret", 6, out, &n);
		if ((r == WSC_PKCS8_OK && (n == 0 || n > k.datalen)) ||
		    (r != WSC_PKCS8_OK && n != 0))
			abort();
		free(out);
	}
	free(copy);
	return (0);
}
