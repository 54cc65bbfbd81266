/* fuzz-sources: src/pretty.c src/utf8.c */
/*
 * libFuzzer target for --pretty's reformatter: arbitrary bytes in. What it
 * accepts must be accepted by a small strict JSON checker written here
 * (RFC 8259, recursive, with a depth cap of its own), and the reverse
 * within the formatter's depth limit; the output, with the whitespace
 * outside strings removed, must equal the input so reduced; formatting
 * the output again must give it unchanged; a refusal leaves the output
 * buffer as it was.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pretty.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct in {
	const uint8_t	*p;
	size_t		 n, i;
};

static void
ws(struct in *s)
{
	while (s->i < s->n && strchr(" \t\r\n", s->p[s->i]) != NULL &&
	    s->p[s->i] != 0)
		s->i++;
}

static int	check_value(struct in *, int);

static int
check_string(struct in *s)
{
	size_t	k;

	if (s->i >= s->n || s->p[s->i++] != '"')
		return 0;
	while (s->i < s->n && s->p[s->i] != '"') {
		if (s->p[s->i] < 0x20)
			return 0;
		if (s->p[s->i++] != '\\')
			continue;
		if (s->i >= s->n)
			return 0;
		if (s->p[s->i] == 'u') {
			for (k = 1; k <= 4; k++)
				if (s->i + k >= s->n ||
				    !((s->p[s->i + k] >= '0' && s->p[s->i + k] <= '9') ||
				    ((s->p[s->i + k] | 0x20) >= 'a' &&
				    (s->p[s->i + k] | 0x20) <= 'f')))
					return 0;
			s->i += 5;
		} else if (s->p[s->i] != 0 &&
		    strchr("\"\\/bfnrt", s->p[s->i]) != NULL)
			s->i++;
		else
			return 0;
	}
	return s->i++ < s->n;
}

static int
check_digits(struct in *s)
{
	size_t	start = s->i;

	while (s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9')
		s->i++;
	return s->i > start;
}

static int
check_number(struct in *s)
{
	if (s->i < s->n && s->p[s->i] == '-')
		s->i++;
	if (s->i < s->n && s->p[s->i] == '0')
		s->i++;
	else if (!check_digits(s))
		return 0;
	if (s->i < s->n && s->p[s->i] == '.' && (s->i++, !check_digits(s)))
		return 0;
	if (s->i < s->n && (s->p[s->i] | 0x20) == 'e') {
		s->i++;
		if (s->i < s->n && (s->p[s->i] == '+' || s->p[s->i] == '-'))
			s->i++;
		return check_digits(s);
	}
	return 1;
}

static int
check_container(struct in *s, int depth, char close)
{
	s->i++;
	ws(s);
	if (s->i < s->n && s->p[s->i] == close) {
		s->i++;
		return 1;
	}
	for (;;) {
		ws(s);
		if (close == '}') {
			if (!check_string(s))
				return 0;
			ws(s);
			if (s->i >= s->n || s->p[s->i++] != ':')
				return 0;
		}
		if (!check_value(s, depth + 1))
			return 0;
		ws(s);
		if (s->i >= s->n)
			return 0;
		if (s->p[s->i] == close) {
			s->i++;
			return 1;
		}
		if (s->p[s->i++] != ',')
			return 0;
	}
}

static int
check_value(struct in *s, int depth)
{
	static const char	*const lit[] = { "true", "false", "null" };
	size_t			 k;

	ws(s);
	if (s->i >= s->n || depth > WSC_PRETTY_MAX_DEPTH)
		return 0;
	if (s->p[s->i] == '{' || s->p[s->i] == '[')
		return check_container(s, depth, s->p[s->i] == '{' ? '}' : ']');
	if (s->p[s->i] == '"')
		return check_string(s);
	for (k = 0; k < 3; k++)
		if (s->n - s->i >= strlen(lit[k]) &&
		    memcmp(s->p + s->i, lit[k], strlen(lit[k])) == 0) {
			s->i += strlen(lit[k]);
			return 1;
		}
	return check_number(s);
}

/* One JSON object or array, valid UTF-8, nothing else but whitespace. */
static int
ref_accepts(const uint8_t *p, size_t n)
{
	struct in	s = { p, n, 0 };

	ws(&s);
	if (s.i >= n || (p[s.i] != '{' && p[s.i] != '['))
		return 0;
	if (!check_value(&s, 1))
		return 0;
	ws(&s);
	return s.i == n && wsc_utf8_valid(p, n);
}

/* p without the whitespace outside strings, into d; returns its length. */
static size_t
squeeze(const uint8_t *p, size_t n, uint8_t *d)
{
	size_t	i, k = 0;
	int	in_str = 0, esc = 0;

	for (i = 0; i < n; i++) {
		if (!in_str && strchr(" \t\r\n", p[i]) != NULL && p[i] != 0)
			continue;
		d[k++] = p[i];
		if (esc)
			esc = 0;
		else if (in_str && p[i] == '\\')
			esc = 1;
		else if (p[i] == '"')
			in_str = !in_str;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_buf	out, again;
	uint8_t		*a, *b;
	size_t		 na, nb;
	int		 ok;

	wsc_buf_init(&out);
	wsc_buf_init(&again);
	wsc_buf_append(&out, "x", 1);
	ok = wsc_pretty(&out, data, size, NULL) == 0;
	if (ok != ref_accepts(data, size))
		abort();
	if (!ok && wsc_buf_used(&out) != 1)
		abort();
	if (ok) {
		a = malloc(size + 1);
		b = malloc(wsc_buf_used(&out));
		na = squeeze(data, size, a);
		nb = squeeze(wsc_buf_head(&out) + 1, wsc_buf_used(&out) - 1, b);
		if (na != nb || memcmp(a, b, na) != 0)
			abort();
		if (wsc_pretty(&again, wsc_buf_head(&out) + 1,
		    wsc_buf_used(&out) - 1, NULL) != 0 ||
		    wsc_buf_used(&again) != wsc_buf_used(&out) - 1 ||
		    memcmp(wsc_buf_head(&again), wsc_buf_head(&out) + 1,
		    wsc_buf_used(&again)) != 0)
			abort();
		free(a);
		free(b);
	}
	wsc_buf_free(&out);
	wsc_buf_free(&again);
	return 0;
}
