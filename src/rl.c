/* Loads GNU readline (rl.h, lazy.h). */
#include "config.h"

#define WSC_RL_IMPL
#include "rl.h"

#ifdef WSC_LAZY_LOAD
#define RL_SYM(name)	WSC_LAZY_SYM(struct wsc_rl, name)

struct wsc_rl	wsc_rl;

int
wsc_rl_load(char *err, size_t errlen)
{
	static const struct wsc_lazy_sym syms[] = { WSC_RL_SYMBOLS(RL_SYM) };
	static void	*handle;

	return wsc_lazy_load(&handle, WSC_READLINE_SONAME, syms,
	    sizeof syms / sizeof syms[0], &wsc_rl, err, errlen);
}
#else
/* Linked with the program: there is nothing to load. */
int
wsc_rl_load(char *err, size_t errlen)
{
	return wsc_lazy_linked(err, errlen);
}
#endif
