/* Rendering messages and events for people and pipes: text, hex dumps,
 * raw and base64 binary, and a buffered writer for stdout. */
#ifndef WSC_OUTPUT_H
#define WSC_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum wsc_binfmt {
	WSC_BIN_HEX,
	WSC_BIN_RAW,
	WSC_BIN_BASE64
};

/* A buffered writer: messages accumulate and go out in large writes, and
 * the loop flushes before it waits. */
struct wsc_out {
	int		fd;
	struct wsc_buf	buf;
	size_t		flush_at;	/* write out once this much is buffered */
	int		failed;		/* write error (EPIPE...): stop writing */
	int		err;		/* its errno */
	uint64_t	epoch;		/* wsc_out_flush calls: each may have
					   waited, or precede a wait */
};

void	 wsc_out_init(struct wsc_out *o, int fd, size_t flush_at);
void	 wsc_out_free(struct wsc_out *o);
/* Appends bytes; flushes when above flush_at. */
void	 wsc_out_write(struct wsc_out *o, const void *p, size_t n);
/* Writes everything buffered (blocking). Returns 0 or -1. */
int	 wsc_out_flush(struct wsc_out *o);

/* Appends p with prefix at the start of each of its lines (a line ends
 * with '\n'; a last one without gets the prefix too). */
void	 wsc_out_lines(struct wsc_out *o, const char *prefix, size_t plen,
	    const uint8_t *p, size_t n);

/* A hex dump of p with prefix before each line (--timestamps), rendered
 * into tmp first. */
void	 wsc_out_hexdump_lines(struct wsc_out *o, struct wsc_buf *tmp,
	    const char *prefix, size_t plen, const uint8_t *p, size_t n);

/* Piped-mode rendering of one message into o (wsc(1), Standard output). */
void	 wsc_out_text(struct wsc_out *o, const uint8_t *p, size_t n);
/* The same after prefix (plen bytes), in one copy. */
void	 wsc_out_text_after(struct wsc_out *o, const char *prefix,
	    size_t plen, const uint8_t *p, size_t n);
void	 wsc_out_binary(struct wsc_out *o, enum wsc_binfmt fmt,
	    const uint8_t *p, size_t n);

/* Bytes a hex dump of n bytes takes (hexdump -C layout, with the final
 * offset line). */
size_t	 wsc_hexdump_size(size_t n);
/* Renders a hex dump of p into dst (wsc_hexdump_size(n) bytes of room):
 * "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a           |Hello world.|\n",
 * then a last line with the length, "0000000c\n". Returns bytes written. */
size_t	 wsc_hexdump(char *dst, const uint8_t *p, size_t n);
/* Appends p to b escaped for a terminal (escape.h), newlines and tabs
 * kept. */
void	 wsc_escape_for_tty(struct wsc_buf *b, const uint8_t *p, size_t n);

#endif
