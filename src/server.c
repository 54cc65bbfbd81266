/* Listen mode: accept clients, answer the opening handshake (RFC 6455
 * section 4.2), and multiplex every client, the user side and a signal
 * pipe in one poll() loop. Frames go through ws.c in the server role, so
 * framing, UTF-8 and close codes are the client core's, not a copy. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>


#include "admit.h"
#include "compat.h"
#include "conn.h"
#include "deflate.h"
#include "exitcode.h"
#include "frame.h"
#include "heartbeat.h"
#include "listener.h"
#include "request.h"
#include "route.h"
#include "server.h"
#include "signals.h"
#include "wsio.h"
#include "side.h"
#include "sink.h"
#include "tls.h"
#include "util.h"
#include "ws.h"

/* Stop reading input (and an echo client) while this much waits for a
 * client's socket: a slow client holds back its senders, not our memory. */
#define OUT_HIGH_WATER		(4 * 1024 * 1024)
/* Input kept while no client is connected. */
#define PENDING_MAX		(16 * 1024 * 1024)
/* A client that connects but never finishes its request is dropped. */
#define REQUEST_TIMEOUT_MS	5000
/* How long a client has to answer our Close (as long as a client
 * waits for a server's: doc/protocol.md, Closing). */
#define CLOSE_WAIT_MS		5000
/* After our side is shut, read until the client hangs up, for so long:
 * closing with unread bytes would send a RST that can destroy our Close
 * before the client reads it. */
#define LINGER_MS		1000
/* The pause after running out of fds. */
#define ACCEPT_PAUSE_MS		100
/* A handshake this young is not evicted, and the pause before trying
 * again when all are: a client's request, queued in the backlog meanwhile,
 * is read as soon as it is accepted, while a flood of reopened idle
 * connections is slowed to its own slots' pace. */
#define EVICT_GRACE_MS		250
#define EVICT_RETRY_MS		50
/* pollfd slots before the clients': signals, input, listening socket. */
#define PFD_CLIENTS		3

enum cl_state {
	CL_TLS,		/* --cert/--key: the TLS handshake, step by step */
	CL_REQUEST,	/* reading the opening handshake request */
	CL_OPEN,	/* 101 sent: frames (ws.state says how far the close is) */
	CL_REFUSED,	/* an HTTP error answer is being written */
	CL_LINGER,	/* our side is shut: read until the client hangs up */
	CL_DEAD		/* to be freed */
};

struct client {
	struct wsc_server	*srv;
	unsigned		 id;		/* 0 until the handshake is done */
	char			 tag[INET6_ADDRSTRLEN + 16];	/* id, or addr before */
	enum cl_state		 state;
	struct wsc_conn		 conn;
	struct wsc_ws		 ws;
	struct wsc_buf		 req;		/* request bytes so far */
	struct wsc_request	 request;	/* what it said, once read */
	char			 addr[INET6_ADDRSTRLEN + 16];
	int64_t			 deadline;	/* of the current state; 0: none */
	int			 counted;	/* connected, not yet reported gone */
	int64_t			 since;		/* when it connected */
	uint64_t		 turn;		/* the loop's turn then */
	int64_t			 msg_deadline;	/* unfinished message; 0: none */
	uint64_t		 held;		/* charged to srv->held */
	struct wsc_heartbeat	 hb;		/* --ping-interval */
	struct side_slot	*side;		/* --forward, --run: its own */
};

/* A client's own side (--forward, --run) and the sink it sends through;
 * it outlives its client while it winds down. */
struct side_slot {
	struct client		*c;		/* NULL: the WebSocket is over */
	struct wsc_ui		 ui;
	struct wsc_sink		 sink;
	int			 input_done;	/* close once the queue is sent */
	int64_t			 due;		/* winding down: call again by */
	int			 done;		/* wound down: to be freed */
};

static void	side_open(struct client *, const char *, const char *);
static void	side_message(struct client *, const struct wsc_event *);
static void	side_detach(struct side_slot *, int64_t);

/* Does c's own side hold more than it takes (stop reading c)? */
static int
side_full(const struct client *c)
{
	const struct wsc_ui	*ui;

	if (c->side == NULL)
		return 0;
	ui = &c->side->ui;
	return ui->ops->full != NULL && ui->ops->full(ui->ctx);
}

struct wsc_server {
	const struct wsc_options	*o;
	struct wsc_ui			*ui;
	struct wsc_sink			 sink;		/* what the ui sends through */
	int				 route_to;
	struct wsc_tls_server		*tls;		/* wss: --cert/--key */
	struct wsc_listener		 lis;

	struct client			**cl;
	size_t				 ncl;
	size_t				 capcl;
	struct pollfd			*pfd;
	size_t				 cappfd;
	unsigned			 next_id;
	unsigned			 nopen;		/* connected clients */
	unsigned			 nrequest;	/* in the handshake */
	int64_t				 accept_paused;	/* until then */
	uint64_t			 turn;		/* turns of the loop */
	unsigned			 max_handshakes;
	struct wsc_admit_entry		*adm;		/* eviction's scratch */
	size_t				 capadm;
	uint64_t			 budget;	/* --memory-budget */
	uint64_t			 held;		/* charged to it now */

	struct wsc_buf			 pending;	/* input with no client yet */
	int				 pending_noted;
	int				 input_done;
	int				 quitting;
	int64_t				 quit_deadline;
	int				 status;
	int				 done;
	int				 out_failed;	/* stdout took no more */

	const struct wsc_side_factory	*factory;	/* sides of their own */
	struct side_slot		**sides;
	size_t				 nsides;
	size_t				 capsides;
	size_t				 polled_sides;	/* in pfd now */
};

/* -v: one line per frame, with the client's number. */
static void
trace_frame(void *ctx, char dir, const struct wsc_frame *f)
{
	struct client	*c = ctx;

	wsc_ui_notef(c->srv->ui, WSC_NOTE_TRACE,
	    "[%s] %c frame %s fin=%d%s len=%llu", c->tag, dir,
	    wsc_opcode_name(f->opcode), f->fin, f->rsv1 ? " rsv1=1" : "",
	    (unsigned long long)f->len);
}

/* -v: a request or response head, line by line. */
static void
trace_head(struct client *c, char dir, const char *head, size_t len)
{
	const char	*p = head, *end = head + len, *nl;
	int		 n;

	if (!c->srv->o->verbose)
		return;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (int)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0)
			wsc_ui_notef(c->srv->ui, WSC_NOTE_TRACE, "[%s] %c %.*s",
			    c->tag, dir, n, p);
		p = nl + 1;
	}
}

/* Puts server-side TLS on a new connection; on failure says why and
 * frees the client. */
static int
start_tls(struct client *c)
{
	char	err[160];

	if (wsc_tls_accept(&c->conn, c->srv->tls, err, sizeof err) != 0) {
		wsc_ui_notef(c->srv->ui, WSC_NOTE_ERROR,
		    "wsc: TLS for %s failed: %s", c->addr, err);
		wsc_conn_close(&c->conn);
		wsc_ws_free(&c->ws);
		free(c);
		return -1;
	}
	c->state = CL_TLS;
	return 0;
}

