/* WebSocket URLs: ws://, wss://, and http://, https:// as aliases.
 * Pure: no I/O, no name resolution. */
#ifndef WSC_URL_H
#define WSC_URL_H

#include <stddef.h>

struct wsc_url {
	int		 secure;	/* wss:// or https:// */
	char		*host;		/* without [] for IPv6 literals; lower-cased */
	int		 host_is_ipv6;	/* was a [bracketed] literal */
	int		 host_is_ip;	/* IPv4 or IPv6 literal: no SNI */
	unsigned	 port;		/* explicit or 80/443 */
	int		 port_explicit;
	char		*path;		/* path and query, at least "/"; no fragment */
	char		*user;		/* percent-decoded userinfo, or NULL */
	char		*password;	/* NULL when userinfo had no ':' */
};

/* Parses s into u (zeroed first). Returns 0, or -1 with a message naming
 * what is wrong in err (e.g. "unsupported scheme 'ftp'", "port out of
 * range"). u owns its strings; release with wsc_url_free. */
int	 wsc_url_parse(struct wsc_url *u, const char *s, char *err, size_t errlen);
/* Safe on a zeroed or already freed url. */
void	 wsc_url_free(struct wsc_url *u);
/* The Host header value: host, [v6], with ":port" only when the port is
 * not the scheme's default. Caller frees. */
char	*wsc_url_host_header(const struct wsc_url *u);
/* Resolves a redirect Location (absolute ws/wss/http/https URL, scheme-
 * relative "//h/p", absolute path "/p" or relative path "p") against base
 * into out. Returns 0 or -1 with err set. */
int	 wsc_url_resolve(const struct wsc_url *base, const char *location,
	    struct wsc_url *out, char *err, size_t errlen);

#endif
