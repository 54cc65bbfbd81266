/* The local address of --tunnel: "[ADDR:]PORT", ADDR an IPv4 literal or
 * an IPv6 one (in brackets, or bare: the port follows the last colon),
 * 127.0.0.1 when left out. Pure: no I/O, no name resolution. */
#ifndef WSC_BINDADDR_H
#define WSC_BINDADDR_H

#include <sys/socket.h>

/* Parses s into *ss and *len; PORT is 0 (any free port) to 65535.
 * Returns 0, or -1 when s is not of that form. */
int	 wsc_bindaddr_parse(const char *s, struct sockaddr_storage *ss,
	    socklen_t *len);

#endif
