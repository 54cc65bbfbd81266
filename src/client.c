/* Opening a client connection: connect, Upgrade request, check answer. */
#include "config.h"

#include <errno.h>
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
#include "rng.h"
#include "util.h"

/* Everything a connection attempt needs to remember. */
struct attempt {
	const struct wsc_options	*o;
	int64_t				 deadline;
	char				*err;
	size_t				 errlen;
};

/* The failure of a step, turned into "connect timeout" when the deadline
 * is what really stopped it. */
static int
failed(struct attempt *a, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
failed(struct attempt *a, int status, const char *fmt, ...)
{
	va_list	ap;

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

/* Prints a head line by line with a direction prefix, for -v. */
static void
trace_head(const char *prefix, const char *head, size_t len)
{
	const char	*p = head, *end = head + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p > 1 || (nl - p == 1 && *p != '\r'))
			fprintf(stderr, "%s%.*s\n", prefix,
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
		} else
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

/* The request as the options and URL say. Strings point into o, u or the
 * caller's buffers. */
static void
make_request(const struct wsc_options *o, const struct wsc_url *u,
    char *host, char *auth, const char *key, struct wsc_hs_request *r)
{
	memset(r, 0, sizeof *r);
	r->host = o->host != NULL ? o->host : host;
	r->path = u->path;
	r->key = key;
	r->origin = o->origin;
	r->protocols = (const char *const *)o->protocols.v;
	r->nprotocols = o->protocols.n;
	r->extensions = o->no_compression ? NULL : WSC_PMD_OFFER;
	r->authorization = o->auth != NULL ? o->auth : auth;
	r->headers = (const char *const *)o->headers.v;
	r->nheaders = o->headers.n;
}

/* A 3xx without -L: say where the server points. */
static int
redirect_error(struct attempt *a, const struct wsc_http_msg *m)
{
	const char	*loc = wsc_http_header(m, "Location");

	snprintf(a->err, a->errlen,
	    "handshake failed: server answered %d %s (redirect to %s; use -L to follow)",
	    m->status, m->reason, loc != NULL ? loc : "nowhere");
	return WSC_EXIT_HANDSHAKE;
}

/* Sends the Upgrade request on an open connection and checks the answer;
 * bytes after the 101 go to ws. */
static int
handshake(struct attempt *a, struct wsc_client *c, struct wsc_ws *ws)
{
	struct wsc_hs_request	 req;
	struct wsc_hs_result	 res;
	struct wsc_http_msg	 m;
	uint8_t			 rnd[16];
	char			 key[WSC_HS_KEY_LEN + 1], *host, *auth = NULL;
	char			 why[256], *reqs, buf[WSC_HS_MAX_HEAD + 4096];
	size_t			 got = 0, headlen = 0;
	int			 st;

	memset(&m, 0, sizeof m);
	if (wsc_rng_fill(wsc_rng_get(), rnd, sizeof rnd) != 0)
		return failed(a, WSC_EXIT_HANDSHAKE, "%s", "no random bytes for the key");
	wsc_hs_make_key(rnd, key);
	host = wsc_url_host_header(&c->url);
	if (c->url.user != NULL)
		auth = wsc_xasprintf("%s:%s", c->url.user,
		    c->url.password != NULL ? c->url.password : "");
	make_request(a->o, &c->url, host, auth, key, &req);
	reqs = wsc_hs_build_request(&req);
	free(host);
	if (reqs == NULL) {
		free(auth);
		return failed(a, WSC_EXIT_USAGE, "%s", "invalid request header");
	}
	if (a->o->verbose)
		trace_head("> ", reqs, strlen(reqs));
	st = send_all(a, &c->conn, reqs, strlen(reqs));
	free(reqs);
	if (st == 0)
		st = read_response(a, &c->conn, buf, sizeof buf, &got, &m, &headlen);
	if (st == 0 && a->o->verbose)
		trace_head("< ", buf, headlen);
	if (st == 0 && m.status >= 300 && m.status < 400 && m.status != 304)
		st = redirect_error(a, &m);
	if (st == 0 && wsc_hs_check_response(&m, &req, &res, why, sizeof why) != 0)
		st = failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s", why);
	if (st == 0 && wsc_ws_use_pmd(ws, req.extensions, res.extensions, why,
	    sizeof why) != 0)
		st = failed(a, WSC_EXIT_HANDSHAKE, "handshake failed: %s", why);
	if (st == 0) {
		c->protocol = res.protocol ? wsc_xstrdup(res.protocol) : NULL;
		c->extensions = res.extensions ? wsc_xstrdup(res.extensions) : NULL;
		if (wsc_ws_feed(ws, (uint8_t *)buf + headlen, got - headlen) != 0)
			st = failed(a, WSC_EXIT_HANDSHAKE, "%s", "out of memory");
	}
	wsc_http_msg_free(&m);
	free(auth);
	return st;
}

int
wsc_client_open(struct wsc_client *c, const struct wsc_options *o,
    struct wsc_ws *ws, char *err, size_t errlen)
{
	struct attempt		a = { o, 0, err, errlen };
	struct wsc_net_opts	no;
	char			why[256];
	int			fd;

	memset(c, 0, sizeof *c);
	c->conn.fd = -1;
	if (wsc_url_parse(&c->url, o->url, why, sizeof why) != 0) {
		snprintf(err, errlen, "bad URL: %s", why);
		return WSC_EXIT_USAGE;
	}
	if (o->connect_timeout_ms > 0)
		a.deadline = wsc_now_ms() + o->connect_timeout_ms;
	memset(&no, 0, sizeof no);
	no.family = o->family;
	no.unix_path = o->unix_socket;
	no.deadline = a.deadline;
	fd = wsc_net_connect(c->url.host, c->url.port, &no, why, sizeof why);
	if (fd == -1)
		return failed(&a, WSC_EXIT_CONNECT, "%s", why);
	wsc_conn_init_plain(&c->conn, fd);
	if (c->url.secure)
		return failed(&a, WSC_EXIT_TLS, "%s",
		    "TLS failed: wss:// is not supported by this build yet");
	return handshake(&a, c, ws);
}

void
wsc_client_close(struct wsc_client *c)
{
	wsc_conn_close(&c->conn);
	wsc_url_free(&c->url);
	free(c->protocol);
	free(c->extensions);
	c->protocol = c->extensions = NULL;
}
