/* A program for each listen-mode client: the program side, with its end
 * driven by the server's loop (wind_down) instead of waited for. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgienv.h"
#include "procside.h"
#include "runside.h"
#include "util.h"

extern char	**environ;

struct run_side {
	struct wsc_procside	 ps;	/* first: the side's ctx is both */
	char			**env;
	unsigned		 id;	/* the client's number */
	struct wsc_ui		*notes;	/* the server's side */
	struct wsc_ui		 tagged;	/* notes, with the client's number */
	const struct wsc_ui_ops	*inner;	/* the program side's own */
	void			 (*tick)(void *, struct wsc_sink *, int64_t);
	int64_t			 (*due)(void *);
};

/* The program side's notices, with the client's number: several
 * programs run at once ("wsc: client 3: ..." for errors, "Client 3: ..."
 * else, as the server's own lines about a client). */
static void
run_note(void *ctx, enum wsc_note kind, const char *text)
{
	struct run_side	*rs = ctx;

	if (strncmp(text, "wsc: ", 5) == 0)
		wsc_ui_notef(rs->notes, kind, "wsc: client %u: %s", rs->id,
		    text + 5);
	else
		wsc_ui_notef(rs->notes, kind, "Client %u: %s", rs->id, text);
}

static const struct wsc_ui_ops tagged_ops = {
	NULL, NULL, NULL, run_note, NULL, NULL, NULL, NULL, NULL, NULL
};

/* Frees the side: the program is reaped by then (wind_down), or killed
 * and reaped now (the server is ending). */
static void
run_finish(void *ctx)
{
	struct run_side	*rs = ctx;

	wsc_procside_free(&rs->ps);
	wsc_cgi_env_free(rs->env);
	free(rs);
}

/* The WebSocket is over: the program's stdin is closed once its queue is
 * written, then SIGTERM and SIGKILL on their schedule; done once it has
 * been reaped and its end reported. */
static int64_t
run_wind_down(void *ctx, int64_t now)
{
	struct run_side	*rs = ctx;
	int64_t		 due;

	wsc_procside_end(&rs->ps, now);
	rs->tick(rs, NULL, now);
	if (wsc_procside_done(&rs->ps))
		return 0;
	due = rs->due(rs);
	return due > 0 ? due : 1;
}

/* The program side's operations, with its blocking finish replaced. */
static struct wsc_ui_ops	run_ops;

int
wsc_run_side_new(const struct wsc_options *o,
    const struct wsc_client_info *ci, struct wsc_ui *notes,
    struct wsc_ui *ui, char *err, size_t errlen)
{
	struct run_side	*rs = wsc_xmalloc(sizeof *rs);

	memset(rs, 0, sizeof *rs);
	rs->env = wsc_cgi_env(ci, environ);
	memset(ui, 0, sizeof *ui);
	wsc_procside_init(&rs->ps, o, o->run, rs->env, ui);
	rs->id = ci->id;
	rs->notes = notes;
	rs->tagged.ops = &tagged_ops;
	rs->tagged.ctx = rs;
	rs->ps.notes = &rs->tagged;
	rs->inner = ui->ops;
	rs->tick = ui->tick;
	rs->due = ui->due;
	ui->event = NULL;	/* started here, not by an open event */
	if (run_ops.finish == NULL) {
		run_ops = *rs->inner;
		run_ops.finish = run_finish;
		run_ops.wind_down = run_wind_down;
	}
	ui->ops = &run_ops;
	if (wsc_procside_start(&rs->ps, err, errlen) != 0) {
		run_finish(rs);
		return -1;
	}
	return 0;
}
