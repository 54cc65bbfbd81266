/* Unit tests for src/keylog.c: the NSS key log line at its size limits,
 * and the file created 0600 and appended to. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keylog.h"
#include "tlsload.h"

START_TEST(test_line)
{
	uint8_t	cr[32], secret[48];
	char	out[256], want[256];
	size_t	i, n;

	for (i = 0; i < sizeof cr; i++)
		cr[i] = (uint8_t)(i * 8 + 7);
	for (i = 0; i < sizeof secret; i++)
		secret[i] = (uint8_t)(255 - i);
	n = wsc_keylog_line(out, sizeof out, "CLIENT_RANDOM", cr, secret,
	    sizeof secret);
	strcpy(want, "CLIENT_RANDOM ");
	for (i = 0; i < sizeof cr; i++)
		sprintf(want + strlen(want), "%02x", cr[i]);
	strcat(want, " ");
	for (i = 0; i < sizeof secret; i++)
		sprintf(want + strlen(want), "%02x", secret[i]);
	strcat(want, "\n");
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
	/* Room for the line and its NUL, and not one byte less. */
	ck_assert_uint_eq(wsc_keylog_line(out, n + 1, "CLIENT_RANDOM", cr,
	    secret, sizeof secret), n);
	ck_assert_uint_eq(wsc_keylog_line(out, n, "CLIENT_RANDOM", cr, secret,
	    sizeof secret), 0);
	ck_assert_uint_eq(wsc_keylog_line(out, sizeof out, "X", cr, secret, 0),
	    strlen("X ") + 64 + 2);
}
END_TEST

START_TEST(test_append)
{
	char		path[] = "/tmp/wsc-keylog-XXXXXX", file[64], buf[64];
	struct stat	st;
	FILE		*f;

	ck_assert_ptr_nonnull(mkdtemp(path));
	snprintf(file, sizeof file, "%s/keys", path);
	umask(022);
	ck_assert_int_eq(wsc_keylog_append(file, "a\n", 2), 0);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(wsc_keylog_append(file, "b\n", 2), 0);
	f = fopen(file, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(buf, 1, sizeof buf, f), 4);
	fclose(f);
	ck_assert_mem_eq(buf, "a\nb\n", 4);
	unlink(file);
	ck_assert_int_eq(wsc_keylog_append(file, "a\n", 2), 0);
	unlink(file);
	rmdir(path);
	/* A directory that is not there: -1, nothing else. */
	ck_assert_int_eq(wsc_keylog_append(file, "a\n", 2), -1);
}
END_TEST

static Suite *
keylog_suite(void)
{
	Suite	*s = suite_create("keylog");
	TCase	*tc = tcase_create("keylog");

	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_append);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_tls_main(keylog_suite());
}
