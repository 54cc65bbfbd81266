/* The interactive user side: GNU readline's callback interface inside the
 * session's poll loop (doc/pitfalls.md, GNU readline). Messages and notices are
 * printed above the prompt: the prompt is cleared, the text written, and
 * the prompt with the partly typed line redrawn once the loop is about to
 * sleep, so a flood costs one redraw per batch and the typed line, wrapped
 * or not, survives. Everything a server sends is escaped before it reaches
 * the terminal. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "escape.h"
#include "frame.h"
#include "keys.h"
#include "pretty.h"
#include "render.h"
#include "rl.h"
#include "sink.h"
#include "slash.h"
#include "tty.h"
#include "util.h"

/* Lines kept in the history file, and the longest line worth keeping. */
#define HISTORY_MAX		1000
#define HISTORY_LINE_MAX	(16 * 1024)
#define OUT_FLUSH_AT		(64 * 1024)
/* --pretty's rendering buffer is kept up to this size. */
#define PRETTY_KEEP		(1024 * 1024)
/* --pretty reindents messages up to this size at the prompt; larger ones
 * are shown as they are (through the renderer's caps). */
#define TTY_PRETTY_MAX		(16 * 1024)
/* A binary message's hex dump shows this much of it (1024 lines). */
#define TTY_BINARY_SHOWN	(16 * 1024)

/* Colours (SGR) for what was sent (the prompt), received, status lines,
 * errors, -P and -v. */
#define C_SENT		"\033[1;32m"
#define C_RECV		"\033[36m"
#define C_STATUS	"\033[33m"
#define C_ERROR		"\033[1;31m"
#define C_CONTROL	"\033[35m"
#define C_TRACE		"\033[2m"
#define C_RESET		"\033[0m"
/* --pretty: the received colour for the structure, keys in its bold,
 * then strings, numbers and true/false/null in the palette's others. */
#define C_KEY		"\033[1;36m"
#define C_STRING	"\033[32m"

/* Bracketed paste on and off (xterm), as readline writes them. */
#define BP_ON		"\033[?2004h"
#define BP_OFF		"\033[?2004l"

/* readline's line handler takes no context argument. */
static struct wsc_tty		*current;

static void	on_line(char *);

/* State the signal handlers use; only async-signal-safe calls touch it. */
static struct termios		 sig_orig;	/* as we found the terminal */
static struct termios		 sig_prepped;	/* as readline set it */
static volatile sig_atomic_t	 sig_have_orig;
static volatile sig_atomic_t	 sig_raw;	/* readline's settings in force */
static volatile sig_atomic_t	 sig_bracketed;	/* bracketed paste turned on */
static volatile sig_atomic_t	 sig_resumed;	/* SIGCONT: redraw the prompt */
static volatile sig_atomic_t	 sig_resized;	/* SIGWINCH */
static int			 ever_prepped;
static int			 signals_set;
static struct sigaction		 old_tstp, old_cont, old_winch, old_hup,
				 old_quit;

/* Writes all of p (a signal handler may interrupt). */
static void
write_all(int fd, const void *p, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		r = write(fd, p, n);
		if (r > 0) {
			p = (const char *)p + r;
			n -= (size_t)r;
		} else if (r == 0 || errno != EINTR)
			return;
	}
}

/* Puts the terminal as we found it, from a signal handler or not. */
static void
sig_restore_terminal(void)
{
	if (!sig_raw || !sig_have_orig)
		return;
	if (sig_bracketed)
		write_all(STDOUT_FILENO, BP_OFF, sizeof BP_OFF - 1);
	tcsetattr(STDIN_FILENO, TCSADRAIN, &sig_orig);
}

/* Ctrl+Z: give the shell back a sane terminal, then stop as the default
 * action would. The SIGCONT handler puts readline's settings back. Doing
 * this here rather than in the loop makes it work while connecting too. */
static void
on_tstp(int sig)
{
	struct sigaction	sa;
	sigset_t		set;
	int			saved = errno;

	/* The shell's "Stopped" goes below the prompt, not after it. */
	if (sig_raw)
		write_all(STDOUT_FILENO, "\r\n", 2);
	sig_restore_terminal();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), SIGTSTP);
	/* Stopped here until SIGCONT. */
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
	(void)sig;
	errno = saved;
}