/* Takes a new connection from addr in: a client in the request (or TLS)
 * state. */
static void
client_add(struct wsc_server *srv, int fd, const char *addr)
{
	struct client	*c = wsc_xmalloc(sizeof *c);
	int		 one = 1;

	memset(c, 0, sizeof *c);
	c->srv = srv;
	c->state = CL_REQUEST;
	c->since = wsc_now_ms();
	c->turn = srv->turn;
	snprintf(c->addr, sizeof c->addr, "%s", addr);
	memcpy(c->tag, c->addr, sizeof c->tag);
	/* Messages are written whole; Nagle would only add latency. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	wsc_conn_init_plain(&c->conn, fd);
	wsc_buf_init(&c->req);
	if (wsc_ws_init(&c->ws, WSC_ROLE_SERVER, NULL, NULL,
	    srv->o->max_message) != 0) {
		wsc_conn_close(&c->conn);
		free(c);
		return;
	}
	if (srv->o->verbose) {
		c->ws.trace = trace_frame;
		c->ws.trace_ctx = c;
	}
	/* The TLS handshake and the request share the time limit. */
	c->deadline = wsc_now_ms() + REQUEST_TIMEOUT_MS;
	if (srv->tls != NULL && start_tls(c) != 0)
		return;
	if (srv->ncl == srv->capcl) {
		srv->capcl = srv->capcl ? srv->capcl * 2 : 8;
		srv->cl = wsc_xrealloc(srv->cl, srv->capcl * sizeof *srv->cl);
	}
	srv->cl[srv->ncl++] = c;
	srv->nrequest++;
	if (srv->o->verbose)
		wsc_ui_notef(srv->ui, WSC_NOTE_TRACE, "[%s] connected", c->tag);
}

/* Frees a client; its socket is closed. */
static void
client_free(struct client *c)
{
	if (c->side != NULL)
		side_detach(c->side, wsc_now_ms());
	c->srv->held -= c->held;
	wsc_conn_close(&c->conn);
	wsc_ws_free(&c->ws);
	wsc_buf_free(&c->req);
	wsc_request_free(&c->request);
	free(c);
}

/* Leaves the request state (for an answer or for good). */
static void
request_over(struct client *c, enum cl_state next)
{
	if (c->state == CL_TLS || c->state == CL_REQUEST)
		c->srv->nrequest--;
	c->state = next;
}

/* Says once that a connected client is gone, and how (wsc(1), LISTEN
 * MODE). */
static void
report_gone(struct client *c)
{
	struct wsc_server	*srv = c->srv;
	struct wsc_ws		*ws = &c->ws;

	if (!c->counted)
		return;
	c->counted = 0;
	srv->nopen--;
	if (ws->close_code_received != 0)
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS,
		    "Client %u disconnected (code: %u, reason: \"%s\")", c->id,
		    ws->close_code_received, ws->close_reason);
	else if (ws->state == WSC_WS_FAILED)
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS,
		    "Client %u disconnected (code: %u, reason: \"%s\")", c->id,
		    ws->close_code_sent, wsc_close_code_text(ws->close_code_sent));
	else
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS,
		    "Client %u disconnected (code: %u, reason: \"\")", c->id,
		    WSC_CLOSE_ABNORMAL);
}

/* The connection is over: report, and free it at the end of the turn. */
static void
client_drop(struct client *c)
{
	report_gone(c);
	request_over(c, CL_DEAD);
}

/* Everything we had to say is written: shut our side and read until the
 * client hangs up (RFC 6455 section 7.1.1: the server closes TCP first). */
static void
linger_start(struct client *c)
{
	report_gone(c);
	request_over(c, CL_LINGER);
	wsc_conn_shutdown(&c->conn);	/* TLS: close_notify first */
	shutdown(c->conn.fd, SHUT_WR);
	c->deadline = wsc_now_ms() + LINGER_MS;
}

/* Answers a request we cannot accept with an HTTP error (status: 400,
 * 426 or 503) and closes. */
static void
refuse(struct client *c, int status, const char *why)
{
	char	head[512];
	size_t	n = wsc_request_refusal(status, why, head, sizeof head);

	trace_head(c, '>', head, n);
	wsc_buf_append(&c->ws.out, head, n);
	wsc_ui_notef(c->srv->ui, WSC_NOTE_STATUS,
	    "Refused a connection from %s: %s (%s)", c->addr,
	    wsc_request_status_text(status), why);
	request_over(c, CL_REFUSED);
	c->deadline = wsc_now_ms() + CLOSE_WAIT_MS;
}

/* Sends a message kept while nobody was connected: [opcode][len][bytes]. */
static void
send_pending(struct wsc_server *srv, struct client *c)
{
	const uint8_t	*p;
	size_t		 n, used;
	int		 op;

	while ((used = wsc_buf_peek_msg(&srv->pending, &op, &p, &n)) > 0) {
		wsc_ws_send(&c->ws, op, p, n);
		wsc_buf_consume(&srv->pending, used);
	}
	wsc_buf_reset(&srv->pending);
	srv->pending_noted = 0;
}

/* Accepts a valid request: 101, then -x and what waited for a client.
 * Returns -1 when the 101 cannot be made (out of memory). */
static int
accept_request(struct client *c, struct wsc_request_answer *ans)
{
	struct wsc_server	*srv = c->srv;
	const char		*proto = ans->protocol;
	char			*head, err[64], subject[256];
	size_t			 i;

	/* permessage-deflate that cannot be set up (zlib not loaded) is
	 * declined rather than refusing the client. */
	if (ans->pmd &&
	    wsc_ws_enable_pmd(&c->ws, &ans->pmd_params, err, sizeof err) != 0)
		ans->pmd = 0;
	if ((head = wsc_request_accept_head(&c->request, ans)) == NULL)
		return -1;
	trace_head(c, '>', head, strlen(head));
	wsc_buf_append(&c->ws.out, head, strlen(head));
	free(head);
	request_over(c, CL_OPEN);
	/* Clients are numbered as they connect: 1, 2, 3 (what /to uses). */
	c->id = ++srv->next_id;
	snprintf(c->tag, sizeof c->tag, "%u", c->id);
	c->deadline = 0;
	c->counted = 1;
	srv->nopen++;
	/* With --ca: the subject of the certificate the client showed. */
	wsc_tls_peer_subject(&c->conn, subject, sizeof subject);
	wsc_heartbeat_init(&c->hb, &c->ws, c->conn.fd, srv->o->ping_interval_ms,
	    srv->o->ping_timeout_ms, wsc_now_ms());
	wsc_ui_notef(srv->ui, WSC_NOTE_STATUS,
	    "Client %u connected from %s (%s%s%s%s%s)", c->id, c->addr,
	    c->request.uri, proto ? ", subprotocol: " : "", proto ? proto : "",
	    subject[0] != '\0' ? ", certificate: " : "", subject);
	for (i = 0; i < srv->o->execute.n; i++)
		wsc_ws_send(&c->ws, WSC_OP_TEXT, srv->o->execute.v[i],
		    strlen(srv->o->execute.v[i]));
	send_pending(srv, c);
	if (srv->factory != NULL)
		side_open(c, proto, subject);
	return 0;
}

