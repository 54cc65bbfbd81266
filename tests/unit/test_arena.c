/* Unit tests for the start-up arena (src/arena.h): alignment and zeroed
 * blocks, small blocks from the bottom and large ones from the top, its
 * bounds (room and block count), a freed block never handed out again, and
 * an abort for a double free, a pointer inside a block, and a block that
 * was never handed out. Each test runs forked (Check's default), so each
 * starts with an empty arena. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "ws.h"

#define ALIGN	alignof(max_align_t)

/* Whether the n bytes at p are all zero. */
static int
zero(const unsigned char *p, size_t n)
{
	while (n > 0)
		if (p[--n] != 0)
			return 0;
	return 1;
}

START_TEST(small_blocks)
{
	unsigned char	*a = wsc_arena_alloc(1), *b = wsc_arena_alloc(17);
	unsigned char	*c = wsc_arena_alloc(4095);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq((uintptr_t)a % ALIGN, 0);
	ck_assert_uint_eq((uintptr_t)b % ALIGN, 0);
	/* Side by side, each rounded up to the alignment. */
	ck_assert_ptr_eq(b, a + ALIGN);
	ck_assert_ptr_eq(c, b + ((17 + ALIGN - 1) / ALIGN) * ALIGN);
	ck_assert(zero(c, 4095));
	ck_assert(wsc_arena_owns(a) && wsc_arena_owns(c + 4094));
	ck_assert_uint_eq(wsc_arena_size(a), 1);
	ck_assert_uint_eq(wsc_arena_size(b), 17);
	ck_assert_uint_eq(wsc_arena_size(c), 4095);
}
END_TEST

/* The connection's input buffer (ws.h) comes from the top, and still
 * leaves the small blocks their room at the bottom. */
START_TEST(large_from_the_top)
{
	size_t		 in = WSC_WS_READ_CHUNK;
	unsigned char	*s = wsc_arena_alloc(32), *big = wsc_arena_alloc(in);
	unsigned char	*t = wsc_arena_alloc(4096), *s2 = wsc_arena_alloc(32);

	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_eq(s2, s + 32);
	ck_assert_ptr_eq(big, s + WSC_ARENA_SIZE - in);
	ck_assert_ptr_eq(t, big - 4096);
	ck_assert(!wsc_arena_owns(big + in));
	ck_assert(zero(big, in));
	memset(big, 0xff, in);
	ck_assert(zero(s2, 32));
}
END_TEST

START_TEST(room_bounded)
{
	unsigned char	*big = wsc_arena_alloc(WSC_ARENA_SIZE - 64);

	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_null(wsc_arena_alloc(65));
	ck_assert_ptr_nonnull(wsc_arena_alloc(64));
	ck_assert_ptr_null(wsc_arena_alloc(1));
}
END_TEST

START_TEST(refused)
{
	ck_assert_ptr_null(wsc_arena_alloc(0));
	ck_assert_ptr_null(wsc_arena_alloc(SIZE_MAX));
	ck_assert_ptr_null(wsc_arena_alloc(SIZE_MAX - ALIGN + 2));
	ck_assert_ptr_null(wsc_arena_alloc(WSC_ARENA_SIZE + 1));
	ck_assert_ptr_nonnull(wsc_arena_alloc(WSC_ARENA_SIZE));
	ck_assert(!wsc_arena_owns(NULL));
	ck_assert(!wsc_arena_owns(&(int){ 0 }));
}
END_TEST

START_TEST(blocks_bounded)
{
	size_t	i;

	for (i = 0; i < WSC_ARENA_BLOCKS; i++)
		ck_assert_ptr_nonnull(wsc_arena_alloc(1));
	ck_assert_ptr_null(wsc_arena_alloc(1));
}
END_TEST

START_TEST(freed_not_reused)
{
	unsigned char	*a = wsc_arena_alloc(100), *b;

	memset(a, 'x', 100);
	wsc_arena_free(a);
	b = wsc_arena_alloc(100);
	ck_assert_ptr_nonnull(b);
	ck_assert(b != a);
	ck_assert(zero(b, 100));
}
END_TEST

START_TEST(double_free)
{
	void	*a = wsc_arena_alloc(8);

	wsc_arena_free(a);
	wsc_arena_free(a);
}
END_TEST

START_TEST(size_of_freed)
{
	void	*a = wsc_arena_alloc(8);

	wsc_arena_free(a);
	wsc_arena_size(a);
}
END_TEST

START_TEST(inside_a_block)
{
	unsigned char	*a = wsc_arena_alloc(64);

	wsc_arena_free(a + ALIGN);
}
END_TEST

START_TEST(never_handed_out)
{
	unsigned char	*a = wsc_arena_alloc(64);

	wsc_arena_free(a + 64);
}
END_TEST

static Suite *
arena_suite(void)
{
	Suite	*s = suite_create("arena");
	TCase	*tc = tcase_create("blocks"), *ab = tcase_create("aborts");

	tcase_add_test(tc, small_blocks);
	tcase_add_test(tc, large_from_the_top);
	tcase_add_test(tc, room_bounded);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, blocks_bounded);
	tcase_add_test(tc, freed_not_reused);
	suite_add_tcase(s, tc);
	tcase_add_test_raise_signal(ab, double_free, SIGABRT);
	tcase_add_test_raise_signal(ab, size_of_freed, SIGABRT);
	tcase_add_test_raise_signal(ab, inside_a_block, SIGABRT);
	tcase_add_test_raise_signal(ab, never_handed_out, SIGABRT);
	suite_add_tcase(s, ab);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(arena_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
