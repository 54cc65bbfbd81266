/* Opening a client connection: connect, Upgrade request, check answer. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "deflate.h"
#include "exitcode.h"
#include "handshake.h"
#include "net.h"
#include "proxy.h"
#include "refusal.h"
#include "socks.h"
#include "rng.h"
#include "tls.h"
#include "util.h"

/* How long a refusal's body may take to arrive: it is shown if it is
 * there, it is not worth waiting for. */
#define REFUSAL_BODY_WAIT_MS	300

/* handshake() found a redirect to follow (not an exit status). */
#define REDIRECT	(-1)

/* Room for the answer's head and the first bytes after it. */
#define HEAD_ROOM	(WSC_HS_MAX_HEAD + 4096)

/* Everything a connection attempt needs to remember. */
struct attempt {
	const struct wsc_options	*o;
	const struct wsc_ui		*ui;	/* where -v and status lines go */
	int64_t				 deadline;
	char				*err;
	size_t				 errlen;
	int				 other_origin;	/* redirected elsewhere */
	char				*location;	/* REDIRECT: where to */
	char				 doing[300];	/* the step, for -m */
};

/* The failure of a step, turned into "connect timeout" (or -m's timeout,
 * naming the step) when the deadline is what really stopped it. */
static int
failed(struct attempt *a, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
failed(struct attempt *a, int status, const char *fmt, ...)
{
	va_list	ap;

	if (a->o->run_deadline > 0 && wsc_now_ms() >= a->o->run_deadline) {
		snprintf(a->err, a->errlen, "--max-time of %g s ran out while "
		    "%s", (double)a->o->max_time_ms / 1000, a->doing);
		return WSC_EXIT_TIMEOUT;
	}
	if (a->deadline > 0 && wsc_now_ms() >= a->deadline) {
		snprintf(a->err, a->errlen, "connect timeout after %g s",
		    (double)a->o->connect_timeout_ms / 1000);
		return WSC_EXIT_CONNECT;
	}
	va_start(ap, fmt);
	vsnprintf(a->err, a->errlen, fmt, ap);
	va_end(ap);
	return status;
}

/* Names the step under way, which only -m's message shows: without -m
 * nothing is formatted. */
static void
doing(struct attempt *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
doing(struct attempt *a, const char *fmt, ...)
{
	va_list	ap;

	if (a->o->run_deadline <= 0)
		return;
	va_start(ap, fmt);
	vsnprintf(a->doing, sizeof a->doing, fmt, ap);
	va_end(ap);
}

/* Shows a head line by line with a direction prefix, for -v (ctx: the
 * attempt). */
static void
trace_head(void *ctx, const char *prefix, const char *head, size_t len)
{
	struct attempt	*a = ctx;
	const char	*p = head, *end = head + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p > 1 || (nl - p == 1 && *p != '\r'))
			wsc_ui_notef(a->ui, WSC_NOTE_TRACE, "%s%.*s", prefix,
			    (int)(nl - p - (nl > p && nl[-1] == '\r')), p);
		p = nl + 1;
	}
}

/* Writes all of buf before the deadline. */
static int
send_all(struct attempt *a, struct wsc_conn *conn, const char *buf, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		r = wsc_conn_write(conn, buf, n);
		if (r > 0) {
			buf += r;
			n -= (size_t)r;
		} else if (r == WSC_CONN_AGAIN) {
			if (wsc_net_wait(conn->fd, POLLOUT, a->deadline) <= 0)
				return failed(a, WSC_EXIT_HANDSHAKE,
				    "handshake failed: %s", "could not send the request");
		} else if (wsc_tls_failed(conn))
			return failed(a, WSC_EXIT_TLS, "TLS failed: %s", conn->err);
		else
			return failed(a, WSC_EXIT_HANDSHAKE,
			    "handshake failed: could not send the request: %s",
			    conn->err);
	}
	return 0;
}

/* Reads until a whole response head has arrived; returns its length in
 * *headlen with the head parsed into m, the bytes after it left in buf. */
