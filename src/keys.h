/* The prompt's keys, read by wsc and handed to readline through its
 * rl_getc_function hook. readline's own reader waits in pselect() for a
 * key it was told is there; when Ctrl+C comes first, the kernel drops the
 * queued keys with it (ISIG), and our SIGINT handler, not readline's, ran:
 * readline then waits for a key that never comes, and Ctrl+C goes unheard
 * (doc/pitfalls.md, GNU readline). Here no read waits on the terminal
 * (VMIN 0), and every wait also watches the session's signals. */
#ifndef WSC_KEYS_H
#define WSC_KEYS_H

#include <termios.h>

/* Puts our hooks into readline (loaded). */
void	wsc_keys_setup(void);
/* readline's terminal settings tio, read from fd, changed so that a read
 * returns at once when no key is queued (VMIN 0, VTIME 0), and applied. A
 * terminal that refuses keeps readline's, which the prompt can live with:
 * reads then wait as readline's own did. */
void	wsc_keys_nowait(int fd, struct termios *tio);
/* stdin is readable: reads one key for readline's next read, unless one
 * is still untaken. Returns 1 when readline has something to take (a key,
 * or the end of the terminal), 0 when nothing was there (Ctrl+C's flush
 * took it). */
int	wsc_keys_take(void);

#endif
