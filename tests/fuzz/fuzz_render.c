/* fuzz-sources: src/render.c src/escape.c */
/*
 * libFuzzer target for the interactive renderer. The first bytes choose the
 * caps, the piece size and the output room; the rest is the message. The
 * screen must be safe (escaping it again changes nothing: escape.h), hold
 * at most max_lines lines and the note, start every line with the prefix
 * or the indent, account for every input byte (shown + left out), and be
 * the same however the message is cut and however little room each call
 * gets; every call must make progress.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "render.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define HEAD	5

/* Renders p in pieces of `piece` bytes with `room` bytes a call into a
 * malloc'd screen; its length in *len. */
static char *
render(struct wsc_render *r, const uint8_t *p, size_t n, size_t piece,
    size_t room, size_t max_lines, uint64_t max_bytes, size_t *len)
{
	size_t	cap = WSC_ESC_RATIO * n + (n + 2) * 8 + 4 * room, w = 0, i, k,
		done, used, o;
	char	*s = malloc(cap);

	if (s == NULL)
		abort();
	wsc_render_init(r, "", "", "< ", max_lines, max_bytes);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		for (done = 0; done < k; done += used) {
			if (cap - w < room)
				abort();
			o = wsc_render_text(r, s + w, room, p + i + done,
			    k - done, &used);
			if (o == 0 && used == 0)
				abort();	/* no progress */
			w += o;
		}
	}
	*len = w + wsc_render_end(r, s + w, room);
	return s;
}

/* Is every line of s begun by the prefix (the first) or the indent? */
static int
lines_ok(const char *s, size_t n, size_t *lines)
{
	size_t	i = 0;

	*lines = 0;
	while (i < n) {
		if (n - i < 2 || memcmp(s + i, *lines == 0 ? "< " : "  ", 2) != 0)
			return 0;
		(*lines)++;
		while (i < n && s[i] != '\n')
			i++;
		i++;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_render	r, whole;
	size_t			max_lines, piece, room, n, wn, lines, used, e;
	uint64_t		max_bytes;
	char			*s, *ws, *esc;

	if (size < HEAD)
		return 0;
	max_lines = 1 + data[0] % 64;
	max_bytes = (uint64_t)data[1] << 8 | data[2];
	piece = 1 + data[3];
	room = WSC_RENDER_ROOM + data[4];
	data += HEAD;
	size -= HEAD;
	s = render(&r, data, size, piece, room, max_lines, max_bytes, &n);
	ws = render(&whole, data, size, size + 1, 1 << 16, max_lines,
	    max_bytes, &wn);
	if (n != wn || memcmp(s, ws, n) != 0 || r.shown + r.elided != size ||
	    !lines_ok(s, n, &lines) || lines > max_lines + 1)
		abort();
	if ((esc = malloc(WSC_ESC_RATIO * n + 1)) == NULL)
		abort();
	e = wsc_escape(esc, (const uint8_t *)s, n, WSC_ESC_KEEP_NL |
	    WSC_ESC_KEEP_TAB, &used);
	if (e != n || memcmp(esc, s, n) != 0)
		abort();
	free(esc);
	free(s);
	free(ws);
	return 0;
}
