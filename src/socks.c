/* SOCKS5 (RFC 1928) with username/password authentication (RFC 1929). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net.h"
#include "proxy.h"
#include "socks.h"

#define SOCKS_VERSION		5
#define SOCKS_AUTH_VERSION	1	/* RFC 1929 section 2 */
#define SOCKS_NO_AUTH		0x00
#define SOCKS_USERPASS		0x02
#define SOCKS_NO_METHOD		0xff
#define SOCKS_CONNECT		1
#define SOCKS_ATYP_IPV4		1
#define SOCKS_ATYP_DOMAIN	3
#define SOCKS_ATYP_IPV6		4

size_t
wsc_socks5_greeting(uint8_t out[4], int with_auth)
{
	out[0] = SOCKS_VERSION;
	out[1] = with_auth ? 2 : 1;
	out[2] = SOCKS_NO_AUTH;
	out[3] = SOCKS_USERPASS;
	return with_auth ? 4 : 3;
}

size_t
wsc_socks5_auth_request(uint8_t *out, const char *user, const char *pass)
{
	size_t	ul = strlen(user), pl = strlen(pass);

	if (ul > 255 || pl > 255)
		return 0;
	out[0] = SOCKS_AUTH_VERSION;
	out[1] = (uint8_t)ul;
	memcpy(out + 2, user, ul);
	out[2 + ul] = (uint8_t)pl;
	memcpy(out + 3 + ul, pass, pl);
	return 3 + ul + pl;
}

size_t
wsc_socks5_connect_request(uint8_t *out, const char *host, unsigned port)
{
	unsigned char	ip[16];
	size_t		n = 4, hl;
	int		fam = wsc_net_parse_ip(host, ip);

	out[0] = SOCKS_VERSION;
	out[1] = SOCKS_CONNECT;
	out[2] = 0;
	if (fam == AF_INET || fam == AF_INET6) {
		out[3] = fam == AF_INET ? SOCKS_ATYP_IPV4 : SOCKS_ATYP_IPV6;
		hl = fam == AF_INET ? 4 : 16;
		memcpy(out + n, ip, hl);
	} else {
		if ((hl = strlen(host)) == 0 || hl > 255)
			return 0;
		out[3] = SOCKS_ATYP_DOMAIN;
		out[n++] = (uint8_t)hl;
		memcpy(out + n, host, hl);
	}
	n += hl;
	out[n++] = (uint8_t)(port >> 8);
	out[n++] = (uint8_t)port;
	return n;
}

int
wsc_socks5_reply_len(const uint8_t *b, size_t n)
{
	if (n >= 1 && b[0] != SOCKS_VERSION)
		return -1;
	if (n < 5)
		return 0;
	switch (b[3]) {
	case SOCKS_ATYP_IPV4:
		return 4 + 4 + 2;
	case SOCKS_ATYP_IPV6:
		return 4 + 16 + 2;
	case SOCKS_ATYP_DOMAIN:
		return 4 + 1 + b[4] + 2;
	default:
		return -1;
	}
}

const char *
wsc_socks5_reply_text(unsigned code)
{
	static const char *const text[] = {
		"succeeded",
		"general SOCKS server failure",
		"connection not allowed by ruleset",
		"network unreachable",
		"host unreachable",
		"connection refused",
		"TTL expired",
		"command not supported",
		"address type not supported",
	};

	return code < sizeof text / sizeof text[0] ? text[code] :
	    "unknown reply code";
}

/* Sends n bytes of msg to the proxy, or says why not in err. */
static int
put(int fd, const uint8_t *msg, size_t n, int64_t deadline, char *err,
    size_t errlen)
{
	if (wsc_net_send_all(fd, msg, n, deadline) == 0)
		return 0;
	wsc_proxy_io_error(err, errlen, "could not send to the proxy");
	return -1;
}

/* Receives exactly n bytes from the proxy, or says why not in err. */
static int
get(int fd, uint8_t *b, size_t n, int64_t deadline, char *err, size_t errlen)
{
	if (wsc_net_recv_exact(fd, b, n, deadline) == 0)
		return 0;
	wsc_proxy_io_error(err, errlen, "could not read from the proxy");
	return -1;
}

/* RFC 1929: sends the user name and password; the proxy must accept. */
static int
authenticate(int fd, const struct wsc_url *proxy, int64_t deadline,
    char *err, size_t errlen)
{
	uint8_t	msg[WSC_SOCKS5_MAX_MSG];
	size_t	n;

	n = wsc_socks5_auth_request(msg, proxy->user,
	    proxy->password != NULL ? proxy->password : "");
	if (n == 0) {
		snprintf(err, errlen, "the proxy user name or password is "
		    "longer than SOCKS5 allows (255 bytes)");
		return -1;
	}
	if (put(fd, msg, n, deadline, err, errlen) != 0 ||
	    get(fd, msg, 2, deadline, err, errlen) != 0)
		return -1;
	if (msg[0] != SOCKS_AUTH_VERSION || msg[1] != 0) {
		snprintf(err, errlen, "the proxy rejected the user name or "
		    "password");
		return -1;
	}
	return 0;
}

/* The greeting and the method the proxy chose (RFC 1928 section 3). */
static int
negotiate(int fd, const struct wsc_url *proxy, int64_t deadline, char *err,
    size_t errlen)
{
	uint8_t	msg[4];

	if (put(fd, msg, wsc_socks5_greeting(msg, proxy->user != NULL),
	    deadline, err, errlen) != 0 ||
	    get(fd, msg, 2, deadline, err, errlen) != 0)
		return -1;
	if (msg[0] != SOCKS_VERSION) {
		snprintf(err, errlen, "the proxy's answer is not SOCKS5");
		return -1;
	}
	if (msg[1] == SOCKS_NO_AUTH)
		return 0;
	if (msg[1] == SOCKS_USERPASS && proxy->user != NULL)
		return authenticate(fd, proxy, deadline, err, errlen);
	snprintf(err, errlen, "the proxy accepts none of the offered "
	    "authentication methods (%s)", proxy->user != NULL ?
	    "none, username/password" : "none; give user:pass@ in the proxy URL");
	return -1;
}

/* CONNECT and the proxy's reply, read to its last byte. */
static int
request(int fd, const char *host, unsigned port, int64_t deadline,
    char *err, size_t errlen)
{
	uint8_t	msg[WSC_SOCKS5_MAX_MSG];
	size_t	n = wsc_socks5_connect_request(msg, host, port);
	int	len;

	if (n == 0) {
		snprintf(err, errlen, "host name too long for SOCKS5");
		return -1;
	}
	if (put(fd, msg, n, deadline, err, errlen) != 0 ||
	    get(fd, msg, 5, deadline, err, errlen) != 0)
		return -1;
	if ((len = wsc_socks5_reply_len(msg, 5)) < 0) {
		snprintf(err, errlen, "the proxy's answer is not SOCKS5");
		return -1;
	}
	if (get(fd, msg + 5, (size_t)len - 5, deadline, err, errlen) != 0)
		return -1;
	if (msg[1] != 0) {
		snprintf(err, errlen, "the proxy refused: %s (reply %u)",
		    wsc_socks5_reply_text(msg[1]), msg[1]);
		return -1;
	}
	return 0;
}

int
wsc_socks5_tunnel(int fd, const struct wsc_url *proxy, const char *host,
    unsigned port, int64_t deadline, char *err, size_t errlen)
{
	if (negotiate(fd, proxy, deadline, err, errlen) != 0)
		return -1;
	return request(fd, host, port, deadline, err, errlen);
}
