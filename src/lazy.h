/* Libraries loaded when a run first needs them, with dlopen(): readline
 * for the prompt (rl.h), mbedTLS for wss:// (tlslib.h) and zlib for
 * permessage-deflate (zlibload.h). A piped ws:// run maps none of them,
 * which keeps its start-up time and peak RSS down: loading mbedTLS's
 * crypto library alone was 420,000 instructions, most of a short run.
 *
 * The module that uses such a library is written as plain code against its
 * headers. Its lazy header lists the names it uses (an X-macro), declares
 * a table with one pointer per name, typed as the library's header declares
 * the name, and defines each name as the table's entry. The program is not
 * linked with the library, so a name left off the list fails the link.
 * configure --disable-lazy-load (chosen by itself where it cannot read the
 * libraries' file names) links them instead: the headers then leave the
 * names alone and the load functions do nothing. */
#ifndef WSC_LAZY_H
#define WSC_LAZY_H

#include <stddef.h>

/* One name to look up, and where its address goes in the table. */
struct wsc_lazy_sym {
	const char	*name;
	size_t		 off;
};

/* The table's member for a function or variable: a pointer to it. */
#define WSC_LAZY_ENTRY(name)		__typeof__(name) *name;
/* The lookup for that member of table type T. */
#define WSC_LAZY_SYM(T, name)		{ #name, offsetof(T, name) },

/* Opens soname once (*handle remembers it) and fills table with the
 * address of each of the n names. 0, or -1 with why in err. */
int	wsc_lazy_load(void **handle, const char *soname,
	    const struct wsc_lazy_sym *syms, size_t n, void *table,
	    char *err, size_t errlen);
/* What loading is in a build that links the libraries instead (configure
 * --disable-lazy-load): nothing, done. Returns 0. */
int	wsc_lazy_linked(char *err, size_t errlen);

#endif
