/* dlopen() and dlsym() for the libraries of lazy.h. */
#include "config.h"

#include "lazy.h"

#ifdef WSC_LAZY_LOAD
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int
wsc_lazy_load(void **handle, const char *soname,
    const struct wsc_lazy_sym *syms, size_t n, void *table, char *err,
    size_t errlen)
{
	void	*h, *p;
	size_t	 i;

	if (*handle != NULL)
		return 0;
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((p = dlsym(h, syms[i].name)) == NULL) {
			snprintf(err, errlen, "%s has no %s", soname,
			    syms[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX lets a dlsym() result become a function pointer;
		 * memcpy does it without a cast that C frowns on. */
		memcpy((char *)table + syms[i].off, &p, sizeof p);
	}
	*handle = h;
	return 0;
}
#else
int
wsc_lazy_linked(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}
#endif
