/* The portability layer: what differs between compilers and between
 * Linux, the BSDs and macOS, in one place (doc/pitfalls.md, Portability).
 * Each fallback is chosen by a configure check, never by the platform's
 * name, and configure can force the fallbacks to test them
 * (ac_cv_func_accept4=no ... on its command line). */
#ifndef WSC_COMPAT_H
#define WSC_COMPAT_H

#include <sys/types.h>
#include <sys/socket.h>

/* A case that runs on into the next one. clang's -Wimplicit-fallthrough
 * ignores the comment form gcc accepts; both take the attribute. */
#if defined(__has_attribute)
# if __has_attribute(fallthrough)
#  define WSC_FALLTHROUGH	__attribute__((fallthrough))
# endif
#endif
#ifndef WSC_FALLTHROUGH
# define WSC_FALLTHROUGH	do { } while (0) /* FALLTHROUGH */
#endif

/* printf-like functions, checked at every call (-Wformat=2). */
#define WSC_PRINTF(f, a)	__attribute__((format(printf, f, a)))

/* socket() and accept() whose descriptor is non-blocking and close-on-exec
 * (atomically where SOCK_NONBLOCK/accept4 exist, else with fcntl) and
 * never raises SIGPIPE. -1 with errno on error. */
int	wsc_socket_nb(int domain, int type, int protocol);
int	wsc_accept_nb(int lfd, struct sockaddr *sa, socklen_t *len);
/* send() without SIGPIPE (a closed peer gives EPIPE), restarted on EINTR;
 * EWOULDBLOCK is reported as EAGAIN. */
ssize_t	wsc_send(int fd, const void *buf, size_t n);
/* pipe() whose two ends are non-blocking and close-on-exec (in one call
 * where pipe2 exists). 0, or -1 with errno. */
int	wsc_pipe_nb(int fd[2]);

#endif
