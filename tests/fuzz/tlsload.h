/* For the fuzz targets of code that calls mbedTLS through the loader
 * (src/tlslib.h): the libraries are loaded once, before the first input,
 * as wsc does before its first TLS connection. */
#ifndef WSC_FUZZ_TLSLOAD_H
#define WSC_FUZZ_TLSLOAD_H

#include <stdio.h>
#include <stdlib.h>

#include "tlslib.h"

/* Loads the TLS libraries the first time; aborts when they cannot be. */
static inline void
fuzz_tls_load(void)
{
	static int	loaded;
	char		why[256];

	if (!loaded && wsc_tlslib_load(why, sizeof why) != 0) {
		fprintf(stderr, "%s\n", why);
		abort();
	}
	loaded = 1;
}

#endif
