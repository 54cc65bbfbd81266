/* Unit tests for src/pipe.c's record splitter: newline-separated lines and
 * -0's NUL-separated records, at their boundaries. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"

struct seen {
	char	all[256];	/* the records, each followed by '|' */
	size_t	len;
};

/* Records one record as "bytes|" (a NUL shown as '0'). */
static void
record(void *ctx, const uint8_t *p, size_t n)
{
	struct seen	*s = ctx;
	size_t		 i;

	for (i = 0; i < n; i++)
		s->all[s->len++] = p[i] == '\0' ? '0' : (char)p[i];
	s->all[s->len++] = '|';
	s->all[s->len] = '\0';
}

/* Splits n bytes at sep; checks the records seen and the bytes used. */
static void
check_split(const char *in, size_t n, int sep, const char *want,
    size_t used)
{
	struct seen	s;

	memset(&s, 0, sizeof s);
	ck_assert_uint_eq(wsc_split_records((const uint8_t *)in, n, sep,
	    record, &s), used);
	ck_assert_str_eq(s.all, want);
}

START_TEST(test_nul_records)
{
	/* Newlines are part of a record; an empty record is a message. */
	check_split("a\nb\0\0c", 6, '\0', "a\nb||", 5);
	check_split("\0", 1, '\0', "|", 1);
	check_split("abc", 3, '\0', "", 0);
	check_split("", 0, '\0', "", 0);
}
END_TEST

START_TEST(test_lines)
{
	check_split("a\0b\n\nc", 6, '\n', "a0b||", 5);
	check_split("x\n", 2, '\n', "x|", 2);
}
END_TEST

static Suite *
pipe_suite(void)
{
	Suite	*s = suite_create("pipe");
	TCase	*tc = tcase_create("split");

	tcase_add_test(tc, test_nul_records);
	tcase_add_test(tc, test_lines);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(pipe_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
