/* One byte-stream interface over a plain socket (and, once set up, TLS):
 * the session loop reads and writes through it without knowing which. */
#ifndef WSC_CONN_H
#define WSC_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WSC_CONN_AGAIN	(-2)	/* would block */
#define WSC_CONN_ERROR	(-1)

struct wsc_conn;

/* The transport vtable: plain sockets and TLS implement it. */
struct wsc_conn_ops {
	ssize_t	(*read)(struct wsc_conn *c, void *buf, size_t n);
	ssize_t	(*write)(struct wsc_conn *c, const void *buf, size_t n);
	size_t	(*pending)(struct wsc_conn *c);	/* decrypted bytes held inside */
	short	(*want)(struct wsc_conn *c);	/* extra poll events the transport needs */
	void	(*shutdown)(struct wsc_conn *c);	/* e.g. TLS close_notify */
	void	(*free)(struct wsc_conn *c);
};

struct wsc_conn {
	int				 fd;
	const struct wsc_conn_ops	*ops;
	void				*impl;	/* the transport's state */
	char				 err[160];
};

/* A plain-socket connection owning fd. */
void	 wsc_conn_init_plain(struct wsc_conn *c, int fd);
/* Returns > 0 bytes, 0 at end of stream, WSC_CONN_AGAIN or WSC_CONN_ERROR
 * (reason in c->err). */
ssize_t	 wsc_conn_read(struct wsc_conn *c, void *buf, size_t n);
ssize_t	 wsc_conn_write(struct wsc_conn *c, const void *buf, size_t n);
size_t	 wsc_conn_pending(struct wsc_conn *c);
short	 wsc_conn_want(struct wsc_conn *c);
void	 wsc_conn_shutdown(struct wsc_conn *c);
/* Closes the socket and frees the transport; safe twice. */
void	 wsc_conn_close(struct wsc_conn *c);

#endif
