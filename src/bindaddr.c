/* "[ADDR:]PORT" into a socket address (wsc(1), --tunnel). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "bindaddr.h"

/* The longest ADDR: an IPv6 literal with an embedded IPv4 one. */
#define ADDR_MAX	INET6_ADDRSTRLEN

/* A port of 1-5 digits, 0 to 65535; -1 otherwise. */
static long
parse_port(const char *p)
{
	long	v = 0;
	size_t	n = 0;

	for (; p[n] >= '0' && p[n] <= '9' && n < 5; n++)
		v = v * 10 + (p[n] - '0');
	if (n == 0 || p[n] != '\0' || v > 65535)
		return -1;
	return v;
}

/* Fills ss from the literal host (n bytes) and port. */
static int
fill(const char *host, size_t n, long port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			 a[ADDR_MAX + 1];

	if (n == 0 || n > ADDR_MAX)
		return -1;
	memcpy(a, host, n);
	a[n] = '\0';
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, a, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof *sin;
		return 0;
	}
	if (inet_pton(AF_INET6, a, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof *sin6;
		return 0;
	}
	return -1;
}

int
wsc_bindaddr_parse(const char *s, struct sockaddr_storage *ss,
    socklen_t *len)
{
	const char	*colon = strrchr(s, ':'), *close;
	long		 port;

	if (colon == NULL) {
		if ((port = parse_port(s)) < 0)
			return -1;
		return fill("127.0.0.1", 9, port, ss, len);
	}
	if ((port = parse_port(colon + 1)) < 0)
		return -1;
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (close == NULL || close + 1 != colon)
			return -1;
		/* Brackets hold IPv6 only. */
		if (memchr(s + 1, ':', (size_t)(close - s - 1)) == NULL)
			return -1;
		return fill(s + 1, (size_t)(close - s - 1), port, ss, len);
	}
	return fill(s, (size_t)(colon - s), port, ss, len);
}
