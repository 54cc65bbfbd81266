/* The heartbeat of one connection: numbered pings, a ring of those not
 * yet answered, and a timeout that follows each ping to the peer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "heartbeat.h"
#include "util.h"

/* How often to look whether a ping still held in the kernel has left. */
#define PING_OUT_CHECK_MS	20

void
wsc_heartbeat_init(struct wsc_heartbeat *hb, struct wsc_ws *ws, int fd,
    int64_t interval_ms, int64_t timeout_ms, int64_t now_ms)
{
	memset(hb, 0, sizeof *hb);
	hb->ws = ws;
	hb->fd = fd;
	hb->interval_ms = interval_ms;
	hb->timeout_ms = timeout_ms;
	hb->next_ping = now_ms + interval_ms;
}

/* Queues the next ping; its payload is its number. */
static void
send_ping(struct wsc_heartbeat *hb)
{
	char		payload[16];
	uint32_t	n = ++hb->count;
	int		len = snprintf(payload, sizeof payload, "%u", n);

	/* Forget pings so old that nobody will answer them any more. */
	if (n - hb->answered >= WSC_HB_PINGS)
		hb->answered = n - WSC_HB_PINGS + 1;
	wsc_ws_send(hb->ws, WSC_OP_PING, payload, (size_t)len);
	hb->end[n % WSC_HB_PINGS] = hb->ws->out_queued;
	hb->queued[n % WSC_HB_PINGS] = wsc_now_us();
	hb->sent[n % WSC_HB_PINGS] = hb->written[n % WSC_HB_PINGS] = 0;
}

int
wsc_heartbeat_pong(struct wsc_heartbeat *hb, const void *p, size_t n,
    unsigned long *num, int64_t *rtt_us)
{
	char		buf[16];
	unsigned long	v = 0;
	int64_t		sent;

	if (n > 0 && n < sizeof buf) {
		memcpy(buf, p, n);
		buf[n] = '\0';
		v = strtoul(buf, NULL, 10);
	}
	if (v <= hb->answered || v > hb->count ||
	    (sent = hb->sent[v % WSC_HB_PINGS]) == 0)
		return 0;
	hb->answered = (uint32_t)v;
	*num = v;
	*rtt_us = wsc_now_us() - sent;
	return 1;
}

/* Bytes written to the socket that the peer's TCP has not acknowledged
 * yet (TIOCOUTQ, Linux's SIOCOUTQ; 0 where there is no such call). The
 * kernel's send buffer grows to megabytes: under a flood a ping handed to
 * it can wait there for seconds behind the data written before it. */
static uint64_t
kernel_unacked(int fd)
{
#if defined(__linux__) && defined(TIOCOUTQ)
	int	n = 0;

	if (ioctl(fd, TIOCOUTQ, &n) == 0 && n > 0)
		return (uint64_t)n;
#else
	(void)fd;
#endif
	return 0;
}

/* Follows our bytes to the peer: when each ping was handed to the kernel
 * (-P's round trip counts from then), when the peer's TCP acknowledged it
 * (its timeout counts from then), and when the peer last acknowledged
 * anything. Behind a flood a ping waits in our queue and in the kernel's
 * send buffer, which grows to megabytes: while the peer keeps taking data
 * that wait is not held against it; a peer that takes nothing (gone, or
 * stuck) is. (With TLS the kernel counts record overhead too: the
 * estimate errs late, on the safe side.) */
void
wsc_heartbeat_track(struct wsc_heartbeat *hb)
{
	uint64_t	held, delivered, written;
	uint32_t	n = hb->answered + 1;
	int64_t		now;

	if (hb->interval_ms == 0 || n - 1 == hb->count)
		return;		/* none outstanding */
	now = wsc_now_us();
	written = hb->ws->out_written;
	held = kernel_unacked(hb->fd);
	delivered = written - (held < written ? held : written);
	if (delivered > hb->delivered) {
		hb->delivered = delivered;
		hb->progress_us = now;
	}
	for (; n - 1 != hb->count && written >= hb->end[n % WSC_HB_PINGS];
	    n++) {
		if (hb->sent[n % WSC_HB_PINGS] == 0)
			hb->sent[n % WSC_HB_PINGS] = now;
		if (hb->written[n % WSC_HB_PINGS] == 0 &&
		    delivered >= hb->end[n % WSC_HB_PINGS])
			hb->written[n % WSC_HB_PINGS] = now;
	}
}

void
wsc_heartbeat_reading(struct wsc_heartbeat *hb, int reading)
{
	if (reading && hb->read_paused)
		hb->resumed_us = wsc_now_us();
	hb->read_paused = !reading;
}

/* When the oldest unanswered ping times out (ms; INT64_MAX: never): the
 * timeout counts from its arrival at the peer, or, until then, from when
 * it was queued or the peer last took data, whichever is later. While the
 * socket is not read the pong may be waiting unread: the peer is alive as
 * long as it takes data, and the clock restarts when reading resumes. */
static int64_t
deadline(const struct wsc_heartbeat *hb)
{
	uint32_t	oldest = hb->answered + 1;
	int64_t		from, later;

	if (hb->timeout_ms == 0 || oldest - 1 == hb->count)
		return INT64_MAX;
	if ((from = hb->written[oldest % WSC_HB_PINGS]) == 0) {
		from = hb->queued[oldest % WSC_HB_PINGS];
		later = hb->progress_us;
	} else
		later = hb->read_paused ? hb->progress_us : hb->resumed_us;
	return (later > from ? later : from) / 1000 + hb->timeout_ms;
}

int
wsc_heartbeat_tick(struct wsc_heartbeat *hb, int64_t now_ms)
{
	if (hb->interval_ms == 0 || hb->ws->state != WSC_WS_OPEN)
		return 0;
	if (now_ms >= hb->next_ping) {
		send_ping(hb);
		hb->next_ping = now_ms + hb->interval_ms;
	}
	wsc_heartbeat_track(hb);  /* fresh: has the peer taken anything since? */
	return now_ms >= deadline(hb);
}

int64_t
wsc_heartbeat_due(const struct wsc_heartbeat *hb)
{
	int64_t		due = INT64_MAX, w;
	uint32_t	oldest = hb->answered + 1;

	if (hb->interval_ms == 0 || hb->ws->state != WSC_WS_OPEN)
		return due;
	due = hb->next_ping;
	if ((w = deadline(hb)) < due)
		due = w;
	/* A ping the kernel still holds: look again soon, since nothing
	 * else wakes the loop when the kernel's queue drains. */
	if (w != INT64_MAX && hb->written[oldest % WSC_HB_PINGS] == 0 &&
	    hb->ws->out_written >= hb->end[oldest % WSC_HB_PINGS] &&
	    (w = wsc_now_ms() + PING_OUT_CHECK_MS) < due)
		due = w;
	return due;
}
