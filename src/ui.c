/* Helpers every side's user shares: printf-style notices, notices on
 * stderr, and the one line that says writing messages out failed. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "options.h"
#include "stamp.h"
#include "ui.h"

void
wsc_ui_notef(const struct wsc_ui *ui, enum wsc_note kind, const char *fmt,
    ...)
{
	char	line[WSC_NOTE_MAX];
	va_list	ap;

	if (!wsc_ui_shows(ui, kind))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ui->ops->note(ui->ctx, kind, line);
}

int
wsc_ui_output_failed(const struct wsc_ui *ui)
{
	int	err;

	if (ui->output_error == NULL || (err = ui->output_error(ui->ctx)) == 0)
		return 0;
	wsc_ui_notef(ui, WSC_NOTE_ERROR, "wsc: %s: %s", err == EPIPE ?
	    "stdout closed" : "cannot write to stdout", strerror(err));
	return err;
}

/* -q silences the status lines, and --jsonl writes -P's pings and pongs
 * on stdout. */
unsigned
wsc_ui_stderr_muted(const struct wsc_options *o)
{
	return (o->quiet ? 1u << WSC_NOTE_STATUS : 0) |
	    (o->jsonl ? 1u << WSC_NOTE_CONTROL : 0);
}

/* A notice is one line and may carry what the peer sent (a close reason,
 * ping data, a header): escaped whether or not stderr is a terminal, since
 * a log file is read on one later. */
void
wsc_ui_stderr_note(const struct wsc_options *o, struct wsc_stamp *stamp,
    enum wsc_note kind, const char *text)
{
	struct timespec	 now;
	char		 line[WSC_STAMP_LOCAL_LEN + WSC_ESC_RATIO * WSC_NOTE_MAX + 1];
	size_t		 n = strnlen(text, WSC_NOTE_MAX), used, w = 0;

	if (wsc_ui_stderr_muted(o) & (1u << kind))
		return;
	if (o->timestamps) {
		wsc_stamp_now(&now);
		wsc_stamp_local(stamp, &now, line);
		w = WSC_STAMP_LOCAL_LEN;
		/* messages after it must not show an older reading */
		stamp->uses = 0;
	}
	w += wsc_escape(line + w, (const uint8_t *)text, n, 0, &used);
	line[w++] = '\n';
	fwrite(line, 1, w, stderr);
}
