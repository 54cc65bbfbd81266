/* Proxies: which one (curl's rules), the proxy URL, the CONNECT tunnel. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>


#include "compat.h"
#include "base64.h"
#include "handshake.h"
#include "net.h"
#include "proxy.h"
#include "util.h"

#define PROXY_DEFAULT_PORT	1080	/* curl's */
#define PROXY_MAX_HEAD		8192

/* The value of the first of two variables that is set (maybe empty). */
static const char *
env_first(const char *a, const char *b)
{
	const char	*v = getenv(a);

	if (v == NULL && b != NULL)
		v = getenv(b);
	return v;
}

/* Is host, an IP address, inside the range e ("ADDR/BITS", len bytes), as
 * curl reads a CIDR entry of NO_PROXY? */
static int
cidr_matches(const char *e, size_t len, const char *host)
{
	unsigned char	net[16], ip[16];
	char		addr[INET6_ADDRSTRLEN + 2], *slash, *end;
	unsigned long	bits;
	int		fam;
	size_t		full;

	if (len >= sizeof addr)
		return 0;
	memcpy(addr, e, len);
	addr[len] = '\0';
	/* Not a range without its slash: checked here, not left to the
	 * caller, so no other caller can make this write through NULL. */
	if ((slash = strchr(addr, '/')) == NULL)
		return 0;
	*slash = '\0';
	bits = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end != '\0' ||
	    (fam = wsc_net_parse_ip(addr, net)) == 0 ||
	    wsc_net_parse_ip(host, ip) != fam ||
	    bits > (fam == AF_INET ? 32U : 128U))
		return 0;
	full = bits / 8;
	if (memcmp(net, ip, full) != 0)
		return 0;
	return bits % 8 == 0 ||
	    ((net[full] ^ ip[full]) & (0xff00 >> (bits % 8))) == 0;
}

/* Does one no-proxy entry (len bytes) cover host? */
static int
entry_matches(const char *e, size_t len, const char *host)
{
	size_t	hlen = strlen(host);

	if (memchr(e, '/', len) != NULL)
		return cidr_matches(e, len, host);

	while (len > 0 && *e == '.') {
		e++;
		len--;
	}
	if (len >= 2 && e[0] == '[' && e[len - 1] == ']') {
		e++;
		len -= 2;
	}
	if (len == 0 || len > hlen)
		return 0;
	if (!wsc_strncaseeq(host + hlen - len, e, len))
		return 0;
	return hlen == len || host[hlen - len - 1] == '.';
}

int
wsc_proxy_bypass(const char *list, const char *host)
{
	const char	*p = list, *end;
	size_t		 n;

	if (list == NULL || host == NULL)
		return 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = p + strcspn(p, ", \t");
		n = (size_t)(end - p);
		if (n == 1 && *p == '*')
			return 1;
		if (n > 0 && entry_matches(p, n, host))
			return 1;
		p = end;
	}
	return 0;
}

const char *
wsc_proxy_for(const char *opt_proxy, const char *opt_noproxy,
    const char *host, int secure)
{
	const char	*proxy = opt_proxy, *noproxy = opt_noproxy;

	if (proxy == NULL)
		proxy = secure ? env_first("https_proxy", "HTTPS_PROXY") :
		    env_first("http_proxy", NULL);
	if (proxy == NULL)
		proxy = env_first("all_proxy", "ALL_PROXY");
	if (proxy == NULL || *proxy == '\0')
		return NULL;
	if (noproxy == NULL)
		noproxy = env_first("no_proxy", "NO_PROXY");
	return wsc_proxy_bypass(noproxy, host) ? NULL : proxy;
}

/* The kind of proxy a scheme (len bytes) names, or -1. */
static int
proxy_kind(const char *scheme, size_t len)
{
	static const struct {
		const char		*name;
		enum wsc_proxy_kind	 kind;
	} schemes[] = {
		{ "http", WSC_PROXY_HTTP },
		{ "https", WSC_PROXY_HTTPS },
		{ "socks5", WSC_PROXY_SOCKS5 },
		{ "socks5h", WSC_PROXY_SOCKS5H },
	};
	size_t	i;

	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strlen(schemes[i].name) == len &&
		    wsc_strncaseeq(scheme, schemes[i].name, len))
			return (int)schemes[i].kind;
	return -1;
}

char *
wsc_proxy_redact(const char *s)
{
	const char	*auth = strstr(s, "://"), *end, *at = NULL, *colon, *q;

	auth = auth != NULL ? auth + 3 : s;
	end = auth + strcspn(auth, "/?#");
	/* The last '@' ends the userinfo: a password may hold one. */
	for (q = auth; q < end; q++)
		if (*q == '@')
			at = q;
	if (at == NULL || (colon = memchr(auth, ':', (size_t)(at - auth))) ==
	    NULL)
		return wsc_xstrdup(s);
	return wsc_xasprintf("%.*s***%s", (int)(colon + 1 - s), s, at);
}

int
wsc_proxy_parse(const char *s, struct wsc_url *u, enum wsc_proxy_kind *kind,
    char *err, size_t errlen)
{
	const char	*sep = strstr(s, "://");
	char		*full, why[160];
	int		 r, k = WSC_PROXY_HTTP;

	memset(u, 0, sizeof *u);
	if (sep != NULL && (k = proxy_kind(s, (size_t)(sep - s))) < 0) {
		snprintf(err, errlen, "unsupported proxy scheme '%.*s' (http://, "
		    "https://, socks5:// and socks5h:// proxies)",
		    (int)(sep - s), s);
		return -1;
	}
	/* The URL parser knows web schemes only: the rest is alike. */
	full = wsc_xasprintf("http://%s", sep != NULL ? sep + 3 : s);
	r = wsc_url_parse(u, full, why, sizeof why);
	free(full);
	if (r != 0) {
		full = wsc_proxy_redact(s);
		snprintf(err, errlen, "bad proxy URL '%s': %s", full, why);
		free(full);
		return -1;
	}
	if (!u->port_explicit)
		u->port = k == WSC_PROXY_HTTPS ? 443 : PROXY_DEFAULT_PORT;
	*kind = (enum wsc_proxy_kind)k;
	return 0;
}

