/* fuzz-sources: src/bindaddr.c */
/* Fuzzes wsc_bindaddr_parse (--tunnel's [ADDR:]PORT) and checks that what
 * it accepts is an address bind() can take, its port the text's last
 * digits. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bindaddr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = 0;
	char			*s, *colon;
	unsigned		 port;

	if ((s = malloc(size + 1)) == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';
	if (wsc_bindaddr_parse(s, &ss, &len) == 0) {
		colon = strrchr(s, ':');
		port = (unsigned)atoi(colon != NULL ? colon + 1 : s);
		if (ss.ss_family == AF_INET) {
			if (len != sizeof *sin || ntohs(sin->sin_port) != port)
				abort();
		} else if (ss.ss_family != AF_INET6 || len != sizeof *sin6 ||
		    ntohs(sin6->sin6_port) != port)
			abort();
	}
	free(s);
	return (0);
}
