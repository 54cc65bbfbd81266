/* The piped user side: stdin lines (or -b chunks) in, messages to a
 * buffered stdout, notices to stderr. */
#ifndef WSC_PIPE_H
#define WSC_PIPE_H

#include <sys/types.h>

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
	int				 in_fd;	/* wsc_tty_nonblocking(stdin); -1: not yet */
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

/* Reads one chunk (up to 64 KiB) from fd and sends it through k: with
 * binary as one binary message, else its complete lines (records ending
 * in sep) as text messages, the rest kept in line; at end of file the
 * last line, which needs no separator. A line that is not UTF-8 goes as
 * binary and sets *not_utf8 (the caller says so once). Returns read()'s
 * result (-1 with ENOMEM when line cannot grow). The piped and program
 * sides share it. */
ssize_t	 wsc_read_messages(int fd, struct wsc_buf *line, int binary,
	    int sep, struct wsc_sink *k, int *not_utf8);
/* Sends one line through k as a text message, or binary when it is not
 * UTF-8 (setting *not_utf8). */
void	 wsc_send_line(struct wsc_sink *k, const uint8_t *line, size_t n,
	    int *not_utf8);
/* Splits buf into complete lines, calling fn for each (without the
 * newline), and returns how many bytes were consumed. Exposed for tests. */
size_t	 wsc_split_lines(const uint8_t *buf, size_t n,
	    void (*fn)(void *, const uint8_t *, size_t), void *ctx);
/* The same with another separator (-0: NUL). */
size_t	 wsc_split_records(const uint8_t *buf, size_t n, int sep,
	    void (*fn)(void *, const uint8_t *, size_t), void *ctx);

#endif
