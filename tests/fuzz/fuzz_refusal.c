/* fuzz-sources: src/refusal.c src/handshake.c */
/* Fuzzes the explanation of a refused handshake: the input is a response
 * head (up to its first blank line) and a body. Whatever the server sends,
 * the lines shown hold only visible ASCII (and the newlines between them),
 * and the printable form of any bytes never overruns its buffer. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "refusal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless every byte of t is visible ASCII or a newline. */
static void
check_visible(const char *t)
{
	for (; t != NULL && *t != '\0'; t++)
		if ((*t < 0x20 || *t > 0x7e) && *t != '\n')
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_http_msg	 m;
	char			 small[9], *t;
	size_t			 n;
	int			 hl;

	n = wsc_refusal_printable(data, size, small, sizeof small);
	if (n >= sizeof small || strlen(small) != n)
		abort();
	check_visible(small);
	memset(&m, 0, sizeof m);
	hl = wsc_http_parse((const char *)data, size, 0, &m);
	if (hl > 0) {
		t = wsc_refusal_explain(&m, data + hl, size - (size_t)hl);
		check_visible(t);
		free(t);
	}
	wsc_http_msg_free(&m);
	return (0);
}
