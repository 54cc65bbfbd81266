/* Unit tests for src/pipe.c's record splitter: newline-separated lines and
 * -0's NUL-separated records, at their boundaries; and the reader that
 * turns chunks of a pipe into messages (stdin, a --run program); and the
 * piped side at a terminal, whose line Ctrl+C can take after poll(). */
#include "config.h"
/* posix_openpt() and its kin are POSIX's XSI option. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "frame.h"
#include "pipe.h"
#include "pty.h"
#include "sink.h"
#include "util.h"

struct seen {
	char	all[256];	/* the records, each followed by '|' */
	size_t	len;
};

/* Records one record as "bytes|" (a NUL shown as '0'). */
static void
record(void *ctx, const uint8_t *p, size_t n)
{
	struct seen	*s = ctx;
	size_t		 i;

	for (i = 0; i < n; i++)
		s->all[s->len++] = p[i] == '\0' ? '0' : (char)p[i];
	s->all[s->len++] = '|';
	s->all[s->len] = '\0';
}

/* Splits n bytes at sep; checks the records seen and the bytes used. */
static void
check_split(const char *in, size_t n, int sep, const char *want,
    size_t used)
{
	struct seen	s;

	memset(&s, 0, sizeof s);
	ck_assert_uint_eq(wsc_split_records((const uint8_t *)in, n, sep,
	    record, &s), used);
	ck_assert_str_eq(s.all, want);
}

START_TEST(test_nul_records)
{
	/* Newlines are part of a record; an empty record is a message. */
	check_split("a\nb\0\0c", 6, '\0', "a\nb||", 5);
	check_split("\0", 1, '\0', "|", 1);
	check_split("abc", 3, '\0', "", 0);
	check_split("", 0, '\0', "", 0);
}
END_TEST

START_TEST(test_lines)
{
	check_split("a\0b\n\nc", 6, '\n', "a0b||", 5);
	check_split("x\n", 2, '\n', "x|", 2);
}
END_TEST

/* A sink that records each message as "t:bytes|" or "b:bytes|". */
static int
sink_send(void *ctx, int opcode, const void *p, size_t n)
{
	struct seen	*s = ctx;

	s->all[s->len++] = opcode == WSC_OP_TEXT ? 't' : 'b';
	s->all[s->len++] = ':';
	record(s, p, n);
	return 0;
}

static const struct wsc_sink_ops record_ops = {
	sink_send, NULL, NULL, NULL, NULL, NULL
};

/* Writes `in` into a pipe (closed after it when eof), reads one chunk
 * through wsc_read_messages and checks the messages and what it says. */
static void
check_read(struct wsc_buf *line, const char *in, size_t n, int eof,
    int binary, int sep, const char *want, ssize_t ret, int bad_want)
{
	struct seen	s;
	struct wsc_sink	k = { &record_ops, &s, 0 };
	int		fds[2], bad = 0;

	memset(&s, 0, sizeof s);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], in, n), (ssize_t)n);
	if (eof)
		close(fds[1]);
	ck_assert_int_eq(wsc_read_messages(fds[0], line, binary, sep, &k,
	    &bad), ret);
	ck_assert_str_eq(s.all, want);
	ck_assert_int_eq(bad, bad_want);
	close(fds[0]);
	if (!eof)
		close(fds[1]);
}

