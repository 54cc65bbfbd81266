/* fuzz-sources: src/socks.c src/proxy.c src/url.c src/handshake.c src/base64.c src/sha1.c src/net.c src/conn.c */
/* Fuzzes the SOCKS5 messages: the input is both a proxy's reply (its
 * length must be known from the first 5 bytes and never be shorter than
 * them) and, up to a NUL, a host name for the CONNECT request, which
 * must fit its buffer and carry the name or address it was given. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socks.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	 msg[WSC_SOCKS5_MAX_MSG];
	char	*host;
	size_t	 n;
	int	 len;

	len = wsc_socks5_reply_len(data, size < 5 ? size : 5);
	if (len > 0 && (size < 5 || len < 5 || len > 4 + 1 + 255 + 2))
		abort();
	if ((host = malloc(size + 1)) == NULL)
		return 0;
	memcpy(host, data, size);
	host[size] = '\0';
	n = wsc_socks5_connect_request(msg, host, 443);
	if (n > sizeof msg || (n > 0 && (msg[0] != 5 || msg[n - 1] != 0xbb)))
		abort();
	if (n > 0 && msg[3] == 3 && (msg[4] != strlen(host) ||
	    memcmp(msg + 5, host, msg[4]) != 0))
		abort();
	free(host);
	return 0;
}