/* Charges what c's unfinished message holds (or has announced) to the
 * budget all clients share; the client that would take the total past
 * --memory-budget is closed with 1009 (see wsc(1) LISTEN MODE). */
static void
charge(struct client *c)
{
	struct wsc_server	*srv = c->srv;
	uint64_t		 held = wsc_admit_held(&c->ws);

	srv->held = srv->held - c->held + held;
	c->held = held;
	if (held == 0 || srv->held <= srv->budget)
		return;
	wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "Client %u: its message would "
	    "take the messages held past --memory-budget (%llu of %llu "
	    "bytes): closing with %u", c->id, (unsigned long long)srv->held,
	    (unsigned long long)srv->budget, WSC_CLOSE_TOO_BIG);
	wsc_ws_abort(&c->ws, WSC_CLOSE_TOO_BIG, "memory budget exceeded");
	c->deadline = wsc_now_ms() + CLOSE_WAIT_MS;
	c->msg_deadline = 0;
	srv->held -= c->held;
	c->held = 0;
}

/* Restarts the clock of c's unfinished message: it is read only when
 * bytes (or the end) came, and any byte of it is progress. */
static void
watch_message(struct client *c)
{
	if (c->ws.state == WSC_WS_OPEN && wsc_admit_partial(&c->ws))
		c->msg_deadline = wsc_now_ms() + c->srv->o->message_timeout_ms;
	else
		c->msg_deadline = 0;
}

static void	on_event(void *, const struct wsc_event *);

/* The request in c->req is read: answer it. Bytes after its head
 * (frames sent without waiting for the 101) go to the protocol core. */
static void
on_request(struct client *c, struct wsc_request_answer *ans)
{
	struct wsc_server	*srv = c->srv;
	size_t			 headlen = c->request.head_len;

	if (headlen > 0)
		trace_head(c, '<', (const char *)wsc_buf_head(&c->req),
		    headlen);
	if (ans->status != 101)
		refuse(c, ans->status, ans->why);
	else if (srv->o->max_clients > 0 && srv->nopen >= srv->o->max_clients)
		refuse(c, 503, "too many clients (--max-clients)");
	else if (accept_request(c, ans) != 0)
		client_drop(c);
	else {
		/* Decoded now: the socket may have nothing more to say. */
		wsc_ws_feed(&c->ws, wsc_buf_head(&c->req) + headlen,
		    wsc_buf_used(&c->req) - headlen);
		wsc_wsio_drain(&c->ws, on_event, c);
		charge(c);
		watch_message(c);
	}
	wsc_buf_free(&c->req);
}

/* Reads the request; answers it once the head is complete. */
static void
read_request(struct client *c)
{
	struct wsc_request_config	 cfg;
	struct wsc_request_answer	 ans;
	uint8_t				*dst;
	ssize_t				 r;

	if ((dst = wsc_buf_reserve(&c->req, 4096)) == NULL) {
		client_drop(c);
		return;
	}
	r = wsc_conn_read(&c->conn, dst, 4096);
	if (r == WSC_CONN_AGAIN)
		return;
	if (r <= 0) {
		if (c->srv->o->verbose)
			wsc_ui_notef(c->srv->ui, WSC_NOTE_TRACE,
			    "[%s] closed before finishing its request", c->tag);
		client_drop(c);
		return;
	}
	wsc_buf_commit(&c->req, (size_t)r);
	cfg.protocols = c->srv->o->protocols.v;
	cfg.nprotocols = c->srv->o->protocols.n;
	cfg.compression = !c->srv->o->no_compression;
	if (wsc_request_read((const char *)wsc_buf_head(&c->req),
	    wsc_buf_used(&c->req), &cfg, &c->request, &ans) == 1)
		on_request(c, &ans);
}

/* A pong that answers one of c's heartbeat pings: with -P, shown with its
 * round trip. Returns 1 when it was one. */
static int
heartbeat_pong(struct client *c, const char *who, const struct wsc_event *ev)
{
	unsigned long	num;
	int64_t		rtt;

	if (!wsc_heartbeat_pong(&c->hb, ev->data, ev->len, &num, &rtt))
		return 0;
	if (c->srv->o->show_ping_pong)
		wsc_ui_notef(c->srv->ui, WSC_NOTE_CONTROL,
		    "< %s[pong] %lu (round trip %.3f ms)", who, num,
		    (double)rtt / 1000);
	return 1;
}

/* A control note (-P) or message from client c. */
static void
on_event(void *ctx, const struct wsc_event *ev)
{
	struct client	*c = ctx;

	struct wsc_server	*srv = c->srv;
	char			 who[24] = "";

	if (srv->nopen > 1)
		snprintf(who, sizeof who, "[%u] ", c->id);
	switch (ev->type) {
	case WSC_EV_MESSAGE:
		if (srv->o->echo)
			wsc_ws_send(&c->ws, ev->opcode, ev->data, ev->len);
		else if (srv->factory != NULL)
			side_message(c, ev);
		else
			srv->ui->ops->message(srv->ui->ctx,
			    srv->nopen > 1 ? c->id : 0, ev->opcode, ev->data,
			    ev->len);
		break;
	case WSC_EV_PONG:
		if (heartbeat_pong(c, who, ev))
			break;
		WSC_FALLTHROUGH;
	case WSC_EV_PING:
		if (srv->o->show_ping_pong)
			wsc_ui_notef(srv->ui, WSC_NOTE_CONTROL, "< %s[%s] %.*s",
			    who, ev->type == WSC_EV_PING ? "ping" : "pong",
			    (int)ev->len, (const char *)ev->data);
		break;
	case WSC_EV_ERROR:
		wsc_ui_notef(srv->ui, WSC_NOTE_ERROR,
		    "wsc: client %u: protocol error: %s (closing with %u)",
		    c->id, ev->reason, ev->code);
		WSC_FALLTHROUGH;
	case WSC_EV_CLOSE:
		/* Our Close is queued: a client that stops reading must not
		 * keep its slot forever. */
		c->deadline = wsc_now_ms() + CLOSE_WAIT_MS;
		break;
	case WSC_EV_MESSAGE_PART:	/* asked for by sides of their own
					   only: on stdout, clients' pieces
					   would interleave */
		side_message(c, ev);
		break;
	case WSC_EV_NONE:
		break;
	}
}

/* Reads and decodes what client c sent (and what TLS holds decrypted),
 * within the memory budget, keeping the message clock. */
static void
read_client(struct client *c)
{
	if (wsc_wsio_read(&c->ws, &c->conn, on_event, c) != WSC_WSIO_AGAIN) {
		client_drop(c);
		return;
	}
	wsc_ws_trim(&c->ws);
	charge(c);
	watch_message(c);
}

/* No byte of c's unfinished message for --message-timeout: a client that
 * stops mid-way must not hold its buffer (and its share of the budget)
 * for ever. Not counted while c is not read because of its own queue. */