START_TEST(test_read_messages)
{
	struct wsc_buf	line;

	wsc_buf_init(&line);
	/* Whole lines go; the unfinished one waits for the next chunk. */
	check_read(&line, "a\nbc", 4, 0, 0, '\n', "t:a|", 4, 0);
	ck_assert_uint_eq(wsc_buf_used(&line), 2);
	check_read(&line, "d\n\n", 3, 0, 0, '\n', "t:bcd|t:|", 3, 0);
	ck_assert_uint_eq(wsc_buf_used(&line), 0);
	/* At end of file the last line needs no newline. */
	check_read(&line, "e", 1, 0, 0, '\n', "", 1, 0);
	check_read(&line, "", 0, 1, 0, '\n', "t:e|", 0, 0);
	check_read(&line, "", 0, 1, 0, '\n', "", 0, 0);
	/* A line that is not UTF-8 goes as binary and says so. */
	check_read(&line, "ok\n\377\n", 5, 0, 0, '\n', "t:ok|b:\377|", 5,
	    1);
	/* -0: NUL-terminated records, newlines inside. */
	check_read(&line, "x\ny\0z", 5, 1, 0, '\0', "t:x\ny|", 5, 0);
	check_read(&line, "", 0, 1, 0, '\0', "t:z|", 0, 0);
	/* -b: the chunk as it came, one binary message. */
	check_read(&line, "p\nq\0", 4, 0, 1, '\n', "b:p\nq0|", 4, 0);
	ck_assert_uint_eq(wsc_buf_used(&line), 0);
	wsc_buf_free(&line);
}
END_TEST

/* Waits until fd (the side's input) has a line to read. */
static void
wait_readable(int fd)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };

	ck_assert_int_eq(poll(&pfd, 1, -1), 1);
}

/* Reads what the terminal echoes until it has echoed s. */
static void
wait_echo(int master, const char *s)
{
	char	seen[512];
	size_t	n = 0;
	ssize_t	r;

	seen[0] = '\0';
	while (strstr(seen, s) == NULL) {
		ck_assert_uint_lt(n, sizeof seen - 1);
		r = read(master, seen + n, sizeof seen - 1 - n);
		ck_assert_int_gt(r, 0);
		n += (size_t)r;
		seen[n] = '\0';
	}
}

/* stdin a pseudo-terminal as a shell leaves it (canonical, ISIG, ECHO):
 * a line is typed, poll() sees it, then Ctrl+C's flush takes it. Reading
 * then must not wait for the next line (the test would time out). */
START_TEST(test_terminal_line_taken)
{
	struct wsc_options	o;
	struct wsc_pipe		p;
	struct wsc_ui		ui;
	struct seen		s;
	struct wsc_sink		k = { &record_ops, &s, 0 };
	int			master, fd;

	master = test_pty_on_stdin();
	memset(&o, 0, sizeof o);
	memset(&s, 0, sizeof s);
	wsc_pipe_init(&p, &o, &ui);
	fd = ui.ops->input_fd(ui.ctx);
	ck_assert_int_eq(write(master, "hi\n", 3), 3);
	wait_readable(fd);
	/* The echo of ^C comes after the flush (the test process is no
	 * terminal's foreground, so no signal is sent). */
	ck_assert_int_eq(write(master, "\003", 1), 1);
	wait_echo(master, "^C");
	ui.ops->on_input(ui.ctx, &k);
	ck_assert_str_eq(s.all, "");
	ck_assert_int_eq(write(master, "ok\n", 3), 3);
	wait_readable(fd);
	ui.ops->on_input(ui.ctx, &k);
	ck_assert_str_eq(s.all, "t:ok|");
	wsc_pipe_free(&p);
	close(master);
}
END_TEST

/* wsc_tty_nonblocking: a terminal comes back opened again, not blocking,
 * and stdin's own description keeps blocking; a pipe comes back as it is. */
START_TEST(test_tty_nonblocking)
{
	int	master = test_pty_on_stdin(), fds[2], fd;

	fd = wsc_tty_nonblocking(STDIN_FILENO);
	ck_assert_int_gt(fd, STDIN_FILENO);
	ck_assert_int_ne(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_eq(fcntl(STDIN_FILENO, F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_eq(isatty(fd), 1);
	close(fd);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(wsc_tty_nonblocking(fds[0]), fds[0]);
	close(fds[0]);
	close(fds[1]);
	close(master);
}
END_TEST

static Suite *
pipe_suite(void)
{
	Suite	*s = suite_create("pipe");
	TCase	*tc = tcase_create("split");

	tcase_add_test(tc, test_nul_records);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_read_messages);
	tcase_add_test(tc, test_terminal_line_taken);
	tcase_add_test(tc, test_tty_nonblocking);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(pipe_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
