/* Formatting a received text message for the interactive terminal
 * (render.h). A flood of newlines is the worst case: every line costs its
 * decorations, so output is produced into the caller's fixed buffer a
 * piece at a time, and past the cap the rest is only counted. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "render.h"

/* Room kept to end a line: an unfinished character flushed as three
 * \xNN, the colour's end and the newline. */
#define END_RESERVE	(3 * WSC_ESC_RATIO + WSC_RENDER_DECOR + 1)
/* Room needed to begin a line and put something on it. */
#define BEGIN_RESERVE	(2 * WSC_RENDER_DECOR + END_RESERVE + 4 * WSC_ESC_RATIO)

void
wsc_render_init(struct wsc_render *r, const char *sgr, const char *reset,
    const char *prefix, size_t max_lines, uint64_t max_bytes)
{
	memset(r, 0, sizeof *r);
	r->sgr = sgr;
	r->reset = reset;
	r->prefix = prefix;
	r->max_lines = max_lines;
	r->max_bytes = max_bytes;
	/* Newlines are the renderer's own business; tabs are shown. */
	wsc_escaper_init(&r->esc, WSC_ESC_KEEP_TAB);
}

/* Copies string s to d; returns its length. */
static size_t
put(char *d, const char *s)
{
	size_t	n = strlen(s);

	memcpy(d, s, n);
	return n;
}

/* Counts what is left out: its bytes and its newlines. */
static void
count_elided(struct wsc_render *r, const uint8_t *p, size_t n)
{
	const uint8_t	*nl, *end = p + n;

	r->elided += n;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		r->elided_nl++;
		p = nl + 1;
	}
}

/* From here on the message is only counted. A character the escaper kept
 * back is left out too rather than shown as stray bytes. */
static void
cap(struct wsc_render *r)
{
	r->capped = 1;
	r->shown -= r->esc.ncarry;
	r->elided += r->esc.ncarry;
	r->esc.ncarry = 0;
}

/* A line's colour and prefix (the first) or indent (the others, so that
 * where a message ends stays visible). */
static size_t
begin_line(struct wsc_render *r, char *d)
{
	size_t	w = put(d, r->sgr);

	w += put(d + w, r->lines == 0 ? r->prefix : "  ");
	r->lines++;
	r->open = 1;
	return w;
}

/* Ends the line begun on the screen: the colour's end and a newline. */
static size_t
close_line(struct wsc_render *r, char *d)
{
	size_t	w = put(d, r->reset);

	d[w++] = '\n';
	r->open = 0;
	return w;
}

/* Ends the line begun: what the escaper kept back, then close_line. */
static size_t
end_line(struct wsc_render *r, char *d)
{
	size_t	w = wsc_escaper_feed(&r->esc, d, NULL, 0, 1);

	return w + close_line(r, d + w);
}

size_t
wsc_render_break(struct wsc_render *r, char *dst)
{
	/* A character split here stays kept back for the next piece. */
	return r->open ? close_line(r, dst) : 0;
}

/* How many bytes of the line at p to escape now: up to its newline, as
 * many as fit in room, no more than may still be shown. */
static size_t
segment(const struct wsc_render *r, const uint8_t *p, size_t n, size_t room)
{
	const uint8_t	*nl = memchr(p, '\n', n);
	size_t		 k = nl != NULL ? (size_t)(nl - p) : n, fit = 0;

	if (room > END_RESERVE + 3 * WSC_ESC_RATIO)
		fit = (room - END_RESERVE) / WSC_ESC_RATIO - 3;
	if (k > fit)
		k = fit;
	if (k > r->max_bytes - r->shown)
		k = (size_t)(r->max_bytes - r->shown);
	return k;
}

size_t
wsc_render_text(struct wsc_render *r, char *dst, size_t room,
    const uint8_t *p, size_t n, size_t *used)
{
	size_t	w = 0, i = 0, k;

	*used = 0;
	if (n == 0)	/* p may be NULL */
		return 0;
	while (i < n && !r->capped) {
		if (!r->open && (r->lines >= r->max_lines ||
		    r->shown >= r->max_bytes)) {
			cap(r);
			break;
		}
		if (!r->open) {
			if (room - w < BEGIN_RESERVE)
				break;
			w += begin_line(r, dst + w);
		}
		if (p[i] == '\n') {
			if (room - w < END_RESERVE)
				break;
			w += end_line(r, dst + w);
			i++;
			r->shown++;
			continue;
		}
		if (r->shown >= r->max_bytes) {
			cap(r);
			break;
		}
		if ((k = segment(r, p + i, n - i, room - w)) == 0)
			break;
		w += wsc_escaper_feed(&r->esc, dst + w, p + i, k, 0);
		i += k;
		r->shown += k;
	}
	if (r->capped) {
		count_elided(r, p + i, n - i);
		i = n;
	}
	*used = i;
	return w;
}

size_t
wsc_render_end(struct wsc_render *r, char *dst, size_t room)
{
	size_t	w = 0;
	int	len;

	/* An empty message, or one that ends with a newline, still shows
	 * its (last) line; and the prefix is always shown. */
	if (!r->open && (!r->capped || r->lines == 0))
		w += begin_line(r, dst);
	if (r->open)
		w += end_line(r, dst + w);
	if (!r->capped)
		return w;
	w += put(dst + w, r->sgr);
	len = snprintf(dst + w, room - w - WSC_RENDER_DECOR - 1,
	    "  [... %llu more bytes (%llu more newlines) not shown; with "
	    "stdout on a pipe or file, messages are written whole]",
	    (unsigned long long)r->elided, (unsigned long long)r->elided_nl);
	if (len > 0)
		w += strlen(dst + w);
	w += put(dst + w, r->reset);
	dst[w++] = '\n';
	return w;
}
