/* Unit tests for the byte buffer (buf.h) at its empty boundary: a buffer
 * that never grew has no storage, yet its head must be a real pointer
 * (NULL + 0 is undefined; clang's UBSan stops on it). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

START_TEST(empty_head_is_a_real_pointer)
{
	struct wsc_buf	b;

	wsc_buf_init(&b);
	ck_assert_ptr_nonnull(wsc_buf_head(&b));
	ck_assert_uint_eq(wsc_buf_used(&b), 0);
	wsc_buf_consume(&b, 0);
	ck_assert_ptr_nonnull(wsc_buf_head(&b));
	wsc_buf_free(&b);
	wsc_buf_free(&b);	/* twice is safe */
}
END_TEST

START_TEST(empty_reserve_allocates)
{
	struct wsc_buf	b;

	wsc_buf_init(&b);
	ck_assert_ptr_nonnull(wsc_buf_reserve(&b, 0));
	ck_assert_ptr_nonnull(b.data);
	ck_assert_int_eq(wsc_buf_append(&b, "", 0), 0);
	ck_assert_uint_eq(wsc_buf_used(&b), 0);
	wsc_buf_free(&b);
}
END_TEST

START_TEST(peek_msg_on_empty_and_partial)
{
	struct wsc_buf	 b;
	const uint8_t	*p = NULL;
	size_t		 n = 0;
	int		 op = 0;

	wsc_buf_init(&b);
	ck_assert_uint_eq(wsc_buf_peek_msg(&b, &op, &p, &n), 0);
	ck_assert_int_eq(wsc_buf_put_msg(&b, 1, "hey", 3), 0);
	ck_assert_uint_eq(wsc_buf_peek_msg(&b, &op, &p, &n), 8);
	ck_assert_int_eq(op, 1);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(memcmp(p, "hey", 3), 0);
	wsc_buf_consume(&b, 8);
	ck_assert_uint_eq(wsc_buf_peek_msg(&b, &op, &p, &n), 0);
	/* an empty message still has its 5-byte header */
	ck_assert_int_eq(wsc_buf_put_msg(&b, 2, NULL, 0), 0);
	ck_assert_uint_eq(wsc_buf_peek_msg(&b, &op, &p, &n), 5);
	ck_assert_uint_eq(n, 0);
	wsc_buf_free(&b);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc = tcase_create("empty");

	tcase_add_test(tc, empty_head_is_a_real_pointer);
	tcase_add_test(tc, empty_reserve_allocates);
	tcase_add_test(tc, peek_msg_on_empty_and_partial);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(buf_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
