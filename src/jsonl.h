/* --jsonl: one JSON object per line for each event (wsc(1), --jsonl),
 * written to a buffered output. Large messages are written as their
 * pieces arrive: text through the streaming JSON string writer, binary as
 * base64 carrying the 0-2 bytes a piece leaves over, so memory does not
 * grow with the message. */
#ifndef WSC_JSONL_H
#define WSC_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "output.h"
#include "stamp.h"
#include "ui.h"

struct wsc_jsonl {
	struct wsc_out		*out;
	struct wsc_stamp	 stamp;
	struct wsc_json_str	 str;		/* the text being streamed */
	uint8_t			 b64[3];	/* binary bytes not yet encoded */
	size_t			 nb64;
	int			 open_opcode;	/* a streamed message's line
						   is open (0: none) */
};

void	 wsc_jsonl_init(struct wsc_jsonl *j, struct wsc_out *out);
/* A whole message received (dir "in") or sent ("out"); client > 0 is
 * listen mode's client number. */
void	 wsc_jsonl_message(struct wsc_jsonl *j, unsigned client,
	    const char *dir, int opcode, const uint8_t *p, size_t n);
/* A piece of a large received message (ui.h, wsc_ui_part_fn). */
void	 wsc_jsonl_part(struct wsc_jsonl *j, unsigned client, int opcode,
	    const uint8_t *p, size_t n, int first, int last);
/* open, close, ping, pong, and messages sent. */
void	 wsc_jsonl_event(struct wsc_jsonl *j, const struct wsc_ui_event *ev);
/* Ends the line of a streamed message that an error cut off, marked
 * "truncated":true, so that every line stays JSON; the next line does
 * this by itself. */
void	 wsc_jsonl_finish(struct wsc_jsonl *j);

#endif
