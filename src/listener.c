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
#include <sys/stat.h>
#include <sys/un.h>
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

/* Binds l->fd to sa and listens. Returns 0, or -1 with the reason in
 * err. */
static int
bind_listen(struct wsc_listener *l, const struct sockaddr *sa,
    socklen_t len, char *err, size_t errlen)
{
	/* A burst of clients waits in the backlog rather than being refused
	 * by the kernel: as long a queue as the system allows. */
	if (bind(l->fd, sa, len) == -1 ||
	    listen(l->fd, SOMAXCONN) == -1) {
		snprintf(err, errlen, "could not listen on %s: %s", l->where,
		    strerror(errno));
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	return 0;
}

/* Listens on a TCP port. */
static int
open_tcp(struct wsc_listener *l, const char *port, const char *addr,
    char *err, size_t errlen, int *st)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			one = 1;

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
	return bind_listen(l, (struct sockaddr *)&ss, len, err, errlen);
}

/* Says why l cannot listen; returns -1. */
static int
fail(const struct wsc_listener *l, char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "could not listen on %s: %s", l->where, why);
	return -1;
}

/* Clears the way for the socket file at sun's path: a socket whose server
 * is gone (connecting is refused) is removed, as a server killed before
 * it could clean up leaves it; a live server's socket and any other file
 * are left alone. Returns 0, or -1 with the reason in err. */
static int
unix_clear(struct wsc_listener *l, const struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	struct stat	st;
	int		fd, r, e;

	if (lstat(sun->sun_path, &st) == -1)
		return 0;	/* nothing there; other errors: bind says */
	if (!S_ISSOCK(st.st_mode))
		return fail(l, err, errlen, "the file exists and is not a socket");
	if ((fd = wsc_socket_nb(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return fail(l, err, errlen, strerror(errno));
	r = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	e = errno;
	close(fd);
	/* EAGAIN: a live server whose backlog is full. */
	if (r == 0 || e == EAGAIN)
		return fail(l, err, errlen, "a server is listening there");
	if (e != ECONNREFUSED)
		return fail(l, err, errlen, strerror(e));
	if (unlink(sun->sun_path) == -1 && errno != ENOENT)
		return fail(l, err, errlen, strerror(errno));
	return 0;
}

/* Listens on a Unix domain socket at path, remembering the file made so
 * that only it is removed at the end. */
static int
open_unix(struct wsc_listener *l, const char *path, char *err,
    size_t errlen)
{
	struct sockaddr_un	sun;
	struct stat		st;

	l->is_unix = 1;
	snprintf(l->where, sizeof l->where, WSC_LISTENER_UNIX "%s", path);
	if (wsc_unix_addr(&sun, path) != 0)
		return fail(l, err, errlen, "the path is empty or too long");
	if (unix_clear(l, &sun, err, errlen) != 0)
		return -1;
	if ((l->fd = wsc_socket_nb(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return fail(l, err, errlen, strerror(errno));
	if (bind_listen(l, (struct sockaddr *)&sun, sizeof sun, err,
	    errlen) != 0)
		return -1;
	if (stat(path, &st) == 0) {
		l->dev = st.st_dev;
		l->ino = st.st_ino;
	}
	return 0;
}

int
wsc_listener_open(struct wsc_listener *l, const char *spec,
    const char *addr, char *err, size_t errlen, int *st)
{
	size_t	n = strlen(WSC_LISTENER_UNIX);

	memset(l, 0, sizeof *l);
	l->fd = -1;
	if (strncmp(spec, WSC_LISTENER_UNIX, n) != 0)
		return open_tcp(l, spec, addr, err, errlen, st);
	*st = WSC_EXIT_CONNECT;
	return open_unix(l, spec + n, err, errlen);
}

int
wsc_listener_accept(struct wsc_listener *l, char *out, size_t outlen)
{
	struct sockaddr_storage	ss;
	socklen_t		len = sizeof ss;
	int			fd;

	if ((fd = wsc_accept_nb(l->fd, (struct sockaddr *)&ss, &len)) == -1)
		return -1;
	if (l->is_unix)
		snprintf(out, outlen, "unix");
	else
		wsc_net_addr_str((struct sockaddr *)&ss, len, out, outlen);
	return fd;
}

void
wsc_listener_close(struct wsc_listener *l)
{
	const char	*path = l->where + strlen(WSC_LISTENER_UNIX);
	struct stat	 st;

	if (l->fd == -1)
		return;
	close(l->fd);
	l->fd = -1;
	/* A server started after us may have replaced the file: its
	 * socket is not ours to remove. */
	if (l->is_unix && lstat(path, &st) == 0 && st.st_dev == l->dev &&
	    st.st_ino == l->ino)
		unlink(path);
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
