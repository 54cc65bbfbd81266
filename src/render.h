/* Formatting a received text message for the interactive terminal: each
 * line escaped (escape.h) and coloured, the first after a prefix ("< "),
 * the others indented, and at most WSC_RENDER_LINES lines or
 * WSC_RENDER_BYTES bytes of one message shown, with a last line saying
 * how much was left out (wsc(1), INTERACTIVE MODE). A pure function fed
 * in pieces of any size, writing into a fixed buffer: the work and the
 * memory do not grow with the message. */
#ifndef WSC_RENDER_H
#define WSC_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "escape.h"

/* What one message may fill on the screen. */
#define WSC_RENDER_LINES	2000
#define WSC_RENDER_BYTES	(64 * 1024)
/* The longest colour, reset or prefix string accepted. */
#define WSC_RENDER_DECOR	32
/* The least room a call may be given (line decorations and the note). */
#define WSC_RENDER_ROOM		512

struct wsc_render {
	const char		*sgr;		/* colour of each line, or "" */
	const char		*reset;		/* ends the colour, or "" */
	const char		*prefix;	/* before the first line */
	size_t			 max_lines;
	uint64_t		 max_bytes;
	size_t			 lines;		/* lines begun */
	uint64_t		 shown;		/* message bytes shown */
	uint64_t		 elided;	/* message bytes left out */
	uint64_t		 elided_nl;	/* newlines among them */
	int			 open;		/* a line is begun, not ended */
	int			 capped;	/* the rest is only counted */
	struct wsc_escaper	 esc;
};

/* Starts a message. The strings (at most WSC_RENDER_DECOR bytes each)
 * must outlive r. */
void	 wsc_render_init(struct wsc_render *r, const char *sgr,
	    const char *reset, const char *prefix, size_t max_lines,
	    uint64_t max_bytes);
/* Formats the start of the n bytes at p into dst (room bytes, at least
 * WSC_RENDER_ROOM) and returns the bytes written; *used gets the input
 * consumed (call again with the rest until all of it is). */
size_t	 wsc_render_text(struct wsc_render *r, char *dst, size_t room,
	    const uint8_t *p, size_t n, size_t *used);
/* Breaks the line being shown, when one is, so that something else (the
 * prompt) can be drawn between two pieces; the message goes on on a new,
 * indented line. Returns the bytes written (room: WSC_RENDER_ROOM). */
size_t	 wsc_render_break(struct wsc_render *r, char *dst);
/* Ends the message: the last line, and the note on what was left out.
 * Returns the bytes written (room: at least WSC_RENDER_ROOM). */
size_t	 wsc_render_end(struct wsc_render *r, char *dst, size_t room);

#endif