static int
read_response(struct attempt *a, struct wsc_conn *conn, char *buf,
    size_t cap, size_t *got, struct wsc_http_msg *m, size_t *headlen)
{
	ssize_t	r;
	int	pr;

	*got = 0;
	for (;;) {
		if (wsc_conn_pending(conn) == 0 &&
		    wsc_net_wait(conn->fd, POLLIN | wsc_conn_want(conn), a->deadline) <= 0)
			return failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s",
			    "no answer from the server");
		r = wsc_conn_read(conn, buf + *got, cap - *got);
		if (r == WSC_CONN_AGAIN)
			continue;
		if (r == 0)
			return failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s",
			    "server closed the connection before answering");
		if (r < 0 && wsc_tls_failed(conn))
			return failed(a, WSC_EXIT_TLS, "TLS failed: %s", conn->err);
		if (r < 0)
			return failed(a, WSC_EXIT_HANDSHAKE,
			    "handshake failed: could not read the answer: %s",
			    conn->err);
		*got += (size_t)r;
		pr = wsc_http_parse(buf, *got, 0, m);
		if (pr > 0) {
			*headlen = (size_t)pr;
			return 0;
		}
		if (pr == WSC_HS_E_GARBAGE)
			return failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s",
			    "the server's answer is not HTTP");
		if (pr == WSC_HS_E_TOO_BIG || *got == cap)
			return failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s",
			    "response headers too large");
		if (pr < 0)
			return failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s",
			    "out of memory");
	}
}

/* -H headers for the request: after a redirect to another origin, not
 * the credentials (Authorization, Cookie), like curl. Caller frees the
 * array, not the strings. */
static const char **
request_headers(const struct attempt *a, size_t *n)
{
	const struct wsc_options	*o = a->o;
	const char			**v;
	size_t				 i;

	v = wsc_xmalloc((o->headers.n + 1) * sizeof *v);
	*n = 0;
	for (i = 0; i < o->headers.n; i++) {
		if (a->other_origin &&
		    (wsc_strncaseeq(o->headers.v[i], "Authorization:", 14) ||
		    wsc_strncaseeq(o->headers.v[i], "Cookie:", 7)))
			continue;
		v[(*n)++] = o->headers.v[i];
	}
	return v;
}

/* The request as the options and URL say. Strings point into o, u or the
 * caller's buffers. --auth goes only to the origin first asked. */
static void
make_request(const struct attempt *a, const struct wsc_url *u, char *host,
    char *auth, const char *key, const char **headers, size_t nheaders,
    struct wsc_hs_request *r)
{
	const struct wsc_options	*o = a->o;

	memset(r, 0, sizeof *r);
	r->host = o->host != NULL ? o->host : host;
	r->path = u->path;
	r->key = key;
	r->origin = o->origin;
	r->protocols = (const char *const *)o->protocols.v;
	r->nprotocols = o->protocols.n;
	r->extensions = o->no_compression ? NULL : WSC_PMD_OFFER;
	r->authorization = o->auth != NULL && !a->other_origin ? o->auth : auth;
	r->headers = headers;
	r->nheaders = nheaders;
}

/* A 3xx: with -L, remember where to go; without, say where the server
 * points (exit 5). */
static int
redirect(struct attempt *a, const struct wsc_http_msg *m)
{
	const char	*loc = wsc_http_header(m, "Location");

	if (a->o->follow && loc != NULL && *loc != '\0') {
		a->location = wsc_xstrdup(loc);
		return REDIRECT;
	}
	if (a->o->follow)
		snprintf(a->err, a->errlen, "handshake failed: server answered "
		    "%d %s without a Location to follow", m->status, m->reason);
	else
		snprintf(a->err, a->errlen, "handshake failed: server answered "
		    "%d %s (redirect to %s; use -L to follow)", m->status,
		    m->reason, loc != NULL ? loc : "nowhere");
	return WSC_EXIT_HANDSHAKE;
}

