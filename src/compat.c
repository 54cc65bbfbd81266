/* The portability layer's functions (src/compat.h): descriptors that are
 * non-blocking and close-on-exec from the start where the system can, and
 * sends that never raise SIGPIPE. */
#include "config.h"

#if (defined(HAVE_ACCEPT4) || defined(HAVE_PIPE2)) && !defined(_GNU_SOURCE)
# define _GNU_SOURCE 1	/* accept4(2), pipe2(2), found by configure */
#endif

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"

/* SOCK_NONBLOCK and SOCK_CLOEXEC: Linux, the BSDs, POSIX.1-2024; not macOS. */
#if HAVE_DECL_SOCK_NONBLOCK && HAVE_DECL_SOCK_CLOEXEC
# define SOCK_NB_CLOEXEC	(SOCK_NONBLOCK | SOCK_CLOEXEC)
#endif

/* Sets O_NONBLOCK and FD_CLOEXEC on fd, or closes it and returns -1. */
static int
set_nb_cloexec(int fd)
{
	int	fl, e;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Finishes a descriptor from socket() or accept(): non-blocking and
 * close-on-exec unless the call made it so (flags_set), and where send()
 * has no MSG_NOSIGNAL (macOS) told not to raise SIGPIPE; where neither
 * exists, main() ignores SIGPIPE. */
static int
fd_ready(int fd, int flags_set)
{
#if !HAVE_DECL_MSG_NOSIGNAL && HAVE_DECL_SO_NOSIGPIPE
	int	one = 1;
#endif

	if (fd != -1 && !flags_set)
		fd = set_nb_cloexec(fd);
#if !HAVE_DECL_MSG_NOSIGNAL && HAVE_DECL_SO_NOSIGPIPE
	if (fd != -1)
		setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
	return fd;
}

int
wsc_socket_nb(int domain, int type, int protocol)
{
#ifdef SOCK_NB_CLOEXEC
	return fd_ready(socket(domain, type | SOCK_NB_CLOEXEC, protocol), 1);
#else
	return fd_ready(socket(domain, type, protocol), 0);
#endif
}

int
wsc_accept_nb(int lfd, struct sockaddr *sa, socklen_t *len)
{
#if defined(HAVE_ACCEPT4) && defined(SOCK_NB_CLOEXEC)
	return fd_ready(accept4(lfd, sa, len, SOCK_NB_CLOEXEC), 1);
#else
	return fd_ready(accept(lfd, sa, len), 0);
#endif
}

ssize_t
wsc_send(int fd, const void *buf, size_t n)
{
#if HAVE_DECL_MSG_NOSIGNAL
	const int	flags = MSG_NOSIGNAL;
#else
	const int	flags = 0;
#endif
	ssize_t		r;

	do
		r = send(fd, buf, n, flags);
	while (r == -1 && errno == EINTR);
	if (r == -1 && errno == EWOULDBLOCK)
		errno = EAGAIN;
	return r;
}

int
wsc_pipe_nb(int fd[2])
{
#ifdef HAVE_PIPE2
	return pipe2(fd, O_NONBLOCK | O_CLOEXEC);
#else
	if (pipe(fd) == -1)
		return -1;
	/* set_nb_cloexec closes the descriptor it fails on. */
	if (set_nb_cloexec(fd[0]) == -1) {
		close(fd[1]);
		return -1;
	}
	if (set_nb_cloexec(fd[1]) == -1) {
		close(fd[0]);
		return -1;
	}
	return 0;
#endif
}
