/* The interactive prompt of a build without readline (configure
 * --without-readline): there is none, and at a terminal main.c falls back
 * to the piped user side, as when readline cannot be loaded. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tty.h"

int
wsc_tty_init(struct wsc_tty *t, const struct wsc_options *o,
    struct wsc_ui *ui, char *err, size_t errlen)
{
	(void)o;
	(void)ui;
	memset(t, 0, sizeof *t);
	snprintf(err, errlen, "wsc was built without readline");
	return -1;
}

void
wsc_tty_free(struct wsc_tty *t)
{
	(void)t;
}
