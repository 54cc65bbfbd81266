/* A side: where a WebSocket's outgoing messages come from and where its
 * incoming ones and the notices go (doc/architecture.md, Sides). The piped
 * side (pipe.c) reads stdin lines and writes messages to a buffered stdout;
 * the terminal one (tty.c) runs a readline prompt. The loops (session.c,
 * server.c) know only this interface, and a side reaches them only through
 * its sink (sink.h). */
#ifndef WSC_UI_H
#define WSC_UI_H

#include <stddef.h>
#include <stdint.h>

struct wsc_options;
struct wsc_sink;
struct wsc_stamp;

enum wsc_note {
	WSC_NOTE_STATUS,	/* Connected, Disconnected, reconnecting: -q hides */
	WSC_NOTE_ERROR,		/* "wsc: ..." failures: always shown */
	WSC_NOTE_CONTROL,	/* -P: pings and pongs */
	WSC_NOTE_TRACE		/* -v: headers and frames */
};

struct wsc_ui_ops {
	/* The descriptor to poll for input, or -1 when none is wanted now. */
	int	(*input_fd)(void *ctx);
	/* The descriptor is readable: read, and send through the sink. */
	void	(*on_input)(void *ctx, struct wsc_sink *k);
	/* A message arrived (client: 0, or the listen-mode client number). */
	void	(*message)(void *ctx, unsigned client, int opcode,
		    const uint8_t *p, size_t n);
	/* A one-line notice, without the newline. */
	void	(*note)(void *ctx, enum wsc_note kind, const char *text);
	/* The loop is about to sleep: make everything visible. */
	void	(*flush)(void *ctx);
	/* The session is over: restore whatever was changed. */
	void	(*finish)(void *ctx);
	/* Flow control for a side that queues what it delivers (a program's
	 * stdin, a socket), all optional (NULL: the side writes at once):
	 * the descriptor to poll for POLLOUT while output waits (-1: none),
	 * what to do when it is writable, and whether the side holds more
	 * than its high-water mark, when the loop stops reading the
	 * WebSocket that feeds it. */
	int	(*output_fd)(void *ctx);
	void	(*on_output)(void *ctx);
	int	(*full)(void *ctx);
	/* Optional, for a side of its own in listen mode that winds down
	 * after its WebSocket has ended (a socket's write half shut, a
	 * program's stdin closed): the first call says the WebSocket is
	 * over; it returns 0 once the side is done (finish follows), else
	 * the wsc_now_ms() time by which it wants to be called again. Its
	 * descriptors are still polled meanwhile; what it reads then has
	 * nowhere to go (the sink refuses it). NULL: done at once. */
	int64_t	(*wind_down)(void *ctx, int64_t now);
};

/* A piece of a large message, as it arrives; first and last mark the
 * message's ends (the last piece may be empty). */
typedef void (*wsc_ui_part_fn)(void *ctx, unsigned client, int opcode,
    const uint8_t *p, size_t n, int first, int last);

/* What happened to the connection, for a ui that records events (--jsonl)
 * beyond messages and notices. */
enum wsc_ui_ev {
	WSC_UI_OPEN,		/* url, protocol, extensions (NULL: none) */
	WSC_UI_CLOSE,		/* code, reason, clean, by_server */
	WSC_UI_PING,		/* data, len: a ping received */
	WSC_UI_PONG,		/* data, len; rtt_us, -1 when it answers none */
	WSC_UI_SENT		/* opcode, data, len: a message queued */
};

struct wsc_ui_event {
	enum wsc_ui_ev	 kind;
	const char	*url;
	const char	*protocol;
	const char	*extensions;
	unsigned	 code;
	const char	*reason;
	int		 clean;		/* the close handshake completed */
	int		 by_server;	/* the server closed (or dropped) first */
	int		 opcode;
	const uint8_t	*data;
	size_t		 len;
	int64_t		 rtt_us;
};

typedef void (*wsc_ui_event_fn)(void *ctx, const struct wsc_ui_event *ev);

struct wsc_ui {
	const struct wsc_ui_ops	*ops;
	void			*ctx;
	/* Set by the terminal ui (0 otherwise): the session words its status
	 * lines for a person at a prompt ("press CTRL+C to quit"). */
	int			 interactive;
	/* Optional, set by a ui that can show large messages in pieces:
	 * those of the opcodes in `stream` (bit 1 << opcode) then come
	 * through message_part, and memory stays flat however large a
	 * message is (0 / NULL: whole messages only, through ops->message). */
	unsigned		 stream;
	wsc_ui_part_fn		 message_part;
	/* Optional: the errno with which writing messages out failed (the
	 * reader of a pipe went away: EPIPE), or 0 while all is well. */
	int			(*output_error)(void *ctx);
	/* Optional: connection events (open, close, pings, pongs, messages
	 * sent), for a ui that records them (NULL: not asked for). */
	wsc_ui_event_fn		 event;
	/* Optional, for a side with timers of its own (a program's end):
	 * when tick is next needed (a wsc_now_ms() time; INT64_MAX: not
	 * before some descriptor wakes the loop), and the tick, which the
	 * loop calls on every turn (it may send through k, or end the
	 * side's input). */
	int64_t			(*due)(void *ctx);
	void			(*tick)(void *ctx, struct wsc_sink *k,
				    int64_t now);
	/* Optional: the kinds of notice (bit 1 << kind) this ui never
	 * shows. wsc_ui_notef does not format them, nor does the session
	 * build what they would say: with -q a short run pays nothing for
	 * its status lines. */
	unsigned		 muted;
};

/* The longest notice; wsc_ui_notef truncates. */
#define WSC_NOTE_MAX	1024

/* Prints a notice through the ui, printf-style. */
void	 wsc_ui_notef(const struct wsc_ui *ui, enum wsc_note kind,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Does the ui show notices of this kind? */
#define wsc_ui_shows(ui, kind)	(((ui)->muted & (1u << (kind))) == 0)
/* The kinds of notice wsc_ui_stderr_note drops under o (-q: status
 * lines; --jsonl: pings and pongs, which go to stdout), as muted bits. */
unsigned wsc_ui_stderr_muted(const struct wsc_options *o);
/* Prints a notice on stderr as the sides without a terminal do (wsc(1),
 * Status lines): -q, --jsonl and --timestamps as o says, stamp keeping the
 * time's reading. */
void	 wsc_ui_stderr_note(const struct wsc_options *o,
	    struct wsc_stamp *stamp, enum wsc_note kind, const char *text);
/* Has writing messages out failed (output_error)? Then says so in one
 * error line ("wsc: stdout closed: ..." for EPIPE) and returns the errno;
 * 0 while all is well. Once it has returned non-zero, call it no more. */
int	 wsc_ui_output_failed(const struct wsc_ui *ui);

#endif
