/* --pretty: an iterative JSON reformatter with a bounded stack (pretty.h). */
#include "config.h"

#include <string.h>

#include "pretty.h"
#include "utf8.h"

/* What the next token may be. */
enum expect {
	X_VALUE,	/* any value */
	X_FIRST_KEY,	/* after '{': a key or '}' */
	X_KEY,		/* after ',' in an object */
	X_FIRST_ITEM,	/* after '[': a value or ']' */
	X_AFTER,	/* after a value: ',' or the container's end */
	X_END		/* the top-level value is complete */
};

struct fmt {
	struct wsc_buf			*dst;
	const struct wsc_pretty_style	*st;
	const uint8_t			*p;
	size_t				 n, i;
	size_t				 depth;
	uint8_t				 is_obj[WSC_PRETTY_MAX_DEPTH / 8];
	int				 err;
};

static const char	hexdig[] = "0123456789abcdef";

/* Appends n bytes. */
static void
emit(struct fmt *f, const void *s, size_t n)
{
	if (wsc_buf_append(f->dst, s, n) != 0)
		f->err = 1;
}

/* Appends a colour sequence (NULL: none). */
static void
color(struct fmt *f, const char *c)
{
	if (c != NULL)
		emit(f, c, strlen(c));
}

/* Appends s in colour c. */
static void
colored(struct fmt *f, const char *c, const void *s, size_t n)
{
	color(f, c);
	emit(f, s, n);
	if (c != NULL && *c != '\0')
		color(f, f->st->reset);
}

/* A newline and the indentation of the current depth. */
static void
newline(struct fmt *f)
{
	uint8_t	*d;

	if ((d = wsc_buf_reserve(f->dst, 1 + 2 * f->depth)) == NULL) {
		f->err = 1;
		return;
	}
	d[0] = '\n';
	memset(d + 1, ' ', 2 * f->depth);
	wsc_buf_commit(f->dst, 1 + 2 * f->depth);
}

static void
skip_ws(struct fmt *f)
{
	while (f->i < f->n && (f->p[f->i] == ' ' || f->p[f->i] == '\t' ||
	    f->p[f->i] == '\n' || f->p[f->i] == '\r'))
		f->i++;
}

/* Is the innermost open container an object? */
static int
in_object(const struct fmt *f)
{
	size_t	d = f->depth - 1;

	return (f->is_obj[d / 8] >> (d % 8)) & 1;
}

/* Opens a container: '{' or '['. */
static enum expect
open_container(struct fmt *f, int obj)
{
	size_t	d = f->depth;

	if (d == WSC_PRETTY_MAX_DEPTH) {
		f->err = 1;
		return X_END;
	}
	if (obj)
		f->is_obj[d / 8] |= (uint8_t)(1u << (d % 8));
	else
		f->is_obj[d / 8] &= (uint8_t)~(1u << (d % 8));
	f->depth++;
	f->i++;
	colored(f, f->st->punct, obj ? "{" : "[", 1);
	return obj ? X_FIRST_KEY : X_FIRST_ITEM;
}

/* Closes the innermost container at '}' or ']'; an empty one stays on
 * its line ("{}"). */
static enum expect
close_container(struct fmt *f, int empty)
{
	int	obj = in_object(f);

	if (f->p[f->i] != (obj ? '}' : ']')) {
		f->err = 1;
		return X_END;
	}
	f->depth--;
	f->i++;
	if (!empty)
		newline(f);
	colored(f, f->st->punct, obj ? "}" : "]", 1);
	return f->depth == 0 ? X_END : X_AFTER;
}

/* The length of the escape at p[0] == '\\' (n bytes left), or 0. */
static size_t
escape_len(const uint8_t *p, size_t n)
{
	size_t	k;

	if (n >= 2 && p[1] != '\0' && strchr("\"\\/bfnrt", p[1]) != NULL)
		return 2;
	if (n < 6 || p[1] != 'u')
		return 0;
	for (k = 2; k < 6; k++)
		if (p[k] == '\0' || strchr("0123456789abcdefABCDEF", p[k]) == NULL)
			return 0;
	return 6;
}

/* Is the byte at p (n left) DEL or the start of a C1 control, which a
 * terminal may obey? */
static size_t
unsafe_len(const uint8_t *p, size_t n)
{
	if (p[0] == 0x7f)
		return 1;
	return n >= 2 && p[0] == 0xc2 && p[1] < 0xa0 ? 2 : 0;
}

/* Copies string contents p[0..n) (already checked), making DEL and C1
 * controls escapes when the style asks for safety. */
static void
emit_contents(struct fmt *f, const uint8_t *p, size_t n)
{
	char	esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	size_t	i = 0, run, u;

	while (i < n) {
		for (run = i; run < n && !(f->st->safe &&
		    unsafe_len(p + run, n - run) > 0); run++)
			;
		emit(f, p + i, run - i);
		if ((i = run) == n)
			break;
		u = unsafe_len(p + i, n - i);
		esc[4] = hexdig[p[i + u - 1] >> 4];
		esc[5] = hexdig[p[i + u - 1] & 0xf];
		emit(f, esc, 6);
		i += u;
	}
}

