/* Unit tests for message rendering: hex dumps, base64, raw, text, and
 * the escaping of control characters for terminals. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

/* Renders through a wsc_out into a pipe and returns what came out. */
static char *
render(void (*fn)(struct wsc_out *, const uint8_t *, size_t, int),
    const void *p, size_t n, int arg, size_t *outlen)
{
	struct wsc_out	 o;
	int		 fds[2];
	static char	 got[65536];
	ssize_t		 r;

	ck_assert_int_eq(pipe(fds), 0);
	wsc_out_init(&o, fds[1], 1 << 20);
	fn(&o, p, n, arg);
	ck_assert_int_eq(wsc_out_flush(&o), 0);
	close(fds[1]);
	r = read(fds[0], got, sizeof got - 1);
	close(fds[0]);
	wsc_out_free(&o);
	ck_assert_int_ge(r, 0);
	got[r] = '\0';
	*outlen = (size_t)r;
	return got;
}

static void
do_text(struct wsc_out *o, const uint8_t *p, size_t n, int arg)
{
	wsc_out_text(o, p, n);
}

static void
do_binary(struct wsc_out *o, const uint8_t *p, size_t n, int fmt)
{
	wsc_out_binary(o, (enum wsc_binfmt)fmt, p, n);
}

START_TEST(hexdump_layout)
{
	char	dst[512];
	size_t	n = wsc_hexdump(dst, (const uint8_t *)"Hello world\n", 12);

	dst[n] = '\0';
	ck_assert_str_eq(dst,
	    "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|\n"
	    "0000000c\n");
}
END_TEST

START_TEST(hexdump_full_and_partial_lines)
{
	uint8_t	p[17];
	char	dst[512];
	size_t	i, n;

	for (i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)(i + 0x7d);
	n = wsc_hexdump(dst, p, sizeof p);
	dst[n] = '\0';
	ck_assert_str_eq(dst,
	    "00000000  7d 7e 7f 80 81 82 83 84  85 86 87 88 89 8a 8b 8c  |}~..............|\n"
	    "00000010  8d                                                |.|\n"
	    "00000011\n");
	ck_assert_uint_le(n, wsc_hexdump_size(sizeof p));
}
END_TEST

/* Every byte value, in full lines, against a reference rendered with
 * printf: the fixed-place fast path for full lines matches hexdump -C. */
START_TEST(hexdump_every_byte_value)
{
	static char	dst[32768], ref[32768];
	uint8_t		p[512];
	size_t		i, j, n, r = 0;

	for (i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)(i * 7);
	n = wsc_hexdump(dst, p, sizeof p);
	for (i = 0; i < sizeof p; i += 16) {
		r += (size_t)sprintf(ref + r, "%08zx ", i);
		for (j = 0; j < 16; j++)
			r += (size_t)sprintf(ref + r, "%s %02x", j == 8 ? " " : "",
			    p[i + j]);
		r += (size_t)sprintf(ref + r, "  |");
		for (j = 0; j < 16; j++)
			ref[r++] = p[i + j] >= 0x20 && p[i + j] < 0x7f ?
			    (char)p[i + j] : '.';
		r += (size_t)sprintf(ref + r, "|\n");
	}
	r += (size_t)sprintf(ref + r, "%08zx\n", sizeof p);
	ck_assert_uint_eq(n, r);
	ck_assert_mem_eq(dst, ref, r);
}
END_TEST

START_TEST(hexdump_empty)
{
	char	dst[64];
	size_t	n = wsc_hexdump(dst, (const uint8_t *)"", 0);

	dst[n] = '\0';
	ck_assert_str_eq(dst, "00000000\n");
}
END_TEST

START_TEST(hexdump_size_bounds_every_length)
{
	static uint8_t	p[4096];
	static char	dst[32768];
	size_t		n;

	for (n = 0; n < 200; n++)
		ck_assert_uint_le(wsc_hexdump(dst, p, n), wsc_hexdump_size(n));
	ck_assert_uint_le(wsc_hexdump(dst, p, sizeof p), wsc_hexdump_size(sizeof p));
}
END_TEST

START_TEST(text_gets_newline)
{
	size_t	 n;
	char	*s = render(do_text, "a\tb", 3, 0, &n);

	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(s, "a\tb\n");
}
END_TEST

/* Text of every length around the short-copy sizes (0-40), one after
 * another, through a buffer that fills up and grows (the room check at
 * its boundary) and through one that flushes often: every byte and
 * newline arrives in order. */
