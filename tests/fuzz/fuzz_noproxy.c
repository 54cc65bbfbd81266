/* fuzz-sources: src/proxy.c src/url.c src/handshake.c src/base64.c src/sha1.c src/net.c src/conn.c */
/* Fuzzes wsc_proxy_bypass, the NO_PROXY / --noproxy matcher: the input,
 * split at its first newline, is the list and the host. It must never
 * read outside either, and its answers must keep the rules: "*" covers
 * every host, an empty list none, "0.0.0.0/0" every IPv4 address and
 * nothing else, and one more entry never takes a match away. */
#include "config.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	 a[16];
	char		*list, *nl, *more;
	const char	*host;
	size_t		 n;
	int		 hit;

	if ((list = malloc(size + 1)) == NULL)
		return (0);
	memcpy(list, data, size);
	list[size] = '\0';
	host = "10.1.2.3";
	if ((nl = strchr(list, '\n')) != NULL) {
		*nl = '\0';
		host = nl + 1;
	}
	hit = wsc_proxy_bypass(list, host);
	if (wsc_proxy_bypass("*", host) != 1 || wsc_proxy_bypass("", host) != 0)
		abort();
	if (wsc_proxy_bypass("0.0.0.0/0", host) != (inet_pton(AF_INET, host, a) == 1))
		abort();
	n = strlen(list) + sizeof ",zz.invalid";
	if ((more = malloc(n)) != NULL) {
		snprintf(more, n, "%s,zz.invalid", list);
		if (hit && !wsc_proxy_bypass(more, host))
			abort();
		free(more);
	}
	free(list);
	return (0);
}