static void
message_late(struct client *c, int64_t now)
{
	struct wsc_server	*srv = c->srv;

	if (wsc_ws_buffered(&c->ws) >= OUT_HIGH_WATER || side_full(c)) {
		c->msg_deadline = now + srv->o->message_timeout_ms;
		return;
	}
	wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "Client %u: no byte of its "
	    "unfinished message for %g s (--message-timeout): closing with %u",
	    c->id, (double)srv->o->message_timeout_ms / 1000,
	    WSC_CLOSE_POLICY);
	wsc_ws_abort(&c->ws, WSC_CLOSE_POLICY, "message timeout");
	c->deadline = now + CLOSE_WAIT_MS;
	c->msg_deadline = 0;
	charge(c);
}

/* Reads and drops what a lingering client still sends, until it hangs up. */
static void
read_linger(struct client *c)
{
	uint8_t	sink[4096];
	ssize_t	r;

	while ((r = wsc_conn_read(&c->conn, sink, sizeof sink)) > 0)
		;
	if (r != WSC_CONN_AGAIN)
		c->state = CL_DEAD;
}

/* Writes as much of c's queue as its socket takes. */
static void
write_client(struct client *c)
{
	if (wsc_wsio_write(&c->ws, &c->conn) == WSC_WSIO_ERROR)
		client_drop(c);
	else
		wsc_heartbeat_track(&c->hb);
}

/* --ping-interval: pings client c when due; a client whose pong does not
 * come in time is dead, and its connection is closed at once, without a
 * close handshake it could not answer (wsc(1), LISTEN MODE). */
static void
heartbeat(struct client *c, int64_t now)
{
	if (c->state != CL_OPEN || !wsc_heartbeat_tick(&c->hb, now))
		return;
	wsc_ui_notef(c->srv->ui, WSC_NOTE_STATUS, "Client %u: no pong within "
	    "%g s; the connection is dead", c->id,
	    (double)c->srv->o->ping_timeout_ms / 1000);
	client_drop(c);
}

/* Moves c on when its queue is written or a deadline has passed. */
static void
step_client(struct client *c, int64_t now)
{
	int	drained = wsc_ws_buffered(&c->ws) == 0;
	int	late = c->deadline > 0 && now >= c->deadline;

	switch (c->state) {
	case CL_TLS:
	case CL_REQUEST:
		if (late) {
			wsc_ui_notef(c->srv->ui, WSC_NOTE_STATUS,
			    "Dropped a connection from %s: no request within "
			    "%d s", c->addr, REQUEST_TIMEOUT_MS / 1000);
			client_drop(c);
		}
		break;
	case CL_REFUSED:
		if (drained)
			linger_start(c);
		else if (late)
			client_drop(c);
		break;
	case CL_OPEN:
		if ((c->ws.state == WSC_WS_CLOSED ||
		    c->ws.state == WSC_WS_FAILED) && drained)
			linger_start(c);
		else if (late)
			client_drop(c);
		else if (c->msg_deadline > 0 && now >= c->msg_deadline)
			message_late(c, now);
		break;
	case CL_LINGER:
		if (late)
			c->state = CL_DEAD;
		break;
	case CL_DEAD:
		break;
	}
}

/* Starts the close handshake with client c. */
static void
close_client(struct client *c, unsigned code, const char *reason)
{
	if (c->state == CL_TLS || c->state == CL_REQUEST) {
		client_drop(c);
		return;
	}
	if (c->state != CL_OPEN || c->ws.close_code_sent != 0)
		return;
	/* "" for none: ws.c copies the reason with memcpy even when empty. */
	wsc_ws_close(&c->ws, code, reason != NULL ? reason : "");
	c->deadline = wsc_now_ms() + CLOSE_WAIT_MS;
}

/* Frees the clients that are done, keeping the others in order. */
static void
reap(struct wsc_server *srv)
{
	size_t	i, j = 0;

	for (i = 0; i < srv->ncl; i++) {
		if (srv->cl[i]->state == CL_DEAD)
			client_free(srv->cl[i]);
		else
			srv->cl[j++] = srv->cl[i];
	}
	srv->ncl = j;
}

/* The client numbered n if it is connected, else NULL. */
static struct client *
find_open(struct wsc_server *srv, unsigned n)
{
	size_t	i;

	for (i = 0; i < srv->ncl; i++)
		if (srv->cl[i]->id == n && srv->cl[i]->counted)
			return srv->cl[i];
	return NULL;
}

/* Keeps a message for the next client to connect. */
static int
keep_pending(struct wsc_server *srv, int opcode, const void *p, size_t n)
{
	if (wsc_buf_put_msg(&srv->pending, opcode, p, n) != 0)
		return -1;
	if (!srv->pending_noted)
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "No client connected: "
		    "input is kept for the first client to connect");
	srv->pending_noted = 1;
	return 0;
}

/* The sink's send_to: a message for client n, or every client (0). */
static int
sink_send_to(void *ctx, unsigned n, int opcode, const void *p, size_t len)
{
	struct wsc_server	*srv = ctx;
	struct client		*c;
	size_t		 i;

	if (n != 0) {
		if ((c = find_open(srv, n)) == NULL ||
		    wsc_ws_send(&c->ws, opcode, p, len) != 0) {
			wsc_ui_notef(srv->ui, WSC_NOTE_ERROR,
			    "wsc: client %u is not connected", n);
			return -1;
		}
		return 0;
	}
	if (srv->nopen == 0) {
		if (opcode == WSC_OP_PING || opcode == WSC_OP_PONG) {
			wsc_ui_notef(srv->ui, WSC_NOTE_ERROR,
			    "wsc: no client connected");
			return -1;
		}
		return keep_pending(srv, opcode, p, len);
	}
	for (i = 0; i < srv->ncl; i++)
		if (srv->cl[i]->counted && srv->cl[i]->ws.state == WSC_WS_OPEN)
			wsc_ws_send(&srv->cl[i]->ws, opcode, p, len);
	return 0;
}

/* "/to N text" from the piped ui with --slash (route.h): text for client
 * N only. Returns 1 when the line was such a command (sent or refused). */
static int
route_line(struct wsc_server *srv, const char *p, size_t len)
{
	struct wsc_route	r;

	switch (wsc_route_parse(p, len, &r)) {
	case WSC_ROUTE_NONE:
		return 0;
	case WSC_ROUTE_BAD:
		wsc_ui_notef(srv->ui, WSC_NOTE_ERROR,
		    "wsc: /to N TEXT: %s; not sent", r.why);
		return 1;
	case WSC_ROUTE_TO:
		break;
	}
	sink_send_to(srv, r.client, WSC_OP_TEXT, r.text, r.len);
	return 1;
}

/* The sink's send: the ui's input, for every client unless routed. */
static int
sink_send(void *ctx, int opcode, const void *p, size_t len)
{
	struct wsc_server	*srv = ctx;

	if (srv->route_to && opcode == WSC_OP_TEXT &&
	    route_line(srv, p, len))
		return 0;
	return sink_send_to(srv, 0, opcode, p, len);
}

