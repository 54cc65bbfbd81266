/* Unit tests for src/proxy.c: choosing a proxy like curl, no_proxy
 * matching and proxy URLs. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "socks.h"

/* Clears every variable wsc_proxy_for reads. */
static void
env_setup(void)
{
	static const char *const vars[] = {
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"
	};
	size_t	i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
}

START_TEST(test_bypass_suffix)
{
	ck_assert_int_eq(wsc_proxy_bypass("example.com", "example.com"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("example.com", "a.example.com"), 1);
	ck_assert_int_eq(wsc_proxy_bypass(".example.com", "a.b.example.com"), 1);
	ck_assert_int_eq(wsc_proxy_bypass(".example.com", "example.com"), 1);
	/* A suffix must end at a dot: notexample.com is another domain. */
	ck_assert_int_eq(wsc_proxy_bypass("example.com", "notexample.com"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("example.com", "example.org"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("EXAMPLE.com", "www.Example.COM"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("a.example.com", "example.com"), 0);
}
END_TEST

START_TEST(test_bypass_lists)
{
	ck_assert_int_eq(wsc_proxy_bypass("*", "anything"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("foo, bar.org ,localhost", "localhost"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("foo,,bar.org", "x.bar.org"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("foo bar", "bar"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("", "localhost"), 0);
	ck_assert_int_eq(wsc_proxy_bypass(" , ", "localhost"), 0);
	ck_assert_int_eq(wsc_proxy_bypass(NULL, "localhost"), 0);
	/* '*' only alone: "*.example.com" is not a wildcard in curl. */
	ck_assert_int_eq(wsc_proxy_bypass("*x", "localhost"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("127.0.0.1", "127.0.0.1"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("127.0.0.1", "127.0.0.12"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("::1", "::1"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("[::1]", "::1"), 1);
}
END_TEST

/* CIDR entries, as curl reads them: only IP addresses of the same family
 * match, at the prefix's bit boundary. */
START_TEST(test_bypass_cidr)
{
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/8", "10.255.1.2"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/8", "11.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("192.168.4.0/22", "192.168.7.255"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("192.168.4.0/22", "192.168.8.0"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("192.168.4.0/22", "192.168.3.255"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("127.0.0.1/32", "127.0.0.1"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("127.0.0.1/32", "127.0.0.2"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("0.0.0.0/0", "8.8.8.8"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("0.0.0.0/0", "::1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("fd00::/8", "fd12:3456::1"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("fd00::/8", "fe80::1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("::1/128", "::1"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("2001:db8::/33", "2001:db8:7fff::1"), 1);
	ck_assert_int_eq(wsc_proxy_bypass("2001:db8::/33", "2001:db8:8000::1"), 0);
	/* Names never match a range; bad ranges match nothing. */
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/8", "localhost"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/33", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/x", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.0/-8", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("host/8", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("/8", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("/", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.1/", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("10.0.0.1//8", "10.0.0.1"), 0);
	ck_assert_int_eq(wsc_proxy_bypass("foo, 10.0.0.0/8", "10.1.2.3"), 1);
}
END_TEST

START_TEST(test_for_option)
{
	setenv("https_proxy", "http://env:1", 1);
	ck_assert_str_eq(wsc_proxy_for("http://opt:2", NULL, "h", 1), "http://opt:2");
	/* --proxy "" turns the environment's proxy off. */
	ck_assert_ptr_null(wsc_proxy_for("", NULL, "h", 1));
	/* --noproxy applies to --proxy too. */
	ck_assert_ptr_null(wsc_proxy_for("http://opt:2", "h", "h", 1));
	ck_assert_ptr_null(wsc_proxy_for("http://opt:2", "*", "h", 0));
}
END_TEST

START_TEST(test_for_env)
{
	ck_assert_ptr_null(wsc_proxy_for(NULL, NULL, "h", 0));
	ck_assert_ptr_null(wsc_proxy_for(NULL, NULL, "h", 1));
	setenv("http_proxy", "http://plain:1", 1);
	setenv("https_proxy", "http://secure:2", 1);
	ck_assert_str_eq(wsc_proxy_for(NULL, NULL, "h", 0), "http://plain:1");
	ck_assert_str_eq(wsc_proxy_for(NULL, NULL, "h", 1), "http://secure:2");
	unsetenv("https_proxy");
	setenv("HTTPS_PROXY", "http://upper:3", 1);
	ck_assert_str_eq(wsc_proxy_for(NULL, NULL, "h", 1), "http://upper:3");
	unsetenv("HTTPS_PROXY");
	ck_assert_ptr_null(wsc_proxy_for(NULL, NULL, "h", 1));
	setenv("all_proxy", "http://all:4", 1);
	ck_assert_str_eq(wsc_proxy_for(NULL, NULL, "h", 1), "http://all:4");
	ck_assert_str_eq(wsc_proxy_for(NULL, NULL, "h", 0), "http://plain:1");
	setenv("no_proxy", "other, .h", 1);
	ck_assert_ptr_null(wsc_proxy_for(NULL, NULL, "h", 0));
	/* --noproxy replaces no_proxy. */
	ck_assert_str_eq(wsc_proxy_for(NULL, "other", "h", 0), "http://plain:1");
}
END_TEST

START_TEST(test_for_no_upper_http_proxy)
{
	/* curl ignores HTTP_PROXY: a CGI program gets it from a request's
	 * "Proxy:" header (httpoxy). */
	setenv("HTTP_PROXY", "http://evil:1", 1);
	ck_assert_ptr_null(wsc_proxy_for(NULL, NULL, "h", 0));
	setenv("NO_PROXY", "h", 1);
	setenv("ALL_PROXY", "http://all:4", 1);
	ck_assert_ptr_null(wsc_proxy_for(NULL, NULL, "h", 0));
	ck_assert_str_eq(wsc_proxy_for(NULL, NULL, "x", 0), "http://all:4");
}
END_TEST

START_TEST(test_parse)
{
	struct wsc_url		u;
	enum wsc_proxy_kind	k;
	char			err[200];

	ck_assert_int_eq(wsc_proxy_parse("http://user:p%40ss@proxy.lan:3128/",
	    &u, &k, err, sizeof err), 0);
	ck_assert_int_eq(k, WSC_PROXY_HTTP);
	ck_assert_str_eq(u.host, "proxy.lan");
	ck_assert_uint_eq(u.port, 3128);
	ck_assert_str_eq(u.user, "user");
	ck_assert_str_eq(u.password, "p@ss");
	wsc_url_free(&u);
	ck_assert_int_eq(wsc_proxy_parse("proxy.lan", &u, &k, err, sizeof err), 0);
	ck_assert_int_eq(k, WSC_PROXY_HTTP);
	ck_assert_str_eq(u.host, "proxy.lan");
	ck_assert_uint_eq(u.port, 1080);
	ck_assert_ptr_null(u.user);
	wsc_url_free(&u);
	ck_assert_int_eq(wsc_proxy_parse("HTTP://[::1]:8080", &u, &k, err,
	    sizeof err), 0);
	ck_assert_str_eq(u.host, "::1");
	ck_assert_uint_eq(u.port, 8080);
	wsc_url_free(&u);
	ck_assert_int_eq(wsc_proxy_parse("https://h", &u, &k, err, sizeof err), 0);
	ck_assert_int_eq(k, WSC_PROXY_HTTPS);
	ck_assert_uint_eq(u.port, 443);
	wsc_url_free(&u);
	ck_assert_int_eq(wsc_proxy_parse("ftp://h:1", &u, &k, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'ftp'"));
	ck_assert_int_eq(wsc_proxy_parse("socks4://h:1", &u, &k, err, sizeof err), -1);
	ck_assert_int_eq(wsc_proxy_parse("socks://h:1", &u, &k, err, sizeof err), -1);
	ck_assert_int_eq(wsc_proxy_parse("http://h:99999", &u, &k, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bad proxy URL"));
	wsc_url_free(&u);
}
END_TEST

START_TEST(test_parse_socks)
{
	struct wsc_url		u;
	enum wsc_proxy_kind	k;
	char			err[200];

	ck_assert_int_eq(wsc_proxy_parse("socks5://h", &u, &k, err, sizeof err), 0);
	ck_assert_int_eq(k, WSC_PROXY_SOCKS5);
	ck_assert_str_eq(u.host, "h");
	ck_assert_uint_eq(u.port, 1080);
	wsc_url_free(&u);
	ck_assert_int_eq(wsc_proxy_parse("SOCKS5H://a:b@[::1]:9050", &u, &k, err,
	    sizeof err), 0);
	ck_assert_int_eq(k, WSC_PROXY_SOCKS5H);
	ck_assert_str_eq(u.host, "::1");
	ck_assert_uint_eq(u.port, 9050);
	ck_assert_str_eq(u.user, "a");
	ck_assert_str_eq(u.password, "b");
	wsc_url_free(&u);
	/* A prefix of a scheme is not that scheme. */
	ck_assert_int_eq(wsc_proxy_parse("socks5hh://h", &u, &k, err, sizeof err), -1);
	ck_assert_int_eq(wsc_proxy_parse("socks5h", &u, &k, err, sizeof err), 0);
	ck_assert_int_eq(k, WSC_PROXY_HTTP);
	wsc_url_free(&u);
}
END_TEST

/* Reads a redacted copy and frees it. */
static const char *
redacted(const char *url)
{
	static char	out[256];
	char		*r = wsc_proxy_redact(url);

	snprintf(out, sizeof out, "%s", r);
	free(r);
	return out;
}

START_TEST(test_redact_password)
{
	char			err[512];
	struct wsc_url		u;
	enum wsc_proxy_kind	k;

	ck_assert_str_eq(redacted("http://u:secret@h:1"), "http://u:***@h:1");
	ck_assert_str_eq(redacted("u:secret@h:1"), "u:***@h:1");
	/* the last '@' ends the userinfo; a ':' after it is the port's */
	ck_assert_str_eq(redacted("http://u:p@ss@h:1/x@y"), "http://u:***@h:1/x@y");
	ck_assert_str_eq(redacted("http://u@h:1"), "http://u@h:1");
	ck_assert_str_eq(redacted("http://h:1/a:b@c"), "http://h:1/a:b@c");
	ck_assert_str_eq(redacted("http://:pw@h"), "http://:***@h");
	ck_assert_int_eq(wsc_proxy_parse("http://u:hunter2@h:99999", &u, &k, err,
	    sizeof err), -1);
	ck_assert_ptr_null(strstr(err, "hunter2"));
	ck_assert_ptr_nonnull(strstr(err, "u:***@h:99999"));
	wsc_url_free(&u);
}
END_TEST

START_TEST(test_socks_messages)
{
	uint8_t	m[WSC_SOCKS5_MAX_MSG], g[4];
	char	name[257];

	ck_assert_uint_eq(wsc_socks5_greeting(g, 0), 3);
	ck_assert_mem_eq(g, "\x05\x01\x00", 3);
	ck_assert_uint_eq(wsc_socks5_greeting(g, 1), 4);
	ck_assert_mem_eq(g, "\x05\x02\x00\x02", 4);
	ck_assert_uint_eq(wsc_socks5_connect_request(m, "10.1.2.3", 443), 10);
	ck_assert_mem_eq(m, "\x05\x01\x00\x01\x0a\x01\x02\x03\x01\xbb", 10);
	ck_assert_uint_eq(wsc_socks5_connect_request(m, "::1", 65535), 22);
	ck_assert_uint_eq(m[3], 4);
	ck_assert_uint_eq(m[19], 1);
	ck_assert_mem_eq(m + 20, "\xff\xff", 2);
	ck_assert_uint_eq(wsc_socks5_connect_request(m, "ex.org", 80), 13);
	ck_assert_mem_eq(m, "\x05\x01\x00\x03\x06" "ex.org" "\x00\x50", 13);
	memset(name, 'a', 256);
	name[256] = '\0';
	ck_assert_uint_eq(wsc_socks5_connect_request(m, name, 80), 0);
	name[255] = '\0';
	ck_assert_uint_eq(wsc_socks5_connect_request(m, name, 80), 4 + 1 + 255 + 2);
	ck_assert_uint_eq(wsc_socks5_connect_request(m, "", 80), 0);
	ck_assert_uint_eq(wsc_socks5_auth_request(m, "u", "pw"), 6);
	ck_assert_mem_eq(m, "\x01\x01u\x02pw", 6);
	ck_assert_uint_eq(wsc_socks5_auth_request(m, name, name), 3 + 255 + 255);
	name[255] = 'a';
	ck_assert_uint_eq(wsc_socks5_auth_request(m, name, ""), 0);
}
END_TEST

START_TEST(test_socks_reply)
{
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"", 0), 0);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x05\x00\x00\x01", 4), 0);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x04", 1), -1);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x05\x00\x00\x01\x7f", 5), 10);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x05\x00\x00\x04\x00", 5), 22);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x05\x00\x00\x03\xff", 5), 262);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x05\x00\x00\x03\x00", 5), 7);
	ck_assert_int_eq(wsc_socks5_reply_len((const uint8_t *)"\x05\x00\x00\x02\x00", 5), -1);
	ck_assert_str_eq(wsc_socks5_reply_text(0), "succeeded");
	ck_assert_str_eq(wsc_socks5_reply_text(5), "connection refused");
	ck_assert_str_eq(wsc_socks5_reply_text(8), "address type not supported");
	ck_assert_str_eq(wsc_socks5_reply_text(9), "unknown reply code");
	ck_assert_str_eq(wsc_socks5_reply_text(255), "unknown reply code");
}
END_TEST

static Suite *
proxy_suite(void)
{
	Suite	*s = suite_create("proxy");
	TCase	*tc = tcase_create("bypass");

	tcase_add_test(tc, test_bypass_suffix);
	tcase_add_test(tc, test_bypass_lists);
	tcase_add_test(tc, test_bypass_cidr);
	suite_add_tcase(s, tc);
	tc = tcase_create("choose");
	tcase_add_checked_fixture(tc, env_setup, NULL);
	tcase_add_test(tc, test_for_option);
	tcase_add_test(tc, test_for_env);
	tcase_add_test(tc, test_for_no_upper_http_proxy);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_socks);
	suite_add_tcase(s, tc);
	tc = tcase_create("socks5");
	tcase_add_test(tc, test_socks_messages);
	tcase_add_test(tc, test_socks_reply);
	tcase_add_test(tc, test_redact_password);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(proxy_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
