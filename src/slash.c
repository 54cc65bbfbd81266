/* What a line typed at the prompt does (slash.h): a message, or with
 * --slash one of the commands below (wsc(1), INTERACTIVE MODE). The
 * prompt itself, readline and the printing above it, is tty.c's. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "frame.h"
#include "route.h"
#include "sink.h"
#include "slash.h"
#include "utf8.h"
#include "util.h"

/* /file reads at most this much (a message that size is already silly). */
#define FILE_MAX		(256 * 1024 * 1024)

long
wsc_slash_parse_hex(const char *hex, uint8_t *out)
{
	const char	*d;
	long		 n = 0;
	int		 hi = -1, v;

	for (; *hex != '\0'; hex++) {
		if (*hex == ' ' || *hex == '\t') {
			/* Spaces may separate bytes, not split one. */
			if (hi != -1)
				return -1;
			continue;
		}
		if ((d = strchr("0123456789abcdef0123456789ABCDEF", *hex)) ==
		    NULL)
			return -1;
		v = (int)(d - "0123456789abcdef0123456789ABCDEF") % 16;
		if (hi == -1)
			hi = v;
		else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi == -1 ? n : -1;
}

/* Queues a message, or says why it cannot go. */
static void
send_message(struct wsc_slash *t, int opcode, const void *p, size_t n)
{
	if (wsc_sink_send(t->k, opcode, p, n) != 0)
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: not sent: the "
		    "connection is closing");
}

/* /ping [DATA] (with -P the session shows the pong's round trip) and
 * /pong [DATA] (unsolicited, a heartbeat: RFC 6455 section 5.5.3). Control
 * frames carry 125 bytes at most (section 5.5). */
static void
cmd_control(struct wsc_slash *t, int opcode, const char *arg)
{
	const char	*cmd = opcode == WSC_OP_PING ? "/ping" : "/pong";
	size_t		 n = strlen(arg);
	int		 r;

	if (n > 125) {
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: %s: data too long "
		    "(%zu bytes, 125 at most); not sent", cmd, n);
		return;
	}
	r = opcode == WSC_OP_PING ? wsc_sink_ping(t->k, arg, n) :
	    wsc_sink_send(t->k, opcode, arg, n);
	if (r != 0)
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: %s: not sent: the "
		    "connection is not open", cmd);
}

/* /ping [DATA] */
static void
cmd_ping(struct wsc_slash *t, const char *arg)
{
	cmd_control(t, WSC_OP_PING, arg);
}

/* /pong [DATA] */
static void
cmd_pong(struct wsc_slash *t, const char *arg)
{
	cmd_control(t, WSC_OP_PONG, arg);
}

/* /close [CODE [REASON]]: only codes valid on the wire (RFC 6455 section
 * 7.4); a bad one is the user's typo, not something to send. */
static void
cmd_close(struct wsc_slash *t, const char *arg)
{
	const char	*reason;
	char		*end;
	unsigned long	 code = WSC_CLOSE_NORMAL;
	size_t		 n;

	if (*arg != '\0') {
		n = strcspn(arg, " \t");
		errno = 0;
		code = strtoul(arg, &end, 10);
		if (arg[0] < '0' || arg[0] > '9' || end != arg + n ||
		    errno != 0 || code > 65535 ||
		    !wsc_close_code_valid((unsigned)code)) {
			wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: invalid "
			    "close code '%.*s' (1000-1003, 1007-1014, "
			    "3000-4999); not sent", (int)n, arg);
			return;
		}
		reason = arg + n + strspn(arg + n, " \t");
		if (strlen(reason) > 123 ||
		    !wsc_utf8_valid((const uint8_t *)reason, strlen(reason))) {
			wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /close: the "
			    "reason must be UTF-8, 123 bytes at most; not "
			    "sent");
			return;
		}
		wsc_sink_close(t->k, 0, (unsigned)code, reason);
		return;
	}
	wsc_sink_close(t->k, 0, (unsigned)code, NULL);
}

