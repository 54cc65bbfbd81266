/* The program side (wsc(1), --run): a WebSocket connected to a program's
 * stdin and stdout. Each line it writes (each chunk with -b) is a message;
 * each message received is written to its stdin (text with a newline
 * after it) through a bounded queue, above whose high-water mark the side
 * is full and the loop stops reading the WebSocket. Its exit, once its
 * output is read, ends the side's input (the sink's input_done: close
 * with 1000; its status is in proc by then); the
 * WebSocket's end (wsc_procside_end) writes what is queued, closes its
 * stdin and stops it on process.h's schedule. One side per program and no
 * globals: listen mode may run one per client. */
#ifndef WSC_PROCSIDE_H
#define WSC_PROCSIDE_H

#include <stdint.h>

#include "buf.h"
#include "options.h"
#include "process.h"
#include "stamp.h"
#include "ui.h"

struct wsc_procside {
	const struct wsc_options	*o;
	const char			*cmd;
	char *const			*envp;	/* NULL: wsc's environment */
	struct wsc_proc			 proc;
	struct wsc_buf			 line;	/* its output, no newline yet */
	struct wsc_buf			 queue;	/* for its stdin */
	struct wsc_ui			*notes;	/* where notices go */
	struct wsc_stamp		 stamp;	/* --timestamps on notices */
	int				 started;
	int				 failed;	/* could not start */
	int				 eof;	/* its output is over */
	int				 ended;	/* the WebSocket is over */
	int64_t				 give_up_at;	/* ended: the queue's
							   last chance */
	int				 reported;
	int				 utf8_warned;
};

/* Sets ps up to run cmd (kept by pointer, as envp, which may be NULL)
 * when the connection opens (the ui's open event) or wsc_procside_start,
 * and returns it as a side in ui. Notices go to stderr as the piped
 * side's do, or to notes when the caller sets ps->notes (listen mode: the
 * server's own side). */
void	 wsc_procside_init(struct wsc_procside *ps,
	    const struct wsc_options *o, const char *cmd, char *const *envp,
	    struct wsc_ui *ui);
/* Starts the program (once). Returns 0, or -1 with the reason in err; the
 * side's input then ends at the next tick, closing with 1011. */
int	 wsc_procside_start(struct wsc_procside *ps, char *err,
	    size_t errlen);
/* The WebSocket has ended: nothing more is read from the program; what
 * is queued for it is written (given up after 2 s without progress),
 * then its stdin closed and its end scheduled. Keep polling output_fd and
 * calling on_output and tick (k may be NULL) until wsc_procside_done. */
void	 wsc_procside_end(struct wsc_procside *ps, int64_t now);
/* The program has been reaped and its end reported (or it never ran). */
int	 wsc_procside_done(const struct wsc_procside *ps);
/* Kills and reaps the program if it still runs; frees ps. Safe twice. */
void	 wsc_procside_free(struct wsc_procside *ps);

#endif
