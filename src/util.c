/* Small helpers shared by the whole program. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Out of memory in the CLI layer: nothing sensible is left to do. */
static void
oom(void)
{
	fputs("wsc: out of memory\n", stderr);
	abort();
}

void *
wsc_xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
wsc_xrealloc(void *p, size_t n)
{
	void	*q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	return q;
}

char *
wsc_xstrdup(const char *s)
{
	return wsc_xstrndup(s, strlen(s));
}

char *
wsc_xstrndup(const char *s, size_t n)
{
	char	*p = wsc_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
wsc_vasprintf(char **sp, const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*s;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL) {
		*sp = NULL;
		return -1;
	}
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	*sp = s;
	return n;
}

int
wsc_asprintf(char **sp, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = wsc_vasprintf(sp, fmt, ap);
	va_end(ap);
	return n;
}

char *
wsc_xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = wsc_vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return s;
}

int64_t
wsc_now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
wsc_now_ms(void)
{
	return wsc_now_us() / 1000;
}

int
wsc_poll_ms(int64_t deadline)
{
	int64_t	left;

	if (deadline == INT64_MAX)
		return -1;
	left = deadline - wsc_now_ms();
	if (left <= 0)
		return 0;
	return left > 60000 ? 60000 : (int)left;
}

int
wsc_tty_nonblocking(int fd)
{
	const char	*name;
	int		 tty;

	if (!isatty(fd) || (name = ttyname(fd)) == NULL)
		return fd;
	tty = open(name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	return tty != -1 ? tty : fd;
}

/* ASCII only: HTTP tokens are ASCII and the locale must not matter. */
static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int
wsc_strncaseeq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
		if (a[i] == '\0')
			return 1;
	}
	return 1;
}

int
wsc_strcaseeq(const char *a, const char *b)
{
	size_t	la = strlen(a);

	return la == strlen(b) && wsc_strncaseeq(a, b, la);
}

int
wsc_token_list_has(const char *list, const char *token)
{
	size_t		 tl = strlen(token), n;
	const char	*p = list, *end;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = p;
		while (*end != '\0' && *end != ',')
			end++;
		n = end - p;
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == tl && wsc_strncaseeq(p, token, tl))
			return 1;
		p = end;
	}
	return 0;
}

int64_t
wsc_parse_seconds(const char *s, int allow_negative_one)
{
	char	*end;
	double	 d;

	if (allow_negative_one && strcmp(s, "-1") == 0)
		return -1;
	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -2;
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(d >= 0) || d > 1e9)
		return -2;
	return (int64_t)(d * 1000 + 0.5);
}
