/* fuzz-sources: src/pin.c src/keyfile.c src/pkcs8.c src/rng.c src/tlslib.c src/lazy.c */
/* Fuzzes the --pinnedpubkey hash list: the input, split at its first
 * newline, is the list after "sha256//" and the key. The answer must be
 * one of the three, and keep the rules: the key's own pin matches, and
 * adding it to a list that is not malformed makes that list match. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "tlsload.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		 seen[WSC_PIN_SEEN_LEN], seen2[WSC_PIN_SEEN_LEN];
	char		 err[256], *pin, *more, *nl;
	const uint8_t	*key = (const uint8_t *)"";
	size_t		 keylen = 0, n;
	int		 r;

	fuzz_tls_load();
	/* "sha256//" first: the input never names a file. */
	if ((pin = malloc(size + 9)) == NULL)
		return (0);
	memcpy(pin, "sha256//", 8);
	memcpy(pin + 8, data, size);
	pin[size + 8] = '\0';
	if ((nl = memchr(pin + 8, '\n', size)) != NULL) {
		*nl = '\0';
		key = (const uint8_t *)nl + 1;
		keylen = size - (size_t)(nl + 1 - (pin + 8));
	}
	r = wsc_pin_check(pin, key, keylen, seen, err, sizeof err);
	if (r != WSC_PIN_MATCH && r != WSC_PIN_MISMATCH && r != WSC_PIN_BAD)
		abort();
	if (wsc_pin_check(seen, key, keylen, seen2, err, sizeof err) !=
	    WSC_PIN_MATCH || strcmp(seen, seen2) != 0)
		abort();
	n = strlen(pin) + 1 + sizeof seen;
	if (r != WSC_PIN_BAD && (more = malloc(n)) != NULL) {
		snprintf(more, n, "%s;%s", pin, seen);
		if (wsc_pin_check(more, key, keylen, seen2, err, sizeof err) !=
		    WSC_PIN_MATCH)
			abort();
		free(more);
	}
	free(pin);
	return (0);
}
