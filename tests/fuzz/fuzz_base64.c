/* fuzz-sources: src/base64.c */
/* Fuzzes wsc_base64_decode on any input, and checks that what it accepts
 * is canonical: encoding the bytes again gives the input back. Also checks
 * that any input, encoded, decodes to itself. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*raw = malloc(size + 1), *back;
	char	*text = malloc(WSC_BASE64_LEN(size) + 1);
	long	 n;

	if (raw == NULL || text == NULL)
		abort();
	if ((n = wsc_base64_decode(raw, size, (const char *)data, size)) >= 0) {
		if ((size_t)n > size / 4 * 3 ||
		    wsc_base64_encode(text, raw, (size_t)n) != size ||
		    memcmp(text, data, size) != 0)
			abort();
	}
	n = (long)wsc_base64_encode(text, data, size);
	back = raw;
	if (n != (long)WSC_BASE64_LEN(size) ||
	    wsc_base64_decode(back, size, text, (size_t)n) != (long)size ||
	    (size > 0 && memcmp(back, data, size) != 0))
		abort();
	free(raw);
	free(text);
	return 0;
}
