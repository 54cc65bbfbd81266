/* Unit tests for the interactive renderer (src/render.c): layout, escaping,
 * the cap at its boundaries, and pieces and room of any size giving the
 * same screen. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static char	screen[4 * 1024 * 1024];

/* Renders n bytes of p fed in pieces of `piece` bytes, with `room` bytes
 * of output buffer per call; returns the NUL-terminated screen. */
static const char *
render_cfg(const char *sgr, const char *reset, const void *p, size_t n,
    size_t piece, size_t room, size_t max_lines, uint64_t max_bytes)
{
	struct wsc_render	 r;
	const uint8_t		*q = p;
	char			*buf = malloc(room);
	size_t			 w = 0, i, k, used, calls = 0;

	ck_assert_ptr_nonnull(buf);
	wsc_render_init(&r, sgr, reset, "< ", max_lines, max_bytes);
	for (i = 0; i < n; i += k) {
		k = n - i < piece ? n - i : piece;
		for (used = 0; used < k; calls++) {
			size_t	got, o;

			o = wsc_render_text(&r, buf, room, q + i + used, k - used,
			    &got);
			ck_assert_uint_le(o, room);
			/* progress on every call */
			ck_assert(o > 0 || got > 0);
			ck_assert_uint_lt(w + o, sizeof screen);
			memcpy(screen + w, buf, o);
			w += o;
			used += got;
		}
	}
	w += wsc_render_end(&r, screen + w, room);
	screen[w] = '\0';
	free(buf);
	(void)calls;
	return screen;
}

/* Whole, plenty of room, default caps. */
static const char *
render(const char *s)
{
	return render_cfg("", "", s, strlen(s), 1 << 20, 1 << 16,
	    WSC_RENDER_LINES, WSC_RENDER_BYTES);
}

START_TEST(layout)
{
	ck_assert_str_eq(render("hi"), "< hi\n");
	ck_assert_str_eq(render(""), "< \n");
	ck_assert_str_eq(render("a\nb"), "< a\n  b\n");
	/* a final newline shows as an empty last line */
	ck_assert_str_eq(render("a\n"), "< a\n  \n");
	ck_assert_str_eq(render("\n\n"), "< \n  \n  \n");
	ck_assert_str_eq(render_cfg("[C]", "[R]", "a\nb", 3, 99, 4096, 10, 99),
	    "[C]< a[R]\n[C]  b[R]\n");
}
END_TEST

START_TEST(escaped_on_every_line)
{
	ck_assert_str_eq(render("a\x1b[2Jb\tc\r"), "< a\\x1b[2Jb\tc\\x0d\n");
	ck_assert_str_eq(render("x\n\x1b]52;c;aGk=\x07\n\xe2\x80\xae"),
	    "< x\n  \\x1b]52;c;aGk=\\x07\n  \\u202e\n");
	/* a character cut by a newline is two bad bytes, not a character */
	ck_assert_str_eq(render("\xe2\x82\n\xac"), "< \\xe2\\x82\n  \\xac\n");
}
END_TEST

START_TEST(cap_on_lines)
{
	ck_assert_str_eq(render_cfg("", "", "a\nb\nc", 5, 99, 4096, 3, 99),
	    "< a\n  b\n  c\n");
	ck_assert_str_eq(render_cfg("", "", "a\nb\nc\nd\ne", 9, 99, 4096, 3, 99),
	    "< a\n  b\n  c\n  [... 3 more bytes (1 more newlines) not shown; "
	    "with stdout on a pipe or file, messages are written whole]\n");
}
END_TEST

