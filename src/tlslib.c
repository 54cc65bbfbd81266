/* Loads mbedTLS's libraries (tlslib.h, lazy.h). */
#include "config.h"

#define WSC_TLSLIB_IMPL
#include "tlslib.h"

#ifdef WSC_LAZY_LOAD
#define TLSLIB_SYM(name)	WSC_LAZY_SYM(struct wsc_tlslib, name)

struct wsc_tlslib	wsc_tlslib;

/* Crypto, then X.509: each found by the program's own search path (an
 * rpath too), it is then there for the libraries that need it. */
int
wsc_tlslib_load(char *err, size_t errlen)
{
	static const struct wsc_lazy_sym crypto[] = {
		WSC_TLSLIB_CRYPTO(TLSLIB_SYM)
	};
	static const struct wsc_lazy_sym x509[] = {
		WSC_TLSLIB_X509(TLSLIB_SYM)
	};
	static const struct wsc_lazy_sym ssl[] = {
		WSC_TLSLIB_SSL(TLSLIB_SYM)
	};
	static void	*crypto_handle, *x509_handle, *ssl_handle;

	if (wsc_lazy_load(&crypto_handle, WSC_MBEDCRYPTO_SONAME, crypto,
	    sizeof crypto / sizeof crypto[0], &wsc_tlslib, err, errlen) != 0)
		return -1;
	if (wsc_lazy_load(&x509_handle, WSC_MBEDX509_SONAME, x509,
	    sizeof x509 / sizeof x509[0], &wsc_tlslib, err, errlen) != 0)
		return -1;
	return wsc_lazy_load(&ssl_handle, WSC_MBEDTLS_SONAME, ssl,
	    sizeof ssl / sizeof ssl[0], &wsc_tlslib, err, errlen);
}
#else
/* Linked with the program: there is nothing to load. */
int
wsc_tlslib_load(char *err, size_t errlen)
{
	return wsc_lazy_linked(err, errlen);
}
#endif
