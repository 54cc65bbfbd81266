/* For the unit tests of code that calls mbedTLS through the loader
 * (src/tlslib.h): the libraries are loaded first, as wsc does before its
 * first TLS connection. Check forks each test after this, so every test
 * finds them loaded. */
#ifndef WSC_TEST_TLSLOAD_H
#define WSC_TEST_TLSLOAD_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

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

/* The main() of these tests: loads the TLS libraries, runs suite s and
 * returns the exit status (failure when a test failed or loading did). */
static inline int
test_tls_main(Suite *s)
{
	SRunner	*sr;
	int	 failed;

	if (test_tls_load() != 0)
		return EXIT_FAILURE;
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
