/* Proxies: choosing one like curl does (--proxy, https_proxy, http_proxy,
 * all_proxy, no_proxy / --noproxy), parsing its URL, and opening a tunnel
 * through an HTTP proxy with CONNECT (RFC 9110 section 9.3.6); SOCKS5 is
 * in socks.h. */
#ifndef WSC_PROXY_H
#define WSC_PROXY_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "url.h"

/* Shows a request or response head for -v, line by line. */
typedef void	 wsc_proxy_trace_fn(void *ctx, const char *prefix,
		    const char *head, size_t len);

/* The proxy URL for a connection to host (secure: wss), or NULL for a
 * direct one: opt_proxy (--proxy) when given, else $https_proxy (wss) or
 * $http_proxy (ws), else $all_proxy / $ALL_PROXY; none when the value is
 * empty or host is in the no-proxy list (opt_noproxy, else $no_proxy /
 * $NO_PROXY). Like curl, the upper-case HTTP_PROXY is not read. */
const char	*wsc_proxy_for(const char *opt_proxy, const char *opt_noproxy,
		    const char *host, int secure);
/* Is host covered by the comma-separated no-proxy list? "*" covers all;
 * an entry matches itself and its subdomains (a leading dot is
 * ignored); case-insensitive; IPv6 literals without brackets. */
int		 wsc_proxy_bypass(const char *list, const char *host);
/* The kinds of proxy, by the scheme of the proxy URL (as in curl). */
enum wsc_proxy_kind {
	WSC_PROXY_HTTP,		/* http://, or no scheme: CONNECT */
	WSC_PROXY_HTTPS,	/* https://: CONNECT over TLS to the proxy */
	WSC_PROXY_SOCKS5,	/* socks5://: names resolved by wsc */
	WSC_PROXY_SOCKS5H	/* socks5h://: names resolved by the proxy */
};

/* Parses "[scheme://][user:pass@]host[:port]" with scheme http, https,
 * socks5 or socks5h (port 1080 by default, 443 for https, as in curl)
 * into u and kind. Returns 0,
 * or -1 with err set (e.g. a scheme wsc does not speak). */
int		 wsc_proxy_parse(const char *s, struct wsc_url *u,
		    enum wsc_proxy_kind *kind, char *err, size_t errlen);
/* Says in err why talking to the proxy failed, from errno (a deadline
 * that passed, a proxy that hung up, or what failed: "could not send to
 * the proxy: ..."). */
void		 wsc_proxy_io_error(char *err, size_t errlen, const char *what);
/* A copy of proxy URL s fit for an error line: the password of a
 * user:password@ shown as *** (as curl does). The caller frees it. */
char		*wsc_proxy_redact(const char *s);
/* On c, connected to the proxy (TLS to it already on c for https://),
 * asks for a tunnel to host:port (with Proxy-Authorization: Basic when
 * the proxy URL has credentials) and reads the answer without taking a
 * byte past it. Returns 0 once the tunnel is open, or -1 with a reason in
 * err ("the proxy answered 407 Proxy Authentication Required"). trace
 * (called with trace_ctx) may be NULL. */
int		 wsc_proxy_tunnel(struct wsc_conn *c, const struct wsc_url *proxy,
		    const char *host, int host_is_ipv6, unsigned port,
		    int64_t deadline, wsc_proxy_trace_fn *trace,
		    void *trace_ctx, char *err, size_t errlen);

#endif
