/* The HTTP/1.1 Upgrade handshake (RFC 6455 section 4): building the
 * client request, parsing and checking the server's response, and the
 * server side's request parsing. Works on buffers; no I/O. */
#ifndef WSC_HANDSHAKE_H
#define WSC_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>

#define WSC_HS_MAX_HEAD		16384	/* larger response heads are refused */
#define WSC_HS_MAX_HEADERS	100
#define WSC_HS_KEY_LEN		24	/* base64 of 16 bytes */
#define WSC_HS_ACCEPT_LEN	28	/* base64 of a SHA-1 */

/* Parse results */
enum wsc_hs_err {
	WSC_HS_NEED_MORE = 0,
	WSC_HS_E_GARBAGE = -1,	/* not an HTTP/1.x head */
	WSC_HS_E_TOO_BIG = -2,	/* head over WSC_HS_MAX_HEAD or too many headers */
	WSC_HS_E_NOMEM = -3
};

struct wsc_hs_header {
	const char	*name;	/* NUL-terminated, inside the message's copy */
	const char	*value;	/* trimmed */
};

/* A parsed response or request head. Strings point into `raw`, a copy
 * owned by the message. */
struct wsc_http_msg {
	char			*raw;
	int			 status;	/* responses */
	const char		*reason;	/* responses: "Unauthorized" */
	const char		*method;	/* requests */
	const char		*target;	/* requests */
	int			 minor_version;	/* HTTP/1.x */
	struct wsc_hs_header	 headers[WSC_HS_MAX_HEADERS];
	size_t			 nheaders;
};

/* What the client asks for. */
struct wsc_hs_request {
	const char		*host;		/* Host header value */
	const char		*path;		/* request target */
	const char		*key;		/* Sec-WebSocket-Key */
	const char		*origin;	/* NULL: none */
	const char *const	*protocols;	/* offered subprotocols */
	size_t			 nprotocols;
	const char		*extensions;	/* Sec-WebSocket-Extensions offer, or NULL */
	const char		*authorization;	/* "user:pass" for Basic, or NULL */
	const char *const	*headers;	/* extra "Name: value" lines */
	size_t			 nheaders;
};

/* Makes the Sec-WebSocket-Key from 16 random bytes (out: 25 bytes). */
void	 wsc_hs_make_key(const uint8_t random16[16], char out[WSC_HS_KEY_LEN + 1]);
/* Computes Sec-WebSocket-Accept for key (out: 29 bytes). */
void	 wsc_hs_accept(const char *key, char out[WSC_HS_ACCEPT_LEN + 1]);
/* Builds the request head, CRLF-terminated. Extra headers given with -H
 * replace the generated header of the same name (Host, Origin, User-Agent,
 * Authorization, Sec-WebSocket-Protocol, Sec-WebSocket-Extensions), emitted
 * in its place. Returns a malloc'd string (caller frees), or NULL on
 * out-of-memory; when host, key or path is NULL or the path is empty or not
 * visible ASCII; when any field contains CR, LF or another control byte;
 * when an extra header is not "Name: value" (a token, then ':'); or when an
 * extra header names one the protocol needs (Upgrade, Connection,
 * Sec-WebSocket-Key, Sec-WebSocket-Version): those cannot be overridden. */
char	*wsc_hs_build_request(const struct wsc_hs_request *r);

/* Parses a response (is_request 0) or request (1) head from buf. Returns
 * the length of the head including the blank line (> 0), 0 when more
 * bytes are needed, or a negative enum wsc_hs_err. On success m owns a
 * copy of the head; release it with wsc_http_msg_free. m is cleared on
 * every call, so freeing it after any result is harmless. */
int	 wsc_http_parse(const char *buf, size_t len, int is_request,
	    struct wsc_http_msg *m);
void	 wsc_http_msg_free(struct wsc_http_msg *m);
/* The value of the first header called name (case-insensitive), or NULL. */
const char *wsc_http_header(const struct wsc_http_msg *m, const char *name);
/* All values of name joined with ", " into out (list headers may be split
 * over several lines); returns 0, or -1 when absent or longer than outlen. */
int	 wsc_http_header_list(const struct wsc_http_msg *m, const char *name,
	    char *out, size_t outlen);
/* How many lines carry the header called name. */
size_t	 wsc_http_header_count(const struct wsc_http_msg *m, const char *name);
/* Does any line of the list header name hold token (case-insensitive)? */
int	 wsc_http_header_has_token(const struct wsc_http_msg *m,
	    const char *name, const char *token);

/* What the check learnt from a valid response. */
struct wsc_hs_result {
	const char	*protocol;	/* the chosen subprotocol (points into m), or NULL */
	const char	*extensions;	/* Sec-WebSocket-Extensions (points into m), or NULL */
};

/* Checks a parsed response against the request (RFC 6455 section 4.1,
 * "the client MUST..."): status 101, Upgrade: websocket, Connection:
 * Upgrade, the Accept value, a subprotocol among those offered, and no
 * extensions unless some were offered (their parameters are the caller's
 * to validate; a Sec-WebSocket-Extensions split over several lines is
 * refused, since res->extensions can hold one). Returns 0, or -1 with a one-line reason in err, e.g.
 * "server answered 401 Unauthorized". */
int	 wsc_hs_check_response(const struct wsc_http_msg *m,
	    const struct wsc_hs_request *r, struct wsc_hs_result *res,
	    char *err, size_t errlen);

#endif
