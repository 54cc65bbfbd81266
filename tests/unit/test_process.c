/* Unit tests for src/process.c with real children: what they read and
 * write, the descriptors they inherit, the end's schedule (shortened), and
 * how their end is described. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"
#include "signals.h"
#include "util.h"

/* Starts cmd (envp NULL: ours), failing the test if it cannot. */
static void
start(struct wsc_proc *p, const char *cmd, char *const envp[])
{
	char	err[256];

	wsc_proc_init(p);
	ck_assert_msg(wsc_proc_start(p, cmd, envp, err, sizeof err) == 0,
	    "%s", err);
	ck_assert_int_gt(p->pid, 0);
	ck_assert_int_gt(p->in, STDERR_FILENO);
	ck_assert_int_gt(p->out, STDERR_FILENO);
	ck_assert_int_ne(fcntl(p->in, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_ne(fcntl(p->out, F_GETFL) & O_NONBLOCK, 0);
}

/* Everything the child writes until end of file (20 s at most), as a
 * string. */
static char *
read_all(struct wsc_proc *p)
{
	static char	buf[8192];
	struct pollfd	pfd;
	size_t		n = 0;
	ssize_t		r;

	pfd.fd = p->out;
	pfd.events = POLLIN;
	for (;;) {
		ck_assert_int_eq(poll(&pfd, 1, 20000), 1);
		r = read(p->out, buf + n, sizeof buf - 1 - n);
		if (r == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		ck_assert_int_ge(r, 0);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return buf;
}

/* Waits (20 s at most) for the child's first line: it has got that far
 * (its trap is set). */
static void
wait_ready(struct wsc_proc *p)
{
	struct pollfd	pfd;
	char		c = 0;

	pfd.fd = p->out;
	pfd.events = POLLIN;
	while (c != '\n') {
		ck_assert_int_eq(poll(&pfd, 1, 20000), 1);
		if (read(p->out, &c, 1) == -1)
			ck_assert_int_eq(errno, EAGAIN);
	}
}

/* Stops the child and waits for it; returns its description. */
static const char *
end_of(struct wsc_proc *p)
{
	static char	text[128];
	struct pollfd	pfd;

	wsc_proc_stop(p, wsc_now_ms());
	while (wsc_proc_tick(p, wsc_now_ms()) == 0) {
		pfd.fd = wsc_signals_fd();
		pfd.events = POLLIN;
		poll(&pfd, 1, wsc_poll_ms(wsc_proc_due(p)));
		wsc_signals_take();
	}
	ck_assert_int_eq(p->reaped, 1);
	ck_assert_int_eq(wsc_proc_tick(p, wsc_now_ms()), 1);
	ck_assert(wsc_proc_due(p) == INT64_MAX);
	return wsc_proc_describe(p->status, text, sizeof text);
}

START_TEST(test_round_trip)
{
	struct wsc_proc	p;

	start(&p, "cat", NULL);
	ck_assert_int_eq(write(p.in, "hello\n", 6), 6);
	wsc_proc_stop(&p, wsc_now_ms());
	ck_assert_int_eq(p.in, -1);
	ck_assert_str_eq(read_all(&p), "hello\n");
	ck_assert_str_eq(end_of(&p), "exited with status 0");
	ck_assert_int_eq(p.sent, 0);
	ck_assert(wsc_proc_ended_well(&p));
	wsc_proc_free(&p);
	wsc_proc_free(&p);
}
END_TEST

/* The environment is the caller's when given, and only that. */
START_TEST(test_environment)
{
	static char	a[] = "WSC_A=one", b[] = "REMOTE_ADDR=127.0.0.1";
	char *const	envp[] = { a, b, NULL };
	struct wsc_proc	p;

	start(&p, "echo \"$WSC_A $REMOTE_ADDR ${HOME-unset}\"", envp);
	ck_assert_str_eq(read_all(&p), "one 127.0.0.1 unset\n");
	ck_assert_str_eq(end_of(&p), "exited with status 0");
	wsc_proc_free(&p);
}
END_TEST

/* Descriptors opened without close-on-exec stay here: the child has 0, 1
 * and 2, and ls's own directory descriptor. */
START_TEST(test_descriptors)
{
	struct wsc_proc	p;
	int		fds[6], i, lines = 0;
	const char	*out, *c;

	if (access("/proc/self/fd", R_OK) != 0)
		return;
	for (i = 0; i < 6; i++)
		ck_assert_int_ge(fds[i] = dup(STDERR_FILENO), 0);
	start(&p, "ls /proc/self/fd", NULL);
	wsc_proc_stop(&p, wsc_now_ms());
	out = read_all(&p);
	for (c = out; *c != '\0'; c++)
		lines += *c == '\n';
	ck_assert_msg(strncmp(out, "0\n1\n2\n", 6) == 0 && lines <= 4,
	    "the child has: %s", out);
	ck_assert_str_eq(end_of(&p), "exited with status 0");
	wsc_proc_free(&p);
	for (i = 0; i < 6; i++)
		close(fds[i]);
}
END_TEST

/* An end found by ticking on SIGCHLD, as a poll() loop does. */
START_TEST(test_tick)
{
	struct wsc_proc	p;
	struct pollfd	pfd;
	char		text[128];
	int		i;

	start(&p, "exit 5", NULL);
	ck_assert(wsc_proc_due(&p) == INT64_MAX);
	pfd.fd = wsc_signals_fd();
	pfd.events = POLLIN;
	for (i = 0; i < 200 && !wsc_proc_tick(&p, wsc_now_ms()); i++) {
		poll(&pfd, 1, 100);
		wsc_signals_take();
	}
	ck_assert_int_eq(p.reaped, 1);
	ck_assert_str_eq(wsc_proc_describe(p.status, text, sizeof text),
	    "exited with status 5");
	ck_assert(!wsc_proc_ended_well(&p));
	wsc_proc_free(&p);
}
END_TEST

/* A child that ignores the end of its input is sent SIGTERM on time; one
 * that ignores SIGTERM too, SIGKILL. Both ended as the schedule wanted. */
START_TEST(test_schedule)
{
	struct wsc_proc	p;
	int64_t		now;

	start(&p, "exec sleep 100", NULL);
	p.term_ms = p.kill_ms = 100;
	now = wsc_now_ms();
	wsc_proc_stop(&p, now);
	ck_assert(wsc_proc_due(&p) == now + 100);
	ck_assert_str_eq(end_of(&p), "was killed by signal 15 (SIGTERM)");
	ck_assert_int_eq(p.sent, SIGTERM);
	ck_assert(wsc_proc_ended_well(&p));
	wsc_proc_free(&p);

	start(&p, "trap '' TERM; echo ready; exec sleep 100", NULL);
	p.term_ms = p.kill_ms = 100;
	wait_ready(&p);
	ck_assert_str_eq(end_of(&p), "was killed by signal 9 (SIGKILL)");
	ck_assert_int_eq(p.sent, SIGKILL);
	ck_assert(wsc_proc_ended_well(&p));
	wsc_proc_free(&p);
}
END_TEST

/* Hurried before it was stopped (Ctrl+C while its queue drained): stdin
 * closed and SIGTERM at once, and SIGKILL still follows. */
START_TEST(test_hurry)
{
	struct wsc_proc	p;
	struct pollfd	pfd;
	int64_t		now;
	int		i;

	start(&p, "trap '' TERM; echo ready; exec sleep 100", NULL);
	p.kill_ms = 100;
	wait_ready(&p);
	now = wsc_now_ms();
	wsc_proc_hurry(&p, now);
	ck_assert_int_eq(p.in, -1);
	ck_assert(wsc_proc_due(&p) == now);
	pfd.fd = wsc_signals_fd();
	pfd.events = POLLIN;
	for (i = 0; i < 200 && !wsc_proc_tick(&p, wsc_now_ms()); i++) {
		poll(&pfd, 1, wsc_poll_ms(wsc_proc_due(&p)));
		wsc_signals_take();
	}
	ck_assert_int_eq(p.reaped, 1);
	ck_assert_int_eq(p.sent, SIGKILL);
	ck_assert(WIFSIGNALED(p.status) && WTERMSIG(p.status) == SIGKILL);
	wsc_proc_free(&p);
}
END_TEST

/* sh's statuses for a command it cannot find or run, and a signal
 * without a name here. */
START_TEST(test_describe)
{
	struct wsc_proc	p;
	char		text[64];

	start(&p, "wsc-no-such-command-here 2>/dev/null", NULL);
	ck_assert_str_eq(end_of(&p), "exited with status 127 (command not "
	    "found)");
	ck_assert(!wsc_proc_ended_well(&p));
	wsc_proc_free(&p);
	start(&p, "exec /dev/null 2>/dev/null", NULL);
	ck_assert_str_eq(end_of(&p), "exited with status 126 (command not "
	    "executable)");
	wsc_proc_free(&p);
	start(&p, "exit 255", NULL);
	ck_assert_str_eq(end_of(&p), "exited with status 255");
	wsc_proc_free(&p);
	start(&p, "kill -VTALRM $$", NULL);
	snprintf(text, sizeof text, "was killed by signal %d", SIGVTALRM);
	ck_assert_str_eq(end_of(&p), text);
	ck_assert(!wsc_proc_ended_well(&p));
	wsc_proc_free(&p);
}
END_TEST

/* Freeing a running child kills and reaps it: nothing is left. */
START_TEST(test_free_kills)
{
	struct wsc_proc	p;
	pid_t		pid;

	start(&p, "exec sleep 100", NULL);
	pid = p.pid;
	wsc_proc_free(&p);
	ck_assert_int_eq(p.reaped, 1);
	ck_assert(WIFSIGNALED(p.status) && WTERMSIG(p.status) == SIGKILL);
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

/* Every case above. */
static Suite *
process_suite(void)
{
	Suite	*s = suite_create("process");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_descriptors);
	tcase_add_test(tc, test_tick);
	tcase_add_test(tc, test_schedule);
	tcase_add_test(tc, test_hurry);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_free_kills);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(process_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