/* The sink's input_done: the ui's input has ended. */
static void
sink_input_done(void *ctx)
{
	struct wsc_server	*srv = ctx;

	srv->input_done = 1;
}

/* The sink's ping: the user's ping goes to every client. */
static int
sink_ping(void *ctx, const void *p, size_t n)
{
	return sink_send_to(ctx, 0, WSC_OP_PING, p, n);
}

/* The sink's status: there is no one connection to describe. */
static int
sink_status(void *ctx, struct wsc_sink_stats *st)
{
	(void)ctx;
	(void)st;
	return -1;
}

/* Ends the server: every client gets our Close; new ones are refused. */
static void
begin_quit(struct wsc_server *srv, unsigned code, const char *reason)
{
	size_t	i;

	if (srv->quitting)
		return;
	srv->quitting = 1;
	srv->quit_deadline = wsc_now_ms() + CLOSE_WAIT_MS;
	wsc_listener_close(&srv->lis);
	for (i = 0; i < srv->ncl; i++)
		close_client(srv->cl[i], code, reason);
}

/* The sink's close: client n, or every client and the server (0). */
static void
sink_close(void *ctx, unsigned n, unsigned code, const char *reason)
{
	struct wsc_server	*srv = ctx;
	struct client		*c;

	if (n == 0) {
		begin_quit(srv, code, reason);
		return;
	}
	if ((c = find_open(srv, n)) == NULL)
		wsc_ui_notef(srv->ui, WSC_NOTE_ERROR,
		    "wsc: client %u is not connected", n);
	else
		close_client(c, code, reason);
}

static const struct wsc_sink_ops sink_ops = {
	sink_send, sink_send_to, sink_ping, sink_input_done, sink_close,
	sink_status
};

/* The sink of a client's own side: its messages go to that client only. */
static int
side_send(void *ctx, int opcode, const void *p, size_t n)
{
	struct side_slot	*sl = ctx;

	if (sl->c == NULL || sl->c->ws.state != WSC_WS_OPEN)
		return -1;
	return wsc_ws_send(&sl->c->ws, opcode, p, n);
}

/* A side of its own has one client: "to" changes nothing. */
static int
side_send_to(void *ctx, unsigned to, int opcode, const void *p, size_t n)
{
	(void)to;
	return side_send(ctx, opcode, p, n);
}

/* The side's ping, for its client. */
static int
side_ping(void *ctx, const void *p, size_t n)
{
	return side_send(ctx, WSC_OP_PING, p, n);
}

/* The side's input has ended: its client is closed with 1000 once what is
 * queued for it is written (step_sides). */
static void
side_input_done(void *ctx)
{
	struct side_slot	*sl = ctx;

	sl->input_done = 1;
}

/* The side closes its client (a target that failed: 1011). */
static void
side_close(void *ctx, unsigned to, unsigned code, const char *reason)
{
	struct side_slot	*sl = ctx;

	(void)to;
	if (sl->c != NULL)
		close_client(sl->c, code, reason);
}

static const struct wsc_sink_ops side_sink_ops = {
	side_send, side_send_to, side_ping, side_input_done, side_close,
	sink_status
};

/* Splits "1.2.3.4:5" or "[::1]:5" into the address and the port; an
 * address without a port (a Unix socket's peer) gives "" for both. */
static void
split_addr(const char *addr, char *host, size_t cap, const char **port)
{
	const char	*colon = strrchr(addr, ':');
	size_t		 n = colon != NULL ? (size_t)(colon - addr) : 0;

	*port = colon != NULL ? colon + 1 : "";
	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
		addr++;
		n -= 2;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(host, addr, n);
	host[n] = '\0';
}

/* What c's side is told of it: ci points into c, its request, subject
 * (its certificate's, "" for none) and host (the address without its
 * port). */
static void
client_info(struct client *c, const char *proto, const char *subject,
    struct wsc_client_info *ci, char *host, size_t cap)
{
	memset(ci, 0, sizeof *ci);
	ci->id = c->id;
	ci->addr = c->addr;
	split_addr(c->addr, host, cap, &ci->remote_port);
	ci->remote_addr = host;
	/* A Unix socket has no port: SERVER_PORT is empty then, as
	 * REMOTE_ADDR and REMOTE_PORT are (split_addr). */
	ci->server_port = c->srv->lis.is_unix ? "" : c->srv->o->listen_port;
	ci->tls = c->srv->tls != NULL;
	ci->uri = c->request.uri;
	ci->path = c->request.path;
	ci->query = c->request.query;
	ci->protocol = proto;
	ci->subject = subject[0] != '\0' ? subject : NULL;
	ci->headers = c->request.headers;
	ci->nheaders = c->request.nheaders;
}

/* Gives client c, whose request was just accepted, its own side (the
 * factory's); c is closed with 1011 when none can be made. subject: its
 * certificate's ("" for none). */
static void
side_open(struct client *c, const char *proto, const char *subject)
{
	struct wsc_server	*srv = c->srv;
	struct side_slot	*sl = wsc_xmalloc(sizeof *sl);
	struct wsc_client_info	 ci;
	char			 host[INET6_ADDRSTRLEN + 16], err[256];
	int			 r;

	memset(sl, 0, sizeof *sl);
	sl->c = c;
	sl->sink.ops = &side_sink_ops;
	sl->sink.ctx = sl;
	client_info(c, proto, subject, &ci, host, sizeof host);
	r = srv->factory->make(srv->factory->ctx, &ci, &sl->sink, &sl->ui,
	    err, sizeof err);
	if (r != 0) {
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "Client %u: %s; closing "
		    "with %u", c->id, err, WSC_CLOSE_INTERNAL);
		close_client(c, WSC_CLOSE_INTERNAL, "no side for this client");
		free(sl);
		return;
	}
	c->side = sl;
	/* Large messages in pieces, as they arrive, to a side that takes
	 * them so: memory stays flat, and a full side holds the client. */
	if (sl->ui.message_part != NULL)
		c->ws.stream_opcodes = sl->ui.stream;
	if (srv->nsides == srv->capsides) {
		srv->capsides = srv->capsides ? srv->capsides * 2 : 8;
		srv->sides = wsc_xrealloc(srv->sides,
		    srv->capsides * sizeof *srv->sides);
	}
	srv->sides[srv->nsides++] = sl;
}

/* A message (or a piece of one) from client c for its own side; dropped
 * when the side is gone already. */
static void
side_message(struct client *c, const struct wsc_event *ev)
{
	struct wsc_ui	*ui;

	if (c->side == NULL)
		return;
	ui = &c->side->ui;
	if (ev->type == WSC_EV_MESSAGE_PART)
		ui->message_part(ui->ctx, c->id, ev->opcode, ev->data, ev->len,
		    ev->first, ev->last);
	else
		ui->ops->message(ui->ctx, c->id, ev->opcode, ev->data,
		    ev->len);
}

/* Client and side part: the WebSocket is over, and the side winds down
 * on its own (a socket's write half is shut, a program's stdin closed). */
