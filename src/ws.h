/* The WebSocket protocol core (RFC 6455 sections 5-7): message assembly,
 * control frames, the close handshake and the outbound queue. It is fed
 * bytes and yields events; it never touches a socket. Both roles: the
 * client masks what it sends and refuses masked frames, the server the
 * reverse. */
#ifndef WSC_WS_H
#define WSC_WS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "frame.h"
#include "utf8.h"

enum wsc_role {
	WSC_ROLE_CLIENT,
	WSC_ROLE_SERVER
};

enum wsc_ws_state {
	WSC_WS_OPEN,
	WSC_WS_CLOSE_SENT,	/* we sent Close, waiting for the peer's */
	WSC_WS_CLOSE_RECEIVED,	/* the peer's Close arrived (and was answered) */
	WSC_WS_CLOSED,		/* both Close frames exchanged */
	WSC_WS_FAILED		/* protocol violation: Close sent, ignore input */
};

enum wsc_ev_type {
	WSC_EV_NONE = 0,	/* more bytes needed */
	WSC_EV_MESSAGE,		/* a whole text or binary message */
	WSC_EV_PING,		/* answered already */
	WSC_EV_PONG,
	WSC_EV_CLOSE,		/* the peer's Close frame */
	WSC_EV_ERROR,		/* the peer broke the protocol; our Close is queued */
	WSC_EV_MESSAGE_PART	/* a piece of a streamed message (see
				   stream_opcodes): first/last mark its ends */
};

struct wsc_event {
	enum wsc_ev_type	 type;
	int			 opcode;	/* MESSAGE: WSC_OP_TEXT or WSC_OP_BINARY */
	const uint8_t		*data;		/* payload, valid until the next call */
	size_t			 len;
	unsigned		 code;		/* CLOSE: status (1005 when none);
						   ERROR: the close code we sent */
	const char		*reason;	/* CLOSE: reason (NUL-terminated) */
	int			 first;		/* MESSAGE_PART: the message's first */
	int			 last;		/* MESSAGE_PART: its last (may be empty) */
};

/* The input buffer each connection reserves at its start, and the least
 * room a read asks for: large reads are what makes bulk transfer cheap.
 * The start-up arena (arena.h) is sized for it. */
#define WSC_WS_READ_CHUNK	(256 * 1024)

/* Messages are streamed from this size on when streaming is asked for:
 * smaller ones stay whole, so they are shown whole or (when they break
 * the protocol) not at all. */
#define WSC_WS_STREAM_FROM	(256 * 1024)

/* Fills buf with random bytes; returns 0 or -1. */
typedef int (*wsc_rng_fn)(void *ctx, uint8_t *buf, size_t len);
/* Called for every frame sent (dir '>') and received (dir '<'), for -v. */
typedef void (*wsc_trace_fn)(void *ctx, char dir, const struct wsc_frame *f);
/* Called for every compressed message sent or received, for -v: its size
 * as the application sees it and as it went over the wire. */
typedef void (*wsc_trace_msg_fn)(void *ctx, char dir, int opcode,
    uint64_t plain, uint64_t compressed);

struct wsc_pmd;	/* permessage-deflate, see deflate.h */

struct wsc_ws {
	enum wsc_role		 role;
	enum wsc_ws_state	 state;
	wsc_rng_fn		 rng;
	void			*rng_ctx;
	wsc_trace_fn		 trace;
	wsc_trace_msg_fn	 trace_msg;
	void			*trace_ctx;	/* for both */
	uint64_t		 max_message;

	struct wsc_buf		 in;		/* received, not yet decoded */
	struct wsc_buf		 out;		/* encoded frames waiting to be written */
	struct wsc_buf		 msg;		/* the message being reassembled */

	/* the frame being received */
	struct wsc_frame	 frame;
	int			 in_frame;	/* header decoded, payload pending */
	uint64_t		 frame_got;	/* payload bytes of it consumed */

	/* the message being received */
	int			 msg_opcode;	/* 0: none in progress */
	int			 msg_compressed;
	uint64_t		 msg_wire;	/* its compressed bytes so far */
	struct wsc_utf8		 utf8;

	unsigned		 close_code_sent;	/* 0: none sent */
	unsigned		 close_code_received;	/* 0: none received */
	char			 close_reason[124];	/* received reason */
	char			 errstr[160];		/* what the peer did wrong */

	struct wsc_pmd		*pmd;		/* NULL: no compression; owned */
	int			 release_msg;	/* drop `msg` on the next call */
	size_t			 release_in;	/* bytes of `in` to drop on the next call */

	/* bytes ever queued and written: tells when a given frame left */
	uint64_t		 out_queued;
	uint64_t		 out_written;

