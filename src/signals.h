/* Ctrl+C, SIGTERM and SIGCHLD for a poll() loop: the handlers only count
 * and write to a self-pipe, so the loop sees a signal race-free as a
 * readable fd. */
#ifndef WSC_SIGNALS_H
#define WSC_SIGNALS_H

/* Installs the handlers (once). Returns 0 or -1. */
int	 wsc_signals_install(void);
/* The descriptor to poll for reading. */
int	 wsc_signals_fd(void);
/* Drains the pipe. Returns how many signals arrived in all when one came
 * since the last call (1 for the first, 2 for the second...), else 0. */
int	 wsc_signals_take(void);
/* Has Ctrl+C or SIGTERM come since the last wsc_signals_take? */
int	 wsc_signals_pending(void);
/* Installs the SIGCHLD handler (once), which wakes the same pipe. Returns
 * 0 or -1. */
int	 wsc_signals_watch_children(void);
/* How many times SIGCHLD has come (modulo 2^31): a child whose waitpid is
 * worth trying again is one that last looked at another count. Ctrl+C's
 * count (wsc_signals_take) is apart. */
unsigned wsc_signals_children(void);
/* In a child after fork(): drops the parent's pipe and counts, so that the
 * next wsc_signals_install gives the child a pipe of its own (a shared one
 * would let either process take the other's wake-up). */
void	 wsc_signals_forget(void);

#endif
