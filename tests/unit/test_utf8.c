/* Unit tests for the incremental UTF-8 validator (src/utf8.c). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* ------------------------------------------------------------------
 * An independent reference: a byte string is a character when it is the
 * canonical encoding of a Unicode scalar value; prefixes are found by
 * encoding every scalar value. Nothing here shares logic with the DFA.
 */
static uint8_t	ref_prefix1[256];
static uint8_t	ref_prefix2[65536];
static uint8_t	ref_prefix3[(1 << 24) / 8];
static int	ref_ready;

/* Encodes scalar value cp the RFC 3629 way; returns its length. */
static size_t
ref_encode(uint32_t cp, uint8_t *o)
{
	if (cp < 0x80) {
		o[0] = (uint8_t)cp;
		return (1);
	}
	if (cp < 0x800) {
		o[0] = (uint8_t)(0xc0 | (cp >> 6));
		o[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		o[0] = (uint8_t)(0xe0 | (cp >> 12));
		o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return (3);
	}
	o[0] = (uint8_t)(0xf0 | (cp >> 18));
	o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return (4);
}

/* Marks every proper prefix of every scalar value's encoding. */
static void
ref_init(void)
{
	uint8_t		e[4];
	uint32_t	cp, k;
	size_t		n;

	if (ref_ready)
		return;
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = ref_encode(cp, e);
		if (n > 1)
			ref_prefix1[e[0]] = 1;
		if (n > 2)
			ref_prefix2[e[0] << 8 | e[1]] = 1;
		if (n > 3) {
			k = (uint32_t)e[0] << 16 | e[1] << 8 | e[2];
			ref_prefix3[k / 8] |= (uint8_t)(1 << (k % 8));
		}
	}
	ref_ready = 1;
}

/* Is t[0..m) exactly one character? (decode loosely, re-encode, compare) */
static int
ref_is_char(const uint8_t *t, size_t m)
{
	uint8_t		e[4];
	uint32_t	cp;
	size_t		i, want;

	want = t[0] < 0x80 ? 1 : t[0] < 0xc0 ? 0 : t[0] < 0xe0 ? 2 :
	    t[0] < 0xf0 ? 3 : t[0] < 0xf8 ? 4 : 0;
	if (want != m)
		return (0);
	cp = m == 1 ? t[0] : t[0] & (0x7f >> m);
	for (i = 1; i < m; i++)
		cp = cp << 6 | (t[i] & 0x3f);
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (ref_encode(cp, e) == m && memcmp(e, t, m) == 0);
}

/* Is t[0..m) a proper prefix of some character's encoding? */
static int
ref_is_prefix(const uint8_t *t, size_t m)
{
	uint32_t	k;

	switch (m) {
	case 1:
		return (ref_prefix1[t[0]]);
	case 2:
		return (ref_prefix2[t[0] << 8 | t[1]]);
	case 3:
		k = (uint32_t)t[0] << 16 | t[1] << 8 | t[2];
		return ((ref_prefix3[k / 8] >> (k % 8)) & 1);
	}
	return (0);
}

/* Reference verdict: offset of the first hopeless byte or -1; *complete. */
static long
ref_check(const uint8_t *s, size_t len, int *complete)
{
	size_t	pos = 0, k;

	*complete = 1;
	while (pos < len) {
		for (k = 1;; k++) {
			if (ref_is_char(s + pos, k)) {
				pos += k;
				break;
			}
			if (!ref_is_prefix(s + pos, k))
				return ((long)(pos + k - 1));
			if (pos + k == len) {
				*complete = 0;
				return (-1);
			}
		}
	}
	return (-1);
}

/*
 * Feeds s in two pieces split at `split` and checks against the reference.
 * Asserts only on a mismatch: every Check assertion is a write to the
 * parent process, too slow for millions of cases.
 */