static void
side_detach(struct side_slot *sl, int64_t now)
{
	if (sl->c == NULL)
		return;
	sl->c->side = NULL;
	sl->c = NULL;
	sl->due = sl->ui.ops->wind_down != NULL ?
	    sl->ui.ops->wind_down(sl->ui.ctx, now) : 0;
	sl->done = sl->due == 0;
}

/* Frees a side, whatever it was doing. */
static void
side_free(struct side_slot *sl)
{
	if (sl->c != NULL)
		sl->c->side = NULL;
	sl->ui.ops->finish(sl->ui.ctx);
	free(sl);
}

/* Moves a side on: one whose client can take no more messages is
 * detached; one whose input has ended closes its client (1000) once its
 * queue is written; one winding down is asked whether it is done. */
static void
step_side(struct side_slot *sl, int64_t now)
{
	struct client	*c = sl->c;

	if (c == NULL) {
		if (!sl->done && (sl->due = sl->ui.ops->wind_down(sl->ui.ctx,
		    now)) == 0)
			sl->done = 1;
		return;
	}
	if (sl->ui.tick != NULL)
		sl->ui.tick(sl->ui.ctx, &sl->sink, now);
	if (c->state != CL_OPEN || (c->ws.state != WSC_WS_OPEN &&
	    c->ws.state != WSC_WS_CLOSE_SENT))
		side_detach(sl, now);
	else if (sl->input_done && c->ws.state == WSC_WS_OPEN &&
	    wsc_ws_buffered(&c->ws) == 0)
		close_client(c, WSC_CLOSE_NORMAL, NULL);
}

/* Steps every side, and frees those that are done. */
static void
step_sides(struct wsc_server *srv, int64_t now)
{
	size_t	i, j = 0;

	for (i = 0; i < srv->nsides; i++) {
		step_side(srv->sides[i], now);
		if (srv->sides[i]->done)
			side_free(srv->sides[i]);
		else
			srv->sides[j++] = srv->sides[i];
	}
	srv->nsides = j;
}

/* When side sl next needs a step (INT64_MAX: not before it is polled). */
static int64_t
side_due(const struct side_slot *sl)
{
	if (sl->c == NULL)
		return sl->due > 0 ? sl->due : INT64_MAX;
	return sl->ui.due != NULL ? sl->ui.due(sl->ui.ctx) : INT64_MAX;
}

/* Is the side's input wanted? While it winds down, yes (its end is
 * awaited); else while its client is open and not congested. */
static int
side_reads(const struct side_slot *sl)
{
	if (sl->done)
		return 0;
	if (sl->c == NULL)
		return 1;
	return !sl->input_done && sl->c->ws.state == WSC_WS_OPEN &&
	    wsc_ws_buffered(&sl->c->ws) < OUT_HIGH_WATER;
}

/* Two poll slots per side: its input (POLLIN) and its output (POLLOUT). */
static void
fill_side_pollfds(struct wsc_server *srv, struct pollfd *pfd)
{
	const struct wsc_ui	*ui;
	size_t			 i;

	for (i = 0; i < srv->nsides; i++) {
		ui = &srv->sides[i]->ui;
		pfd[2 * i].fd = side_reads(srv->sides[i]) ?
		    ui->ops->input_fd(ui->ctx) : -1;
		pfd[2 * i].events = POLLIN;
		pfd[2 * i + 1].fd = ui->ops->output_fd != NULL &&
		    !srv->sides[i]->done ? ui->ops->output_fd(ui->ctx) : -1;
		pfd[2 * i + 1].events = POLLOUT;
	}
	srv->polled_sides = srv->nsides;
}

/* Acts on what poll() reported for the sides it covered. */
static void
dispatch_sides(struct wsc_server *srv, const struct pollfd *pfd)
{
	struct side_slot	*sl;
	size_t			 i;

	for (i = 0; i < srv->polled_sides; i++) {
		sl = srv->sides[i];
		if (pfd[2 * i + 1].revents != 0 && pfd[2 * i + 1].fd != -1)
			sl->ui.ops->on_output(sl->ui.ctx);
		if (pfd[2 * i].revents != 0 && pfd[2 * i].fd != -1 &&
		    side_reads(sl) &&
		    sl->ui.ops->input_fd(sl->ui.ctx) == pfd[2 * i].fd)
			sl->ui.ops->on_input(sl->ui.ctx, &sl->sink);
	}
}

/* Ends the loop now, exit 1: whatever the sockets take at once of our
 * Close frames still goes. */
static void
quit_now(struct wsc_server *srv)
{
	size_t	i;

	for (i = 0; i < srv->ncl; i++)
		if (srv->cl[i]->state == CL_OPEN)
			write_client(srv->cl[i]);
	srv->status = WSC_EXIT_ABNORMAL;
	srv->done = 1;
}

/* Ctrl+C / SIGTERM: the first closes every client with 1001 (going away),
 * a later one exits at once. */
static void
handle_signals(struct wsc_server *srv)
{
	if (wsc_signals_take() == 0)
		return;
	if (!srv->quitting) {
		begin_quit(srv, WSC_CLOSE_GOING_AWAY, NULL);
		return;
	}
	quit_now(srv);
}

/* Every handshake slot is taken: the oldest handshake of the host that
 * holds the most slots gives way to the next connection, with a 503 and
 * a status line. Refusing the newcomer instead would let a few idle
 * connections, reopened as they time out, lock every client out. Only
 * connections read at least once, and older than EVICT_GRACE_MS, may go:
 * one accepted in this turn has had no chance to show its request.
 * Returns 0, or -1 when none may go now. */
static int
evict_handshake(struct wsc_server *srv)
{
	const struct wsc_admit_entry	*v;
	struct client			*c;
	size_t				 i, n = 0;
	int64_t				 now = wsc_now_ms();

	if (srv->capadm < srv->ncl) {
		srv->capadm = srv->ncl;
		srv->adm = wsc_xrealloc(srv->adm, srv->capadm * sizeof *srv->adm);
	}
	for (i = 0; i < srv->ncl; i++) {
		c = srv->cl[i];
		if (c->state != CL_TLS && c->state != CL_REQUEST)
			continue;
		srv->adm[n].addr = c->addr;
		srv->adm[n].since = c->since;
		srv->adm[n].fresh = c->turn == srv->turn ||
		    now - c->since < EVICT_GRACE_MS;
		srv->adm[n++].index = i;
	}
	if ((v = wsc_admit_victim(srv->adm, n)) == NULL)
		return -1;
	c = srv->cl[v->index];
	if (c->state == CL_TLS) {	/* no HTTP before TLS is up */
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "Refused a connection "
		    "from %s: too many handshakes at once (TLS not done)",
		    c->addr);
		client_drop(c);
		return 0;
	}
	refuse(c, 503, "too many connections in the opening handshake");
	return 0;
}

/* Accepts every connection waiting on the listening socket (what is left
 * in the backlog waits a whole turn: a burst of clients would be served a
 * few per wake-up), while there is a handshake slot or one to free. When
 * none may be freed yet, the others wait in the backlog: their requests
 * are already queued there, so they are read as soon as they are
 * accepted, while a flood of reopened idle connections only evicts
 * itself. */