/* /binary HEX...: one binary message. */
static void
cmd_binary(struct wsc_slash *t, const char *arg)
{
	uint8_t	*b = wsc_xmalloc(strlen(arg) / 2 + 1);
	long	 n = wsc_slash_parse_hex(arg, b);

	if (n < 0)
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /binary: expected "
		    "hex bytes, e.g. /binary 48 69; not sent");
	else
		send_message(t, WSC_OP_BINARY, b, (size_t)n);
	free(b);
}

/* /file PATH: the whole file as one binary message. */
static void
cmd_file(struct wsc_slash *t, const char *arg)
{
	struct wsc_buf	 b;
	uint8_t		*dst;
	ssize_t		 r = 0;
	int		 fd;

	if (*arg == '\0') {
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /file: which "
		    "file? (/file PATH)");
		return;
	}
	if ((fd = open(arg, O_RDONLY | O_CLOEXEC)) == -1) {
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /file: %s: %s; "
		    "not sent", arg, strerror(errno));
		return;
	}
	wsc_buf_init(&b);
	while (wsc_buf_used(&b) <= FILE_MAX &&
	    (dst = wsc_buf_reserve(&b, 64 * 1024)) != NULL &&
	    ((r = read(fd, dst, 64 * 1024)) > 0 || (r == -1 && errno == EINTR)))
		if (r > 0)
			wsc_buf_commit(&b, (size_t)r);
	if (r != 0 || wsc_buf_used(&b) > FILE_MAX)
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /file: %s: %s; "
		    "not sent", arg, r < 0 ? strerror(errno) : "too large");
	else {
		send_message(t, WSC_OP_BINARY, wsc_buf_head(&b),
		    wsc_buf_used(&b));
		wsc_ui_notef(t->ui, WSC_NOTE_STATUS, "Sent %s (%zu bytes)",
		    arg, wsc_buf_used(&b));
	}
	close(fd);
	wsc_buf_free(&b);
}

/* /quit: as Ctrl+C, a Close with 1000. */
static void
cmd_quit(struct wsc_slash *t, const char *arg)
{
	(void)arg;
	wsc_sink_close(t->k, 0, WSC_CLOSE_NORMAL, NULL);
}

/* Can the typed bytes be a text message? A terminal in a non-UTF-8 locale
 * can produce bytes that cannot; say so rather than send garbage. */
static int
text_ok(struct wsc_slash *t, const char *p, size_t n)
{
	if (wsc_utf8_valid((const uint8_t *)p, n))
		return 1;
	wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: the line is not valid UTF-8 "
	    "(check the terminal's locale); not sent");
	return 0;
}

/* /to N TEXT (listen mode, route.h): a text message for client N only;
 * the server says when there is no such client. */
static void
cmd_to(struct wsc_slash *t, const char *arg)
{
	struct wsc_route	r;

	if (!t->k->many) {
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /to is for listen "
		    "mode (-l)");
		return;
	}
	if (wsc_route_parse_args(arg, strlen(arg), &r) != WSC_ROUTE_TO) {
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /to N TEXT: %s; "
		    "not sent", r.why);
		return;
	}
	if (text_ok(t, r.text, r.len))
		wsc_sink_send_to(t->k, r.client, WSC_OP_TEXT, r.text, r.len);
}

/* /status: the connection as the browser API describes it (readyState,
 * protocol, extensions, bufferedAmount), with the traffic each way and the
 * last ping's round trip. */
