/* A program run for a WebSocket: start, stop on a schedule, reap. */
#include "config.h"

#if defined(HAVE_CLOSE_RANGE) && !defined(_GNU_SOURCE)
# define _GNU_SOURCE 1	/* close_range(2), found by configure */
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat.h"
#include "process.h"
#include "signals.h"
#include "util.h"

extern char	**environ;

/* A wait status standing for a child someone else reaped (ECHILD). */
#define STATUS_UNKNOWN	(-1)

void
wsc_proc_init(struct wsc_proc *p)
{
	memset(p, 0, sizeof *p);
	p->in = p->out = -1;
	p->term_ms = WSC_PROC_TERM_MS;
	p->kill_ms = WSC_PROC_KILL_MS;
}

/* In the child: closes every descriptor from lowfd up, so that it keeps
 * no listening socket or other client of wsc's even where one lacked
 * close-on-exec. close_range and closefrom do it in one call; otherwise
 * every possible descriptor is tried. */
static void
close_from(int lowfd)
{
	long	max, fd;

#if defined(HAVE_CLOSE_RANGE)
	if (close_range((unsigned)lowfd, ~0U, 0) == 0)
		return;
#elif defined(HAVE_CLOSEFROM)
	closefrom(lowfd);
	return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > INT_MAX)
		max = INT_MAX;
	for (fd = lowfd; fd < max; fd++)
		close((int)fd);
}

/* In the child, after fork: the pipes become stdin and stdout (dup2
 * clears close-on-exec on them), nothing else stays open but stderr, and
 * SIGPIPE, which wsc ignores, is the program's to die of again; then
 * /bin/sh runs CMD. Never returns. */
static void
child_exec(char *cmd, char *const envp[], int in, int out)
{
	static char	sh[] = "sh", dash_c[] = "-c";
	char *const	argv[] = { sh, dash_c, cmd, NULL };
	sigset_t	none;
	char		msg[256];
	int		n;

	if (dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1)
		_exit(127);
	close_from(STDERR_FILENO + 1);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve("/bin/sh", argv, envp != NULL ? envp : environ);
	n = snprintf(msg, sizeof msg, "wsc: cannot run /bin/sh: %s\n",
	    strerror(errno));
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) == -1) {
		/* nowhere left to say it */
	}
	_exit(127);
}

/* A new pipe, both ends close-on-exec, ours non-blocking (compat.c) and
 * the program's (theirs: 0 for the read end, 1 for the write end)
 * blocking, as a program expects of its stdin and stdout. */
static int
make_pipe(int fds[2], int theirs)
{
	int	fl;

	if (wsc_pipe_nb(fds) == -1) {
		fds[0] = fds[1] = -1;
		return -1;
	}
	if ((fl = fcntl(fds[theirs], F_GETFL)) == -1 ||
	    fcntl(fds[theirs], F_SETFL, fl & ~O_NONBLOCK) == -1)
		return -1;
	return 0;
}

/* Closes the descriptors of the pipes that are open. */
static void
close_pipes(int in[2], int out[2])
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
	}
}

int
wsc_proc_start(struct wsc_proc *p, const char *cmd, char *const envp[],
    char *err, size_t errlen)
{
	int	in[2] = { -1, -1 }, out[2] = { -1, -1 };
	pid_t	pid;
	char	*argv2;		/* execve's argv is not const */

	if ((argv2 = strdup(cmd)) == NULL)
		goto fail;
	if (wsc_signals_watch_children() != 0 || make_pipe(in, 0) != 0 ||
	    make_pipe(out, 1) != 0)
		goto fail;
	/* Unlike any count: the first tick looks, whenever the child's
	 * SIGCHLD came. */
	p->seen = wsc_signals_children() - 1;
	if ((pid = fork()) == -1)
		goto fail;
	if (pid == 0)
		child_exec(argv2, envp, in[0], out[1]);
	free(argv2);
	close(in[0]);
	close(out[1]);
	p->pid = pid;
	p->in = in[1];
	p->out = out[0];
	p->reaped = p->sent = 0;
	p->term_at = p->kill_at = 0;
	return 0;
fail:
	snprintf(err, errlen, "cannot start /bin/sh: %s", strerror(errno));
	free(argv2);
	close_pipes(in, out);
	return -1;
}

void
wsc_proc_close_out(struct wsc_proc *p)
{
	if (p->out != -1)
		close(p->out);
	p->out = -1;
}

