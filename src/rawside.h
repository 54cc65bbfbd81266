/* A byte-stream side (wsc(1), --raw and --tunnel): every chunk read from
 * one descriptor is a binary message, and every message's payload, text
 * or binary, is written to another as it is, with nothing added. --raw
 * runs it on stdin and stdout; each tunnel on its accepted TCP connection
 * (one descriptor for both ways, half-closed with shutdown()). */
#ifndef WSC_RAWSIDE_H
#define WSC_RAWSIDE_H

#include <stdint.h>

#include "buf.h"
#include "options.h"
#include "ui.h"

struct wsc_raw {
	const struct wsc_options	*o;
	int				 in_fd;
	int				 out_fd;
	int				 socket;	/* in_fd == out_fd, a socket */
	const char			*label;		/* errors: "wsc: LABEL: ..." */
	struct wsc_buf			 out;		/* waiting for out_fd */
	int				 eof;		/* nothing more to read */
	int				 out_err;	/* errno of a failed write */
};

/* Sets up st on in_fd and out_fd (the same socket for a tunnel) and
 * returns it as a side in ui; label (may be NULL) names it in error
 * lines. Status lines are shown only with -v. */
void	 wsc_raw_init(struct wsc_raw *st, const struct wsc_options *o,
	    int in_fd, int out_fd, const char *label, struct wsc_ui *ui);
void	 wsc_raw_free(struct wsc_raw *st);

#endif
