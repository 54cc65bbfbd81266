/* fuzz-sources: src/refusal.c src/handshake.c src/base64.c src/sha1.c src/escape.c src/utf8.c */
/* Fuzzes the explanation of a refused handshake: the input is a response
 * head (up to its first blank line) and a body. Whatever the server sends,
 * the lines shown are valid UTF-8 without a character a terminal obeys
 * (wsc(1), ESCAPING) but the newlines between them; the escaped form of
 * any bytes never overruns its buffer and, given room, is what the
 * project's escaper writes for them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "refusal.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless t is valid UTF-8 free of C0 controls but '\n', of DEL,
 * of C1 controls (C2 80 to C2 9F) and of BIDI controls (E2 80 AA to
 * E2 80 AE, E2 81 A6 to E2 81 A9). */
static void
check_shown(const char *t)
{
	const uint8_t	*p = (const uint8_t *)t;

	if (t == NULL)
		return;
	if (!wsc_utf8_valid(p, strlen(t)))
		abort();
	for (; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
		    (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa &&
		    p[2] <= 0xae) ||
		    (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9))
			abort();
}

/* The bounded form of p: within its room, and all of it with room. */
static void
check_printable(const uint8_t *p, size_t n)
{
	char	small[9], *big, *want;
	size_t	k, w, used;

	k = wsc_refusal_printable(p, n, small, sizeof small);
	if (k >= sizeof small || strlen(small) != k)
		abort();
	check_shown(small);
	big = malloc(WSC_ESC_RATIO * n + 1);
	want = malloc(WSC_ESC_RATIO * n + 1);
	if (big == NULL || want == NULL)
		abort();
	k = wsc_refusal_printable(p, n, big, WSC_ESC_RATIO * n + 1);
	w = wsc_escape(want, p, n, 0, &used);
	if (k != w || memcmp(big, want, w) != 0)
		abort();
	free(big);
	free(want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_http_msg	 m;
	char			*t;
	int			 hl;

	check_printable(data, size);
	memset(&m, 0, sizeof m);
	hl = wsc_http_parse((const char *)data, size, 0, &m);
	if (hl > 0) {
		t = wsc_refusal_explain(&m, data + hl, size - (size_t)hl);
		check_shown(t);
		free(t);
	}
	wsc_http_msg_free(&m);
	return (0);
}