/* Is this status one that -L follows (RFC 9110 section 15.4)? */
static int
is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 ||
	    status == 307 || status == 308;
}

/* Reads more of a refusal's body after the `have` bytes at body, up to
 * its Content-Length and WSC_REFUSAL_BODY_MAX, for REFUSAL_BODY_WAIT_MS
 * at most; returns how many bytes body now holds (room for the maximum
 * is the caller's). */
static size_t
read_body(struct attempt *a, struct wsc_conn *conn, char *body, size_t have,
    const struct wsc_http_msg *m)
{
	const char	*cl = wsc_http_header(m, "Content-Length");
	size_t		 want = WSC_REFUSAL_BODY_MAX;
	int64_t		 until = wsc_now_ms() + REFUSAL_BODY_WAIT_MS;
	ssize_t		 r;

	if (cl != NULL && strtoull(cl, NULL, 10) < want)
		want = (size_t)strtoull(cl, NULL, 10);
	if (a->deadline > 0 && a->deadline < until)
		until = a->deadline;
	while (have < want) {
		if (wsc_conn_pending(conn) == 0 && wsc_net_wait(conn->fd,
		    POLLIN | wsc_conn_want(conn), until) <= 0)
			break;
		r = wsc_conn_read(conn, body + have, want - have);
		if (r == WSC_CONN_AGAIN)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
	}
	return have < want ? have : want;
}

/* A refused handshake: keeps what explains it for under the error line. */
static void
explain_refusal(struct attempt *a, struct wsc_client *c, char *buf,
    size_t got, size_t headlen, const struct wsc_http_msg *m)
{
	size_t	n = read_body(a, &c->conn, buf + headlen, got - headlen, m);

	free(c->refusal);
	c->refusal = wsc_refusal_explain(m, (const uint8_t *)buf + headlen, n);
}

/* Sends the request, reads the answer and checks it; bytes after the 101
 * stay in ws. The answer is read into ws's input buffer, whose first page
 * the frames use next anyway: a 20 KiB buffer on the stack cost a short
 * run (S1 in scripts/bench) three page faults. */
static int
exchange(struct attempt *a, struct wsc_client *c, struct wsc_ws *ws,
    const char *reqs, const struct wsc_hs_request *req)
{
	struct wsc_hs_result	 res;
	struct wsc_http_msg	 m;
	char			 why[256], *buf;
	size_t			 got = 0, headlen = 0, cap;
	int			 st;

	memset(&m, 0, sizeof m);
	if ((buf = (char *)wsc_ws_read_space(ws, HEAD_ROOM, &cap)) == NULL)
		return failed(a, WSC_EXIT_HANDSHAKE, "%s", "out of memory");
	if (cap > HEAD_ROOM)
		cap = HEAD_ROOM;
	if (a->o->verbose)
		trace_head(a, "> ", reqs, strlen(reqs));
	st = send_all(a, &c->conn, reqs, strlen(reqs));
	if (st == 0)
		st = read_response(a, &c->conn, buf, cap, &got, &m, &headlen);
	if (st == 0 && a->o->verbose)
		trace_head(a, "< ", buf, headlen);
	if (st == 0 && m.status != 101 && !(a->o->follow &&
	    is_redirect(m.status)))
		explain_refusal(a, c, buf, got, headlen, &m);
	if (st == 0 && is_redirect(m.status))
		st = redirect(a, &m);
	if (st == 0 && wsc_hs_check_response(&m, req, &res, why, sizeof why) != 0)
		st = failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s", why);
	if (st == 0 && wsc_ws_use_pmd(ws, req->extensions, res.extensions, why,
	    sizeof why) != 0)
		st = failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s", why);
	if (st == 0) {
		c->protocol = res.protocol ? wsc_xstrdup(res.protocol) : NULL;
		c->extensions = res.extensions ? wsc_xstrdup(res.extensions) : NULL;
		/* The frames that came with the 101, where ws reads next. */
		memmove(buf, buf + headlen, got - headlen);
		wsc_ws_commit(ws, got - headlen);
	}
	wsc_http_msg_free(&m);
	return st;
}

