/* zlib, loaded when permessage-deflate is agreed on (lazy.h): deflate.c is
 * plain zlib code, and these are the names it uses. Most servers a short
 * run meets agree on none, and then zlib is never mapped. A build without
 * lazy loading (configure --disable-lazy-load) links zlib: then the names
 * are zlib's own and there is nothing to load. */
#ifndef WSC_ZLIBLOAD_H
#define WSC_ZLIBLOAD_H

#include <stddef.h>

#include <zlib.h>

#include "lazy.h"

/* Loads zlib once; 0, or -1 with why in err. */
int	wsc_zlib_load(char *err, size_t errlen);

#ifdef WSC_LAZY_LOAD
#define WSC_ZLIB_SYMBOLS(X) \
	X(deflate) \
	X(deflateEnd) \
	X(deflateInit2_) \
	X(deflateReset) \
	X(inflate) \
	X(inflateEnd) \
	X(inflateGetDictionary) \
	X(inflateInit2_) \
	X(inflateReset) \
	X(inflateSetDictionary)

struct wsc_zlib {
	WSC_ZLIB_SYMBOLS(WSC_LAZY_ENTRY)
};

extern struct wsc_zlib	wsc_zlib;

#ifndef WSC_ZLIBLOAD_IMPL
#define deflate			(*wsc_zlib.deflate)
#define deflateEnd		(*wsc_zlib.deflateEnd)
#define deflateInit2_		(*wsc_zlib.deflateInit2_)
#define deflateReset		(*wsc_zlib.deflateReset)
#define inflate			(*wsc_zlib.inflate)
#define inflateEnd		(*wsc_zlib.inflateEnd)
#define inflateGetDictionary	(*wsc_zlib.inflateGetDictionary)
#define inflateInit2_		(*wsc_zlib.inflateInit2_)
#define inflateReset		(*wsc_zlib.inflateReset)
#define inflateSetDictionary	(*wsc_zlib.inflateSetDictionary)
#endif
#endif /* WSC_LAZY_LOAD */

#endif
