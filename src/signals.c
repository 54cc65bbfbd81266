/* Ctrl+C, SIGTERM and SIGCHLD through a self-pipe in the poll set. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "net.h"
#include "signals.h"

/* One signal passed on by a wrapper and then sent again to its whole
 * process group (timeout(1) does both) arrives twice from the same process
 * within microseconds: signals a process sends this close together count
 * once. A terminal's Ctrl+C comes from the kernel and always counts. */
#define SIGNAL_DUP_MS		100

static volatile sig_atomic_t	signals_seen;
static int			signal_pipe[2] = { -1, -1 };
static int			signals_taken;
static volatile sig_atomic_t	last_sender;	/* pid of the last signal sent
						   by a process; 0: none */
static volatile sig_atomic_t	last_sent_ms;	/* when, ms modulo 2^31 */
static volatile sig_atomic_t	children_seen;	/* SIGCHLDs, modulo 2^31 */
static sig_atomic_t		children_drained;	/* their bytes read */

/* Async-signal-safe (clock_gettime is): count, and wake poll() through
 * the pipe. */
static void
on_signal(int sig, siginfo_t *si, void *uctx)
{
	struct timespec	ts;
	sig_atomic_t	ms;
	int		saved = errno, user;

	(void)sig;
	(void)uctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = (sig_atomic_t)((ts.tv_sec * 1000 + ts.tv_nsec / 1000000) &
	    0x7fffffff);
	user = si != NULL && si->si_code == SI_USER && si->si_pid > 0;
	if (user && si->si_pid == last_sender &&
	    ((ms - last_sent_ms) & 0x7fffffff) < SIGNAL_DUP_MS) {
		errno = saved;
		return;
	}
	last_sender = user ? si->si_pid : 0;
	last_sent_ms = ms;
	signals_seen++;
	if (write(signal_pipe[1], "s", 1) == -1) {
		/* full pipe: the loop wakes up anyway */
	}
	errno = saved;
}

/* A child ended (or several did: signals merge): count, and wake poll().
 * It counts apart from Ctrl+C, which a child's end must not look like. */
static void
on_child(int sig)
{
	int	saved = errno;

	(void)sig;
	children_seen = (children_seen + 1) & 0x7fffffff;
	if (write(signal_pipe[1], "c", 1) == -1) {
		/* full pipe: the loop wakes up anyway */
	}
	errno = saved;
}

/* The self-pipe, made once: both ends non-blocking and close-on-exec. */
static int
open_pipe(void)
{
	if (signal_pipe[0] != -1)
		return 0;
	return wsc_pipe_nb(signal_pipe) == -1 ? -1 : 0;
}

int
wsc_signals_install(void)
{
	struct sigaction	sa;

	if (open_pipe() != 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A connect in progress gives up when a signal comes. */
	wsc_net_set_cancel(&signals_seen);
	return 0;
}

int
wsc_signals_fd(void)
{
	return signal_pipe[0];
}

int
wsc_signals_take(void)
{
	char		drain[64];
	sig_atomic_t	seen, kids;
	int		n = 0;

	/* The pipe holds a byte only for a signal or a child's end not yet
	 * taken: no read (a system call per wake-up) when there is none, and
	 * a child's byte is drained too, or poll() would spin on it. One that
	 * comes during the drain is seen on the next round; one after it
	 * left its byte. */
	for (;;) {
		seen = signals_seen;
		kids = children_seen;
		if (seen == signals_taken && kids == children_drained)
			return n;
		if (seen != signals_taken)
			signals_taken = n = seen;
		children_drained = kids;
		while (read(signal_pipe[0], drain, sizeof drain) > 0)
			;
	}
}

int
wsc_signals_pending(void)
{
	return signals_seen != signals_taken;
}

int
wsc_signals_watch_children(void)
{
	struct sigaction	sa;

	if (open_pipe() != 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_child;
	/* Stopped or continued children are not ended ones. */
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGCHLD, &sa, NULL);
}

unsigned
wsc_signals_children(void)
{
	return (unsigned)children_seen;
}

void
wsc_signals_forget(void)
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (signal_pipe[i] != -1)
			close(signal_pipe[i]);
		signal_pipe[i] = -1;
	}
	signals_seen = 0;
	signals_taken = 0;
	children_seen = 0;
	children_drained = 0;
	last_sender = 0;
}
