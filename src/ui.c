/* Helpers every side's user shares: printf-style notices, and the one line
 * that says writing messages out failed. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

void
wsc_ui_notef(const struct wsc_ui *ui, enum wsc_note kind, const char *fmt,
    ...)
{
	char	line[WSC_NOTE_MAX];
	va_list	ap;

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
