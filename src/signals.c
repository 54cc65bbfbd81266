/* Ctrl+C and SIGTERM through a self-pipe in the poll set. */
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

int
wsc_signals_install(void)
{
	struct sigaction	sa;

	if (signal_pipe[0] == -1 && wsc_pipe_nb(signal_pipe) == -1)
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
	char	drain[64];

	while (read(signal_pipe[0], drain, sizeof drain) > 0)
		;
	if (signals_seen == signals_taken)
		return 0;
	signals_taken = signals_seen;
	return signals_taken;
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
	last_sender = 0;
}
