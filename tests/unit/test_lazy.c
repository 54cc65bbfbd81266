/* Unit tests for the libraries wsc loads when it needs them (lazy.h): the
 * loader's answers, and that the names rl.h, tlslib.h and zlibload.h list
 * are all in the libraries configure found. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/x509_crt.h>

/* The tables themselves, not the names as their entries. */
#define WSC_RL_IMPL
#define WSC_TLSLIB_IMPL
#define WSC_ZLIBLOAD_IMPL
#include "lazy.h"
#include "rl.h"
#include "tlslib.h"
#include "zlibload.h"

struct table {
	WSC_LAZY_ENTRY(mbedtls_x509_crt_init)
};

START_TEST(loads_and_resolves)
{
	static const struct wsc_lazy_sym syms[] = {
		WSC_LAZY_SYM(struct table, mbedtls_x509_crt_init)
	};
	struct table	 t;
	void		*h = NULL;
	char		 err[256] = "";
	mbedtls_x509_crt crt;

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(wsc_lazy_load(&h, WSC_MBEDX509_SONAME, syms, 1, &t,
	    err, sizeof err), 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(t.mbedtls_x509_crt_init);
	memset(&crt, 0xff, sizeof crt);
	t.mbedtls_x509_crt_init(&crt);
	ck_assert_ptr_null(crt.next);
	/* Loaded once: a second call does not look again. */
	t.mbedtls_x509_crt_init = NULL;
	ck_assert_int_eq(wsc_lazy_load(&h, WSC_MBEDX509_SONAME, syms, 1, &t,
	    err, sizeof err), 0);
	ck_assert_ptr_null(t.mbedtls_x509_crt_init);
}
END_TEST

START_TEST(missing_library)
{
	static const struct wsc_lazy_sym syms[] = {
		WSC_LAZY_SYM(struct table, mbedtls_x509_crt_init)
	};
	struct table	 t;
	void		*h = NULL;
	char		 err[256] = "";

	ck_assert_int_eq(wsc_lazy_load(&h, "libwsc-not-there.so.0", syms, 1,
	    &t, err, sizeof err), -1);
	ck_assert_ptr_null(h);
	ck_assert_ptr_nonnull(strstr(err, "libwsc-not-there.so.0"));
}
END_TEST

START_TEST(missing_name)
{
	static const struct wsc_lazy_sym syms[] = {
		{ "mbedtls_x509_crt_init", 0 },
		{ "wsc_no_such_function", 0 },
	};
	struct table	 t;
	void		*h = NULL;
	char		 err[256] = "";

	ck_assert_int_eq(wsc_lazy_load(&h, WSC_MBEDX509_SONAME, syms, 2, &t,
	    err, sizeof err), -1);
	ck_assert_ptr_null(h);
	ck_assert_str_eq(err, WSC_MBEDX509_SONAME " has no wsc_no_such_function");
}
END_TEST

/* Every name of the lists, in the libraries configure recorded. */
START_TEST(the_lists)
{
	char	err[256] = "";

	ck_assert_msg(wsc_rl_load(err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_nonnull(wsc_rl.rl_callback_read_char);
	ck_assert_ptr_nonnull(wsc_rl.rl_point);
	ck_assert_msg(wsc_tlslib_load(err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_nonnull(wsc_tlslib.mbedtls_ssl_handshake);
	ck_assert_ptr_nonnull(wsc_tlslib.mbedtls_x509_dn_gets);
	ck_assert_ptr_nonnull(wsc_tlslib.mbedtls_pk_parse_key);
	ck_assert_ptr_nonnull(wsc_tlslib.mbedtls_asn1_get_tag);
	ck_assert_msg(wsc_zlib_load(err, sizeof err) == 0, "%s", err);
	ck_assert_ptr_nonnull(wsc_zlib.inflateInit2_);
}
END_TEST

static Suite *
lazy_suite(void)
{
	Suite	*s = suite_create("lazy");
	TCase	*tc = tcase_create("load");

	tcase_add_test(tc, loads_and_resolves);
	tcase_add_test(tc, missing_library);
	tcase_add_test(tc, missing_name);
	tcase_add_test(tc, the_lists);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(lazy_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