START_TEST(text_every_short_length)
{
	static char	want[40000], got[40000];
	uint8_t		msg[41];
	size_t		w, flush_at, len, k, i;
	struct wsc_out	o;
	int		fds[2];
	ssize_t		r;

	for (flush_at = 64; flush_at <= (1 << 20); flush_at <<= 14) {
		ck_assert_int_eq(pipe(fds), 0);
		wsc_out_init(&o, fds[1], flush_at);
		w = 0;
		for (k = 0; w + 42 < sizeof want; k++) {
			len = k % 41;
			for (i = 0; i < len; i++)
				msg[i] = (uint8_t)('!' + (k + i) % 90);
			wsc_out_text(&o, msg, len);
			memcpy(want + w, msg, len);
			want[w + len] = '\n';
			w += len + 1;
		}
		ck_assert_int_eq(wsc_out_flush(&o), 0);
		close(fds[1]);
		for (i = 0; i < w; i += (size_t)r) {
			r = read(fds[0], got + i, w - i);
			ck_assert_int_gt(r, 0);
		}
		close(fds[0]);
		wsc_out_free(&o);
		ck_assert_mem_eq(got, want, w);
	}
}
END_TEST

START_TEST(binary_raw_is_exact)
{
	uint8_t	 p[256];
	size_t	 i, n;
	char	*s;

	for (i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)i;
	s = render(do_binary, p, sizeof p, WSC_BIN_RAW, &n);
	ck_assert_uint_eq(n, sizeof p);
	ck_assert_mem_eq(s, p, sizeof p);
}
END_TEST

START_TEST(binary_base64_lines)
{
	size_t	 n;
	char	*s = render(do_binary, "\x00\xff\x10", 3, WSC_BIN_BASE64, &n);

	ck_assert_str_eq(s, "AP8Q\n");
	s = render(do_binary, "", 0, WSC_BIN_BASE64, &n);
	ck_assert_str_eq(s, "\n");
	s = render(do_binary, "ab", 2, WSC_BIN_BASE64, &n);
	ck_assert_str_eq(s, "YWI=\n");
}
END_TEST

START_TEST(binary_hex_large_is_sliced_correctly)
{
	static uint8_t	p[10000];
	static char	want[200000];
	size_t		i, n, wn;
	char		*s;

	for (i = 0; i < sizeof p; i++)
		p[i] = (uint8_t)(i * 7);
	wn = wsc_hexdump(want, p, sizeof p);
	s = render(do_binary, p, sizeof p, WSC_BIN_HEX, &n);
	ck_assert_uint_eq(n, wn);
	ck_assert_mem_eq(s, want, n);
}
END_TEST

/* Escapes into a NUL-terminated string. */
static const char *
escaped(const char *in, size_t n)
{
	static struct wsc_buf	b;

	wsc_buf_reset(&b);
	wsc_escape_for_tty(&b, (const uint8_t *)in, n);
	wsc_buf_append(&b, "", 1);
	return (const char *)wsc_buf_head(&b);
}

START_TEST(tty_escapes_controls)
{
	ck_assert_str_eq(escaped("a\x1b[2Jb", 6), "a\\x1b[2Jb");
	ck_assert_str_eq(escaped("x\ry", 3), "x\\x0dy");
	ck_assert_str_eq(escaped("l1\nl2\tz", 7), "l1\nl2\tz");
	ck_assert_str_eq(escaped("\x7f", 1), "\\x7f");
	ck_assert_str_eq(escaped("\xc2\x9b", 2), "\\u009b");	/* C1 CSI */
	ck_assert_str_eq(escaped("caf\xc3\xa9 \xe2\x82\xac", 9), "caf\xc3\xa9 \xe2\x82\xac");
	ck_assert_str_eq(escaped("\xff\xe2\x82", 3), "\\xff\\xe2\\x82");
	ck_assert_str_eq(escaped("\x07", 1), "\\x07");
}
END_TEST

static Suite *
output_suite(void)
{
	Suite	*s = suite_create("output");
	TCase	*tc = tcase_create("render");

	tcase_add_test(tc, hexdump_layout);
	tcase_add_test(tc, hexdump_full_and_partial_lines);
	tcase_add_test(tc, hexdump_empty);
	tcase_add_test(tc, hexdump_every_byte_value);
	tcase_add_test(tc, hexdump_size_bounds_every_length);
	tcase_add_test(tc, text_gets_newline);
	tcase_add_test(tc, text_every_short_length);
	tcase_add_test(tc, binary_raw_is_exact);
	tcase_add_test(tc, binary_base64_lines);
	tcase_add_test(tc, binary_hex_large_is_sliced_correctly);
	tcase_add_test(tc, tty_escapes_controls);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(output_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
