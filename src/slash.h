/* What a line typed at the prompt does: with --slash, a line that starts
 * with '/' is a command (/ping, /pong, /close, /binary, /file, /help,
 * /quit, /to, /status; "//text" sends "/text"), any other line is a
 * message (wsc(1), INTERACTIVE MODE). Commands act through the sink (sink.h)
 * and report through the ui; the prompt is tty.c's. */
#ifndef WSC_SLASH_H
#define WSC_SLASH_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "ui.h"

struct wsc_sink;

/* What typed lines act on, and where they report. */
struct wsc_slash {
	const struct wsc_options	*o;	/* --slash, -b */
	struct wsc_sink			*k;
	const struct wsc_ui		*ui;	/* notices */
};

/* One line typed (n bytes, without its newline): a command or a message
 * (binary with -b); a command's errors are notices, nothing is sent. */
void	 wsc_slash_line(struct wsc_slash *t, const char *p, size_t n);

/* Parses "/binary" hex digits (spaces allowed between them) into out (room
 * for strlen(hex) / 2 bytes). Returns the byte count, or -1 for a character
 * that is not a hex digit or an odd number of digits. */
long	 wsc_slash_parse_hex(const char *hex, uint8_t *out);

#endif
