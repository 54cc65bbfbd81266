/* The piped user side: stdin lines (or -b chunks) in, messages to a
 * buffered stdout, notices to stderr. */
#ifndef WSC_PIPE_H
#define WSC_PIPE_H

#include "buf.h"
#include "jsonl.h"
#include "escape.h"
#include "options.h"
#include "stamp.h"
#include "output.h"
#include "ui.h"

struct wsc_pipe {
	const struct wsc_options	*o;
	struct wsc_out			 out;
	struct wsc_buf			 line;	/* stdin bytes with no newline yet */
	int				 eof;
	int				 utf8_warned;
	struct wsc_jsonl		 jsonl;		/* --jsonl */
	struct wsc_stamp		 stamp;		/* --timestamps */
	struct wsc_buf			 scratch;	/* --pretty, stamped dumps */
	int				 tty;	/* stdout is a terminal: escape text */
	struct wsc_escaper		 esc;	/* the text message being shown */
};

/* Sets up p and returns it as a ui in ui. */
void	 wsc_pipe_init(struct wsc_pipe *p, const struct wsc_options *o,
	    struct wsc_ui *ui);
void	 wsc_pipe_free(struct wsc_pipe *p);

/* Splits buf into complete lines, calling fn for each (without the
 * newline), and returns how many bytes were consumed. Exposed for tests. */
size_t	 wsc_split_lines(const uint8_t *buf, size_t n,
	    void (*fn)(void *, const uint8_t *, size_t), void *ctx);
/* The same with another separator (-0: NUL). */
size_t	 wsc_split_records(const uint8_t *buf, size_t n, int sep,
	    void (*fn)(void *, const uint8_t *, size_t), void *ctx);

#endif