/* fg (or any SIGCONT): readline's settings again; the loop redraws. The
 * shell may have reset the terminal whatever stopped us. */
static void
on_cont(int sig)
{
	int	saved = errno;

	(void)sig;
	if (sig_raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &sig_prepped);
		if (sig_bracketed)
			write_all(STDOUT_FILENO, BP_ON, sizeof BP_ON - 1);
	}
	sig_resumed = 1;
	errno = saved;
}

/* A window resize; the loop (woken by EINTR) redraws. */
static void
on_winch(int sig)
{
	(void)sig;
	sig_resized = 1;
}

/* Ctrl+\ or a hang-up: restore the terminal, then die as by default. */
static void
on_fatal(int sig)
{
	struct sigaction	sa;

	sig_restore_terminal();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	raise(sig);
}

/* Our handlers for the signals readline would otherwise catch; SIGINT and
 * SIGTERM stay with the session (Close 1000). */
static void
signals_install(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, &old_tstp);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, &old_cont);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, &old_winch);
	sa.sa_handler = on_fatal;
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGQUIT, &sa, &old_quit);
	signals_set = 1;
}

/* Puts back the handlers we found (after the session). */
static void
signals_restore(void)
{
	if (!signals_set)
		return;
	sigaction(SIGTSTP, &old_tstp, NULL);
	sigaction(SIGCONT, &old_cont, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	signals_set = 0;
}

/* readline's terminal preparation, recording the result for the signal
 * handlers (which may not call readline). */
static void
tty_prep(int meta)
{
	const char	*bp;
	sigset_t	 set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	sigprocmask(SIG_BLOCK, &set, &old);
	rl_prep_terminal(meta);
	if (tcgetattr(STDIN_FILENO, &sig_prepped) == 0) {
		wsc_keys_nowait(STDIN_FILENO, &sig_prepped);
		bp = rl_variable_value("enable-bracketed-paste");
		sig_bracketed = bp != NULL && strcmp(bp, "on") == 0;
		sig_raw = 1;
		ever_prepped = 1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* readline giving the terminal back; the signal handlers leave it be. */
static void
tty_deprep(void)
{
	sig_raw = 0;
	rl_deprep_terminal();
}

/* Clears the prompt and typed line from the screen before printing. */
static void
prompt_hide(struct wsc_tty *t)
{
	if (!t->installed || t->hidden || t->in_handler)
		return;
	rl_clear_visible_line();
	fflush(rl_outstream);
	t->hidden = 1;
}

/* A large text message comes in pieces: a line it left unfinished is
 * ended before anything else (the prompt, a notice, the next message) is
 * drawn, or that would land at the end of it. */
static void
break_message(struct wsc_tty *t)
{
	char	brk[WSC_RENDER_ROOM];

	if (t->mid_message)
		wsc_out_write(&t->out, brk, wsc_render_break(&t->rend, brk));
}

/* Writes what is buffered and draws the prompt again below it. */
static void
prompt_show(struct wsc_tty *t)
{
	break_message(t);
	wsc_out_flush(&t->out);
	wsc_out_flush(&t->err);
	if (!t->installed || !t->hidden)
		return;
	rl_on_new_line();
	rl_redisplay();
	t->hidden = 0;
}

/* Display columns of the prompt and of the typed line up to the cursor,
 * counted as readline draws them (^X for controls, \ooo for bytes that
 * are not characters in the locale). */
static size_t
cursor_column(void)
{
	const char	*p = rl_display_prompt != NULL ? rl_display_prompt : "";
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 col = 0, i, r;
	int		 hidden = 0, w;

	for (; *p != '\0'; p++) {
		if (*p == RL_PROMPT_START_IGNORE || *p == RL_PROMPT_END_IGNORE)
			hidden = *p == RL_PROMPT_START_IGNORE;
		else if (!hidden)
			col++;
	}
	memset(&st, 0, sizeof st);
	for (i = 0; i < (size_t)rl_point; i += r) {
		r = mbrtowc(&wc, rl_line_buffer + i, (size_t)rl_point - i, &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof st);
			col += r == 0 ? 2 : 4;
			r = 1;
			continue;
		}
		w = wcwidth(wc);
		col += w < 0 ? 2 : (size_t)w;
	}
	return col;
}

/* A window resize. The terminal rewraps the prompt's rows to the new
 * width (tmux, VTE, kitty, iTerm2 do): go up to where the prompt now
 * starts, clear below and draw it again. readline's own redraw assumes
 * the old rows and can erase messages printed above the prompt. */
static void
redraw_after_resize(struct wsc_tty *t)
{
	char	up[32];
	size_t	col = cursor_column();
	int	rows = 0, cols = 0;

	rl_reset_screen_size();
	rl_get_screen_size(&rows, &cols);
	if (t->dumb || cols <= 0) {
		rl_resize_terminal();
		return;
	}
	if (col / (size_t)cols > 0)
		snprintf(up, sizeof up, "\r\033[%zuA\033[J", col / (size_t)cols);
	else
		snprintf(up, sizeof up, "\r\033[J");
	fputs(up, rl_outstream);
	rl_on_new_line();
	rl_redisplay();
}

/* Acts on what the signal handlers noted. */
static void
check_signals(struct wsc_tty *t)
{
	int	visible = t->installed && !t->hidden && !t->in_handler;

	if (sig_resized) {
		sig_resized = 0;
		if (visible)
			redraw_after_resize(t);
		else
			rl_reset_screen_size();
	}
	if (sig_resumed) {
		sig_resumed = 0;
		rl_reset_screen_size();
		/* The shell wrote "fg" and the command below our prompt: draw
		 * it afresh on the line the cursor is on. */
		if (visible)
			t->hidden = 1;
	}
}

/* The colour of a kind of notice. */
static const char *
note_color(enum wsc_note kind)
{
	switch (kind) {
	case WSC_NOTE_STATUS:
		return C_STATUS;
	case WSC_NOTE_ERROR:
		return C_ERROR;
	case WSC_NOTE_CONTROL:
		return C_CONTROL;
	case WSC_NOTE_TRACE:
		break;
	}
	return C_TRACE;
}

/* --timestamps: "HH:MM:SS.mmm " into d (room for WSC_STAMP_LOCAL_LEN + 1),
 * or "" without it. */
static const char *
stamp_text(struct wsc_tty *t, char *d)
{
	struct timespec	now;

	d[0] = '\0';
	if (!t->o->timestamps)
		return d;
	wsc_stamp_now(&now);
	wsc_stamp_local(&t->stamp, &now, d);
	d[WSC_STAMP_LOCAL_LEN] = '\0';
	return d;
}

/* The text of a notice; a status line about the end gets the code's
 * meaning: "Disconnected (code: 1006 abnormal closure, reason: "")". */
static void
note_text(enum wsc_note kind, const char *text, char *dst, size_t len)
{
	static const char	 disc[] = "Disconnected (code: ";
	char			*end;
	unsigned long		 code;

	if (kind == WSC_NOTE_STATUS &&
	    strncmp(text, disc, sizeof disc - 1) == 0) {
		code = strtoul(text + sizeof disc - 1, &end, 10);
		if (*end == ',') {
			snprintf(dst, len, "%.*s %s%s", (int)(end - text), text,
			    wsc_close_code_text((unsigned)code), end);
			return;
		}
	}
	snprintf(dst, len, "%s", text);
}

/* stdin, once the prompt is up: it is put up the first time the session
 * wants input. */
static int
tty_input_fd(void *ctx)
{
	struct wsc_tty	*t = ctx;
	char		 prompt[64];

	if (t->eof)
		return -1;
	if (!t->installed) {
		/* Only now, once connected: a failed connection leaves the
		 * terminal alone. */
		if (t->color)
			snprintf(prompt, sizeof prompt, "%c%s%c> %c%s%c",
			    RL_PROMPT_START_IGNORE, C_SENT, RL_PROMPT_END_IGNORE,
			    RL_PROMPT_START_IGNORE, C_RESET, RL_PROMPT_END_IGNORE);
		else
			snprintf(prompt, sizeof prompt, "> ");
		wsc_out_flush(&t->out);
		wsc_out_flush(&t->err);
		rl_callback_handler_install(prompt, on_line);
		t->installed = 1;
		t->hidden = 0;
	}
	return STDIN_FILENO;
}

/* Writes a string to stdout's buffer. */
static void
put_out(struct wsc_tty *t, const char *s)
{
	wsc_out_write(&t->out, s, strlen(s));
}

/* --pretty: a text message that is a JSON object or array, reindented
 * (in colour when the terminal has it) into t->pretty; -1 otherwise. Its
 * strings are made safe for the terminal by the formatter itself, so the
 * result is printed without escaping. Only messages of at most
 * TTY_PRETTY_MAX bytes are tried, so the rendering stays small. */
static int
render_pretty(struct wsc_tty *t, const uint8_t *p, size_t n)
{
	static const struct wsc_pretty_style	colored = {
		C_KEY, C_STRING, C_CONTROL, C_STATUS, C_RECV, C_RESET, 1
	}, plain = { NULL, NULL, NULL, NULL, NULL, NULL, 1 };

	if (n > TTY_PRETTY_MAX)
		return -1;
	wsc_buf_reset(&t->pretty);
	return wsc_pretty(&t->pretty, p, n, t->color ? &colored : &plain);
}

/* Writes the lines of t->pretty after the prefix, the later ones indented
 * under the first one's text; at most WSC_RENDER_LINES of them, as for
 * any text message. */
static void
put_pretty(struct wsc_tty *t)
{
	const uint8_t	*q = wsc_buf_head(&t->pretty), *nl, *end;
	unsigned	 lines = 0;
	char		 more[96];

	end = q + wsc_buf_used(&t->pretty);
	if (t->color)
		put_out(t, C_RECV);
	put_out(t, t->prefix);
	if (t->color)
		put_out(t, C_RESET);
	for (;;) {
		if ((nl = memchr(q, '\n', (size_t)(end - q))) == NULL)
			nl = end;
		wsc_out_write(&t->out, q, (size_t)(nl - q));
		put_out(t, "\n");
		if (nl == end)
			break;
		q = nl + 1;
		if (++lines == WSC_RENDER_LINES) {
			snprintf(more, sizeof more, "  [... %zu more bytes "
			    "not shown]\n", (size_t)(end - q));
			put_out(t, more);
			break;
		}
		put_out(t, "  ");
	}
	/* a large rendering is not kept */
	if (t->pretty.cap > PRETTY_KEEP)
		wsc_buf_free(&t->pretty);
}

/* What a received message starts with: "< ", or "< [2] " in listen mode
 * with several clients; after the time with --timestamps. */
static void
recv_prefix(struct wsc_tty *t, char *dst, size_t len, unsigned client)
{
	char	stamp[WSC_STAMP_LOCAL_LEN + 1];

	stamp_text(t, stamp);
	if (client > 0)
		snprintf(dst, len, "%s< [%u] ", stamp, client);
	else
		snprintf(dst, len, "%s< ", stamp);
}

/* Formats a text message (or a piece of one) through the renderer into
 * stdout's buffer, a fixed-size slice at a time (render.h). */
static void
render_text(struct wsc_tty *t, const uint8_t *p, size_t n, int last)
{
	char	out[16 * 1024];
	size_t	used;

	while (n > 0) {
		wsc_out_write(&t->out, out, wsc_render_text(&t->rend, out,
		    sizeof out, p, n, &used));
		p += used;
		n -= used;
	}
	if (last)
		wsc_out_write(&t->out, out, wsc_render_end(&t->rend, out,
		    sizeof out));
}

/* A text message, or a piece of a large one (ui.h): "< text" above the
 * prompt, at most WSC_RENDER_LINES lines of it. */
static void
tty_text_part(void *ctx, unsigned client, int opcode, const uint8_t *p,
    size_t n, int first, int last)
{
	struct wsc_tty	*t = ctx;

	(void)opcode;
	check_signals(t);
	prompt_hide(t);
	if (first) {
		break_message(t);	/* one cut short by an error */
		recv_prefix(t, t->prefix, sizeof t->prefix, client);
		wsc_render_init(&t->rend, t->color ? C_RECV : "",
		    t->color ? C_RESET : "", t->prefix, WSC_RENDER_LINES,
		    WSC_RENDER_BYTES);
	}
	t->mid_message = !last;
	render_text(t, p, n, last);
}

/* A message: text through the renderer, binary as a hex dump of its
 * first TTY_BINARY_SHOWN bytes. */
static void
tty_message(void *ctx, unsigned client, int opcode, const uint8_t *p,
    size_t n)
{
	struct wsc_tty	*t = ctx;
	char		 prefix[48], head[256], stamp[WSC_STAMP_LOCAL_LEN + 1];
	size_t		 shown = n < TTY_BINARY_SHOWN ? n : TTY_BINARY_SHOWN;

	if (opcode == WSC_OP_TEXT && t->o->pretty &&
	    render_pretty(t, p, n) == 0) {
		check_signals(t);
		prompt_hide(t);
		break_message(t);
		t->mid_message = 0;
		recv_prefix(t, t->prefix, sizeof t->prefix, client);
		put_pretty(t);
		return;
	}
	if (opcode == WSC_OP_TEXT) {
		tty_text_part(ctx, client, opcode, p, n, 1, 1);
		return;
	}
	check_signals(t);
	prompt_hide(t);
	break_message(t);
	t->mid_message = 0;
	recv_prefix(t, prefix, sizeof prefix, client);
	/* Binary: always a hex dump here; --binary-output is for pipes. */
	snprintf(head, sizeof head, "%s%s[binary %zu bytes]%s\n",
	    t->color ? C_RECV : "", prefix, n, t->color ? C_RESET : "");
	wsc_out_write(&t->out, head, strlen(head));
	if (t->o->timestamps) {
		wsc_buf_reset(&t->pretty);
		wsc_out_hexdump_lines(&t->out, &t->pretty, stamp_text(t, stamp),
		    WSC_STAMP_LOCAL_LEN, p, shown);
	} else
		wsc_out_binary(&t->out, WSC_BIN_HEX, p, shown);
	if (shown == n)
		return;
	snprintf(head, sizeof head, "%s  [... %zu more bytes not shown; "
	    "with stdout on a pipe or file, --binary-output raw writes them "
	    "all]%s\n", t->color ? C_RECV : "", n - shown,
	    t->color ? C_RESET : "");
	wsc_out_write(&t->out, head, strlen(head));
}

/* Notices go to stderr, above the prompt when stderr is the screen. A
 * notice is one line, escaped whole (escape.h): a close reason or a pong
 * payload is the server's, and a newline in it must not forge a line. */
static void
tty_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct wsc_tty	*t = ctx;
	char		 line[1200], esc[WSC_ESC_RATIO * sizeof line];
	char		 stamp[WSC_STAMP_LOCAL_LEN + 1];
	const char	*c = t->err_color ? note_color(kind) : "";
	size_t		 used, n;

	if (kind == WSC_NOTE_STATUS && t->o->quiet)
		return;
	check_signals(t);
	break_message(t);
	wsc_out_flush(&t->out);
	if (t->err_tty)
		prompt_hide(t);
	note_text(kind, text, line, sizeof line);
	n = wsc_escape(esc, (const uint8_t *)line, strlen(line), 0, &used);
	wsc_out_write(&t->err, c, strlen(c));
	stamp_text(t, stamp);
	wsc_out_write(&t->err, stamp, strlen(stamp));
	wsc_out_write(&t->err, esc, n);
	if (t->err_color)
		wsc_out_write(&t->err, C_RESET, strlen(C_RESET));
	wsc_out_write(&t->err, "\n", 1);
	wsc_out_flush(&t->err);
}

/* A local notice: slash command errors, /help. */
static void
tty_notef(struct wsc_tty *t, enum wsc_note kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
tty_notef(struct wsc_tty *t, enum wsc_note kind, const char *fmt, ...)
{
	char	line[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	tty_note(t, kind, line);
}

/* ---------------------------------------------------------------- history */

char *
wsc_tty_history_path(const char *xdg_state_home, const char *home)
{
	/* The XDG base directory spec: a relative path is to be ignored. */
	if (xdg_state_home != NULL && xdg_state_home[0] == '/')
		return wsc_xasprintf("%s/wsc/history", xdg_state_home);
	if (home != NULL && home[0] != '\0')
		return wsc_xasprintf("%s/.local/state/wsc/history", home);
	return NULL;
}

/* Creates the directories above path (mode 0700, as the XDG spec asks). */
static int
make_parents(const char *path)
{
	char	*dir = wsc_xstrdup(path), *p;
	int	 r = 0;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			r = -1;
		*p = '/';
	}
	free(dir);
	return r;
}

/* Loads the history and bounds the file. */
static void
history_load(struct wsc_tty *t)
{
	using_history();
	stifle_history(HISTORY_MAX);
	t->history = wsc_tty_history_path(getenv("XDG_STATE_HOME"),
	    getenv("HOME"));
	if (t->history == NULL || access(t->history, F_OK) != 0)
		return;
	read_history(t->history);
	history_truncate_file(t->history, HISTORY_MAX);
	chmod(t->history, 0600);
}

/* Appends one line to the file at once, so that it survives a crash and
 * two sessions do not overwrite each other's lines. Mode 0600: what is
 * typed may be a secret. */
static void
history_append(struct wsc_tty *t, const char *line, size_t n)
{
	int	fd = -1, e;

	if (t->history == NULL)
		return;
	if (make_parents(t->history) != 0 ||
	    (fd = open(t->history, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1 || fchmod(fd, 0600) == -1) {
		e = errno;
		if (fd != -1)
			close(fd);
		if (!t->history_warned)
			tty_notef(t, WSC_NOTE_ERROR, "wsc: cannot keep history "
			    "in %s: %s", t->history, strerror(e));
		t->history_warned = 1;
		return;
	}
	write_all(fd, line, n);
	write_all(fd, "\n", 1);
	close(fd);
}

/* Records a line typed, unless empty, the same as the last one, huge, or
 * typed with a leading space (the shell's convention for secrets). */
static void
history_record(struct wsc_tty *t, const char *p, size_t n)
{
	HIST_ENTRY	*last;
	char		*line;

	if (n == 0 || p[0] == ' ' || n > HISTORY_LINE_MAX)
		return;
	line = wsc_xstrndup(p, n);
	last = history_length > 0 ?
	    history_get(history_base + history_length - 1) : NULL;
	if (last == NULL || strcmp(last->line, line) != 0) {
		add_history(line);
		history_append(t, line, n);
	}
	free(line);
}

/* ------------------------------------------------------------ the prompt */

/* Ctrl+D on an empty line: input ends as at EOF in piped mode. */
static void
on_eof(struct wsc_tty *t)
{
	t->eof = 1;
	rl_callback_handler_remove();
	t->installed = 0;
	t->hidden = 0;
	wsc_sink_input_done(t->k);
}

/* readline's line handler. A bracketed paste of several lines arrives as
 * one line with newlines inside: each line is one message, as if typed
 * one by one (wscat's behaviour), and a trailing newline adds none. */
static void
on_line(char *line)
{
	struct wsc_tty		*t = current;
	struct wsc_slash	 sl;
	const char		*p = line;
	size_t			 n;

	if (t == NULL) {
		free(line);
		return;
	}
	if (line == NULL) {
		on_eof(t);
		return;
	}
	sl.o = t->o;
	sl.k = t->k;
	sl.ui = t->ui;
	t->in_handler = 1;
	for (;;) {
		n = strcspn(p, "\r\n");
		history_record(t, p, n);
		wsc_slash_line(&sl, p, n);
		p += n;
		if (*p == '\0')
			break;
		p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
		if (*p == '\0')
			break;
	}
	t->in_handler = 0;
	free(line);
}

/* stdin is readable: one key for readline. */
static void
tty_on_input(void *ctx, struct wsc_sink *k)
{
	struct wsc_tty	*t = ctx;

	t->k = k;
	check_signals(t);
	prompt_show(t);
	if (t->installed && wsc_keys_take())
		rl_callback_read_char();
}

/* The loop is about to sleep: the prompt comes back below the output. */
static void
tty_flush(void *ctx)
{
	struct wsc_tty	*t = ctx;

	check_signals(t);
	prompt_show(t);
}

/* The session is over: clear the prompt and give the terminal back as we
 * found it, whatever the way out (server close, error, Ctrl+C). */
static void
tty_finish(void *ctx)
{
	struct wsc_tty	*t = ctx;

	wsc_out_flush(&t->out);
	wsc_out_flush(&t->err);
	if (t->installed) {
		if (!t->hidden)
			rl_clear_visible_line();
		rl_callback_handler_remove();
		t->installed = 0;
		t->hidden = 0;
	}
	fflush(stdout);
	if (ever_prepped && sig_have_orig)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &sig_orig);
	ever_prepped = 0;
	signals_restore();
	if (t->history != NULL && access(t->history, F_OK) == 0) {
		history_truncate_file(t->history, HISTORY_MAX);
		chmod(t->history, 0600);
	}
	free(t->history);
	t->history = NULL;
}

static const struct wsc_ui_ops tty_ops = {
	tty_input_fd, tty_on_input, tty_message, tty_note, tty_flush,
	tty_finish, NULL, NULL, NULL, NULL
};

int
wsc_tty_want_color(int no_color, const char *no_color_env, const char *term)
{
	if (no_color || (no_color_env != NULL && no_color_env[0] != '\0'))
		return 0;
	return term != NULL && term[0] != '\0' && strcmp(term, "dumb") != 0;
}

/* readline set up for a message prompt: no completion (Tab inserts a tab),
 * no signal handlers of its own (the session and we have ours), and our
 * wrappers around its terminal preparation. */
static void
readline_setup(void)
{
	rl_readline_name = "wsc";
	rl_instream = stdin;
	rl_outstream = stdout;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_inhibit_completion = 1;
	rl_prep_term_function = tty_prep;
	rl_deprep_term_function = tty_deprep;
	wsc_keys_setup();
}

int
wsc_tty_init(struct wsc_tty *t, const struct wsc_options *o,
    struct wsc_ui *ui, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (wsc_rl_load(err, errlen) != 0)
		return -1;
	t->o = o;
	wsc_out_init(&t->out, STDOUT_FILENO, OUT_FLUSH_AT);
	wsc_out_init(&t->err, STDERR_FILENO, OUT_FLUSH_AT);
	wsc_buf_init(&t->pretty);
	wsc_stamp_init(&t->stamp);
	t->color = wsc_tty_want_color(o->no_color, getenv("NO_COLOR"),
	    getenv("TERM"));
	t->err_tty = isatty(STDERR_FILENO);
	t->dumb = getenv("TERM") == NULL || strcmp(getenv("TERM"), "dumb") == 0;
	t->err_color = t->color && t->err_tty;
	current = t;
	/* readline edits multibyte characters by the locale's rules. */
	setlocale(LC_CTYPE, "");
	if (tcgetattr(STDIN_FILENO, &sig_orig) == 0)
		sig_have_orig = 1;
	readline_setup();
	signals_install();
	history_load(t);
	ui->ops = &tty_ops;
	ui->ctx = t;
	t->ui = ui;
	ui->interactive = 1;
	/* Large text comes in pieces: the renderer needs no whole message,
	 * and past its cap the rest is only counted. */
	ui->stream = 1u << WSC_OP_TEXT;
	ui->message_part = tty_text_part;
	return 0;
}

void
wsc_tty_free(struct wsc_tty *t)
{
	if (t->o == NULL)
		return;
	tty_finish(t);
	wsc_out_free(&t->out);
	wsc_out_free(&t->err);
	wsc_buf_free(&t->pretty);
	free(t->history);
	t->history = NULL;
	t->o = NULL;
	if (current == t)
		current = NULL;
}
