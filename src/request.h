/* The server half of the opening handshake (RFC 6455 section 4.2):
 * reading and checking a client's request, choosing the subprotocol and
 * permessage-deflate, and the answer, 101 or an HTTP refusal. Works on
 * buffers; no I/O, nothing printed. What the request said is kept in a
 * struct wsc_request for as long as the connection lives. */
#ifndef WSC_REQUEST_H
#define WSC_REQUEST_H

#include <stddef.h>

#include "deflate.h"
#include "handshake.h"

/* What the server accepts. */
struct wsc_request_config {
	char *const	*protocols;	/* subprotocols, in the server's list */
	size_t		 nprotocols;
	int		 compression;	/* accept a permessage-deflate offer */
};

/* What a request said. Strings point into memory the struct owns. */
struct wsc_request {
	char			*raw;		/* the head's copy */
	char			*mem;		/* headers and path */
	size_t			 head_len;	/* bytes of the head, blank line included */
	const char		*method;
	const char		*uri;		/* the request target as sent */
	const char		*path;		/* its path, without the query */
	const char		*query;		/* after the first '?'; "" when none */
	const char		*key;		/* Sec-WebSocket-Key, or NULL */
	struct wsc_hs_header	*headers;	/* every line, in order, names as sent */
	size_t			 nheaders;
};

/* The decision on a request. */
struct wsc_request_answer {
	int			 status;	/* 101, or the refusal's: 400, 426 */
	const char		*why;		/* the refusal's reason, or NULL */
	const char		*protocol;	/* chosen from the config, or NULL */
	int			 pmd;		/* permessage-deflate agreed */
	struct wsc_pmd_params	 pmd_params;
	char			 pmd_resp[128];	/* its Sec-WebSocket-Extensions value */
};

/* Reads a request head from the front of buf and decides the answer.
 * Returns 0 when more bytes are needed, otherwise 1 with the decision in
 * ans. When the head parsed, req holds it (req->head_len: the bytes after
 * it are the client's first frames); a head that is not HTTP/1.1, or too
 * large, is refused with req left empty. Release req with
 * wsc_request_free after any result. */
int	 wsc_request_read(const char *buf, size_t len,
	    const struct wsc_request_config *cfg, struct wsc_request *req,
	    struct wsc_request_answer *ans);
/* Releases what req holds; safe twice and after any wsc_request_read. */
void	 wsc_request_free(struct wsc_request *req);

/* The 101 answer to an accepted request, CRLF-terminated: the Accept value
 * from req->key, ans->protocol and, when ans->pmd is set, ans->pmd_resp.
 * Returns a malloc'd string (the caller frees), or NULL on out-of-memory. */
char	*wsc_request_accept_head(const struct wsc_request *req,
	    const struct wsc_request_answer *ans);
/* The status line's text for status ("400 Bad Request"); 400, 426 and 503
 * are known, anything else is "400 Bad Request". */
const char *wsc_request_status_text(int status);
/* Writes the refusal for status with why as a text/plain body into out
 * (cap bytes; 512 hold any reason up to 300 bytes): 426 says the version
 * we speak, 503 asks to retry after a second. Returns its length; a reason
 * that does not fit gives a bare 400. */
size_t	 wsc_request_refusal(int status, const char *why, char *out,
	    size_t cap);

/* Writes the CGI variable name of header name into out: "HTTP_", then the
 * name in upper case with '-' as '_' (RFC 3875 section 4.1.18). Returns 0,
 * or -1 when it does not fit in cap bytes or name holds a byte outside
 * letters, digits and '-' (such a name has no safe variable). */
int	 wsc_request_env_name(const char *name, char *out, size_t cap);

#endif
