/* Small helpers shared by the whole program: allocation that aborts on
 * out-of-memory (CLI layer only), monotonic time, string helpers. */
#ifndef WSC_UTIL_H
#define WSC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void	*wsc_xmalloc(size_t n);
void	*wsc_xrealloc(void *p, size_t n);
char	*wsc_xstrdup(const char *s);
char	*wsc_xstrndup(const char *s, size_t n);
/* asprintf and vasprintf (not POSIX.1-2008): a new string in *sp and its
 * length, or -1 with *sp NULL when out of memory. */
int	 wsc_asprintf(char **sp, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 wsc_vasprintf(char **sp, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Like asprintf, aborting on out-of-memory. */
char	*wsc_xasprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* Milliseconds / microseconds from CLOCK_MONOTONIC. */
int64_t	 wsc_now_ms(void);
int64_t	 wsc_now_us(void);
/* poll()'s timeout until deadline, a wsc_now_ms() time: 0 once it has
 * passed, at most a minute (the caller loops), -1 for INT64_MAX (none). */
int	 wsc_poll_ms(int64_t deadline);

/* fd, or when fd is a terminal, that terminal opened once more without
 * blocking. Ctrl+C's flush can take the line poll() saw on a terminal, and
 * a read that waited would hear the signal only with the next line
 * (doc/pitfalls.md, "A terminal read after poll"). O_NONBLOCK belongs to
 * the new open file description: the shell's stdin is left as it was. When
 * the terminal cannot be opened, fd. A descriptor other than fd is the
 * caller's to close. */
int	 wsc_tty_nonblocking(int fd);

/* ASCII case-insensitive comparison of n bytes / of whole strings. */
int	 wsc_strncaseeq(const char *a, const char *b, size_t n);
int	 wsc_strcaseeq(const char *a, const char *b);

/* Does the comma-separated, case-insensitive token list contain token?
 * (HTTP list syntax, RFC 7230 section 7: optional whitespace around items.) */
int	 wsc_token_list_has(const char *list, const char *token);

/* Parses seconds with an optional fraction ("2", "0.5"); -1 allowed when
 * allow_negative_one. Returns milliseconds, or -2 when invalid. */
int64_t	 wsc_parse_seconds(const char *s, int allow_negative_one);

#endif
