/* Reaching the peer's byte stream: name resolution, TCP connect with a
 * deadline over every address, -4/-6, Unix domain sockets. */
#ifndef WSC_NET_H
#define WSC_NET_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The longest Unix socket path a sockaddr_un holds, without its NUL. */
#define WSC_UNIX_PATH_MAX	(sizeof ((struct sockaddr_un *)0)->sun_path - 1)

struct wsc_net_opts {
	int		 family;	/* 0, 4 or 6 */
	const char	*unix_path;	/* connect here instead of host:port */
	int64_t		 deadline;	/* wsc_now_ms() limit; 0: none */
};

/* Fills *sun with path's address. Returns 0, or -1 when path is empty or
 * longer than WSC_UNIX_PATH_MAX (the caller says so). */
int	 wsc_unix_addr(struct sockaddr_un *sun, const char *path);
/* Connects to host:port and returns a non-blocking socket, or -1 with a
 * reason in err ("could not resolve host 'x'", "connection refused", ...). */
int	 wsc_net_connect(const char *host, unsigned port,
	    const struct wsc_net_opts *o, char *err, size_t errlen);
/* Resolves host:port (honouring -4/-6 and the deadline in o) to its
 * addresses, for connecting later (freeaddrinfo when done). Returns 0, or
 * -1 with a reason in err. */
struct addrinfo;
int	 wsc_net_resolve(const char *host, unsigned port,
	    const struct wsc_net_opts *o, struct addrinfo **res, char *err,
	    size_t errlen);
/* Starts a non-blocking connect to sa without waiting: returns the socket,
 * with *inprogress set when the connection is still being made (poll for
 * POLLOUT, then SO_ERROR says how it went), or -1 with the errno in *err. */
int	 wsc_net_connect_start(const struct sockaddr *sa, socklen_t salen,
	    int *inprogress, int *err);
/* Resolves host (honouring -4/-6 and the deadline in o) to its first
 * address, written as text into out (INET6_ADDRSTRLEN bytes). Returns 0,
 * or -1 with a reason in err. */
int	 wsc_net_resolve_addr(const char *host, const struct wsc_net_opts *o,
	    char *out, size_t outlen, char *err, size_t errlen);
/* Waits until fd is ready for events or the deadline passes (0: none).
 * Returns 1 ready, 0 timed out, -1 error. Restarts on EINTR. */
int	 wsc_net_wait(int fd, short events, int64_t deadline);
/* Makes wsc_net_wait give up (-1, EINTR) when a signal handler changes
 * *flag, so Ctrl+C interrupts a connect in progress. */
void	 wsc_net_set_cancel(volatile sig_atomic_t *flag);
/* An IPv4 or IPv6 address without brackets, into a[16]: AF_INET (the
 * first 4 bytes), AF_INET6, or 0 when s is not an address. */
int	 wsc_net_parse_ip(const char *s, unsigned char a[16]);
/* Formats an address for messages: "127.0.0.1:80", "[::1]:9000". */
void	 wsc_net_addr_str(const struct sockaddr *sa, socklen_t len, char *out,
	    size_t outlen);
/* Sends all n bytes on the non-blocking fd before the deadline (0: none).
 * Returns 0, or -1 with errno set (ETIMEDOUT when the deadline passed). */
int	 wsc_net_send_all(int fd, const void *buf, size_t n, int64_t deadline);
/* Receives exactly n bytes, nothing more; -1 with errno set, ECONNRESET
 * when the peer closed first, ETIMEDOUT when the deadline passed. */
int	 wsc_net_recv_exact(int fd, void *buf, size_t n, int64_t deadline);

#endif