static void
accept_clients(struct wsc_server *srv)
{
	char	addr[INET6_ADDRSTRLEN + 16];
	int	fd;

	while (srv->lis.fd != -1) {
		if (srv->nrequest >= srv->max_handshakes &&
		    evict_handshake(srv) != 0) {
			srv->accept_paused = wsc_now_ms() + EVICT_RETRY_MS;
			return;
		}
		fd = wsc_listener_accept(&srv->lis, addr, sizeof addr);
		if (fd == -1 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd == -1) {
			/* Out of descriptors: the socket stays readable, so
			 * pause instead of spinning. */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				wsc_ui_notef(srv->ui, WSC_NOTE_ERROR,
				    "wsc: accept: %s", strerror(errno));
				srv->accept_paused = wsc_now_ms() +
				    ACCEPT_PAUSE_MS;
			}
			return;
		}
		client_add(srv, fd, addr);
	}
}

/* Is input wanted? Not with --echo, after its end, or while a connected
 * client's queue (or, with none connected, what is kept) is full. */
static int
input_wanted(const struct wsc_server *srv)
{
	size_t	i;

	if (srv->o->echo || srv->input_done || srv->quitting ||
	    srv->factory != NULL)
		return 0;
	if (srv->nopen == 0)
		return wsc_buf_used(&srv->pending) < PENDING_MAX;
	for (i = 0; i < srv->ncl; i++)
		if (srv->cl[i]->counted &&
		    wsc_ws_buffered(&srv->cl[i]->ws) >= OUT_HIGH_WATER)
			return 0;
	return 1;
}

/* The poll events client c needs now. */
static short
client_events(struct client *c)
{
	short	ev = 0;

	switch (c->state) {
	case CL_TLS:
		ev = wsc_conn_want(&c->conn);
		break;
	case CL_REQUEST:
	case CL_LINGER:
		ev = POLLIN;
		break;
	case CL_OPEN:
		/* An echo client that does not read its answers stops
		 * being read: per-client backpressure; so is one whose
		 * own side takes no more. */
		if (wsc_ws_buffered(&c->ws) < OUT_HIGH_WATER && !side_full(c))
			ev = POLLIN;
		WSC_FALLTHROUGH;
	case CL_REFUSED:
		if (wsc_ws_buffered(&c->ws) > 0)
			ev |= POLLOUT;
		ev |= wsc_conn_want(&c->conn);
		break;
	case CL_DEAD:
		break;
	}
	return ev;
}

/* When the heartbeat of some client next needs a tick (INT64_MAX: never). */
static int64_t
heartbeats_due(const struct wsc_server *srv)
{
	int64_t	next = INT64_MAX, due;
	size_t	i;

	for (i = 0; i < srv->ncl; i++)
		if (srv->cl[i]->state == CL_OPEN &&
		    (due = wsc_heartbeat_due(&srv->cl[i]->hb)) < next)
			next = due;
	return next;
}

/* Milliseconds poll() may sleep: until the nearest deadline. */
static int
poll_timeout(const struct wsc_server *srv)
{
	int64_t	next = heartbeats_due(srv), due;
	size_t	i;

	for (i = 0; i < srv->ncl; i++) {
		if (srv->cl[i]->deadline > 0 && srv->cl[i]->deadline < next)
			next = srv->cl[i]->deadline;
		if (srv->cl[i]->msg_deadline > 0 &&
		    srv->cl[i]->msg_deadline < next)
			next = srv->cl[i]->msg_deadline;
	}
	for (i = 0; i < srv->nsides; i++)
		if ((due = side_due(srv->sides[i])) < next)
			next = due;
	if (srv->quitting && srv->quit_deadline < next)
		next = srv->quit_deadline;
	if (srv->accept_paused > 0 && srv->accept_paused < next)
		next = srv->accept_paused;
	return wsc_poll_ms(next);
}

/* Fills the poll set: signals, input, listening socket, then one slot per
 * client in srv->cl order. Returns how many clients it covers. */
static size_t
fill_pollfds(struct wsc_server *srv)
{
	struct pollfd	*pfd;
	size_t		 i;

	if (srv->cappfd < srv->ncl + PFD_CLIENTS + 2 * srv->nsides) {
		srv->cappfd = srv->ncl + PFD_CLIENTS + 2 * srv->nsides + 8;
		srv->pfd = wsc_xrealloc(srv->pfd, srv->cappfd * sizeof *pfd);
	}
	pfd = srv->pfd;
	memset(pfd, 0, (srv->ncl + PFD_CLIENTS + 2 * srv->nsides) *
	    sizeof *pfd);
	pfd[0].fd = wsc_signals_fd();
	pfd[0].events = POLLIN;
	pfd[1].fd = input_wanted(srv) ?
	    srv->ui->ops->input_fd(srv->ui->ctx) : -1;
	pfd[1].events = POLLIN;
	pfd[2].fd = srv->accept_paused == 0 ? srv->lis.fd : -1;
	pfd[2].events = POLLIN;
	for (i = 0; i < srv->ncl; i++) {
		pfd[PFD_CLIENTS + i].fd = srv->cl[i]->conn.fd;
		pfd[PFD_CLIENTS + i].events = client_events(srv->cl[i]);
		wsc_heartbeat_reading(&srv->cl[i]->hb,
		    (pfd[PFD_CLIENTS + i].events & POLLIN) != 0);
	}
	fill_side_pollfds(srv, pfd + PFD_CLIENTS + srv->ncl);
	return srv->ncl;
}

/* Does TLS hold decrypted bytes of c's that the socket will not signal? */
static int
has_pending(struct client *c)
{
	return (c->state == CL_REQUEST || c->state == CL_OPEN) &&
	    wsc_conn_pending(&c->conn) > 0 && !side_full(c);
}

/* poll() failed, and not for a signal: the loop can wait no more. One
 * line, every client closed with 1001 as far as one write takes it, exit
 * 1, as the client session does. */
static void
cannot_wait(struct wsc_server *srv)
{
	wsc_ui_notef(srv->ui, WSC_NOTE_ERROR, "wsc: cannot wait for "
	    "connections: %s", strerror(errno));
	begin_quit(srv, WSC_CLOSE_GOING_AWAY, NULL);
	quit_now(srv);
}

/* Waits for something to do. The user side is flushed whenever the loop
 * would sleep, as in the client session. Returns the clients covered. */
static size_t
wait_io(struct wsc_server *srv)
{
	size_t	n = fill_pollfds(srv), i;
	int	r;
	nfds_t	nfds = (nfds_t)(n + PFD_CLIENTS + 2 * srv->polled_sides);

	for (i = 0; i < n; i++)
		if (has_pending(srv->cl[i]))
			return n;	/* TLS holds decrypted bytes */
	if ((r = poll(srv->pfd, nfds, 0)) == 0) {
		srv->ui->ops->flush(srv->ui->ctx);
		r = poll(srv->pfd, nfds, poll_timeout(srv));
	}
	if (r == -1) {
		memset(srv->pfd, 0, nfds * sizeof *srv->pfd);
		if (errno != EINTR)
			cannot_wait(srv);
	}
	return n;
}

