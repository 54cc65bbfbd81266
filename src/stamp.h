/* Wall-clock timestamps for --timestamps ("HH:MM:SS.mmm ", local time) and
 * --jsonl ("2026-12-03T06:30:34.123Z", UTC). The broken-down time is
 * worked out once per second and cached: a flood of messages costs a
 * clock read and a few byte copies each (S3 in scripts/bench). */
#ifndef WSC_STAMP_H
#define WSC_STAMP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define WSC_STAMP_LOCAL_LEN	13	/* "HH:MM:SS.mmm " */
#define WSC_STAMP_UTC_LEN	24	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" */

/* A clock reading serves at most this many lines in a row (see
 * wsc_stamp_clock). */
#define WSC_STAMP_REUSE		64

struct wsc_stamp {
	struct timespec	now;		/* the last clock reading */
	uint64_t	epoch;		/* wsc_stamp_clock's, when read */
	unsigned	uses;		/* lines it may still serve */
	time_t	local_sec;
	char	local[8];	/* "HH:MM:SS" of local_sec */
	time_t	utc_sec;
	char	utc[19];	/* "YYYY-MM-DDTHH:MM:SS" of utc_sec */
	int	have_local;
	int	have_utc;
};

void	 wsc_stamp_init(struct wsc_stamp *st);
/* Writes the local time `now` as "HH:MM:SS.mmm " (WSC_STAMP_LOCAL_LEN
 * bytes, no NUL) into d. */
void	 wsc_stamp_local(struct wsc_stamp *st, const struct timespec *now,
	    char *d);
/* Writes `now` in UTC as ISO 8601 with milliseconds (WSC_STAMP_UTC_LEN
 * bytes, no NUL) into d. */
void	 wsc_stamp_utc(struct wsc_stamp *st, const struct timespec *now,
	    char *d);
/* The wall clock now (CLOCK_REALTIME). */
void	 wsc_stamp_now(struct timespec *now);
/* The wall clock for the next line of a flood: one reading serves up to
 * WSC_STAMP_REUSE lines written back to back, and the clock is read again
 * as soon as epoch changes. The caller passes its output's flush count
 * (struct wsc_out's epoch), which changes whenever the program may have
 * waited (the loop about to sleep, a full buffer written), so a reused
 * reading is never older than the work on a few dozen lines: microseconds,
 * well inside the milliseconds shown. (The clock read was an eighth of
 * --jsonl's time on S3 in scripts/bench.) */
void	 wsc_stamp_clock(struct wsc_stamp *st, uint64_t epoch,
	    struct timespec *now);

#endif
