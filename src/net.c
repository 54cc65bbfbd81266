/* Name resolution and TCP / Unix-socket connect, bounded by a deadline. */
#include "config.h"

#if defined(HAVE_GETADDRINFO_A) && !defined(_GNU_SOURCE)
# define _GNU_SOURCE 1	/* getaddrinfo_a(3), found by configure */
#endif

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "compat.h"
#include "net.h"
#include "util.h"

static volatile sig_atomic_t	*cancel_flag;

void
wsc_net_set_cancel(volatile sig_atomic_t *flag)
{
	cancel_flag = flag;
}

int
wsc_net_wait(int fd, short events, int64_t deadline)
{
	struct pollfd	pfd;
	int		r, ms;
	sig_atomic_t	start = cancel_flag != NULL ? *cancel_flag : 0;

	for (;;) {
		ms = wsc_poll_ms(deadline > 0 ? deadline : INT64_MAX);
		if (ms == 0)
			return 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, ms);
		if (r > 0)
			return 1;
		if (r == 0)
			continue;
		if (errno != EINTR)
			return -1;
		if (cancel_flag != NULL && *cancel_flag != start)
			return -1;
	}
}

/* What resolve() found. The EAI_* codes travel apart: their values are the
 * C library's own, and on the BSDs and macOS EAI_AGAIN is 2. */
enum resolve_status {
	RESOLVE_OK,
	RESOLVE_FAILED,		/* the EAI_* code is in *gai */
	RESOLVE_TIMEOUT,	/* the deadline passed first */
	RESOLVE_FAMILY		/* an address of the family -4/-6 excludes */
};

/* A getaddrinfo() result as a status. */
static enum resolve_status
gai_status(int r, int *gai)
{
	*gai = r;
	return r == 0 ? RESOLVE_OK : RESOLVE_FAILED;
}

#ifdef HAVE_GETADDRINFO_A
/* getaddrinfo bounded by the deadline. The request lives on the heap: a
 * resolution still running when we give up keeps writing to it. */
static enum resolve_status
resolve_async(const char *host, const char *service,
    const struct addrinfo *hints, int64_t deadline, struct addrinfo **res,
    int *gai)
{
	struct gaicb	*cb = calloc(1, sizeof *cb), *list[1];
	struct timespec	 ts;
	int64_t		 left;
	int		 r;

	if (cb == NULL)
		return gai_status(EAI_MEMORY, gai);
	cb->ar_name = host;
	cb->ar_service = service;
	cb->ar_request = hints;
	list[0] = cb;
	if ((r = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		free(cb);
		return gai_status(r, gai);
	}
	while ((r = gai_error(cb)) == EAI_INPROGRESS) {
		if ((left = deadline - wsc_now_ms()) <= 0) {
			if (gai_cancel(cb) == EAI_CANCELED)
				free(cb);
			return RESOLVE_TIMEOUT;
		}
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		gai_suspend((const struct gaicb *const *)list, 1, &ts);
	}
	*res = cb->ar_result;
	free(cb);
	return gai_status(r, gai);
}
#endif

int
wsc_net_parse_ip(const char *s, unsigned char a[16])
{
	if (inet_pton(AF_INET, s, a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, a) == 1)
		return AF_INET6;
	return 0;
}

/* Resolves host, within the deadline where the C library allows
 * (getaddrinfo_a; wsc(1), --connect-timeout). */
static enum resolve_status
resolve(const char *host, unsigned port, int family, int64_t deadline,
    struct addrinfo **res, int *gai)
{
	struct addrinfo	 hints;
	unsigned char	 ip[16];
	char		 service[8];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 :
	    AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof service, "%u", port);
	/* An address needs no resolver: no lookup thread (getaddrinfo_a
	 * starts one), no name service, and no AI_ADDRCONFIG interface scan
	 * (the user named the address); S1 in scripts/bench. */
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, service, &hints, res) == 0)
		return RESOLVE_OK;
	if (family != 0 && wsc_net_parse_ip(host, ip) != 0)
		return RESOLVE_FAMILY;
	hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV;
#ifdef HAVE_GETADDRINFO_A
	if (deadline > 0)
		return resolve_async(host, service, &hints, deadline, res, gai);