/* The Upgrade handshake on an open connection. */
static int
handshake(struct attempt *a, struct wsc_client *c, struct wsc_ws *ws)
{
	struct wsc_hs_request	 req;
	uint8_t			 rnd[16];
	char			 key[WSC_HS_KEY_LEN + 1], *host, *auth = NULL;
	char			*reqs;
	const char		**headers;
	size_t			 nheaders;
	int			 st;

	doing(a, "waiting for the answer to the WebSocket handshake from %s",
	    c->url.host);
	if (wsc_rng_fill(wsc_rng_get(), rnd, sizeof rnd) != 0)
		return failed(a, WSC_EXIT_HANDSHAKE, "%s", "no random bytes for the key");
	wsc_hs_make_key(rnd, key);
	host = wsc_url_host_header(&c->url);
	if (c->url.user != NULL)
		auth = wsc_xasprintf("%s:%s", c->url.user,
		    c->url.password != NULL ? c->url.password : "");
	headers = request_headers(a, &nheaders);
	make_request(a, &c->url, host, auth, key, headers, nheaders, &req);
	reqs = wsc_hs_build_request(&req);
	if (reqs == NULL)
		st = failed(a, WSC_EXIT_USAGE, "%s", "invalid request header");
	else
		st = exchange(a, c, ws, reqs, &req);
	free(reqs);
	free(headers);
	free(host);
	free(auth);
	return st;
}

