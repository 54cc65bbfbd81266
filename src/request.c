/* The server half of the opening handshake (RFC 6455 section 4.2), on
 * buffers: the request's checks, the subprotocol and permessage-deflate
 * choices, the 101 and the refusals. The HTTP parsing is handshake.c's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "request.h"
#include "util.h"

/* Longest Sec-WebSocket-Protocol and Sec-WebSocket-Extensions lists
 * looked at (all lines joined); longer ones are ignored, as if absent. */
#define PROTOCOLS_MAX	1024
#define EXTENSIONS_MAX	2048

/* Does the Sec-WebSocket-Key decode to 16 bytes (RFC 6455 4.2.1 item 5)? */
static int
key_ok(const char *key)
{
	uint8_t	raw[32];

	if (key == NULL || strlen(key) != WSC_HS_KEY_LEN)
		return 0;
	return wsc_base64_decode(raw, sizeof raw, key, WSC_HS_KEY_LEN) == 16;
}

/* Checks a request against RFC 6455 section 4.2.1. Returns 0, 400 or 426
 * with the reason in *why. */
static int
check_request(const struct wsc_http_msg *m, const char **why)
{
	const char	*v;

	*why = NULL;
	if (strcmp(m->method, "GET") != 0)
		*why = "the method must be GET";
	else if (m->minor_version < 1)
		*why = "HTTP/1.1 or later is required";
	else if (wsc_http_header_count(m, "Host") != 1)
		*why = "exactly one Host header is required";
	else if (!wsc_http_header_has_token(m, "Upgrade", "websocket"))
		*why = "not a WebSocket request (no Upgrade: websocket)";
	else if (!wsc_http_header_has_token(m, "Connection", "upgrade"))
		*why = "no Connection: Upgrade";
	if (*why != NULL)
		return 400;
	/* Section 4.4: an unknown version is answered 426 with ours. */
	v = wsc_http_header(m, "Sec-WebSocket-Version");
	if (wsc_http_header_count(m, "Sec-WebSocket-Version") != 1 ||
	    strcmp(v, "13") != 0) {
		*why = "only Sec-WebSocket-Version 13 is supported";
		return 426;
	}
	if (wsc_http_header_count(m, "Sec-WebSocket-Key") != 1 ||
	    !key_ok(wsc_http_header(m, "Sec-WebSocket-Key"))) {
		*why = "Sec-WebSocket-Key must be the base64 of 16 bytes";
		return 400;
	}
	return 0;
}

/* The subprotocol to answer with: the first of the client's offers that
 * the config lists (RFC 6455 section 4.2.2 leaves the choice to the
 * server; the client's order is its preference). NULL: none. */
static const char *
select_protocol(const struct wsc_http_msg *m,
    const struct wsc_request_config *cfg)
{
	char		 list[PROTOCOLS_MAX], *p, *tok, *save = NULL;
	size_t		 i;

	if (cfg->nprotocols == 0 ||
	    wsc_http_header_list(m, "Sec-WebSocket-Protocol", list,
	    sizeof list) != 0)
		return NULL;
	for (p = list; (tok = strtok_r(p, ", \t", &save)) != NULL; p = NULL)
		for (i = 0; i < cfg->nprotocols; i++)
			if (strcmp(tok, cfg->protocols[i]) == 0)
				return cfg->protocols[i];
	return NULL;
}

/* permessage-deflate when the config allows it and the client offers an
 * acceptable configuration (RFC 7692 section 5). */
static void
select_compression(const struct wsc_http_msg *m,
    const struct wsc_request_config *cfg, struct wsc_request_answer *ans)
{
	char	offers[EXTENSIONS_MAX];

	if (cfg->compression &&
	    wsc_http_header_list(m, "Sec-WebSocket-Extensions", offers,
	    sizeof offers) == 0 &&
	    wsc_pmd_select(offers, &ans->pmd_params, ans->pmd_resp,
	    sizeof ans->pmd_resp) == 1)
		ans->pmd = 1;
}

/* The part of an absolute-form target after its authority (RFC 7230
 * section 5.3.2; RFC 6455 section 4.1 allows an http, https, ws or wss
 * URI), or NULL when target has no such scheme. */
static const char *
after_authority(const char *target)
{
	static const char *const	schemes[] = { "http://", "https://",
					    "ws://", "wss://" };
	size_t				i, n;

	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(target, schemes[i], n) == 0)
			return target + n + strcspn(target + n, "/?");
	}
	return NULL;
}

/* Keeps what m said in req: the head's copy moves over, the header list
 * and the path (the target's, without its query) get one block. Returns
 * 0, or -1 on out-of-memory. */
static int
keep(struct wsc_http_msg *m, size_t head_len, struct wsc_request *req)
{
	const char	*rest = m->target[0] == '/' ? m->target :
			    after_authority(m->target);
	size_t		 hsize = m->nheaders * sizeof *req->headers;
	size_t		 plen;
	char		*path;

	/* A refused target ("*") is kept as the path "/". */
	if (rest == NULL)
		rest = "";
	plen = strcspn(rest, "?");
	if ((req->mem = malloc(hsize + plen + 2)) == NULL)
		return -1;
	req->headers = (struct wsc_hs_header *)(void *)req->mem;
	memcpy(req->headers, m->headers, hsize);
	req->nheaders = m->nheaders;
	path = req->mem + hsize;
	/* "http://host?q" has an empty path: "/" (RFC 7230 section 5.3.1). */
	snprintf(path, plen + 2, "%s%.*s", plen == 0 ? "/" : "", (int)plen,
	    rest);
	req->path = path;
	req->query = rest[plen] == '?' ? rest + plen + 1 : "";
	req->raw = m->raw;
	m->raw = NULL;
	req->method = m->method;
	req->uri = m->target;
	req->key = wsc_http_header(m, "Sec-WebSocket-Key");
	req->head_len = head_len;
	return 0;
}

