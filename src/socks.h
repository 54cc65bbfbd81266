/* SOCKS5 proxies (RFC 1928), with username/password authentication
 * (RFC 1929): the messages, built and parsed on buffers, and the tunnel
 * opened on a connected socket. */
#ifndef WSC_SOCKS_H
#define WSC_SOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "url.h"

#define WSC_SOCKS5_MAX_MSG	515	/* RFC 1929: 3 + 255 + 255, the largest */

/* The client's greeting: no authentication, plus username/password when
 * with_auth. Returns its length. */
size_t		 wsc_socks5_greeting(uint8_t out[4], int with_auth);
/* The RFC 1929 request into out (WSC_SOCKS5_MAX_MSG bytes). Returns its
 * length, or 0 when user or pass is longer than 255 bytes. */
size_t		 wsc_socks5_auth_request(uint8_t *out, const char *user,
		    const char *pass);
/* The CONNECT request for host:port into out (WSC_SOCKS5_MAX_MSG bytes):
 * an IPv4 or IPv6 literal as an address, anything else as a domain name
 * (the proxy resolves it). Returns its length, or 0 when the name is
 * longer than 255 bytes. */
size_t		 wsc_socks5_connect_request(uint8_t *out, const char *host,
		    unsigned port);
/* How long the proxy's reply to CONNECT is, from its first n bytes: the
 * full length (>= n), 0 when more bytes are needed to tell (fewer than 5),
 * or -1 when it is not a SOCKS5 reply or names an unknown address type. */
int		 wsc_socks5_reply_len(const uint8_t *b, size_t n);
/* The meaning of a reply code (RFC 1928 section 6), e.g. "connection
 * refused"; "unknown reply code" past the table. */
const char	*wsc_socks5_reply_text(unsigned code);
/* On fd, connected to the proxy, opens a tunnel to host:port: greeting,
 * authentication when proxy has a user, CONNECT. Reads exactly the proxy's
 * messages, nothing past them. Returns 0, or -1 with a reason in err
 * ("the proxy refused: connection refused (reply 5)"). */
int		 wsc_socks5_tunnel(int fd, const struct wsc_url *proxy,
		    const char *host, unsigned port, int64_t deadline,
		    char *err, size_t errlen);

#endif