static void
check_against_ref(const uint8_t *s, size_t len, size_t split)
{
	struct wsc_utf8	v;
	size_t		bad = (size_t)-1;
	long		want, got = -1;
	int		complete, want_complete, got_complete, got_valid;

	ref_init();
	want = ref_check(s, len, &complete);
	want_complete = want == -1 && complete;
	wsc_utf8_init(&v);
	if (wsc_utf8_feed(&v, s, split, &bad) != 0)
		got = (long)bad;
	else if (wsc_utf8_feed(&v, s + split, len - split, &bad) != 0)
		got = (long)(split + bad);
	got_complete = wsc_utf8_complete(&v);
	got_valid = wsc_utf8_valid(s, len);
	if (got != want || got_complete != want_complete ||
	    got_valid != want_complete)
		ck_abort_msg("len %zu split %zu: bad at %ld (want %ld), "
		    "complete %d valid %d (want %d)", len, split, got, want,
		    got_complete, got_valid, want_complete);
}

/* ------------------------------------------------------------------ */

/* Feeds a whole string; returns the bad offset or -1. */
static long
feed_all(const char *s, size_t n, int *complete)
{
	struct wsc_utf8	v;
	size_t		bad = (size_t)-1;
	long		r = -1;

	wsc_utf8_init(&v);
	if (wsc_utf8_feed(&v, (const uint8_t *)s, n, &bad) != 0)
		r = (long)bad;
	*complete = wsc_utf8_complete(&v);
	return (r);
}

/* Asserts that literal s fails at byte offset want. */
#define BAD_AT(s, want) do {						\
	int c_;								\
	ck_assert_int_eq(feed_all((s), sizeof(s) - 1, &c_), (want));	\
	ck_assert_int_eq(c_, 0);					\
	ck_assert_int_eq(wsc_utf8_valid((const uint8_t *)(s),		\
	    sizeof(s) - 1), 0);						\
} while (0)

/* Asserts that literal s is complete, valid UTF-8. */
#define GOOD(s) do {							\
	int c_;								\
	ck_assert_int_eq(feed_all((s), sizeof(s) - 1, &c_), -1);	\
	ck_assert_int_eq(c_, 1);					\
	ck_assert_int_eq(wsc_utf8_valid((const uint8_t *)(s),		\
	    sizeof(s) - 1), 1);						\
} while (0)

/* Asserts that literal s is a valid but unfinished prefix. */
#define TRUNCATED(s) do {						\
	int c_;								\
	ck_assert_int_eq(feed_all((s), sizeof(s) - 1, &c_), -1);	\
	ck_assert_int_eq(c_, 0);					\
	ck_assert_int_eq(wsc_utf8_valid((const uint8_t *)(s),		\
	    sizeof(s) - 1), 0);						\
} while (0)

START_TEST(test_valid)
{
	GOOD("");
	GOOD("hello, world");
	GOOD("\x00");
	GOOD("\x7f");
	GOOD("\xc2\x80");			/* U+0080, smallest 2-byte */
	GOOD("\xdf\xbf");			/* U+07FF */
	GOOD("\xe0\xa0\x80");			/* U+0800, smallest 3-byte */
	GOOD("\xed\x9f\xbf");			/* U+D7FF, below surrogates */
	GOOD("\xee\x80\x80");			/* U+E000, above surrogates */
	GOOD("\xef\xbf\xbf");			/* U+FFFF */
	GOOD("\xef\xbb\xbf");			/* BOM is just a character */
	GOOD("\xf0\x90\x80\x80");		/* U+10000, smallest 4-byte */
	GOOD("\xf4\x8f\xbf\xbf");		/* U+10FFFF, the largest */
	GOOD("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");	/* κόσμε */
	GOOD("Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0"
	    "\xc3\xa1-UTF-8!!");
}
END_TEST

START_TEST(test_lone_continuation)
{
	BAD_AT("\x80", 0);
	BAD_AT("\xbf", 0);
	BAD_AT("a\x80", 1);
	BAD_AT("\xc2\x80\x80", 2);		/* one continuation too many */
	BAD_AT("\xe2\x82\xac\xbf", 3);
}
END_TEST

START_TEST(test_overlong)
{
	BAD_AT("\xc0\x80", 0);		/* overlong NUL: C0 is never valid */
	BAD_AT("\xc1\xbf", 0);
	BAD_AT("\xe0\x80\x80", 1);		/* overlong 3-byte NUL */
	BAD_AT("\xe0\x9f\xbf", 1);		/* overlong U+07FF */
	BAD_AT("\xf0\x80\x80\x80", 1);		/* overlong 4-byte NUL */
	BAD_AT("\xf0\x8f\xbf\xbf", 1);		/* overlong U+FFFF */
}
END_TEST