void
wsc_proxy_io_error(char *err, size_t errlen, const char *what)
{
	if (errno == ETIMEDOUT)
		snprintf(err, errlen, "no answer from the proxy");
	else if (errno == ECONNRESET)
		snprintf(err, errlen, "the proxy closed the connection");
	else
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
}

/* The CONNECT request (RFC 9110 section 9.3.6); caller frees. */
static char *
connect_request(const struct wsc_url *proxy, const char *host, int v6,
    unsigned port)
{
	char	*auth = NULL, *cred, *req, *line = NULL;
	size_t	 n;

	if (proxy->user != NULL) {
		cred = wsc_xasprintf("%s:%s", proxy->user,
		    proxy->password != NULL ? proxy->password : "");
		n = strlen(cred);
		auth = wsc_xmalloc(WSC_BASE64_LEN(n) + 1);
		auth[wsc_base64_encode(auth, (uint8_t *)cred, n)] = '\0';
		line = wsc_xasprintf("Proxy-Authorization: Basic %s\r\n", auth);
		free(cred);
		free(auth);
	}
	req = wsc_xasprintf("CONNECT %s%s%s:%u HTTP/1.1\r\n"
	    "Host: %s%s%s:%u\r\n%sUser-Agent: wsc/%s\r\n\r\n",
	    v6 ? "[" : "", host, v6 ? "]" : "", port,
	    v6 ? "[" : "", host, v6 ? "]" : "", port,
	    line != NULL ? line : "", PACKAGE_VERSION);
	free(line);
	return req;
}

/* Waits until c can go on: bytes held inside it (TLS), or its socket
 * ready for events or what the transport needs. */
static int
conn_wait(struct wsc_conn *c, short events, int64_t deadline)
{
	if (wsc_conn_pending(c) > 0)
		return 1;
	return wsc_net_wait(c->fd, events | wsc_conn_want(c), deadline);
}

/* Sends the request through c before the deadline. After WANT_WRITE a
 * TLS write is repeated with the same bytes, as it must be. */
static int
send_request(struct wsc_conn *c, const char *s, int64_t deadline,
    char *err, size_t errlen)
{
	size_t	n = strlen(s);
	ssize_t	r;

	while (n > 0) {
		r = wsc_conn_write(c, s, n);
		if (r > 0) {
			s += r;
			n -= (size_t)r;
		} else if (r != WSC_CONN_AGAIN) {
			snprintf(err, errlen, "could not send to the proxy: %s",
			    c->err);
			return -1;
		} else if (conn_wait(c, POLLOUT, deadline) <= 0) {
			snprintf(err, errlen, "no answer from the proxy");
			return -1;
		}
	}
	return 0;
}

/* Reads the proxy's answer head into buf, a byte at a time: what follows
 * the head belongs to the tunnel, and over TLS there is no peeking.
 * Returns the head length. */
static int
read_answer(struct wsc_conn *c, char *buf, size_t cap, int64_t deadline,
    struct wsc_http_msg *m, char *err, size_t errlen)
{
	size_t	got = 0;
	ssize_t	r;
	int	hl;

	for (;;) {
		r = wsc_conn_read(c, buf + got, 1);
		if (r == WSC_CONN_AGAIN) {
			if (conn_wait(c, POLLIN, deadline) > 0)
				continue;
			snprintf(err, errlen, "no answer from the proxy");
			return -1;
		}
		if (r <= 0) {
			snprintf(err, errlen, "%s", r == 0 ?
			    "the proxy closed the connection" : c->err);
			return -1;
		}
		if (buf[got++] != '\n' && got < cap)
			continue;
		if ((hl = wsc_http_parse(buf, got, 0, m)) > 0)
			return hl;
		if (hl < 0 || got == cap) {
			snprintf(err, errlen, "the proxy's answer is not HTTP");
			return -1;
		}
	}
}

int
wsc_proxy_tunnel(struct wsc_conn *c, const struct wsc_url *proxy,
    const char *host,
    int host_is_ipv6, unsigned port, int64_t deadline,
    wsc_proxy_trace_fn *trace, void *trace_ctx, char *err, size_t errlen)
{
	struct wsc_http_msg	 m;
	char			*req, buf[PROXY_MAX_HEAD];
	int			 hl, r = -1;

	memset(&m, 0, sizeof m);
	req = connect_request(proxy, host, host_is_ipv6, port);
	if (trace != NULL)
		trace(trace_ctx, "> ", req, strlen(req));
	if (send_request(c, req, deadline, err, errlen) == 0 &&
	    (hl = read_answer(c, buf, sizeof buf, deadline, &m, err,
	    errlen)) > 0) {
		if (trace != NULL)
			trace(trace_ctx, "< ", buf, (size_t)hl);
		if (m.status >= 200 && m.status < 300)
			r = 0;
		else
			snprintf(err, errlen, "the proxy answered %d %s",
			    m.status, m.reason != NULL ? m.reason : "");
	}
	wsc_http_msg_free(&m);
	free(req);
	return r;
}
