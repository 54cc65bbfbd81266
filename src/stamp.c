/* Cached wall-clock timestamps (stamp.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "stamp.h"

void
wsc_stamp_init(struct wsc_stamp *st)
{
	memset(st, 0, sizeof *st);
}

void
wsc_stamp_now(struct timespec *now)
{
	clock_gettime(CLOCK_REALTIME, now);
}

void
wsc_stamp_clock(struct wsc_stamp *st, uint64_t epoch, struct timespec *now)
{
	if (st->uses == 0 || epoch != st->epoch) {
		clock_gettime(CLOCK_REALTIME, &st->now);
		st->epoch = epoch;
		st->uses = WSC_STAMP_REUSE;
	}
	st->uses--;
	*now = st->now;
}

/* ".mmm" from the nanoseconds, then the character after it. */
static void
put_millis(char *d, long nsec, char after)
{
	unsigned	ms = (unsigned)(nsec / 1000000) % 1000;

	d[0] = '.';
	d[1] = (char)('0' + ms / 100);
	d[2] = (char)('0' + ms / 10 % 10);
	d[3] = (char)('0' + ms % 10);
	d[4] = after;
}

/* Two digits of v. */
static void
put2(char *d, int v)
{
	d[0] = (char)('0' + v / 10 % 10);
	d[1] = (char)('0' + v % 10);
}

void
wsc_stamp_local(struct wsc_stamp *st, const struct timespec *now, char *d)
{
	struct tm	tm;

	if (!st->have_local || now->tv_sec != st->local_sec) {
		memset(&tm, 0, sizeof tm);
		localtime_r(&now->tv_sec, &tm);
		put2(st->local, tm.tm_hour);
		st->local[2] = ':';
		put2(st->local + 3, tm.tm_min);
		st->local[5] = ':';
		put2(st->local + 6, tm.tm_sec);
		st->local_sec = now->tv_sec;
		st->have_local = 1;
	}
	memcpy(d, st->local, 8);
	put_millis(d + 8, now->tv_nsec, ' ');
}

void
wsc_stamp_utc(struct wsc_stamp *st, const struct timespec *now, char *d)
{
	struct tm	tm;
	char		tmp[64];

	if (!st->have_utc || now->tv_sec != st->utc_sec) {
		memset(&tm, 0, sizeof tm);
		gmtime_r(&now->tv_sec, &tm);
		/* Years past 9999 do not fit ISO 8601's basic form: clamp. */
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d",
		    tm.tm_year + 1900 > 9999 ? 9999 : tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		memcpy(st->utc, tmp, sizeof st->utc);
		st->utc_sec = now->tv_sec;
		st->have_utc = 1;
	}
	memcpy(d, st->utc, sizeof st->utc);
	put_millis(d + sizeof st->utc, now->tv_nsec, 'Z');
}
