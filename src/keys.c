/* The prompt's keys for readline, read without waiting (keys.h). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keys.h"
#include "rl.h"
#include "signals.h"

/* No key held for readline. */
#define NO_KEY		(-3)
/* A bracketed paste's start and end, as the terminal sends them. */
#define PASTE_START	"\033[200~"
#define PASTE_END	"\033[201~"
#define PASTE_MARK	(sizeof PASTE_END - 1)

static int		 held = NO_KEY;	/* read by wsc_keys_take, not taken */
static char		 recent[PASTE_MARK];	/* the last keys handed out */
static int		 in_paste;	/* readline is reading a paste */
static const char	*ending;	/* the rest of PASTE_END to hand out */

/* Waits up to ms (-1: no limit) for a key or for a signal the session has
 * not taken (Ctrl+C, SIGTERM). Returns the terminal's poll events, 0 when
 * a signal came or time ran out. In this mode the self-pipe holds only
 * such signals: no children are watched. */
static short
key_poll(int ms)
{
	struct pollfd	pfd[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN }, { .events = POLLIN }
	};

	pfd[1].fd = wsc_signals_fd();
	if (poll(pfd, 2, ms) <= 0 || wsc_signals_pending())
		return 0;
	return pfd[0].revents;
}

/* One byte from the terminal, at once: the byte; NO_KEY when none is
 * queued; EOF when the terminal is gone (hung up, or its master closed:
 * EIO). */
static int
key_read(void)
{
	unsigned char	c;
	ssize_t		n = read(STDIN_FILENO, &c, 1);

	if (n == 1)
		return c;
	if (n == 0 || errno == EINTR || errno == EAGAIN)
		return key_poll(0) & (POLLHUP | POLLERR | POLLNVAL) ? EOF :
		    NO_KEY;
	return EOF;
}

/* Hands key c to readline, noting whether it starts or ends a paste. */
static int
key_give(int c)
{
	memmove(recent, recent + 1, PASTE_MARK - 1);
	recent[PASTE_MARK - 1] = (char)c;
	if (memcmp(recent, PASTE_START, PASTE_MARK) == 0)
		in_paste = 1;
	else if (memcmp(recent, PASTE_END, PASTE_MARK) == 0)
		in_paste = 0;
	return c;
}

/* Ctrl+C, SIGTERM or the terminal's end came: EOF, so that readline ends
 * what it was reading; but a paste gets its end first, one key a call
 * (readline 8.2 leaves a paste that ends at EOF without its NUL, and
 * reads past it). */
static int
key_end(void)
{
	int	c;

	if (in_paste && ending == NULL)
		ending = PASTE_END;
	if (ending == NULL)
		return EOF;
	c = (unsigned char)*ending++;
	if (*ending == '\0')
		ending = NULL;
	return key_give(c);
}

/* rl_getc_function: the key wsc_keys_take read; when readline wants more
 * within one call (the rest of a bracketed paste, typeahead), the next
 * key, waited for; key_end's once Ctrl+C or SIGTERM comes, and the loop
 * then handles the signal. */
static int
key_get(FILE *in)
{
	int	c = held;

	(void)in;
	if (ending != NULL)
		return key_end();
	held = NO_KEY;
	while (c == NO_KEY && !wsc_signals_pending()) {
		if ((c = key_read()) == NO_KEY)
			key_poll(-1);
	}
	return c == NO_KEY || c == EOF ? key_end() : key_give(c);
}

/* rl_input_available_hook: is a key there, or does one come within
 * readline's keyboard timeout (which it sets before asking)? */
static int
key_ready(void)
{
	int	us = rl_set_keyboard_input_timeout(-1);

	if (held != NO_KEY || ending != NULL)
		return 1;
	return (key_poll(us > 0 ? (us + 999) / 1000 : 0) & POLLIN) != 0;
}

void
wsc_keys_setup(void)
{
	rl_getc_function = key_get;
	rl_input_available_hook = key_ready;
	held = NO_KEY;
}

void
wsc_keys_nowait(int fd, struct termios *tio)
{
	tio->c_cc[VMIN] = 0;
	tio->c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, tio) != 0) {
		/* readline's settings stay (keys.h) */
	}
}

int
wsc_keys_take(void)
{
	/* readline is between keys: no paste is being read. */
	in_paste = 0;
	ending = NULL;
	/* A key readline left untaken stays first: no key read is lost. */
	if (held == NO_KEY)
		held = key_read();
	return held != NO_KEY;
}