START_TEST(test_surrogates)
{
	BAD_AT("\xed\xa0\x80", 1);		/* U+D800 */
	BAD_AT("\xed\xad\xbf", 1);		/* U+DB7F */
	BAD_AT("\xed\xb0\x80", 1);		/* U+DC00 */
	BAD_AT("\xed\xbf\xbf", 1);		/* U+DFFF */
	BAD_AT("\xed\xa0\x80\xed\xb0\x80", 1);	/* CESU-8 pair */
}
END_TEST

START_TEST(test_above_max)
{
	BAD_AT("\xf4\x90\x80\x80", 1);		/* U+110000 */
	BAD_AT("\xf4\xbf\xbf\xbf", 1);
	BAD_AT("\xf5\x80\x80\x80", 0);
	BAD_AT("\xf7\xbf\xbf\xbf", 0);		/* U+1FFFFF */
	BAD_AT("\xf8\x88\x80\x80\x80", 0);	/* old 5-byte form */
	BAD_AT("\xfc\x84\x80\x80\x80\x80", 0);	/* old 6-byte form */
}
END_TEST

START_TEST(test_bad_bytes)
{
	uint8_t	b;
	int	c;

	for (b = 0xf5;; b++) {
		ck_assert_int_eq(feed_all((const char *)&b, 1, &c), 0);
		if (b == 0xff)
			break;
	}
	ck_assert_int_eq(feed_all("\xc0", 1, &c), 0);
	ck_assert_int_eq(feed_all("\xc1", 1, &c), 0);
	BAD_AT("abc\xfe", 3);
	BAD_AT("abc\xff", 3);
}
END_TEST

START_TEST(test_bad_continuation)
{
	BAD_AT("\xc2\x41", 1);			/* lead, then ASCII */
	BAD_AT("\xc2\xc2\x80", 1);		/* lead, then another lead */
	BAD_AT("\xe2\x82\x41", 2);
	BAD_AT("\xf0\x9f\x98\x41", 3);
	BAD_AT("\xf0\x9f\x98\xf0", 3);
}
END_TEST

START_TEST(test_truncated)
{
	TRUNCATED("\xc2");
	TRUNCATED("\xe2");
	TRUNCATED("\xe2\x82");
	TRUNCATED("\xf0");
	TRUNCATED("\xf0\x9f");
	TRUNCATED("\xf0\x9f\x98");
	TRUNCATED("abc\xf4\x8f\xbf");
	TRUNCATED("\xe0\xa0");			/* fine so far */
	TRUNCATED("\xed\x9f");
}
END_TEST

/* The fail-fast offsets the brief names, in one piece and byte by byte. */
START_TEST(test_fail_fast_offsets)
{
	static const struct {
		const char	*s;
		size_t		 n, at;
	} t[] = {
		{ "\xf4\x90", 2, 1 },
		{ "\xed\xa0", 2, 1 },
		{ "\xe0\x80", 2, 1 },
		{ "\xf0\x8f", 2, 1 },
		{ "\xc0", 1, 0 },
		{ "abcdefghij\xed\xa0", 12, 11 },
		{ "\xe2\x82\xac\xf4\x90", 5, 4 }
	};
	struct wsc_utf8	v;
	size_t		i, j, bad;
	int		r;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		wsc_utf8_init(&v);
		bad = 99;
		ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)t[i].s,
		    t[i].n, &bad), -1);
		ck_assert_uint_eq(bad, t[i].at);
		/* Byte by byte: the call with the bad byte fails, at 0. */
		wsc_utf8_init(&v);
		for (j = 0; j < t[i].n; j++) {
			bad = 99;
			r = wsc_utf8_feed(&v, (const uint8_t *)t[i].s + j, 1,
			    &bad);
			ck_assert_int_eq(r, j == t[i].at ? -1 : 0);
			if (r != 0) {
				ck_assert_uint_eq(bad, 0);
				break;
			}
		}
		ck_assert_uint_eq(j, t[i].at);
	}
}
END_TEST

