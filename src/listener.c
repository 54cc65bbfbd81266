/* Listen mode's listening socket and its descriptor budget (see
 * listener.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"
#include "exitcode.h"
#include "listener.h"
#include "net.h"

/* Descriptors kept for what is not a client: stdio, signals, listening
 * socket, TLS files, a --run child's pipes. */
#define FD_SPARE		32

/* Turns --bind (an IPv4 or IPv6 literal, brackets allowed) and the port
 * into an address. Returns 0, or -1 when ADDR is not a literal. */
static int
bind_address(const char *addr, const char *port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			 host[INET6_ADDRSTRLEN + 2];
	size_t			 n = strlen(addr);

	memset(ss, 0, sizeof *ss);
	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
		addr++;
		n -= 2;
	}
	if (n >= sizeof host)
		return -1;
	memcpy(host, addr, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(port));
		*len = sizeof *sin;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)atoi(port));
		*len = sizeof *sin6;
		return 0;
	}
	return -1;
}

/* Binds fd to ss and listens. Returns 0, or -1 with the reason in err. */
static int
bind_listen(struct wsc_listener *l, const struct sockaddr_storage *ss,
    socklen_t len, char *err, size_t errlen)
{
	/* A burst of clients waits in the backlog rather than being refused
	 * by the kernel: as long a queue as the system allows. */
	if (bind(l->fd, (const struct sockaddr *)ss, len) == -1 ||
	    listen(l->fd, SOMAXCONN) == -1) {
		snprintf(err, errlen, "could not listen on %s: %s", l->where,
		    strerror(errno));
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	return 0;
}

int
wsc_listener_open(struct wsc_listener *l, const char *port,
    const char *addr, char *err, size_t errlen, int *st)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			one = 1;

	memset(l, 0, sizeof *l);
	l->fd = -1;
	if (addr == NULL)
		addr = "127.0.0.1";
	*st = WSC_EXIT_USAGE;
	if (bind_address(addr, port, &ss, &len) != 0) {
		snprintf(err, errlen, "bad --bind address '%s' (expected an "
		    "IPv4 or IPv6 address)", addr);
		return -1;
	}
	wsc_net_addr_str((struct sockaddr *)&ss, len, l->where,
	    sizeof l->where);
	*st = WSC_EXIT_CONNECT;
	if ((l->fd = wsc_socket_nb(ss.ss_family, SOCK_STREAM, 0)) == -1) {
		snprintf(err, errlen, "could not listen on %s: %s", l->where,
		    strerror(errno));
		return -1;
	}
	/* Restarting while old connections sit in TIME_WAIT must work; a
	 * port another socket listens on still fails (Linux refuses a second
	 * listener without SO_REUSEPORT). */
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	return bind_listen(l, &ss, len, err, errlen);
}

int
wsc_listener_accept(struct wsc_listener *l, char *out, size_t outlen)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof ss;
	int			fd;

	if ((fd = wsc_accept_nb(l->fd, (struct sockaddr *)&ss, &len)) != -1)
		wsc_net_addr_str((struct sockaddr *)&ss, len, out, outlen);
	return fd;
}

void
wsc_listener_close(struct wsc_listener *l)
{
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
}

/* Asks for as many descriptors as max_clients needs (the soft limit is
 * often 1024, the hard one much more), and fits the handshake slots into
 * what is granted. */
unsigned
wsc_listener_fit_descriptors(unsigned max_clients)
{
	struct rlimit	rl;
	rlim_t		want = 2 * (rlim_t)max_clients + FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return max_clients;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 &&
	    getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return max_clients;
	/* Short of descriptors: half of them for handshakes, which keeps
	 * the eviction working; accept() pauses when they run out. */
	if (rl.rlim_cur < want)
		return rl.rlim_cur > FD_SPARE + 16 ?
		    (unsigned)(rl.rlim_cur - FD_SPARE) / 2 : 8;
	return max_clients;
}
