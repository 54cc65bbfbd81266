/* --count and --until (wsc(1), SCRIPTING RECIPES): follows the messages a
 * session receives and says when what the script asked for has arrived. */
#ifndef WSC_GOAL_H
#define WSC_GOAL_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

/* --until matches a text message on its text up to the first NUL byte
 * (regexec stops there), and on at most this many bytes of it, so a
 * message of any size is matched in bounded memory. */
#define WSC_GOAL_MATCH_MAX	(256 * 1024)

struct wsc_goal {
	unsigned long	 count;		/* messages wanted; 0: no --count */
	unsigned long	 seen;		/* messages received */
	int		 has_re;	/* --until given */
	regex_t		 re;
	char		*text;		/* a text message's start, for regexec */
	size_t		 used;
	int		 stopped;	/* a NUL or the limit was reached */
	int		 met;
};

/* Sets g up for count messages (0: any number) and the POSIX extended
 * regular expression until (NULL: none). Returns 0, or -1 with
 * regerror's text (or "out of memory") in err. */
int	 wsc_goal_init(struct wsc_goal *g, unsigned long count,
	    const char *until, char *err, size_t errlen);
/* Is there anything to wait for (--count or --until given)? */
int	 wsc_goal_active(const struct wsc_goal *g);
/* A whole message arrived; returns nonzero when the goal is met with it
 * (then, and after, g->met is set). */
int	 wsc_goal_message(struct wsc_goal *g, int opcode, const uint8_t *p,
	    size_t n);
/* A piece of a streamed message (ui.h); met as above, at the last piece. */
int	 wsc_goal_part(struct wsc_goal *g, int opcode, const uint8_t *p,
	    size_t n, int first, int last);
/* Frees g; safe after a failed init and twice. */
void	 wsc_goal_free(struct wsc_goal *g);

#endif
