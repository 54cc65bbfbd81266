/* For the unit tests of code that calls mbedTLS through the loader
 * (src/tlslib.h): the libraries are loaded first, as wsc does before its
 * first TLS connection. Check forks each test after this, so every test
 * finds them loaded. */
#ifndef WSC_TEST_TLSLOAD_H
#define WSC_TEST_TLSLOAD_H

#include <stdio.h>

#include "tlslib.h"

/* Loads the TLS libraries; 0, or -1 after saying why on stderr. */
static inline int
test_tls_load(void)
{
	char	why[256];

	if (wsc_tlslib_load(why, sizeof why) == 0)
		return 0;
	fprintf(stderr, "%s\n", why);
	return -1;
}

#endif