#else
	(void)deadline;
#endif
	return gai_status(getaddrinfo(host, service, &hints, res), gai);
}

/* Says why resolve() failed with r (gai: the resolver's EAI code). */
static void
resolve_error(enum resolve_status r, int gai, const char *host, int family,
    char *err, size_t errlen)
{
	if (r == RESOLVE_TIMEOUT)
		snprintf(err, errlen, "timed out resolving host '%s'", host);
	else if (r == RESOLVE_FAMILY)
		snprintf(err, errlen, "%s is an IPv%d address, and -%d asks for "
		    "IPv%d", host, family == 4 ? 6 : 4, family, family);
	else
		snprintf(err, errlen, "could not resolve host '%s': %s", host,
		    gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
}

int
wsc_net_resolve_addr(const char *host, const struct wsc_net_opts *o,
    char *out, size_t outlen, char *err, size_t errlen)
{
	struct addrinfo		*res = NULL;
	enum resolve_status	 st;
	int			 r, gai = 0;

	if ((st = resolve(host, 0, o->family, o->deadline, &res, &gai)) !=
	    RESOLVE_OK) {
		resolve_error(st, gai, host, o->family, err, errlen);
		return -1;
	}
	r = getnameinfo(res->ai_addr, res->ai_addrlen, out, (socklen_t)outlen,
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (r != 0) {
		snprintf(err, errlen, "could not resolve host '%s'", host);
		return -1;
	}
	return 0;
}

int
wsc_net_resolve(const char *host, unsigned port, const struct wsc_net_opts *o,
    struct addrinfo **res, char *err, size_t errlen)
{
	enum resolve_status	r;
	int			gai = 0;

	*res = NULL;
	if ((r = resolve(host, port, o->family, o->deadline, res, &gai)) ==
	    RESOLVE_OK)
		return 0;
	resolve_error(r, gai, host, o->family, err, errlen);
	return -1;
}

int
wsc_net_connect_start(const struct sockaddr *sa, socklen_t salen,
    int *inprogress, int *err)
{
	int	fd = wsc_socket_nb(sa->sa_family, SOCK_STREAM, 0);

	*inprogress = 0;
	if (fd == -1) {
		*err = errno;
		return -1;
	}
	if (connect(fd, sa, salen) == 0)
		return fd;
	if (errno == EINPROGRESS) {
		*inprogress = 1;
		return fd;
	}
	*err = errno;
	close(fd);
	return -1;
}

/* One non-blocking connect attempt, waited for until the deadline. */
static int
try_connect(const struct sockaddr *sa, socklen_t salen, int64_t deadline,
    int *err)
{
	int		fd, r, soerr = 0, inprogress;
	socklen_t	len = sizeof soerr;

	fd = wsc_net_connect_start(sa, salen, &inprogress, err);
	if (fd == -1 || !inprogress)
		return fd;
	r = wsc_net_wait(fd, POLLOUT, deadline);
	if (r == 0) {
		*err = ETIMEDOUT;
		close(fd);
		return -1;
	}
	if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1 ||
	    soerr != 0) {
		*err = r < 0 ? errno : soerr;
		close(fd);
		return -1;
	}
	return fd;
}

int
wsc_unix_addr(struct sockaddr_un *sun, const char *path)
{
	size_t	n = strlen(path);

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (n == 0 || n > WSC_UNIX_PATH_MAX)
		return -1;
	memcpy(sun->sun_path, path, n + 1);
	return 0;
}

/* Connects to a Unix domain socket. */
static int
connect_unix(const char *path, const struct wsc_net_opts *o, char *err,
    size_t errlen)
{
	struct sockaddr_un	sun;
	int			fd, e = 0;

	if (wsc_unix_addr(&sun, path) != 0) {
		snprintf(err, errlen, "unix socket path empty or too long: %s",
		    path);
		return -1;
	}
	fd = try_connect((struct sockaddr *)&sun, sizeof sun, o->deadline, &e);
	if (fd == -1)
		snprintf(err, errlen, "could not connect to unix socket %s: %s",
		    path, e == ETIMEDOUT ? "timed out" : strerror(e));
	return fd;
}

void
wsc_net_addr_str(const struct sockaddr *sa, socklen_t len, char *out,
    size_t outlen)
{
	char	host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, outlen, "?");
		return;
	}
	snprintf(out, outlen, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
	    host, serv);
}