/* A string at '"' (a key when key is set). */
static void
string(struct fmt *f, int key)
{
	const uint8_t	*p = f->p + f->i;
	size_t		 n = f->n - f->i, k = 1, e;

	while (k < n && p[k] != '"') {
		if (p[k] < 0x20)
			break;
		if (p[k] == '\\') {
			if ((e = escape_len(p + k, n - k)) == 0)
				break;
			k += e;
		} else
			k++;
	}
	if (k >= n || p[k] != '"') {
		f->err = 1;
		return;
	}
	color(f, key ? f->st->key : f->st->string);
	emit(f, "\"", 1);
	emit_contents(f, p + 1, k - 1);
	emit(f, "\"", 1);
	color(f, f->st->reset);
	f->i += k + 1;
}

/* Digits from p[*k]; returns how many. */
static size_t
digits(const uint8_t *p, size_t n, size_t *k)
{
	size_t	start = *k;

	while (*k < n && p[*k] >= '0' && p[*k] <= '9')
		(*k)++;
	return *k - start;
}

/* A number (RFC 8259 section 6): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static void
number(struct fmt *f)
{
	const uint8_t	*p = f->p + f->i;
	size_t		 n = f->n - f->i, k = 0, first;

	if (k < n && p[k] == '-')
		k++;
	first = k;
	if (digits(p, n, &k) == 0 || (p[first] == '0' && k - first > 1)) {
		f->err = 1;
		return;
	}
	if (k < n && p[k] == '.' && (k++, digits(p, n, &k) == 0))
		f->err = 1;
	if (k < n && (p[k] == 'e' || p[k] == 'E')) {
		k++;
		if (k < n && (p[k] == '+' || p[k] == '-'))
			k++;
		if (digits(p, n, &k) == 0)
			f->err = 1;
	}
	colored(f, f->st->number, p, k);
	f->i += k;
}

/* true, false or null. */
static void
literal(struct fmt *f)
{
	static const char	*const words[] = { "true", "false", "null" };
	size_t			 i, len;

	for (i = 0; i < 3; i++) {
		len = strlen(words[i]);
		if (f->n - f->i >= len && memcmp(f->p + f->i, words[i], len) == 0) {
			colored(f, f->st->literal, words[i], len);
			f->i += len;
			return;
		}
	}
	f->err = 1;
}

/* Any value at f->i. */
static enum expect
value(struct fmt *f)
{
	uint8_t	c = f->p[f->i];

	if (c == '{' || c == '[')
		return open_container(f, c == '{');
	if (c == '"')
		string(f, 0);
	else if (c == '-' || (c >= '0' && c <= '9'))
		number(f);
	else
		literal(f);
	return X_AFTER;
}

/* A key and its colon, after which a value follows. */
static enum expect
key(struct fmt *f)
{
	if (f->p[f->i] != '"') {
		f->err = 1;
		return X_END;
	}
	string(f, 1);
	skip_ws(f);
	if (f->err || f->i >= f->n || f->p[f->i] != ':') {
		f->err = 1;
		return X_END;
	}
	f->i++;
	colored(f, f->st->punct, ":", 1);
	emit(f, " ", 1);
	return X_VALUE;
}

/* After a value inside a container: a comma or the container's end. */
static enum expect
after(struct fmt *f)
{
	if (f->p[f->i] != ',')
		return close_container(f, 0);
	f->i++;
	colored(f, f->st->punct, ",", 1);
	newline(f);
	return in_object(f) ? X_KEY : X_VALUE;
}

/* One step: the token at f->i given what may come. */
static enum expect
step(struct fmt *f, enum expect x)
{
	uint8_t	c = f->p[f->i];

	switch (x) {
	case X_FIRST_KEY:
	case X_FIRST_ITEM:
		if (c == '}' || c == ']')
			return close_container(f, 1);
		newline(f);
		return x == X_FIRST_KEY ? key(f) : value(f);
	case X_KEY:
		return key(f);
	case X_VALUE:
		return value(f);
	case X_AFTER:
		return after(f);
	case X_END:
		break;
	}
	f->err = 1;
	return X_END;
}

int
wsc_pretty(struct wsc_buf *dst, const uint8_t *p, size_t n,
    const struct wsc_pretty_style *style)
{
	static const struct wsc_pretty_style	plain;
	struct fmt				f;
	size_t					used = wsc_buf_used(dst);
	enum expect				x = X_VALUE;

	memset(&f, 0, sizeof f);
	f.dst = dst;
	f.st = style != NULL ? style : &plain;
	f.p = p;
	f.n = n;
	skip_ws(&f);
	if (!wsc_utf8_valid(p, n) || f.i == n ||
	    (p[f.i] != '{' && p[f.i] != '['))
		return -1;
	while (!f.err && x != X_END) {
		skip_ws(&f);
		if (f.i == n)
			f.err = 1;
		else
			x = step(&f, x);
	}
	skip_ws(&f);
	if (f.err || f.i != n) {
		/* appending may have slid the head down: keep what was used */
		dst->len = dst->off + used;
		return -1;
	}
	return 0;
}