/* Every split of valid multi-byte text into two and three pieces. */
START_TEST(test_every_split)
{
	static const char s[] = "a\xc2\xb5\xe2\x82\xac\xf0\x9f\x98\x80z"
	    "\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80";
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 n = sizeof s - 1, i, j;
	struct wsc_utf8	 v;

	for (i = 0; i <= n; i++) {
		for (j = i; j <= n; j++) {
			wsc_utf8_init(&v);
			ck_assert_int_eq(wsc_utf8_feed(&v, p, i, NULL), 0);
			ck_assert_int_eq(wsc_utf8_feed(&v, p + i, j - i,
			    NULL), 0);
			ck_assert_int_eq(wsc_utf8_feed(&v, p + j, n - j,
			    NULL), 0);
			ck_assert_int_eq(wsc_utf8_complete(&v), 1);
		}
		/* After only the first i bytes we are complete exactly on
		 * character boundaries. */
		wsc_utf8_init(&v);
		wsc_utf8_feed(&v, p, i, NULL);
		ck_assert_int_eq(wsc_utf8_complete(&v),
		    (i == n || (p[i] & 0xc0) != 0x80));
	}
}
END_TEST

/* An invalid sequence split anywhere fails at the right absolute offset. */
START_TEST(test_split_bad)
{
	static const char s[] = "ab\xe2\x82\xac\xed\xa0\x80zz";
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 n = sizeof s - 1, i;

	for (i = 0; i <= n; i++)
		check_against_ref(p, n, i);
}
END_TEST

START_TEST(test_stays_failed)
{
	struct wsc_utf8	v;
	size_t		bad = 99;

	wsc_utf8_init(&v);
	ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)"\xff", 1, &bad),
	    -1);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(wsc_utf8_complete(&v), 0);
	bad = 99;
	ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)"abc", 3, &bad),
	    -1);
	ck_assert_uint_eq(bad, 0);
	ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)"", 0, NULL), -1);
	ck_assert_int_eq(wsc_utf8_complete(&v), 0);
	/* Only init starts over. */
	wsc_utf8_init(&v);
	ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)"abc", 3, &bad),
	    0);
	ck_assert_int_eq(wsc_utf8_complete(&v), 1);
}
END_TEST

START_TEST(test_null_bad_at)
{
	struct wsc_utf8	v;

	wsc_utf8_init(&v);
	ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)"a\x80", 2, NULL),
	    -1);
	ck_assert_int_eq(wsc_utf8_feed(&v, (const uint8_t *)"a", 1, NULL), -1);
}
END_TEST

/* The 8-byte ASCII path: a bad byte at every position, any alignment. */
START_TEST(test_ascii_fast_path)
{
	uint8_t		buf[80];
	struct wsc_utf8	v;
	size_t		start, pos, bad, len = 64;

	for (start = 0; start < 8; start++) {
		for (pos = 0; pos < len; pos++) {
			memset(buf, 'x', sizeof buf);
			buf[start + pos] = 0x80;
			wsc_utf8_init(&v);
			bad = 999;
			ck_assert_int_eq(wsc_utf8_feed(&v, buf + start, len,
			    &bad), -1);
			ck_assert_uint_eq(bad, pos);
			/* A valid 2-byte character there instead. */
			buf[start + pos] = 0xc3;
			buf[start + pos + 1] = 0xa9;
			wsc_utf8_init(&v);
			ck_assert_int_eq(wsc_utf8_feed(&v, buf + start, len,
			    NULL), 0);
			ck_assert_int_eq(wsc_utf8_complete(&v),
			    (pos != len - 1));
		}
		/* The high bit in the last byte of a word only. */
		memset(buf, 0x7f, sizeof buf);
		buf[start + 15] = 0xff;
		wsc_utf8_init(&v);
		ck_assert_int_eq(wsc_utf8_feed(&v, buf + start, 24, &bad), -1);
		ck_assert_uint_eq(bad, 15);
	}
}
END_TEST

