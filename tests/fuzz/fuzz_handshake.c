/* fuzz-sources: src/handshake.c src/base64.c src/sha1.c */
/* Fuzzes the opening handshake: the response and request parsers (with a
 * prefix-consistency check), the response check, and the request builder,
 * whose output must always parse back with exactly its own header lines
 * (so no field can inject a header). The first byte picks the mode
 * (its value mod 3: 0 response, 1 request, 2 builder) and the variants of
 * the check; the rest is the input. The builder takes NUL-separated
 * fields: host, path, key, origin, extensions, user:pass (empty: none),
 * two subprotocols, then extra header lines. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handshake.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Stops the run on a broken invariant: the fuzzer reports the input. */
static void
require(int ok)
{
	if (!ok)
		abort();
}

/* Looks at everything a caller of a parsed message may touch. */
static void
use_msg(const struct wsc_http_msg *m, int is_request, uint8_t sel)
{
	static const char *const	protos[] = { "chat", "superchat" };
	struct wsc_hs_request		r;
	struct wsc_hs_result		res;
	char				err[96], list[64];
	size_t				i;

	for (i = 0; i < m->nheaders; i++) {
		require(strpbrk(m->headers[i].name, "\r\n: ") == NULL);
		require(strpbrk(m->headers[i].value, "\r\n") == NULL);
		(void)wsc_http_header_list(m, m->headers[i].name, list,
		    sel % sizeof list);
	}
	if (is_request) {
		require(m->method[0] != '\0' && m->target[0] != '\0');
		return;
	}
	memset(&r, 0, sizeof r);
	r.host = "h";
	r.path = "/";
	r.key = "dGhlIHNhbXBsZSBub25jZQ==";
	r.protocols = protos;
	r.nprotocols = sel & 3 ? 2 : 0;
	r.extensions = sel & 4 ? "permessage-deflate" : NULL;
	if (wsc_hs_check_response(m, &r, &res, err, sel & 8 ? 8 : sizeof err)
	    == 0)
		require(m->status == 101);
	else
		require(res.protocol == NULL && res.extensions == NULL);
}

/* Parses the input, then checks a prefix of it agrees. */
static void
fuzz_parse(const uint8_t *data, size_t size, int is_request, uint8_t sel)
{
	struct wsc_http_msg	m;
	size_t			cut;
	int			n, k;

	n = wsc_http_parse((const char *)data, size, is_request, &m);
	if (n > 0) {
		require((size_t)n <= size && n <= WSC_HS_MAX_HEAD);
		use_msg(&m, is_request, sel);
	}
	wsc_http_msg_free(&m);
	/* A prefix sees the same bytes first: garbage stays garbage, and a
	 * complete head is complete in every prefix that holds it. */
	cut = n > 0 ? (size_t)n - (sel >> 7) : size * (sel & 0x7f) / 127;
	k = wsc_http_parse((const char *)data, cut, is_request, &m);
	if (n > 0)
		require(k == ((size_t)n == cut ? n : WSC_HS_NEED_MORE));
	else if (k == WSC_HS_E_GARBAGE)
		require(n == WSC_HS_E_GARBAGE);
	wsc_http_msg_free(&m);
}

/* Splits the input at NUL bytes into at most max strings (copied). */
static size_t
split(const uint8_t *data, size_t size, char **out, size_t max)
{
	size_t	n = 0, start = 0, i;

	for (i = 0; i <= size && n < max; i++) {
		if (i == size || data[i] == '\0') {
			out[n] = malloc(i - start + 1);
			require(out[n] != NULL);
			memcpy(out[n], data + start, i - start);
			out[n][i - start] = '\0';
			n++;
			start = i + 1;
		}
	}
	return n;
}

/* Counts the CRLF-ended lines of a built request. */
static size_t
count_lines(const char *s)
{
	size_t	n = 0;

	while ((s = strstr(s, "\r\n")) != NULL) {
		n++;
		s += 2;
	}
	return n;
}

/* Builds a request from fuzzed fields; whatever is built must parse back
 * as one head of exactly its own lines. */
static void
check_built(const struct wsc_hs_request *r)
{
	struct wsc_http_msg	 m;
	char			*req, up[16];
	size_t			 len;

	if ((req = wsc_hs_build_request(r)) == NULL)
		return;
	len = strlen(req);
	require(strstr(req, "\r\n\r\n") == req + len - 4);
	require(wsc_http_parse(req, len, 1, &m) == (int)len);
	require(m.nheaders == count_lines(req) - 2);
	require(strcmp(m.method, "GET") == 0);
	require(strcmp(m.target, r->path) == 0);
	/* the protocol's own headers are ours, once */
	require(wsc_http_header_list(&m, "Upgrade", up, sizeof up) == 0 &&
	    strcmp(up, "websocket") == 0);
	/* values come back without surrounding whitespace (RFC 7230 3.2.4) */
	require(strpbrk(r->key, " \t") != NULL ||
	    strcmp(wsc_http_header(&m, "Sec-WebSocket-Key"), r->key) == 0);
	wsc_http_msg_free(&m);
	free(req);
}

/* Turns NUL-separated fields into a request. */
static void
fuzz_build(const uint8_t *data, size_t size)
{
	char			*f[40];
	struct wsc_hs_request	 r;
	size_t			 n, i;

	if (size > 4096)
		return;
	n = split(data, size, f, 40);
	if (n >= 8) {
		memset(&r, 0, sizeof r);
		r.host = f[0];
		r.path = f[1];
		r.key = f[2];
		r.origin = f[3][0] != '\0' ? f[3] : NULL;
		r.extensions = f[4][0] != '\0' ? f[4] : NULL;
		r.authorization = f[5][0] != '\0' ? f[5] : NULL;
		r.protocols = (const char *const *)&f[6];
		r.nprotocols = 2;
		r.headers = (const char *const *)&f[8];
		r.nheaders = n - 8;
		check_built(&r);
	}
	for (i = 0; i < n; i++)
		free(f[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_parse(data + 1, size - 1, 0, data[0]);
		break;
	case 1:
		fuzz_parse(data + 1, size - 1, 1, data[0]);
		break;
	default:
		fuzz_build(data + 1, size - 1);
		break;
	}
	return 0;
}
