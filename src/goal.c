/* --count and --until: counting messages and matching text ones. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "goal.h"

int
wsc_goal_init(struct wsc_goal *g, unsigned long count, const char *until,
    char *err, size_t errlen)
{
	int	e;

	memset(g, 0, sizeof *g);
	g->count = count;
	if (until == NULL)
		return 0;
	if ((e = regcomp(&g->re, until, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(e, &g->re, err, errlen);
		return -1;
	}
	g->has_re = 1;
	/* One buffer for the whole run: nothing is allocated per message. */
	if ((g->text = malloc(WSC_GOAL_MATCH_MAX + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		wsc_goal_free(g);
		return -1;
	}
	return 0;
}

int
wsc_goal_active(const struct wsc_goal *g)
{
	return g->count > 0 || g->has_re;
}

/* Keeps the start of a text message, up to its first NUL or the limit. */
static void
keep(struct wsc_goal *g, const uint8_t *p, size_t n)
{
	const uint8_t	*nul;
	size_t		 room = WSC_GOAL_MATCH_MAX - g->used;

	if (g->stopped || n == 0)
		return;
	if (n >= room) {
		n = room;
		g->stopped = 1;
	}
	if ((nul = memchr(p, '\0', n)) != NULL) {
		n = (size_t)(nul - p);
		g->stopped = 1;
	}
	memcpy(g->text + g->used, p, n);
	g->used += n;
}

/* The end of a message: counts it and matches what was kept. */
static int
end_message(struct wsc_goal *g, int opcode)
{
	g->seen++;
	if (g->count > 0 && g->seen >= g->count)
		g->met = 1;
	if (g->has_re && opcode == WSC_OP_TEXT) {
		g->text[g->used] = '\0';
		if (regexec(&g->re, g->text, 0, NULL, 0) == 0)
			g->met = 1;
	}
	g->used = 0;
	g->stopped = 0;
	return g->met;
}

int
wsc_goal_message(struct wsc_goal *g, int opcode, const uint8_t *p,
    size_t n)
{
	if (g->has_re && opcode == WSC_OP_TEXT)
		keep(g, p, n);
	return end_message(g, opcode);
}

int
wsc_goal_part(struct wsc_goal *g, int opcode, const uint8_t *p, size_t n,
    int first, int last)
{
	if (first) {
		g->used = 0;
		g->stopped = 0;
	}
	if (g->has_re && opcode == WSC_OP_TEXT)
		keep(g, p, n);
	return last ? end_message(g, opcode) : 0;
}

void
wsc_goal_free(struct wsc_goal *g)
{
	if (g->has_re)
		regfree(&g->re);
	g->has_re = 0;
	free(g->text);
	g->text = NULL;
}