/* Advances a client's TLS handshake; the request may follow at once. */
static void
step_tls(struct client *c)
{
	switch (wsc_tls_accept_step(&c->conn)) {
	case 1:
		c->state = CL_REQUEST;
		read_request(c);
		break;
	case -1:
		wsc_ui_notef(c->srv->ui, WSC_NOTE_STATUS,
		    "Refused a connection from %s: %s", c->addr, c->conn.err);
		client_drop(c);
		break;
	}
}

/* Acts on what poll() reported for the clients it covered. */
static void
dispatch_clients(struct wsc_server *srv, size_t n)
{
	struct client	*c;
	short		 rev;
	size_t		 i;

	for (i = 0; i < n; i++) {
		c = srv->cl[i];
		rev = srv->pfd[PFD_CLIENTS + i].revents;
		if (has_pending(c))
			rev |= POLLIN;
		if (rev == 0)
			continue;
		switch (c->state) {
		case CL_TLS:
			step_tls(c);
			break;
		case CL_REQUEST:
			read_request(c);
			break;
		case CL_OPEN:
			if (rev & (POLLIN | POLLHUP | POLLERR))
				read_client(c);
			break;
		case CL_REFUSED:
			if (rev & (POLLHUP | POLLERR))
				client_drop(c);
			break;
		case CL_LINGER:
			read_linger(c);
			break;
		case CL_DEAD:
			break;
		}
	}
}

/* Ends the server when messages can no longer be written out (the reader
 * of stdout went away, as `| head` does): one error line, every client
 * closed with 1001, going away (RFC 6455 section 7.4.1), and exit 1, as
 * the client session does. */
static void
check_output(struct wsc_server *srv)
{
	if (srv->out_failed || wsc_ui_output_failed(srv->ui) == 0)
		return;
	srv->out_failed = 1;
	srv->status = WSC_EXIT_ABNORMAL;
	begin_quit(srv, WSC_CLOSE_GOING_AWAY, NULL);
}

/* One turn of the loop: write, move clients on, wait, then read. */
static void
turn(struct wsc_server *srv)
{
	int64_t	now = wsc_now_ms();
	size_t	i, n;

	srv->turn++;
	check_output(srv);
	for (i = 0; i < srv->ncl; i++) {
		if (srv->cl[i]->state != CL_DEAD)
			write_client(srv->cl[i]);
		heartbeat(srv->cl[i], now);
		step_client(srv->cl[i], now);
	}
	reap(srv);
	step_sides(srv, now);
	if (srv->accept_paused > 0 && now >= srv->accept_paused)
		srv->accept_paused = 0;
	if (srv->quitting && ((srv->ncl == 0 && srv->nsides == 0) ||
	    now >= srv->quit_deadline)) {
		srv->done = 1;
		return;
	}
	n = wait_io(srv);
	handle_signals(srv);
	if (srv->done)
		return;
	/* Requests that have arrived are read first: a handshake that is
	 * about to finish is not the one evicted for a newcomer. */
	dispatch_clients(srv, n);
	if (srv->pfd[2].revents & POLLIN)
		accept_clients(srv);
	if (srv->pfd[1].revents != 0 && input_wanted(srv))
		srv->ui->ops->on_input(srv->ui->ctx, &srv->sink);
	dispatch_sides(srv, srv->pfd + PFD_CLIENTS + n);
}

/* Frees every client still there, saying so for the connected ones. */
static void
free_all(struct wsc_server *srv)
{
	size_t	i;

	for (i = 0; i < srv->ncl; i++) {
		report_gone(srv->cl[i]);
		client_free(srv->cl[i]);
	}
	srv->ncl = 0;
	for (i = 0; i < srv->nsides; i++)
		side_free(srv->sides[i]);
	srv->nsides = 0;
	free(srv->sides);
	free(srv->cl);
	free(srv->pfd);
	free(srv->adm);
	wsc_buf_free(&srv->pending);
	wsc_listener_close(&srv->lis);
}

/* --cert/--key/--passphrase: the certificate every client is shown. */
static struct wsc_tls_server *
server_tls(const struct wsc_options *o, char *err, size_t errlen)
{
	struct wsc_tls_opts	to;

	memset(&to, 0, sizeof to);
	to.cert = o->cert;
	to.key = o->key;
	to.passphrase = o->passphrase;
	to.ca = o->ca;
	return wsc_tls_server_new(&to, err, errlen);
}

/* The status line that says where clients may connect (wsc(1), LISTEN
 * MODE); a Unix socket has no URL, so the scheme goes in brackets. */
static void
say_listening(const struct wsc_server *srv)
{
	const char	*scheme = srv->tls != NULL ? "wss" : "ws";
	const char	*echo = srv->o->echo ? " (echo)" : "";

	if (srv->lis.is_unix)
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "Listening on %s (%s)%s",
		    srv->lis.where, scheme, echo);
	else
		wsc_ui_notef(srv->ui, WSC_NOTE_STATUS, "Listening on %s://%s/%s",
		    scheme, srv->lis.where, echo);
}

int
wsc_server_run(const struct wsc_options *o, struct wsc_ui *ui, int route_to)
{
	return wsc_server_run_sides(o, ui, route_to, NULL);
}

int
wsc_server_run_sides(const struct wsc_options *o, struct wsc_ui *ui,
    int route_to, const struct wsc_side_factory *factory)
{
	struct wsc_server	srv;
	char			err[256];
	int			st;

	memset(&srv, 0, sizeof srv);
	srv.lis.fd = -1;
	srv.o = o;
	srv.ui = ui;
	srv.route_to = route_to;
	srv.factory = factory;
	srv.sink.ops = &sink_ops;
	srv.sink.ctx = &srv;
	srv.sink.many = 1;
	/* Twice the largest message: one always fits while another arrives. */
	srv.budget = o->memory_budget != 0 ? o->memory_budget :
	    o->max_message <= UINT64_MAX / 2 ? 2 * o->max_message : UINT64_MAX;
	srv.max_handshakes = wsc_listener_fit_descriptors(o->max_clients);
	if (wsc_signals_install() != 0) {
		wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: cannot set up: %s",
		    strerror(errno));
		ui->ops->finish(ui->ctx);
		return WSC_EXIT_ABNORMAL;
	}
	if (o->cert != NULL && (srv.tls = server_tls(o, err, sizeof err)) == NULL) {
		wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: TLS failed: %s", err);
		ui->ops->finish(ui->ctx);
		return WSC_EXIT_TLS;
	}
	if (wsc_listener_open(&srv.lis, o->listen_port, o->bind, err,
	    sizeof err, &st) != 0) {
		wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: %s", err);
		wsc_tls_server_free(srv.tls);
		ui->ops->finish(ui->ctx);
		return st;
	}
	say_listening(&srv);
	while (!srv.done)
		turn(&srv);
	free_all(&srv);
	wsc_tls_server_free(srv.tls);
	ui->ops->flush(ui->ctx);
	ui->ops->finish(ui->ctx);
	return srv.status;
}