void
wsc_proc_close_in(struct wsc_proc *p)
{
	if (p->in != -1)
		close(p->in);
	p->in = -1;
}

void
wsc_proc_stop(struct wsc_proc *p, int64_t now)
{
	wsc_proc_close_in(p);
	if (p->pid == 0 || p->reaped || p->term_at != 0)
		return;
	p->term_at = now + p->term_ms;
	p->kill_at = p->term_at + p->kill_ms;
}

/* waitpid without waiting; 1 once reaped. */
static int
reap(struct wsc_proc *p)
{
	pid_t	r;

	if (p->pid == 0 || p->reaped)
		return 1;
	do
		r = waitpid(p->pid, &p->status, WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		p->status = STATUS_UNKNOWN;	/* ECHILD: gone already */
	if (r != 0)
		p->reaped = 1;
	return p->reaped;
}

/* Sends the signal the schedule says is due, if any. */
static void
signal_due(struct wsc_proc *p, int64_t now)
{
	if (p->kill_at != 0 && now >= p->kill_at && p->sent != SIGKILL) {
		kill(p->pid, SIGKILL);
		p->sent = SIGKILL;
	} else if (p->term_at != 0 && now >= p->term_at && p->sent == 0) {
		kill(p->pid, SIGTERM);
		p->sent = SIGTERM;
	}
}

int
wsc_proc_tick(struct wsc_proc *p, int64_t now)
{
	unsigned	n;

	if (p->pid == 0 || p->reaped)
		return 1;
	n = wsc_signals_children();
	if (n != p->seen) {
		/* Read before waitpid: a SIGCHLD after it is a new count. */
		p->seen = n;
		if (reap(p))
			return 1;
	}
	signal_due(p, now);
	return 0;
}

int64_t
wsc_proc_due(const struct wsc_proc *p)
{
	if (p->pid == 0 || p->reaped)
		return INT64_MAX;
	if (p->sent == 0 && p->term_at != 0)
		return p->term_at;
	if (p->sent != SIGKILL && p->kill_at != 0)
		return p->kill_at;
	return INT64_MAX;
}

void
wsc_proc_hurry(struct wsc_proc *p, int64_t now)
{
	/* Not stopped yet: its stdin is closed first, as the schedule says. */
	wsc_proc_stop(p, now);
	if (p->sent == 0) {
		p->term_at = now;
		p->kill_at = now + p->kill_ms;
	} else
		p->kill_at = now;
}

/* The usual name of a signal a program is commonly stopped by; NULL for
 * the others (their number is shown alone). */
static const char *
signal_name(int sig)
{
	static const struct {
		int		 sig;
		const char	*name;
	} names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGABRT, "SIGABRT" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGSEGV, "SIGSEGV" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGUSR1, "SIGUSR1" },
		{ SIGUSR2, "SIGUSR2" }, { SIGBUS, "SIGBUS" }
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

char *
wsc_proc_describe(int status, char *buf, size_t n)
{
	const char	*name;
	int		 code, sig;

	if (status != STATUS_UNKNOWN && WIFEXITED(status)) {
		code = WEXITSTATUS(status);
		/* sh's own statuses (POSIX, Shell Command Language 2.8.2) */
		snprintf(buf, n, "exited with status %d%s", code,
		    code == 127 ? " (command not found)" : code == 126 ?
		    " (command not executable)" : "");
	} else if (status != STATUS_UNKNOWN && WIFSIGNALED(status)) {
		sig = WTERMSIG(status);
		name = signal_name(sig);
		snprintf(buf, n, "was killed by signal %d%s%s%s", sig,
		    name != NULL ? " (" : "", name != NULL ? name : "",
		    name != NULL ? ")" : "");
	} else
		snprintf(buf, n, "ended");
	return buf;
}

int
wsc_proc_ended_well(const struct wsc_proc *p)
{
	if (!p->reaped || p->status == STATUS_UNKNOWN)
		return p->reaped;
	if (WIFEXITED(p->status))
		return WEXITSTATUS(p->status) == 0;
	return WIFSIGNALED(p->status) && p->sent != 0 &&
	    WTERMSIG(p->status) == p->sent;
}

void
wsc_proc_free(struct wsc_proc *p)
{
	wsc_proc_close_in(p);
	wsc_proc_close_out(p);
	if (p->pid == 0 || p->reaped)
		return;
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &p->status, 0) == -1 && errno == EINTR)
		;
	p->reaped = 1;
}
