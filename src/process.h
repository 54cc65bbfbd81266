/* A program run for a WebSocket (wsc(1), --run): `/bin/sh -c CMD` with
 * pipes for its stdin and stdout, its stderr shared with wsc's, and its
 * end: stdin closed, SIGTERM after a while, SIGKILL after another, always
 * reaped. Nothing here waits (but wsc_proc_free for a child still
 * running), and nothing is global but the SIGCHLD count (signals.h): a
 * poll() loop may run many children at once, polling their descriptors
 * and calling wsc_proc_tick by wsc_proc_due. */
#ifndef WSC_PROCESS_H
#define WSC_PROCESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The end's default schedule (wsc(1), --run): SIGTERM this long after
 * stdin was closed, SIGKILL this long after SIGTERM. */
#define WSC_PROC_TERM_MS	2000
#define WSC_PROC_KILL_MS	2000

struct wsc_proc {
	pid_t		 pid;		/* 0: never started */
	int		 in;		/* our end of its stdin; -1: closed */
	int		 out;		/* our end of its stdout; -1: closed */
	int		 reaped;	/* status is valid */
	int		 status;	/* waitpid()'s */
	unsigned	 seen;		/* the SIGCHLD count last looked at */
	int64_t		 term_at;	/* SIGTERM is due (0: not scheduled) */
	int64_t		 kill_at;	/* SIGKILL is due (0: not scheduled) */
	int		 sent;		/* the last signal sent: 0, TERM, KILL */
	int64_t		 term_ms;	/* the schedule, WSC_PROC_*_MS after */
	int64_t		 kill_ms;	/*   wsc_proc_init; tests shorten it */
};

/* Sets p up empty (nothing running; the default schedule). */
void	 wsc_proc_init(struct wsc_proc *p);
/* Starts `/bin/sh -c cmd` with envp as its environment (NULL: wsc's own).
 * Its stdin and stdout are pipes whose ends here (p->in, p->out) are
 * non-blocking and close-on-exec; it inherits no other descriptor of
 * wsc's, and signals at their defaults. SIGCHLD must be watched
 * (wsc_signals_watch_children) before. Returns 0, or -1 with the reason
 * in err. */
int	 wsc_proc_start(struct wsc_proc *p, const char *cmd,
	    char *const envp[], char *err, size_t errlen);
/* Closes our end of its stdout (what it writes then fails with EPIPE). */
void	 wsc_proc_close_out(struct wsc_proc *p);
/* Closes our end of its stdin (end of file), scheduling nothing: for a
 * child that closed its own (EPIPE) and may still write. */
void	 wsc_proc_close_in(struct wsc_proc *p);
/* Starts the end: closes its stdin (end of file) and schedules SIGTERM
 * term_ms from now and SIGKILL kill_ms after. Once is enough; again, or
 * after it was reaped, it changes nothing. */
void	 wsc_proc_stop(struct wsc_proc *p, int64_t now);
/* Reaps it if SIGCHLD has come since the last look and it has ended,
 * then sends the signal the schedule says is due. Returns 1 once it has
 * been reaped (status valid), else 0. */
int	 wsc_proc_tick(struct wsc_proc *p, int64_t now);
/* Moves the schedule on to its next signal now (Ctrl+C while waiting),
 * stopping it first if it was not (SIGKILL still follows SIGTERM). */
void	 wsc_proc_hurry(struct wsc_proc *p, int64_t now);
/* When wsc_proc_tick is next needed for the schedule (INT64_MAX: not
 * before a SIGCHLD). */
int64_t	 wsc_proc_due(const struct wsc_proc *p);
/* How a child ended, for a status line: "exited with status 3",
 * "exited with status 127 (command not found)", "was killed by signal 9
 * (SIGKILL)"; from waitpid()'s status. Returns buf. */
char	*wsc_proc_describe(int status, char *buf, size_t n);
/* Did it end well: exit status 0, or killed by the signal that the
 * schedule sent? (A failure is worth an error line.) */
int	 wsc_proc_ended_well(const struct wsc_proc *p);
/* Closes the descriptors. A child still running is killed (SIGKILL) and
 * reaped, blocking: nothing is ever left behind. Safe twice. */
void	 wsc_proc_free(struct wsc_proc *p);

#endif
