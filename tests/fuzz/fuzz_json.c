/* fuzz-sources: src/json.c */
/*
 * libFuzzer target for the JSON string writer: arbitrary bytes, written
 * whole and in pieces whose sizes come from the input; each result must be
 * a JSON string by RFC 8259 section 7 (checked strictly here: no raw
 * control characters or DEL, only the defined escapes, valid UTF-8 with no
 * raw U+2028/U+2029), and the pieces, and the one-shot escaper, must give
 * the same text as the whole.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Length of the valid UTF-8 character at s (n bytes left), or 0. */
static size_t
utf8_len(const uint8_t *s, size_t n)
{
	size_t	len, k;
	uint8_t	lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	if (s[0] == 0xed)
		hi = 0x9f;
	if (s[0] == 0xf0)
		lo = 0x90;
	if (s[0] == 0xf4)
		hi = 0x8f;
	for (k = 1; k < len; k++, lo = 0x80, hi = 0xbf)
		if (k >= n || s[k] < lo || s[k] > hi)
			return 0;
	return len;
}

/* Length of the escape at s (starting with '\\'), or 0 if it is none. */
static size_t
escape_len(const uint8_t *s, size_t n)
{
	size_t	k;

	if (n < 2)
		return 0;
	if (strchr("\"\\/bfnrt", s[1]) != NULL && s[1] != '\0')
		return 2;
	if (s[1] != 'u' || n < 6)
		return 0;
	for (k = 2; k < 6; k++)
		if (strchr("0123456789abcdefABCDEF", s[k]) == NULL || s[k] == 0)
			return 0;
	return 6;
}

/* Aborts unless s[0..n) is exactly one JSON string. */
static void
check_string(const uint8_t *s, size_t n)
{
	size_t	i = 1, len;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		abort();
	while (i < n - 1) {
		if (s[i] == '"' || s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (s[i] == '\\')
			len = escape_len(s + i, n - 1 - i);
		else if (s[i] < 0x80)
			len = 1;
		else
			len = utf8_len(s + i, n - 1 - i);
		if (len == 0)
			abort();
		if (len == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			abort();
		i += len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_buf		whole, parts;
	struct wsc_json_str	js;
	size_t			i = 0, step;
	char			*flat;

	wsc_buf_init(&whole);
	wsc_buf_init(&parts);
	if (wsc_json_string(&whole, data, size) != 0)
		abort();
	check_string(wsc_buf_head(&whole), wsc_buf_used(&whole));
	wsc_json_str_init(&js);
	wsc_buf_append(&parts, "\"", 1);
	while (i < size) {
		step = 1 + data[(i * 7) % size] % 8;
		if (step > size - i)
			step = size - i;
		if (wsc_json_str_feed(&js, &parts, data + i, step) != 0)
			abort();
		i += step;
	}
	if (wsc_json_str_end(&js, &parts) != 0)
		abort();
	wsc_buf_append(&parts, "\"", 1);
	if (wsc_buf_used(&parts) != wsc_buf_used(&whole) ||
	    memcmp(wsc_buf_head(&parts), wsc_buf_head(&whole),
	    wsc_buf_used(&whole)) != 0)
		abort();
	/* the one-shot escaper gives the same body */
	flat = malloc(size * WSC_JSON_WORST + 1);
	if (wsc_json_escape(flat, data, size) != wsc_buf_used(&whole) - 2 ||
	    memcmp(flat, wsc_buf_head(&whole) + 1, wsc_buf_used(&whole) - 2) != 0)
		abort();
	free(flat);
	wsc_buf_free(&whole);
	wsc_buf_free(&parts);
	return 0;
}
