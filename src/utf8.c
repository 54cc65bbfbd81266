/* Incremental UTF-8 validation (RFC 3629 section 4) with a small DFA. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/*
 * Byte classes. The continuation range is split in three (80-8F, 90-9F,
 * A0-BF) because the second byte after E0, ED, F0 and F4 is restricted
 * (RFC 3629 section 4): that is what lets us reject overlongs, surrogates
 * and code points above U+10FFFF at the second byte instead of later.
 */
enum {
	C_ASCII,	/* 00-7F */
	C_CONT_8,	/* 80-8F */
	C_CONT_9,	/* 90-9F */
	C_CONT_AB,	/* A0-BF */
	C_BAD,		/* C0, C1, F5-FF: never appear in UTF-8 */
	C_LEAD2,	/* C2-DF */
	C_E0,		/* E0: second byte A0-BF (no overlongs) */
	C_LEAD3,	/* E1-EC, EE, EF */
	C_ED,		/* ED: second byte 80-9F (no surrogates) */
	C_F0,		/* F0: second byte 90-BF (no overlongs) */
	C_LEAD4,	/* F1-F3 */
	C_F4,		/* F4: second byte 80-8F (nothing above U+10FFFF) */
	C_COUNT
};

/*
 * States, as bit offsets into a 64-bit transition row (a "shift DFA"): the
 * next state is (row[class] >> state) & 63. The row load does not depend on
 * the state, so the loop-carried chain is a shift and a mask, about twice as
 * fast as a two-level table lookup on non-ASCII text. S_ACCEPT must be 0
 * (utf8.h: "0: between characters").
 */
enum {
	S_ACCEPT = 0,	/* on a character boundary */
	S_REJECT = 6,	/* failed for good */
	S_NEED1 = 12,	/* one more continuation byte, any */
	S_NEED2 = 18,	/* two more, any */
	S_NEED3 = 24,	/* three more, any */
	S_E0 = 30,	/* after E0 */
	S_ED = 36,	/* after ED */
	S_F0 = 42,	/* after F0 */
	S_F4 = 48	/* after F4 */
};

/* Byte to class, numbered as in the C_ enum above. */
static const uint8_t utf8_class[256] = {
	/* 00-7F */
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
	/* 80-8F, 90-9F */
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
	/* A0-BF */
	3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3, 3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,
	/* C0-DF */
	4,4,5,5,5,5,5,5,5,5,5,5,5,5,5,5, 5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
	/* E0-EF */
	6,7,7,7,7,7,7,7,7,7,7,7,7,8,7,7,
	/* F0-FF */
	9,10,10,10,11,4,4,4,4,4,4,4,4,4,4,4
};

/* One row per byte class: the next state from each state, in the order
 * ACCEPT, REJECT, NEED1, NEED2, NEED3, E0, ED, F0, F4. */
#define ROW(acc, rej, n1, n2, n3, e0, ed, f0, f4)			\
	((uint64_t)(acc) << S_ACCEPT | (uint64_t)(rej) << S_REJECT |	\
	(uint64_t)(n1) << S_NEED1 | (uint64_t)(n2) << S_NEED2 |		\
	(uint64_t)(n3) << S_NEED3 | (uint64_t)(e0) << S_E0 |		\
	(uint64_t)(ed) << S_ED | (uint64_t)(f0) << S_F0 |		\
	(uint64_t)(f4) << S_F4)
#define A	S_ACCEPT
#define R	S_REJECT
#define N1	S_NEED1
#define N2	S_NEED2
#define N3	S_NEED3
static const uint64_t utf8_row[C_COUNT] = {
	/*		 acc   rej n1  n2  n3  e0  ed  f0  f4 */
	[C_ASCII] =	ROW(A,    R, R,  R,  R,  R,  R,  R,  R),
	[C_CONT_8] =	ROW(R,    R, A,  N1, N2, R,  N1, R,  N2),
	[C_CONT_9] =	ROW(R,    R, A,  N1, N2, R,  N1, N2, R),
	[C_CONT_AB] =	ROW(R,    R, A,  N1, N2, N1, R,  N2, R),
	[C_BAD] =	ROW(R,    R, R,  R,  R,  R,  R,  R,  R),
	[C_LEAD2] =	ROW(N1,   R, R,  R,  R,  R,  R,  R,  R),
	[C_E0] =	ROW(S_E0, R, R,  R,  R,  R,  R,  R,  R),
	[C_LEAD3] =	ROW(N2,   R, R,  R,  R,  R,  R,  R,  R),
	[C_ED] =	ROW(S_ED, R, R,  R,  R,  R,  R,  R,  R),
	[C_F0] =	ROW(S_F0, R, R,  R,  R,  R,  R,  R,  R),
	[C_LEAD4] =	ROW(N3,   R, R,  R,  R,  R,  R,  R,  R),
	[C_F4] =	ROW(S_F4, R, R,  R,  R,  R,  R,  R,  R)
};
#undef A
#undef R
#undef N1
#undef N2
#undef N3
#undef ROW

#define UTF8_HIGH_BITS	0x8080808080808080ULL

/* Starts a validator on a character boundary. */
void
wsc_utf8_init(struct wsc_utf8 *v)
{
	v->state = S_ACCEPT;
}

/* Skips whole 8-byte words of ASCII from p[i], two at a time while it
 * can (one branch per 16 bytes); returns the index of the first word
 * with a high bit set, or of the tail shorter than a word. */
static size_t
utf8_skip_ascii(const uint8_t *p, size_t i, size_t n)
{
	uint64_t	w, w2;

	while (n - i >= 16) {
		memcpy(&w, p + i, sizeof w);
		memcpy(&w2, p + i + 8, sizeof w2);
		if ((w | w2) & UTF8_HIGH_BITS)
			break;
		i += 16;
	}
	while (n - i >= 8) {
		memcpy(&w, p + i, sizeof w);	/* unaligned-safe load */
		if (w & UTF8_HIGH_BITS)
			break;
		i += 8;
	}
	return (i);
}

/*
 * Feeds n bytes. The DFA rejects at the first byte that cannot continue any
 * valid sequence, so a text message fails fast (RFC 6455 section 8.1). Once
 * failed, every later call fails too, with *bad_at 0.
 */
int
wsc_utf8_feed(struct wsc_utf8 *v, const uint8_t *p, size_t n, size_t *bad_at)
{
	uint32_t	s = v->state;
	size_t		i = 0;

	if (s == S_REJECT) {
		if (bad_at != NULL)
			*bad_at = 0;
		return (-1);
	}
	while (i < n) {
		if (s == S_ACCEPT) {
			i = utf8_skip_ascii(p, i, n);
			if (i == n)
				break;
		}
		s = (utf8_row[utf8_class[p[i]]] >> s) & 63;
		if (s == S_REJECT) {
			v->state = S_REJECT;
			if (bad_at != NULL)
				*bad_at = i;
			return (-1);
		}
		i++;
	}
	v->state = s;
	return (0);
}

/* Is the input so far on a character boundary (and not failed)? */
int
wsc_utf8_complete(const struct wsc_utf8 *v)
{
	return (v->state == S_ACCEPT);
}

/* One-shot check of a whole buffer (e.g. a Close reason, RFC 6455 5.5.1). */
int
wsc_utf8_valid(const uint8_t *p, size_t n)
{
	struct wsc_utf8	v;

	wsc_utf8_init(&v);
	if (wsc_utf8_feed(&v, p, n, NULL) != 0)
		return (0);
	return (wsc_utf8_complete(&v));
}