/* -v: what TLS negotiated, each line marked "* ". */
static void
trace_tls(struct attempt *a, const struct wsc_conn *conn)
{
	char	info[1024], *p = info;
	size_t	n;

	wsc_tls_describe(conn, info, sizeof info);
	while (*p != '\0') {
		n = strcspn(p, "\n");
		wsc_ui_notef(a->ui, WSC_NOTE_TRACE, "* %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* Puts TLS on the open connection for wss://. */
static int
start_tls(struct attempt *a, struct wsc_client *c)
{
	const struct wsc_options	*o = a->o;
	struct wsc_tls_opts		 to;
	char				 why[512];

	doing(a, "in the TLS handshake with %s", c->url.host);
	memset(&to, 0, sizeof to);
	to.ca = o->ca;
	to.cert = o->cert;
	to.key = o->key;
	to.passphrase = o->passphrase;
	to.insecure = o->insecure;
	to.pinned = o->pinnedpubkey;
	if (wsc_tls_start(&c->conn, c->url.host, c->url.host_is_ip, &to,
	    a->deadline, why, sizeof why) != 0)
		return failed(a, WSC_EXIT_TLS, "TLS failed: %s", why);
	if (o->verbose)
		trace_tls(a, &c->conn);
	return 0;
}

/* TLS to an https:// proxy, verified like a server (--proxy-ca,
 * --proxy-insecure instead of --ca, -k; no client certificate). */
static int
proxy_tls(struct attempt *a, struct wsc_conn *conn, const struct wsc_url *pu)
{
	struct wsc_tls_opts	to;
	char			why[512];

	memset(&to, 0, sizeof to);
	to.ca = a->o->proxy_ca;
	to.insecure = a->o->proxy_insecure;
	to.for_proxy = 1;
	if (wsc_tls_start(conn, pu->host, pu->host_is_ip, &to, a->deadline, why,
	    sizeof why) != 0)
		return failed(a, WSC_EXIT_TLS, "TLS to the proxy %s:%u failed: %s",
		    pu->host, pu->port, why);
	if (a->o->verbose)
		trace_tls(a, conn);
	return 0;
}

/* Asks the proxy on fd for a tunnel to the server: SOCKS5 (with the name
 * resolved here for socks5://, as curl does) or HTTP CONNECT. */
static int
open_tunnel(struct attempt *a, struct wsc_client *c, int fd,
    const struct wsc_url *pu, enum wsc_proxy_kind kind,
    const struct wsc_net_opts *no, char *why, size_t whylen)
{
	char	addr[INET6_ADDRSTRLEN];

	if (kind == WSC_PROXY_HTTP || kind == WSC_PROXY_HTTPS)
		return wsc_proxy_tunnel(&c->conn, pu, c->url.host,
		    c->url.host_is_ipv6, c->url.port, a->deadline,
		    a->o->verbose ? trace_head : NULL, a, why, whylen);
	if (kind == WSC_PROXY_SOCKS5H)
		return wsc_socks5_tunnel(fd, pu, c->url.host, c->url.port,
		    a->deadline, why, whylen);
	if (wsc_net_resolve_addr(c->url.host, no, addr, sizeof addr, why,
	    whylen) != 0)
		return -1;
	return wsc_socks5_tunnel(fd, pu, addr, c->url.port, a->deadline, why,
	    whylen);
}

/* Reaches the server through a proxy (HTTP CONNECT or SOCKS5). */
static int
connect_via_proxy(struct attempt *a, struct wsc_client *c, const char *purl,
    const struct wsc_net_opts *no)
{
	struct wsc_url		pu;
	enum wsc_proxy_kind	kind;
	char			why[256];
	int			fd, st = 0;

	if (wsc_proxy_parse(purl, &pu, &kind, why, sizeof why) != 0)
		return failed(a, WSC_EXIT_USAGE, "%s", why);
	doing(a, "connecting to the proxy %s:%u for %s", pu.host, pu.port,
	    c->url.host);
	fd = wsc_net_connect(pu.host, pu.port, no, why, sizeof why);
	if (fd == -1)
		st = failed(a, WSC_EXIT_CONNECT, "could not reach the proxy: %s", why);
	else {
		wsc_conn_init_plain(&c->conn, fd);
		if (kind == WSC_PROXY_HTTPS)
			st = proxy_tls(a, &c->conn, &pu);
		if (st == 0 &&
		    open_tunnel(a, c, fd, &pu, kind, no, why, sizeof why) != 0)
			st = failed(a, WSC_EXIT_CONNECT, "could not connect "
			    "through proxy %s:%u: %s", pu.host, pu.port, why);
	}
	wsc_url_free(&pu);
	return st;
}

/* Opens the byte stream to c->url: directly, through a proxy or over a
 * Unix socket; then TLS for wss. */
static int
open_stream(struct attempt *a, struct wsc_client *c)
{
	const struct wsc_options	*o = a->o;
	struct wsc_net_opts		 no;
	const char			*purl = NULL;
	char				 why[256];
	int				 fd, st;

	if (o->unix_socket != NULL)
		doing(a, "connecting to %s", o->unix_socket);
	else
		doing(a, "resolving and connecting to %s port %u", c->url.host,
		    c->url.port);
	memset(&no, 0, sizeof no);
	no.family = o->family;
	no.unix_path = o->unix_socket;
	no.deadline = a->deadline;
	if (o->unix_socket == NULL)
		purl = wsc_proxy_for(o->proxy, o->noproxy, c->url.host,
		    c->url.secure);
	if (purl != NULL)
		st = connect_via_proxy(a, c, purl, &no);
	else if ((fd = wsc_net_connect(c->url.host, c->url.port, &no, why,
	    sizeof why)) == -1)
		st = failed(a, WSC_EXIT_CONNECT, "%s", why);
	else {
		wsc_conn_init_plain(&c->conn, fd);
		st = 0;
	}
	if (st == 0 && c->url.secure)
		st = start_tls(a, c);
	return st;
}

/* The URL as a user would write it, without credentials; caller frees. */
static char *
url_text(const struct wsc_url *u)
{
	char	*host = wsc_url_host_header(u), *s;

	s = wsc_xasprintf("%s://%s%s", u->secure ? "wss" : "ws", host, u->path);
	free(host);
	return s;
}

/* Moves c->url to where a redirect points, refusing loops and more hops
 * than --max-redirects. visited holds the URLs asked so far, from the
 * first redirect on (a run without one formats none). */
static int
follow(struct attempt *a, struct wsc_client *c, struct wsc_strv *visited,
    const struct wsc_url *first)
{
	struct wsc_url	next;
	char		why[256], *text;
	size_t		i;

	if (visited->n == 0) {
		visited->v = wsc_xmalloc(sizeof (char *));
		visited->v[visited->n++] = url_text(first);
	}
	if (visited->n > a->o->max_redirects) {
		snprintf(a->err, a->errlen, "handshake failed: too many redirects "
		    "(more than %u; see --max-redirects)", a->o->max_redirects);
		return WSC_EXIT_HANDSHAKE;
	}
	if (wsc_url_resolve(&c->url, a->location, &next, why, sizeof why) != 0) {
		snprintf(a->err, a->errlen, "handshake failed: bad redirect "
		    "Location '%s': %s", a->location, why);
		return WSC_EXIT_HANDSHAKE;
	}
	text = url_text(&next);
	for (i = 0; i < visited->n; i++)
		if (strcmp(visited->v[i], text) == 0) {
			snprintf(a->err, a->errlen, "handshake failed: redirect "
			    "loop: %s was already visited", text);
			free(text);
			wsc_url_free(&next);
			return WSC_EXIT_HANDSHAKE;
		}
	wsc_ui_notef(a->ui, WSC_NOTE_STATUS, "Redirected to %s", text);
	visited->v = wsc_xrealloc(visited->v, (visited->n + 1) * sizeof (char *));
	visited->v[visited->n++] = text;
	a->other_origin = a->other_origin || next.port != first->port ||
	    next.secure != first->secure || strcmp(next.host, first->host) != 0;
	wsc_url_free(&c->url);
	c->url = next;
	return 0;
}

/* Connects and shakes hands, following redirects with -L. */
static int
open_chain(struct attempt *a, struct wsc_client *c, struct wsc_ws *ws,
    struct wsc_strv *visited, const struct wsc_url *first)
{
	int	st;

	for (;;) {
		a->deadline = a->o->connect_timeout_ms > 0 ?
		    wsc_now_ms() + a->o->connect_timeout_ms : 0;
		/* -m bounds connecting too: the smaller wins. */
		if (a->o->run_deadline > 0 && (a->deadline == 0 ||
		    a->o->run_deadline < a->deadline))
			a->deadline = a->o->run_deadline;
		if ((st = open_stream(a, c)) == 0)
			st = handshake(a, c, ws);
		if (st != REDIRECT)
			return st;
		wsc_conn_close(&c->conn);
		st = follow(a, c, visited, first);
		free(a->location);
		a->location = NULL;
		if (st != 0)
			return st;
	}
}

int
wsc_client_open(struct wsc_client *c, const struct wsc_options *o,
    struct wsc_ws *ws, const struct wsc_ui *ui, char *err, size_t errlen)
{
	struct attempt	a;
	struct wsc_url	first;
	struct wsc_strv	visited = { NULL, 0 };
	char		why[256];
	size_t		i;
	int		st;

	memset(c, 0, sizeof *c);
	memset(&a, 0, sizeof a);
	a.o = o;
	a.ui = ui;
	a.err = err;
	a.errlen = errlen;
	c->conn.fd = -1;
	if (wsc_url_parse(&c->url, o->url, why, sizeof why) != 0 ||
	    wsc_url_parse(&first, o->url, why, sizeof why) != 0) {
		snprintf(err, errlen, "bad URL: %s", why);
		return WSC_EXIT_USAGE;
	}
	st = open_chain(&a, c, ws, &visited, &first);
	for (i = 0; i < visited.n; i++)
		free(visited.v[i]);
	free(visited.v);
	wsc_url_free(&first);
	return st;
}

void
wsc_client_close(struct wsc_client *c)
{
	wsc_conn_close(&c->conn);
	wsc_url_free(&c->url);
	free(c->protocol);
	free(c->extensions);
	free(c->refusal);
	c->protocol = c->extensions = c->refusal = NULL;
}