/* Decides on a parsed head: refusal or 101 with its choices. */
static void
decide(const struct wsc_http_msg *m, const struct wsc_request_config *cfg,
    struct wsc_request_answer *ans)
{
	ans->status = check_request(m, &ans->why);
	if (ans->status == 0 && m->target[0] != '/' &&
	    after_authority(m->target) == NULL) {
		ans->why = "the request target must be a path or an absolute "
		    "http URI";
		ans->status = 400;
	}
	if (ans->status != 0)
		return;
	ans->status = 101;
	ans->protocol = select_protocol(m, cfg);
	select_compression(m, cfg, ans);
}

/* Reads and decides on a request (see request.h). */
int
wsc_request_read(const char *buf, size_t len,
    const struct wsc_request_config *cfg, struct wsc_request *req,
    struct wsc_request_answer *ans)
{
	struct wsc_http_msg	m;
	int			n;

	memset(req, 0, sizeof *req);
	memset(ans, 0, sizeof *ans);
	n = wsc_http_parse(buf, len, 1, &m);
	if (n == WSC_HS_NEED_MORE)
		return 0;
	ans->status = 400;
	if (n == WSC_HS_E_TOO_BIG)
		ans->why = "request head too large";
	else if (n == WSC_HS_E_NOMEM)
		ans->why = "out of memory";
	else if (n < 0)
		ans->why = "not an HTTP/1.1 request";
	else
		decide(&m, cfg, ans);
	if (n > 0 && keep(&m, (size_t)n, req) != 0) {
		memset(ans, 0, sizeof *ans);
		ans->status = 400;
		ans->why = "out of memory";
	}
	wsc_http_msg_free(&m);
	return 1;
}

void
wsc_request_free(struct wsc_request *req)
{
	free(req->raw);
	free(req->mem);
	memset(req, 0, sizeof *req);
}

/* Writes the 101 into out (cap bytes); returns snprintf's count. */
static int
format_101(char *out, size_t cap, const char *accept,
    const struct wsc_request_answer *ans)
{
	const char	*proto = ans->protocol;

	return snprintf(out, cap, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n%s%s%s%s%s%s\r\n", accept,
	    proto ? "Sec-WebSocket-Protocol: " : "", proto ? proto : "",
	    proto ? "\r\n" : "",
	    ans->pmd ? "Sec-WebSocket-Extensions: " : "",
	    ans->pmd ? ans->pmd_resp : "", ans->pmd ? "\r\n" : "");
}

/* Builds the 101 (RFC 6455 section 4.2.2, item 5). The subprotocol has
 * no length limit: the head is measured first. */
char *
wsc_request_accept_head(const struct wsc_request *req,
    const struct wsc_request_answer *ans)
{
	char	 accept[WSC_HS_ACCEPT_LEN + 1], *head;
	int	 n;

	if (req->key == NULL)
		return NULL;
	wsc_hs_accept(req->key, accept);
	if ((n = format_101(NULL, 0, accept, ans)) < 0 ||
	    (head = malloc((size_t)n + 1)) == NULL)
		return NULL;
	format_101(head, (size_t)n + 1, accept, ans);
	return head;
}

const char *
wsc_request_status_text(int status)
{
	switch (status) {
	case 426:
		return "426 Upgrade Required";
	case 503:
		return "503 Service Unavailable";
	default:
		return "400 Bad Request";
	}
}

/* The header a refusal with this status adds (section 4.4 for 426). */
static const char *
refusal_extra(int status)
{
	switch (status) {
	case 426:
		return "Sec-WebSocket-Version: 13\r\n";
	case 503:
		return "Retry-After: 1\r\n";
	default:
		return "";
	}
}

size_t
wsc_request_refusal(int status, const char *why, char *out, size_t cap)
{
	int	n;

	n = snprintf(out, cap, "HTTP/1.1 %s\r\n%s"
	    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n%s\n", wsc_request_status_text(status),
	    refusal_extra(status), strlen(why) + 1, why);
	if (n < 0 || (size_t)n >= cap)
		n = snprintf(out, cap,
		    "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

int
wsc_request_env_name(const char *name, char *out, size_t cap)
{
	size_t	i, n = strlen(name);
	int	ch;

	if (n == 0 || cap < n + 6)
		return -1;
	memcpy(out, "HTTP_", 5);
	for (i = 0; i < n; i++) {
		ch = (unsigned char)name[i];
		/* '_' is refused too: "X_Real_IP" must not pass for the
		 * "X-Real-IP" a proxy in front sets. */
		if (ch == '-')
			ch = '_';
		else if (ch >= 'a' && ch <= 'z')
			ch -= 'a' - 'A';
		else if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return -1;
		out[5 + i] = (char)ch;
	}
	out[5 + n] = '\0';
	return 0;
}
