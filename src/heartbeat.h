/* The heartbeat of one connection (--ping-interval, --ping-timeout): a
 * ping every interval whose payload is its number, and a timeout that
 * counts from when the ping reached the peer, so that our own congested
 * outgoing data is never taken for a dead peer (wsc(1), HEARTBEAT). The
 * client session keeps one; listen mode keeps one per client. It queues
 * its pings on the connection's ws core and looks at its socket; it prints
 * nothing: the caller says what a pong or a dead connection means. */
#ifndef WSC_HEARTBEAT_H
#define WSC_HEARTBEAT_H

#include <stddef.h>
#include <stdint.h>

#include "ws.h"

/* Pings remembered for round-trip times and timeouts. */
#define WSC_HB_PINGS		64

struct wsc_heartbeat {
	struct wsc_ws	*ws;		/* where pings are queued */
	int		 fd;		/* its socket, for what the kernel holds */
	int64_t		 interval_ms;	/* 0: off */
	int64_t		 timeout_ms;	/* 0: no timeout */
	int64_t		 next_ping;	/* ms */
	uint32_t	 count;		/* last ping queued */
	uint32_t	 answered;	/* highest answered */
	uint64_t	 end[WSC_HB_PINGS];	/* queue offset after it */
	int64_t		 queued[WSC_HB_PINGS];	/* us */
	int64_t		 sent[WSC_HB_PINGS];	/* us, handed to the kernel;
						   0: not yet */
	int64_t		 written[WSC_HB_PINGS];	/* us, acknowledged by the
						   peer's TCP; 0: not yet */
	uint64_t	 delivered;	/* bytes the peer's TCP has */
	int64_t		 progress_us;	/* when that last grew */
	int		 read_paused;	/* the socket is not being read */
	int64_t		 resumed_us;	/* when reading last resumed */
};

/* Starts the heartbeat of a connection just opened at now_ms: pings go
 * on ws, whose socket is fd; interval_ms 0 turns it off. */
void	 wsc_heartbeat_init(struct wsc_heartbeat *hb, struct wsc_ws *ws,
	    int fd, int64_t interval_ms, int64_t timeout_ms, int64_t now_ms);
/* Queues a ping when one is due (only while ws is open). Returns 1 when
 * the oldest unanswered ping has timed out: the connection is dead. */
int	 wsc_heartbeat_tick(struct wsc_heartbeat *hb, int64_t now_ms);
/* After writing to the socket: notes which pings have left and arrived. */
void	 wsc_heartbeat_track(struct wsc_heartbeat *hb);
/* Whether the socket is read this turn (a pong may wait unread while it
 * is not: see the timeout's rules in heartbeat.c). */
void	 wsc_heartbeat_reading(struct wsc_heartbeat *hb, int reading);
/* A pong arrived: returns 1 when it answers a heartbeat ping (and every
 * one before it), with its number in *num and its round trip, counted
 * from when it was handed to the kernel, in *rtt_us; 0 otherwise. */
int	 wsc_heartbeat_pong(struct wsc_heartbeat *hb, const void *p,
	    size_t n, unsigned long *num, int64_t *rtt_us);
/* When the heartbeat next needs a tick (wsc_now_ms() time; INT64_MAX:
 * never). */
int64_t	 wsc_heartbeat_due(const struct wsc_heartbeat *hb);

#endif
