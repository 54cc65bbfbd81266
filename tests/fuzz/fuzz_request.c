/* fuzz-sources: src/request.c src/handshake.c src/deflate.c src/zlibload.c src/lazy.c src/base64.c src/sha1.c */
/* Fuzzes the server half of the opening handshake: any bytes as a
 * client's request. The first byte picks the server's config (bit 0:
 * compression, bits 1-2: which subprotocols it lists) and where a prefix
 * is cut; the rest is the request. Invariants: an answer is 101, 400 or
 * 426 with a reason exactly when refused; an accepted request's 101
 * parses back as a response that wsc's own client check accepts with the
 * request's key (so its Accept value is right), naming the chosen
 * subprotocol and extension; what is kept (path, query, headers) is
 * consistent with the request target; a proper prefix of a complete head
 * needs more bytes; every refusal is well-formed. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Stops the run on a broken invariant: the fuzzer reports the input. */
static void
require(int ok)
{
	if (!ok)
		abort();
}

/* The server's config from the selector byte. */
static struct wsc_request_config
config(uint8_t sel)
{
	static char			 chat[] = "chat", super[] = "superchat",
					 x[] = "x", a[] = "a";
	static char			*lists[][2] = { { chat, x },
					    { super, chat }, { a, x },
					    { x, a } };
	struct wsc_request_config	 cfg;

	cfg.compression = sel & 1;
	cfg.protocols = lists[(sel >> 1) & 3];
	cfg.nprotocols = (sel >> 1) & 3 ? 2 : 0;
	return cfg;
}

/* What was kept agrees with the target and the header lines. */
static void
check_kept(const struct wsc_request *req)
{
	char	env[256];
	size_t	i, n;

	require(req->head_len > 0 && req->method[0] != '\0');
	require(req->path[0] == '/' && strchr(req->path, '?') == NULL);
	n = strlen(req->query);
	if (n > 0)
		require(strlen(req->uri) > n &&
		    strcmp(req->uri + strlen(req->uri) - n, req->query) == 0 &&
		    req->uri[strlen(req->uri) - n - 1] == '?');
	for (i = 0; i < req->nheaders; i++) {
		require(strpbrk(req->headers[i].value, "\r\n") == NULL);
		if (wsc_request_env_name(req->headers[i].name, env,
		    sizeof env) == 0)
			require(strspn(env, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_") == strlen(env));
	}
}

/* The 101 must satisfy a client that sent this request. */
static void
check_101(const struct wsc_request *req, const struct wsc_request_answer *ans)
{
	struct wsc_http_msg	 m;
	struct wsc_hs_request	 r;
	struct wsc_hs_result	 res;
	char			*head, err[128];
	const char		*offered[1];

	head = wsc_request_accept_head(req, ans);
	require(head != NULL);
	require(wsc_http_parse(head, strlen(head), 0, &m) ==
	    (int)strlen(head));
	memset(&r, 0, sizeof r);
	r.key = req->key;
	offered[0] = ans->protocol;
	r.protocols = offered;
	r.nprotocols = ans->protocol != NULL;
	r.extensions = ans->pmd ? "permessage-deflate" : NULL;
	require(wsc_hs_check_response(&m, &r, &res, err, sizeof err) == 0);
	require((res.protocol == NULL) == (ans->protocol == NULL));
	require((res.extensions == NULL) == !ans->pmd);
	if (ans->pmd)
		require(strcmp(res.extensions, ans->pmd_resp) == 0);
	wsc_http_msg_free(&m);
	free(head);
}

/* A refusal is one complete response of its status, body included. */
static void
check_refusal(const struct wsc_request_answer *ans)
{
	struct wsc_http_msg	m;
	char			out[512];
	size_t			n;
	int			h;

	require(ans->status == 400 || ans->status == 426);
	require(ans->why != NULL && ans->protocol == NULL && !ans->pmd);
	n = wsc_request_refusal(ans->status, ans->why, out, sizeof out);
	require(n > 0 && n == strlen(out));
	h = wsc_http_parse(out, n, 0, &m);
	require(h > 0 && m.status == ans->status);
	require((size_t)h + strlen(ans->why) + 1 == n);
	wsc_http_msg_free(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_request_config	cfg;
	struct wsc_request		req, pre;
	struct wsc_request_answer	ans, pans;
	const char			*buf = (const char *)data + 1;
	size_t				len, cut;

	if (size < 1)
		return 0;
	cfg = config(data[0]);
	len = size - 1;
	if (wsc_request_read(buf, len, &cfg, &req, &ans) == 0) {
		require(req.raw == NULL);
		wsc_request_free(&req);
		return 0;
	}
	if (req.raw != NULL)
		check_kept(&req);
	if (ans.status == 101)
		check_101(&req, &ans);
	else
		check_refusal(&ans);
	/* Every proper prefix of a complete head wants more bytes. */
	if (req.raw != NULL && req.head_len > 0) {
		cut = (req.head_len - 1) * (data[0] >> 3) / 31;
		require(wsc_request_read(buf, cut, &cfg, &pre, &pans) == 0);
		wsc_request_free(&pre);
	}
	wsc_request_free(&req);
	return 0;
}