static void
cmd_status(struct wsc_slash *t, const char *arg)
{
	static const char *const	 states[] = { "CONNECTING", "OPEN",
	    "CLOSING", "CLOSED" };
	struct wsc_sink_stats		 st;
	char				 rtt[48] = "none yet";

	(void)arg;
	if (wsc_sink_status(t->k, &st) != 0) {
		wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: /status: not in "
		    "listen mode");
		return;
	}
	if (st.last_rtt_us > 0)
		snprintf(rtt, sizeof rtt, "%.3f ms",
		    (double)st.last_rtt_us / 1000);
	wsc_ui_notef(t->ui, WSC_NOTE_CONTROL, "readyState: %d (%s); "
	    "protocol: %s; extensions: %s", st.ready_state,
	    states[st.ready_state & 3],
	    st.protocol != NULL ? st.protocol : "(none)",
	    st.extensions != NULL ? st.extensions : "(none)");
	wsc_ui_notef(t->ui, WSC_NOTE_CONTROL, "bufferedAmount: %zu bytes; "
	    "sent: %llu messages, %llu bytes; received: %llu messages, %llu "
	    "bytes; last round trip: %s", st.buffered,
	    (unsigned long long)st.msgs_out,
	    (unsigned long long)st.bytes_out, (unsigned long long)st.msgs_in,
	    (unsigned long long)st.bytes_in, rtt);
}

static void	cmd_help(struct wsc_slash *, const char *);

static const struct {
	const char	*name;
	const char	*args;
	const char	*help;
	void		(*fn)(struct wsc_slash *, const char *);
} commands[] = {
	{ "ping", "[DATA]", "send a ping (-P shows the round trip)", cmd_ping },
	{ "pong", "[DATA]", "send an unsolicited pong", cmd_pong },
	{ "close", "[CODE [REASON]]", "close the connection (default 1000)",
	  cmd_close },
	{ "binary", "HEX...", "send a binary message given in hex", cmd_binary },
	{ "file", "PATH", "send a file as one binary message", cmd_file },
	{ "help", "", "list the commands", cmd_help },
	{ "quit", "", "close with 1000 and exit", cmd_quit },
	{ "to", "N TEXT", "listen mode: send TEXT to client N only", cmd_to },
	{ "status", "", "the connection: state, protocol, extensions, "
	  "bufferedAmount, traffic, round trip", cmd_status },
};

/* /help: the commands, one line each. */
static void
cmd_help(struct wsc_slash *t, const char *arg)
{
	char	usage[64];
	size_t	i;

	(void)arg;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		snprintf(usage, sizeof usage, "/%s %s", commands[i].name,
		    commands[i].args);
		wsc_ui_notef(t->ui, WSC_NOTE_CONTROL, "%-24s %s", usage,
		    commands[i].help);
	}
	wsc_ui_notef(t->ui, WSC_NOTE_CONTROL, "%-24s %s", "//TEXT",
	    "send /TEXT");
}

/* A line starting with '/' under --slash. */
static void
slash_command(struct wsc_slash *t, const char *line)
{
	const char	*name = line + 1, *arg;
	size_t		 n = strcspn(name, " \t"), i;

	arg = name + n + strspn(name + n, " \t");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strlen(commands[i].name) == n &&
		    strncmp(commands[i].name, name, n) == 0) {
			commands[i].fn(t, arg);
			return;
		}
	wsc_ui_notef(t->ui, WSC_NOTE_ERROR, "wsc: unknown command '/%.*s' "
	    "(see /help); not sent", (int)n, name);
}

/* A text message (binary with -b). */
static void
send_text(struct wsc_slash *t, const char *p, size_t n)
{
	if (t->o->binary) {
		send_message(t, WSC_OP_BINARY, p, n);
		return;
	}
	if (text_ok(t, p, n))
		send_message(t, WSC_OP_TEXT, p, n);
}

void
wsc_slash_line(struct wsc_slash *t, const char *p, size_t n)
{
	char	*line;

	if (!t->o->slash || n == 0 || p[0] != '/') {
		send_text(t, p, n);
		return;
	}
	if (n > 1 && p[1] == '/') {
		send_text(t, p + 1, n - 1);
		return;
	}
	line = wsc_xstrndup(p, n);
	slash_command(t, line);
	free(line);
}

