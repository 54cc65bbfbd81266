/* Loads zlib (zlibload.h, lazy.h). */
#include "config.h"

#define WSC_ZLIBLOAD_IMPL
#include "zlibload.h"

#ifdef WSC_LAZY_LOAD
#define ZLIB_SYM(name)	WSC_LAZY_SYM(struct wsc_zlib, name)

struct wsc_zlib	wsc_zlib;

int
wsc_zlib_load(char *err, size_t errlen)
{
	static const struct wsc_lazy_sym syms[] = { WSC_ZLIB_SYMBOLS(ZLIB_SYM) };
	static void	*handle;

	return wsc_lazy_load(&handle, WSC_ZLIB_SONAME, syms,
	    sizeof syms / sizeof syms[0], &wsc_zlib, err, errlen);
}
#else
/* Linked with the program: there is nothing to load. */
int
wsc_zlib_load(char *err, size_t errlen)
{
	return wsc_lazy_linked(err, errlen);
}
#endif