/* An address as a one-entry getaddrinfo() list. */
struct literal {
	struct addrinfo		ai;
	struct sockaddr_storage	ss;
};

/* The list for host when it is an IPv4 or IPv6 address of a family -4/-6
 * allows, built without getaddrinfo (its service parsing and allocation
 * are most of a short run's name resolution: S1 in scripts/bench); NULL
 * for anything else, which getaddrinfo resolves (and explains). */
static struct addrinfo *
literal_addr(const char *host, unsigned port, int family, struct literal *l)
{
	struct sockaddr_in	*in = (struct sockaddr_in *)&l->ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&l->ss;

	memset(l, 0, sizeof *l);
	if (family != 6 && inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		l->ai.ai_addrlen = sizeof *in;
	} else if (family != 4 &&
	    inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		l->ai.ai_addrlen = sizeof *in6;
	} else
		return NULL;
	l->ai.ai_family = l->ss.ss_family;
	l->ai.ai_socktype = SOCK_STREAM;
	l->ai.ai_addr = (struct sockaddr *)&l->ss;
	return &l->ai;
}

int
wsc_net_connect(const char *host, unsigned port, const struct wsc_net_opts *o,
    char *err, size_t errlen)
{
	struct literal		 lit;
	struct addrinfo		*res = NULL, *ai, *last = NULL;
	char			 where[NI_MAXHOST + 16];
	enum resolve_status	 r;
	int			 fd = -1, gai = 0, e = 0, one = 1;

	if (o->unix_path != NULL)
		return connect_unix(o->unix_path, o, err, errlen);
	if ((res = literal_addr(host, port, o->family, &lit)) == NULL &&
	    (r = resolve(host, port, o->family, o->deadline, &res, &gai)) !=
	    RESOLVE_OK) {
		resolve_error(r, gai, host, o->family, err, errlen);
		return -1;
	}
	/* Every address in turn (RFC 6555 lite): a dead IPv6 route must not
	 * hide a working IPv4 one. */
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		last = ai;
		fd = try_connect(ai->ai_addr, ai->ai_addrlen, o->deadline, &e);
		if (e == ETIMEDOUT)
			break;
	}
	if (fd == -1) {
		/* Named only when it failed: S1 (scripts/bench) paid 6,600
		 * instructions to format it for every connection. */
		where[0] = '\0';
		if (last != NULL)
			wsc_net_addr_str(last->ai_addr, last->ai_addrlen, where,
			    sizeof where);
		snprintf(err, errlen, "could not connect to %s: %s", where,
		    e == ETIMEDOUT ? "timed out" : strerror(e));
	}
	if (res != &lit.ai)
		freeaddrinfo(res);
	if (fd == -1)
		return -1;
	/* Messages are written whole; Nagle would only add latency. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* Moves all n bytes to (send) or from (recv) the non-blocking fd before
 * the deadline; errno says why not (ECONNRESET: the peer closed first,
 * ETIMEDOUT: the deadline passed). */
static int
move_all(int fd, char *p, size_t n, int64_t deadline, int sending)
{
	ssize_t	r;

	while (n > 0) {
		r = sending ? wsc_send(fd, p, n) : recv(fd, p, n, 0);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
		} else if (r == 0) {
			errno = ECONNRESET;
			return -1;
		} else if (errno == EINTR)
			continue;
		else if (errno != EAGAIN)
			return -1;
		else if ((r = wsc_net_wait(fd, sending ? POLLOUT : POLLIN,
		    deadline)) <= 0) {
			if (r == 0)
				errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

int
wsc_net_send_all(int fd, const void *buf, size_t n, int64_t deadline)
{
	/* send() does not write through the pointer. */
	return move_all(fd, (char *)(uintptr_t)buf, n, deadline, 1);
}

int
wsc_net_recv_exact(int fd, void *buf, size_t n, int64_t deadline)
{
	return move_all(fd, buf, n, deadline, 0);
}