/* Exhaustive: every 1- and 2-byte string against the reference. */
START_TEST(test_exhaustive_short)
{
	uint8_t		s[2];
	unsigned	a, b;

	for (a = 0; a < 256; a++) {
		s[0] = (uint8_t)a;
		check_against_ref(s, 1, 0);
		check_against_ref(s, 1, 1);
		for (b = 0; b < 256; b++) {
			s[1] = (uint8_t)b;
			check_against_ref(s, 2, 1);
		}
	}
}
END_TEST

/* Bytes at every class boundary, for the 3- and 4-byte exhaustive tests. */
static const uint8_t edge[] = {
	0x00, 0x41, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
	0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
	0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xfe, 0xff
};
#define NEDGE	(sizeof edge / sizeof edge[0])

/* Every 3- and 4-byte string over the edge bytes, split in every place. */
START_TEST(test_exhaustive_edges)
{
	uint8_t	s[4];
	size_t	a, b, c, d;

	for (a = 0; a < NEDGE; a++)
		for (b = 0; b < NEDGE; b++)
			for (c = 0; c < NEDGE; c++) {
				s[0] = edge[a];
				s[1] = edge[b];
				s[2] = edge[c];
				check_against_ref(s, 3, (a + b + c) % 4);
				for (d = 0; d < NEDGE; d++) {
					s[3] = edge[d];
					check_against_ref(s, 4,
					    (a + b + c + d) % 5);
				}
			}
}
END_TEST

/* Random mixtures of valid characters and junk, longer than a word. */
START_TEST(test_random)
{
	uint8_t		s[64], e[4];
	size_t		len, n, i, round;
	uint32_t	cp;

	srand(12345);
	for (round = 0; round < 20000; round++) {
		len = 0;
		while (len < sizeof s - 4) {
			i = (size_t)rand() % 10;
			if (i < 5)
				s[len++] = (uint8_t)('a' + i);
			else if (i < 9) {
				cp = (uint32_t)rand() % 0x110000;
				if (cp >= 0xd800 && cp <= 0xdfff)
					cp = 0xe9;
				n = ref_encode(cp, e);
				memcpy(s + len, e, n);
				len += n;
			} else if (round % 4 == 0)
				s[len++] = (uint8_t)rand();
			if ((size_t)rand() % 16 == 0)
				break;
		}
		check_against_ref(s, len, (size_t)rand() % (len + 1));
	}
}
END_TEST

/* Builds the suite. */
/* wsc_utf8_ascii: every length up to past two 16-byte steps, every
 * alignment, one non-ASCII byte at every position (the overlapping last
 * word included); nothing past n is read (the byte after is 0xff). */
START_TEST(test_ascii_check)
{
	uint8_t	buf[64];
	size_t	start, n, pos;

	for (start = 0; start < 8; start++) {
		for (n = 0; n <= 40; n++) {
			memset(buf, 0x7f, sizeof buf);
			buf[start + n] = 0xff;
			ck_assert(wsc_utf8_ascii(buf + start, n));
			for (pos = 0; pos < n; pos++) {
				buf[start + pos] = 0x80;
				ck_assert(!wsc_utf8_ascii(buf + start, n));
				buf[start + pos] = 0x7f;
			}
		}
	}
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite	*s = suite_create("utf8");
	TCase	*tc = tcase_create("classes");
	TCase	*tx = tcase_create("exhaustive");

	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_lone_continuation);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_surrogates);
	tcase_add_test(tc, test_above_max);
	tcase_add_test(tc, test_bad_bytes);
	tcase_add_test(tc, test_bad_continuation);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_fail_fast_offsets);
	tcase_add_test(tc, test_every_split);
	tcase_add_test(tc, test_split_bad);
	tcase_add_test(tc, test_stays_failed);
	tcase_add_test(tc, test_null_bad_at);
	tcase_add_test(tc, test_ascii_fast_path);
	tcase_add_test(tc, test_ascii_check);
	suite_add_tcase(s, tc);

	/* Slow under sanitizers and valgrind: give them room. */
	tcase_set_timeout(tx, 60);
	tcase_add_test(tx, test_exhaustive_short);
	tcase_add_test(tx, test_exhaustive_edges);
	tcase_add_test(tx, test_random);
	suite_add_tcase(s, tx);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(utf8_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}
