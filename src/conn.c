/* The byte-stream interface, and its plain-socket transport. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compat.h"
#include "conn.h"

/* Reads from the socket; a reset peer is an error like any other. */
static ssize_t
plain_read(struct wsc_conn *c, void *buf, size_t n)
{
	ssize_t	r;

	do
		r = recv(c->fd, buf, n, 0);
	while (r == -1 && errno == EINTR);
	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return WSC_CONN_AGAIN;
	snprintf(c->err, sizeof c->err, "%s", strerror(errno));
	return WSC_CONN_ERROR;
}

/* wsc_send: a closed peer must give EPIPE, not kill us with SIGPIPE. */
static ssize_t
plain_write(struct wsc_conn *c, const void *buf, size_t n)
{
	ssize_t	r;

	if ((r = wsc_send(c->fd, buf, n)) >= 0)
		return r;
	if (errno == EAGAIN)
		return WSC_CONN_AGAIN;
	snprintf(c->err, sizeof c->err, "%s", strerror(errno));
	return WSC_CONN_ERROR;
}

static size_t
plain_pending(struct wsc_conn *c)
{
	return 0;
}

static short
plain_want(struct wsc_conn *c)
{
	return 0;
}

static void
plain_shutdown(struct wsc_conn *c)
{
}

static void
plain_free(struct wsc_conn *c)
{
}

static const struct wsc_conn_ops plain_ops = {
	plain_read, plain_write, plain_pending, plain_want, plain_shutdown,
	plain_free
};

void
wsc_conn_init_plain(struct wsc_conn *c, int fd)
{
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->ops = &plain_ops;
}

ssize_t
wsc_conn_read(struct wsc_conn *c, void *buf, size_t n)
{
	return c->ops->read(c, buf, n);
}

ssize_t
wsc_conn_write(struct wsc_conn *c, const void *buf, size_t n)
{
	return c->ops->write(c, buf, n);
}

size_t
wsc_conn_pending(struct wsc_conn *c)
{
	return c->ops->pending(c);
}

short
wsc_conn_want(struct wsc_conn *c)
{
	return c->ops->want(c);
}

void
wsc_conn_shutdown(struct wsc_conn *c)
{
	if (c->ops != NULL)
		c->ops->shutdown(c);
}

void
wsc_conn_close(struct wsc_conn *c)
{
	if (c->ops != NULL)
		c->ops->free(c);
	c->ops = NULL;
	c->impl = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