START_TEST(cap_on_bytes)
{
	ck_assert_str_eq(render_cfg("", "", "abcd", 4, 99, 4096, 9, 4),
	    "< abcd\n");
	ck_assert_str_eq(render_cfg("", "", "abcdefgh", 8, 99, 4096, 9, 4),
	    "< abcd\n  [... 4 more bytes (0 more newlines) not shown; "
	    "with stdout on a pipe or file, messages are written whole]\n");
	/* nothing may be shown: the prefix still says where it starts */
	ck_assert_str_eq(render_cfg("", "", "abc", 3, 99, 4096, 9, 0),
	    "< \n  [... 3 more bytes (0 more newlines) not shown; "
	    "with stdout on a pipe or file, messages are written whole]\n");
	/* the cap in the middle of a character leaves the whole of it out */
	ck_assert_str_eq(render_cfg("", "", "a\xc3\xa9z", 4, 99, 4096, 9, 2),
	    "< a\n  [... 3 more bytes (0 more newlines) not shown; "
	    "with stdout on a pipe or file, messages are written whole]\n");
}
END_TEST

/* A break between pieces ends the line on the screen only: a character
 * split there is still whole on the next line. */
START_TEST(break_between_pieces)
{
	struct wsc_render	r;
	char			out[4 * WSC_RENDER_ROOM];
	size_t			w, used;

	wsc_render_init(&r, "", "", "< ", 9, 99);
	w = wsc_render_text(&r, out, WSC_RENDER_ROOM, (const uint8_t *)"ab\xc3",
	    3, &used);
	ck_assert_uint_eq(used, 3);
	w += wsc_render_break(&r, out + w);
	w += wsc_render_break(&r, out + w);	/* nothing more to end */
	w += wsc_render_text(&r, out + w, WSC_RENDER_ROOM,
	    (const uint8_t *)"\xa9" "c", 2, &used);
	w += wsc_render_end(&r, out + w, WSC_RENDER_ROOM);
	out[w] = '\0';
	ck_assert_str_eq(out, "< ab\n  \xc3\xa9" "c\n");
}
END_TEST

/* Pieces of every size and the least room draw the same screen. */
START_TEST(pieces_and_room_do_not_matter)
{
	static char	msg[3000], whole[sizeof screen / 4];
	size_t		i, piece;

	for (i = 0; i < sizeof msg; i++)
		msg[i] = "ab\n\x1b\xe2\x80\xae\xc3\xa9\t\xff"[(i * 7 + i / 13) % 12];
	strcpy(whole, render_cfg("[C]", "[R]", msg, sizeof msg, sizeof msg,
	    1 << 20, 100, 2000));
	ck_assert_ptr_nonnull(strstr(whole, "more bytes"));
	for (piece = 1; piece < 40; piece++)
		ck_assert_str_eq(render_cfg("[C]", "[R]", msg, sizeof msg, piece,
		    WSC_RENDER_ROOM, 100, 2000), whole);
}
END_TEST

/* The attack: 8 MiB of newlines draws a bounded screen. */
START_TEST(newline_flood_is_bounded)
{
	size_t		n = 8 * 1024 * 1024;
	char		*flood = malloc(n), want[128];
	const char	*s;

	ck_assert_ptr_nonnull(flood);
	memset(flood, '\n', n);
	s = render_cfg("\033[36m", "\033[0m", flood, n, 1 << 20, 16 * 1024,
	    WSC_RENDER_LINES, WSC_RENDER_BYTES);
	ck_assert_uint_lt(strlen(s), (WSC_RENDER_LINES + 1) * 16 + 256);
	snprintf(want, sizeof want, "[... %zu more bytes (%zu more newlines)",
	    n - WSC_RENDER_LINES, n - WSC_RENDER_LINES);
	ck_assert_ptr_nonnull(strstr(s, want));
	free(flood);
}
END_TEST

static Suite *
render_suite(void)
{
	Suite	*s = suite_create("render");
	TCase	*tc = tcase_create("render");

	tcase_add_test(tc, layout);
	tcase_add_test(tc, escaped_on_every_line);
	tcase_add_test(tc, cap_on_lines);
	tcase_add_test(tc, cap_on_bytes);
	tcase_add_test(tc, break_between_pieces);
	tcase_add_test(tc, pieces_and_room_do_not_matter);
	tcase_add_test(tc, newline_flood_is_bounded);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(render_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
