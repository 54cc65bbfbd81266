/* fuzz-sources: src/url.c */
/* Fuzzes wsc_url_parse, wsc_url_host_header and wsc_url_resolve, and
 * checks the invariants the rest of wsc relies on. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A parsed or resolved URL must be usable as is by net.c and handshake.c. */
static void
check_url(const struct wsc_url *u)
{
	char	*h;

	if (u->host == NULL || u->host[0] == '\0' || u->path == NULL ||
	    u->path[0] != '/' || strchr(u->path, '#') != NULL ||
	    u->port < 1 || u->port > 65535 ||
	    (u->password != NULL && u->user == NULL) ||
	    (u->host_is_ipv6 && !u->host_is_ip) ||
	    (!u->port_explicit && u->port != (u->secure ? 443u : 80u)))
		abort();
	if ((h = wsc_url_host_header(u)) == NULL || h[0] == '\0')
		abort();
	free(h);
}

/* Resolves loc against base, checking the result when it succeeds. */
static void
try_resolve(const struct wsc_url *base, const char *loc)
{
	struct wsc_url	 out;
	const char	*p;
	char		 err[128] = "";

	if (wsc_url_resolve(base, loc, &out, err, sizeof err) == 0) {
		check_url(&out);
		/* Dot segments are gone from a resolved path. */
		p = strstr(out.path, "/../");
		if (p != NULL && p < out.path + strcspn(out.path, "?"))
			abort();
	} else if (err[0] == '\0' || out.host != NULL)
		abort();
	wsc_url_free(&out);
	wsc_url_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	*locs[] = { "../g?q#f", "//other:81/p", "/x",
				    "?y", "" };
	struct wsc_url		 u, base;
	char			*s, err[128];
	size_t			 i;

	if ((s = malloc(size + 1)) == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';
	if (wsc_url_parse(&base, "wss://me:pw@example.com:8443/a/b/c?x=1",
	    err, sizeof err) != 0)
		abort();
	err[0] = '\0';
	if (wsc_url_parse(&u, s, err, sizeof err) == 0) {
		check_url(&u);
		for (i = 0; i < sizeof locs / sizeof locs[0]; i++)
			try_resolve(&u, locs[i]);
	} else if (err[0] == '\0' || u.host != NULL || u.path != NULL)
		abort();
	/* The input as a redirect Location. */
	try_resolve(&base, s);
	wsc_url_free(&u);
	wsc_url_free(&base);
	free(s);
	return (0);
}
