/* Where a side's input goes: the client session (one WebSocket) or the
 * server (listen mode: many, each numbered). A side (pipe.c, tty.c, ...)
 * reaches the loop that drives it only through this interface, so no side
 * includes session.c or server.c and neither loop includes the other
 * (doc/architecture.md, Sides). */
#ifndef WSC_SINK_H
#define WSC_SINK_H

#include <stddef.h>
#include <stdint.h>

/* What /status shows of one connection (the browser API's names). */
struct wsc_sink_stats {
	int		 ready_state;	/* 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED */
	const char	*protocol;	/* negotiated; NULL: none */
	const char	*extensions;
	size_t		 buffered;	/* bufferedAmount: queued, not written */
	uint64_t	 msgs_in, bytes_in, msgs_out, bytes_out;
	int64_t		 last_rtt_us;	/* the last pong's round trip; 0: none */
};

struct wsc_sink_ops {
	/* A message of the side's: for the session's connection, or in listen
	 * mode for every client (or one, by "/to N" with --slash). Returns
	 * 0, or -1 when nothing can be sent any more (closing). */
	int	(*send)(void *ctx, int opcode, const void *p, size_t n);
	/* A message for client `to` only (listen mode). */
	int	(*send_to)(void *ctx, unsigned to, int opcode, const void *p,
		    size_t n);
	/* The user's ping (/ping, at most 125 bytes), remembered for -P's
	 * round trip; -1 when it cannot be sent. */
	int	(*ping)(void *ctx, const void *p, size_t n);
	/* The side has no more input (EOF). */
	void	(*input_done)(void *ctx);
	/* Close client `to` (0: the connection, or every client and quit). */
	void	(*close)(void *ctx, unsigned to, unsigned code,
		    const char *reason);
	/* Fills st and returns 0; -1 when there is no one connection to
	 * describe (listen mode). */
	int	(*status)(void *ctx, struct wsc_sink_stats *st);
};

struct wsc_sink {
	const struct wsc_sink_ops	*ops;
	void				*ctx;
	int				 many;	/* listen mode: clients numbered */
};

static inline int
wsc_sink_send(struct wsc_sink *k, int opcode, const void *p, size_t n)
{
	return k->ops->send(k->ctx, opcode, p, n);
}

static inline int
wsc_sink_send_to(struct wsc_sink *k, unsigned to, int opcode, const void *p,
    size_t n)
{
	return k->ops->send_to(k->ctx, to, opcode, p, n);
}

static inline int
wsc_sink_ping(struct wsc_sink *k, const void *p, size_t n)
{
	return k->ops->ping(k->ctx, p, n);
}

static inline void
wsc_sink_input_done(struct wsc_sink *k)
{
	k->ops->input_done(k->ctx);
}

static inline void
wsc_sink_close(struct wsc_sink *k, unsigned to, unsigned code,
    const char *reason)
{
	k->ops->close(k->ctx, to, code, reason);
}

static inline int
wsc_sink_status(struct wsc_sink *k, struct wsc_sink_stats *st)
{
	return k->ops->status(k->ctx, st);
}

#endif
