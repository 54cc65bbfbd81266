/* The interactive user side: a GNU readline prompt driven through its
 * callback interface from the session's poll loop, messages and notices
 * printed above the prompt, colours and a persistent history; what a
 * typed line does is slash.h's. Used when stdin and stdout are terminals (main.c). */
#ifndef WSC_TTY_H
#define WSC_TTY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "options.h"
#include "output.h"
#include "stamp.h"
#include "render.h"
#include "ui.h"

struct wsc_sink;

struct wsc_tty {
	const struct wsc_options	*o;
	struct wsc_sink			*k;	/* set while reading input */
	struct wsc_out			 out;	/* stdout: messages */
	struct wsc_out			 err;	/* stderr: notices */
	struct wsc_render		 rend;		/* the text message shown */
	char				 prefix[32];	/* its first line's */
	int				 mid_message;	/* more pieces to come */
	int				 color;		/* on stdout */
	int				 err_color;	/* on stderr */
	int				 err_tty;	/* stderr shows on the screen */
	int				 dumb;		/* TERM=dumb: no cursor motion */

	int				 installed;	/* readline handler in place */
	int				 hidden;	/* prompt cleared by us */
	int				 in_handler;	/* inside the line handler */
	int				 eof;		/* Ctrl+D */

	char				*history;	/* file, or NULL: none kept */
	int				 history_warned;
	int				 utf8_warned;
	struct wsc_stamp		 stamp;		/* --timestamps */
	struct wsc_buf			 pretty;	/* --pretty's rendering */
	const struct wsc_ui		*ui;	/* the one init filled */
};

/* Loads readline, sets up t (terminal, signals, history) and returns it as
 * a ui in ui; -1 with why in err when readline cannot be loaded. */
int	 wsc_tty_init(struct wsc_tty *t, const struct wsc_options *o,
	    struct wsc_ui *ui, char *err, size_t errlen);
/* Restores the terminal and frees t; safe twice and after init. */
void	 wsc_tty_free(struct wsc_tty *t);

/* Should the terminal get colours? --no-color, a non-empty NO_COLOR, and
 * an unset or "dumb" TERM say no. Exposed for tests. */
int	 wsc_tty_want_color(int no_color, const char *no_color_env,
	    const char *term);

/* Where the history is kept: $XDG_STATE_HOME/wsc/history (an absolute
 * XDG_STATE_HOME only), else $HOME/.local/state/wsc/history; NULL when
 * neither is set. The caller frees the result. */
char	*wsc_tty_history_path(const char *xdg_state_home, const char *home);

#endif
