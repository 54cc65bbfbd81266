/* HTTP proxies: choosing one like curl does (--proxy, https_proxy,
 * http_proxy, all_proxy, no_proxy / --noproxy) and opening a tunnel
 * through it with CONNECT (RFC 9110 section 9.3.6). */
#ifndef WSC_PROXY_H
#define WSC_PROXY_H

#include <stddef.h>
#include <stdint.h>

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
/* Parses "[http://][user:pass@]host[:port]" (port 1080 by default, as in
 * curl). Returns 0, or -1 with err set (e.g. an https:// or socks proxy,
 * which wsc does not speak). */
int		 wsc_proxy_parse(const char *s, struct wsc_url *u, char *err,
		    size_t errlen);
/* A copy of proxy URL s fit for an error line: the password of a
 * user:password@ shown as *** (as curl does). The caller frees it. */
char		*wsc_proxy_redact(const char *s);
/* On fd, connected to the proxy, asks for a tunnel to host:port (with
 * Proxy-Authorization: Basic when the proxy URL has credentials) and
 * reads the answer without consuming a byte past it. Returns 0 once the
 * tunnel is open, or -1 with a reason in err ("the proxy answered 407
 * Proxy Authentication Required"). trace (called with trace_ctx) may be
 * NULL. */
int		 wsc_proxy_tunnel(int fd, const struct wsc_url *proxy,
		    const char *host, int host_is_ipv6, unsigned port,
		    int64_t deadline, wsc_proxy_trace_fn *trace,
		    void *trace_ctx, char *err, size_t errlen);

#endif