	/* Pongs coalesce behind a congested queue, off until the caller sets
	 * pong_coalesce: a ping that arrives while our last pong is still
	 * the queue's tail, not a byte of it written, with at least this many
	 * bytes waiting before it, replaces that pong (RFC 6455 section
	 * 5.5.3: only the most recent ping need be answered). A peer that
	 * floods pings and does not read then cannot grow the queue, while
	 * every ping of a peer that reads gets its own pong, in order. */
	size_t			 pong_coalesce;
	uint64_t		 pong_end;	/* out_queued after our last pong */
	size_t			 pong_len;	/* its frame's bytes; 0: none */

	/* Streaming, off until the caller sets stream_opcodes: a message of
	 * one of these opcodes (bit 1 << opcode) that is known to reach
	 * stream_from bytes (the frame headers say so, or its inflated size
	 * does) is handed over in WSC_EV_MESSAGE_PART pieces as its bytes
	 * arrive instead of being held whole, so memory does not grow with
	 * the message. max_message and UTF-8 checks still apply, but a
	 * text message that turns out invalid has been partly handed over. */
	unsigned		 stream_opcodes;
	size_t			 stream_from;	/* WSC_WS_STREAM_FROM after init */
	int			 msg_streaming;	/* this message goes in pieces */
	int			 msg_started;	/* a piece of it was handed over */
	uint64_t		 msg_done;	/* bytes of it handed over */

	/* masking keys are taken from a pool: one rng call (a system call,
	 * rng.h) per 256 frames, whose fixed cost per call would otherwise be
	 * a good part of a small message's (S2 in scripts/bench) */
	uint8_t			 keys[1024];
	size_t			 keys_off;
};

/* Sets up ws (caller-allocated). rng supplies masking keys (client role).
 * max_message bounds an incoming message (after inflation). Returns 0 or -1
 * on out-of-memory. wsc_ws_free is safe after a failed init and twice. */
int	 wsc_ws_init(struct wsc_ws *ws, enum wsc_role role, wsc_rng_fn rng,
	    void *rng_ctx, uint64_t max_message);
void	 wsc_ws_free(struct wsc_ws *ws);

/* Turns permessage-deflate on if the server's Sec-WebSocket-Extensions
 * value (response, NULL when absent) accepts our offer (the value we sent,
 * NULL when none) within RFC 7692's rules; call it after the handshake,
 * before any frame. Returns 0 (compression on, or off when not agreed), or
 * -1 with a one-line reason in err (the handshake must then fail). */
int	 wsc_ws_use_pmd(struct wsc_ws *ws, const char *offer,
	    const char *response, char *err, size_t errlen);

/* Turns permessage-deflate on with parameters already agreed (the server
 * side: wsc_pmd_select). Returns 0, or -1 with the reason in err. */
struct wsc_pmd_params;
int	 wsc_ws_enable_pmd(struct wsc_ws *ws,
	    const struct wsc_pmd_params *agreed, char *err, size_t errlen);

/* Room to read socket bytes into directly (at least min bytes);
 * then wsc_ws_commit with how many were read. NULL on out-of-memory. */
uint8_t	*wsc_ws_read_space(struct wsc_ws *ws, size_t min, size_t *avail);
void	 wsc_ws_commit(struct wsc_ws *ws, size_t n);
/* Copies bytes in (e.g. those that arrived with the 101 response). */
int	 wsc_ws_feed(struct wsc_ws *ws, const uint8_t *p, size_t n);
/* Decodes the next event from the bytes fed so far. Returns ev->type
 * (WSC_EV_NONE when more bytes are needed). Pings are answered and protocol
 * violations answered with a Close before the event is returned. */
enum wsc_ev_type wsc_ws_next(struct wsc_ws *ws, struct wsc_event *ev);

/* Queues a message (WSC_OP_TEXT or WSC_OP_BINARY), a ping or a pong.
 * Returns 0, -1 on out-of-memory or when a Close was already sent. */
int	 wsc_ws_send(struct wsc_ws *ws, int opcode, const void *data, size_t len);
/* Queues our Close (code 0: no status) unless one was sent. */
int	 wsc_ws_close(struct wsc_ws *ws, unsigned code, const char *reason);

/* The outbound queue: bytes to write, and how many were written. */
static inline size_t
wsc_ws_buffered(const struct wsc_ws *ws)
{
	return wsc_buf_used(&ws->out);
}
static inline const uint8_t *
wsc_ws_out_data(const struct wsc_ws *ws)
{
	return wsc_buf_head(&ws->out);
}
void	 wsc_ws_out_consume(struct wsc_ws *ws, size_t n);

/* Fails the connection for a limit of the caller's own (not a protocol
 * violation): queues Close CODE unless one was sent, drops what was
 * received and gives its memory back; why is kept in errstr. */
void	 wsc_ws_abort(struct wsc_ws *ws, unsigned code, const char *why);
/* Gives back the memory a large message left allocated; call it between
 * events (nothing lent to the caller is then freed). */
void	 wsc_ws_trim(struct wsc_ws *ws);

#endif
