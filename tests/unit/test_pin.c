/* Unit tests for src/pin.c: hash lists at their edges (order, empty and
 * malformed entries, near misses) and key files as PEM and DER. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pin.h"
#include "tlsload.h"

/* The "key" is three bytes; its pin, as openssl dgst -sha256 | base64. */
#define KEY	"abc"
#define PIN	"sha256//ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
#define OTHER	"sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

static char	err[256];

/* wsc_pin_check on KEY. */
static int
check(const char *pin)
{
	char	seen[WSC_PIN_SEEN_LEN];
	int	r;

	err[0] = '\0';
	r = wsc_pin_check(pin, (const uint8_t *)KEY, 3, seen, err, sizeof err);
	ck_assert_str_eq(seen, PIN);
	return r;
}

START_TEST(test_hashes)
{
	ck_assert_int_eq(check(PIN), WSC_PIN_MATCH);
	ck_assert_int_eq(check(OTHER ";" PIN), WSC_PIN_MATCH);
	ck_assert_int_eq(check(PIN ";" OTHER), WSC_PIN_MATCH);
	ck_assert_int_eq(check(OTHER), WSC_PIN_MISMATCH);
	ck_assert_int_eq(check(OTHER ";" OTHER), WSC_PIN_MISMATCH);
	/* One character short, one more, another case. */
	ck_assert_int_eq(check("sha256//ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"),
	    WSC_PIN_MISMATCH);
	ck_assert_int_eq(check(PIN "="), WSC_PIN_MISMATCH);
	ck_assert_int_eq(check("sha256//UNGWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="),
	    WSC_PIN_MISMATCH);
	ck_assert_int_eq(check("sha256//"), WSC_PIN_MISMATCH);
}
END_TEST

START_TEST(test_bad_entries)
{
	ck_assert_int_eq(check(PIN ";"), WSC_PIN_BAD);
	ck_assert_str_eq(err, "bad --pinnedpubkey entry '' (expected sha256//BASE64)");
	ck_assert_int_eq(check(OTHER ";;" PIN), WSC_PIN_BAD);
	ck_assert_int_eq(check(OTHER ";SHA256//x"), WSC_PIN_BAD);
	ck_assert_str_eq(err, "bad --pinnedpubkey entry 'SHA256//x' (expected sha256//BASE64)");
	ck_assert_int_eq(check(OTHER "; " PIN), WSC_PIN_BAD);
	ck_assert_int_eq(check(OTHER ";sha256/"), WSC_PIN_BAD);
}
END_TEST

/* Writes a file with content into dir; its path in path. */
static void
put_file(char *path, size_t pathlen, const char *dir, const char *name,
    const char *content, size_t len)
{
	FILE	*f;

	snprintf(path, pathlen, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(content, 1, len, f), len);
	fclose(f);
}

START_TEST(test_files)
{
	static const char	pem[] = "-----BEGIN PUBLIC KEY-----\nYWJj\n"
	    "-----END PUBLIC KEY-----\n";
	static const char	cert[] = "-----BEGIN CERTIFICATE-----\nYWJj\n"
	    "-----END CERTIFICATE-----\n";
	char			dir[] = "/tmp/wsc-pin-XXXXXX", path[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	put_file(path, sizeof path, dir, "der", KEY, 3);
	ck_assert_int_eq(check(path), WSC_PIN_MATCH);
	unlink(path);
	put_file(path, sizeof path, dir, "der", "abcd", 4);
	ck_assert_int_eq(check(path), WSC_PIN_MISMATCH);
	unlink(path);
	put_file(path, sizeof path, dir, "pem", pem, sizeof pem - 1);
	ck_assert_int_eq(check(path), WSC_PIN_MATCH);
	unlink(path);
	put_file(path, sizeof path, dir, "pem", cert, sizeof cert - 1);
	ck_assert_int_eq(check(path), WSC_PIN_BAD);
	ck_assert_ptr_nonnull(strstr(err, "no PEM PUBLIC KEY in it"));
	unlink(path);
	put_file(path, sizeof path, dir, "empty", "", 0);
	ck_assert_int_eq(check(path), WSC_PIN_BAD);
	ck_assert_ptr_nonnull(strstr(err, "not a public key file"));
	unlink(path);
	ck_assert_int_eq(check(path), WSC_PIN_BAD);
	ck_assert_ptr_nonnull(strstr(err, "No such file or directory"));
	rmdir(dir);
}
END_TEST

static Suite *
pin_suite(void)
{
	Suite	*s = suite_create("pin");
	TCase	*tc = tcase_create("pin");

	tcase_add_test(tc, test_hashes);
	tcase_add_test(tc, test_bad_entries);
	tcase_add_test(tc, test_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_tls_main(pin_suite());
}
