/* Unit tests for src/url.c: parsing, Host header and redirect resolution. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

static struct wsc_url	u;
static char		err[256];

/* Parses s, which must succeed; a previous result is freed first. */
static void
parse_ok(const char *s)
{
	wsc_url_free(&u);
	memset(err, 0, sizeof err);
	ck_assert_msg(wsc_url_parse(&u, s, err, sizeof err) == 0,
	    "'%s' rejected: %s", s, err);
}

/* Parses s, which must fail with a message containing want. */
static void
parse_err(const char *s, const char *want)
{
	wsc_url_free(&u);
	memset(err, 0, sizeof err);
	ck_assert_msg(wsc_url_parse(&u, s, err, sizeof err) == -1,
	    "'%s' accepted", s);
	ck_assert_msg(strstr(err, want) != NULL,
	    "'%s': message '%s' lacks '%s'", s, err, want);
	/* The CLI prints it after "wsc: bad URL: ". */
	ck_assert_msg(err[strlen(err) - 1] != '.', "trailing period: %s", err);
	ck_assert_ptr_null(u.host);
	ck_assert_ptr_null(u.path);
	ck_assert_ptr_null(u.user);
}

static void
teardown(void)
{
	wsc_url_free(&u);
}

START_TEST(test_plain_host)
{
	parse_ok("ws://host");
	ck_assert_int_eq(u.secure, 0);
	ck_assert_str_eq(u.host, "host");
	ck_assert_uint_eq(u.port, 80);
	ck_assert_int_eq(u.port_explicit, 0);
	ck_assert_str_eq(u.path, "/");
	ck_assert_ptr_null(u.user);
	ck_assert_ptr_null(u.password);
	ck_assert_int_eq(u.host_is_ip, 0);
	ck_assert_int_eq(u.host_is_ipv6, 0);
}
END_TEST

START_TEST(test_port_path_query)
{
	parse_ok("ws://host:8080/path/to?a=1&b=2");
	ck_assert_str_eq(u.host, "host");
	ck_assert_uint_eq(u.port, 8080);
	ck_assert_int_eq(u.port_explicit, 1);
	ck_assert_str_eq(u.path, "/path/to?a=1&b=2");
}
END_TEST

START_TEST(test_wss_default)
{
	parse_ok("wss://host/");
	ck_assert_int_eq(u.secure, 1);
	ck_assert_uint_eq(u.port, 443);
	ck_assert_str_eq(u.path, "/");
}
END_TEST

START_TEST(test_aliases_and_case)
{
	static const struct {
		const char	*s;
		int		 secure;
		unsigned	 port;
	} t[] = {
		{ "http://h/", 0, 80 }, { "https://h/", 1, 443 },
		{ "WS://h/", 0, 80 }, { "WsS://h/", 1, 443 },
		{ "HTTP://h/", 0, 80 }, { "HTTPS://h/", 1, 443 },
	};
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		parse_ok(t[i].s);
		ck_assert_int_eq(u.secure, t[i].secure);
		ck_assert_uint_eq(u.port, t[i].port);
		ck_assert_str_eq(u.host, "h");
		wsc_url_free(&u);
	}
	parse_ok("WSS://Example.COM:9000/Path");
	ck_assert_str_eq(u.host, "example.com");
	/* The path is case-sensitive (RFC 3986 section 6.2.2.1). */
	ck_assert_str_eq(u.path, "/Path");
}
END_TEST

START_TEST(test_ipv6)
{
	parse_ok("ws://[::1]:9000/x");
	ck_assert_str_eq(u.host, "::1");
	ck_assert_int_eq(u.host_is_ipv6, 1);
	ck_assert_int_eq(u.host_is_ip, 1);
	ck_assert_uint_eq(u.port, 9000);
	ck_assert_str_eq(u.path, "/x");
	wsc_url_free(&u);
	parse_ok("wss://[2001:DB8::A]");
	ck_assert_str_eq(u.host, "2001:db8::a");
	ck_assert_uint_eq(u.port, 443);
	ck_assert_str_eq(u.path, "/");
	wsc_url_free(&u);
	parse_ok("ws://[::ffff:192.0.2.1]/");
	ck_assert_str_eq(u.host, "::ffff:192.0.2.1");
}
END_TEST

START_TEST(test_ipv6_errors)
{
	parse_err("ws://[::1", "unterminated IPv6 literal");
	parse_err("ws://[::1/x]", "unterminated IPv6 literal");
	parse_err("ws://[zz]/", "invalid IPv6 address 'zz'");
	parse_err("ws://[]/", "invalid IPv6 address ''");
	parse_err("ws://[1:2:3:4:5:6:7:8:9]/", "invalid IPv6 address");
	parse_err("ws://[v1.x]/", "invalid IPv6 address");
	parse_err("ws://[fe80::1%25eth0]/", "zone ids are not supported");
	parse_err("ws://[::1]x/", "unexpected 'x' after IPv6 literal");
	parse_err("ws://[::1]:/", "empty port");
	parse_err("ws://::1/", "IPv6 address must be enclosed in [ ]");
	parse_err("ws://[000000000000000000000000000000000000000000000000000"
	    "00000000000000000000000::1]/", "invalid IPv6 address");
}
END_TEST

START_TEST(test_ipv4)
{
	parse_ok("ws://127.0.0.1:8080/");
	ck_assert_str_eq(u.host, "127.0.0.1");
	ck_assert_int_eq(u.host_is_ip, 1);
	ck_assert_int_eq(u.host_is_ipv6, 0);
	wsc_url_free(&u);
	parse_ok("ws://255.255.255.255/");
	ck_assert_int_eq(u.host_is_ip, 1);
	wsc_url_free(&u);
	/* A numeric-looking last label that is no dotted quad: refused so
	 * that getaddrinfo's inet_aton forms ("127.1") are not used. */
	parse_err("ws://256.0.0.1/", "invalid IPv4 address '256.0.0.1'");
	parse_err("ws://127.1/", "invalid IPv4 address");
	parse_err("ws://1.2.3.4.5/", "invalid IPv4 address");
	parse_err("ws://0x7f.0.0.1/", "invalid IPv4 address");
	/* Digits elsewhere are a DNS name. */
	parse_ok("ws://123.example/");
	ck_assert_int_eq(u.host_is_ip, 0);
	wsc_url_free(&u);
	parse_ok("ws://1.2.3.x4/");
	ck_assert_int_eq(u.host_is_ip, 0);
}
END_TEST

START_TEST(test_dns_names)
{
	parse_ok("ws://my_host-1.Example.org./");
	ck_assert_str_eq(u.host, "my_host-1.example.org.");
	ck_assert_int_eq(u.host_is_ip, 0);
	parse_err("ws://a..b/", "empty label in host");
	parse_err("ws://.a/", "empty label in host");
	parse_err("ws://./", "empty label in host");
	parse_err("ws://ho%41st/", "invalid character '%' in host");
	parse_err("ws://ho!st/", "invalid character '!' in host");
	parse_err("ws://h*/", "invalid character '*' in host");
}
END_TEST

START_TEST(test_dns_lengths)
{
	char	s[600], label[70];

	/* 63 octets a label is the limit (RFC 1035 section 2.3.4). */
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(s, sizeof s, "ws://%s.com/", label);
	parse_ok(s);
	wsc_url_free(&u);
	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(s, sizeof s, "ws://%s.com/", label);
	parse_err(s, "label longer than 63 characters");
	/* 253 characters a name: 4 * 63 + ".a" is 255. */
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(s, sizeof s, "ws://%s.%s.%s.%.61s/", label, label, label,
	    label);
	ck_assert_uint_eq(strlen(s) - 6, 253);
	parse_ok(s);
	wsc_url_free(&u);
	snprintf(s, sizeof s, "ws://%s.%s.%s.%.61s./", label, label, label,
	    label);
	parse_ok(s);
	wsc_url_free(&u);
	snprintf(s, sizeof s, "ws://%s.%s.%s.%.62s/", label, label, label,
	    label);
	parse_err(s, "host name longer than 253 characters");
}
END_TEST

START_TEST(test_ports)
{
	parse_ok("ws://h:1/");
	ck_assert_uint_eq(u.port, 1);
	wsc_url_free(&u);
	parse_ok("ws://h:65535");
	ck_assert_uint_eq(u.port, 65535);
	ck_assert_str_eq(u.path, "/");
	wsc_url_free(&u);
	parse_ok("ws://h:080/");
	ck_assert_uint_eq(u.port, 80);
	ck_assert_int_eq(u.port_explicit, 1);
	wsc_url_free(&u);
	parse_ok("wss://h:443?x");
	ck_assert_uint_eq(u.port, 443);
	ck_assert_str_eq(u.path, "/?x");
	wsc_url_free(&u);
	parse_err("ws://h:0/", "port 0 out of range (1-65535)");
	parse_err("ws://h:00000/", "out of range");
	parse_err("ws://h:65536/", "port 65536 out of range");
	parse_err("ws://h:99999999999/", "port 99999999999 out of range");
	parse_err("ws://h:999999999999999999999999999999999/", "out of range");
	parse_err("ws://h:/", "empty port");
	parse_err("ws://h:", "empty port");
	parse_err("ws://h:x/", "bad port 'x'");
	parse_err("ws://h:80x/", "bad port '80x'");
	parse_err("ws://h:-1/", "bad port '-1'");
	parse_err("ws://h:+80/", "bad port '+80'");
	parse_err("ws://h:80:81/", "IPv6 address must be enclosed");
}
END_TEST

START_TEST(test_empty_host)
{
	parse_err("ws://:80", "empty host");
	parse_err("ws://", "empty host");
	parse_err("ws:///path", "empty host");
	parse_err("ws://user@/", "empty host");
	parse_err("ws://?q", "empty host");
}
END_TEST

START_TEST(test_path_fragment)
{
	parse_ok("ws://h/p#frag");
	ck_assert_str_eq(u.path, "/p");
	wsc_url_free(&u);
	parse_ok("ws://h/p?q=1#frag?x");
	ck_assert_str_eq(u.path, "/p?q=1");
	wsc_url_free(&u);
	parse_ok("ws://h#frag");
	ck_assert_str_eq(u.host, "h");
	ck_assert_str_eq(u.path, "/");
	wsc_url_free(&u);
	parse_ok("ws://h?q");
	ck_assert_str_eq(u.path, "/?q");
	wsc_url_free(&u);
	parse_ok("ws://h:81?q#f");
	ck_assert_uint_eq(u.port, 81);
	ck_assert_str_eq(u.path, "/?q");
	wsc_url_free(&u);
	/* The path is sent as given: no dot removal, no decoding. */
	parse_ok("ws://h/a/../b%20c//d");
	ck_assert_str_eq(u.path, "/a/../b%20c//d");
}
END_TEST

START_TEST(test_userinfo)
{
	parse_ok("ws://user:pass@host/");
	ck_assert_str_eq(u.user, "user");
	ck_assert_str_eq(u.password, "pass");
	ck_assert_str_eq(u.host, "host");
	wsc_url_free(&u);
	parse_ok("ws://user@host/");
	ck_assert_str_eq(u.user, "user");
	ck_assert_ptr_null(u.password);
	wsc_url_free(&u);
	parse_ok("ws://user:@host/");
	ck_assert_str_eq(u.user, "user");
	ck_assert_str_eq(u.password, "");
	wsc_url_free(&u);
	parse_ok("ws://:pw@host/");
	ck_assert_str_eq(u.user, "");
	ck_assert_str_eq(u.password, "pw");
	wsc_url_free(&u);
	parse_ok("ws://@host/");
	ck_assert_ptr_null(u.user);
	ck_assert_ptr_null(u.password);
	wsc_url_free(&u);
	/* Only the first ':' splits; the last '@' ends the userinfo. */
	parse_ok("ws://u:a:b@c@[::1]:81/");
	ck_assert_str_eq(u.user, "u");
	ck_assert_str_eq(u.password, "a:b@c");
	ck_assert_str_eq(u.host, "::1");
	ck_assert_uint_eq(u.port, 81);
}
END_TEST

START_TEST(test_percent_decoding)
{
	parse_ok("ws://%41l%69ce:p%3a%40%25%2F@host/");
	ck_assert_str_eq(u.user, "Alice");
	ck_assert_str_eq(u.password, "p:@%/");
	wsc_url_free(&u);
	parse_ok("ws://%ff@host/");
	ck_assert_str_eq(u.user, "\xff");
	wsc_url_free(&u);
	parse_err("ws://%zz@host/", "invalid percent-encoding in user name");
	parse_err("ws://u:%zz@host/", "invalid percent-encoding in password");
	parse_err("ws://u:%4@host/", "invalid percent-encoding in password");
	parse_err("ws://u:%@host/", "invalid percent-encoding in password");
	parse_err("ws://u%4g@host/", "invalid percent-encoding");
	parse_err("ws://%00@host/", "percent-encoded NUL (%00) in user name");
	parse_err("ws://u:a%00b@host/", "percent-encoded NUL");
}
END_TEST

START_TEST(test_scheme_errors)
{
	parse_err("host", "missing scheme (expected ws:// or wss://)");
	parse_err("localhost:8080", "missing scheme");
	parse_err("localhost:8080/x", "missing scheme");
	parse_err("//host/", "missing scheme");
	parse_err("[::1]:80", "missing scheme");
	parse_err("://host", "missing scheme");
	parse_err("1ws://host", "missing scheme");
	parse_err("ftp://host/", "unsupported scheme 'ftp'");
	parse_err("FTP://host/", "unsupported scheme 'FTP'");
	parse_err("wsss://host/", "unsupported scheme 'wsss'");
	parse_err("mailto:a@b", "unsupported scheme 'mailto'");
	parse_err("ws:host", "expected '//' after 'ws:'");
	parse_err("ws:/host", "expected '//' after 'ws:'");
	parse_err("HTTPS:", "expected '//' after 'HTTPS:'");
	parse_err("", "empty URL");
	memset(err, 0, sizeof err);
	ck_assert_int_eq(wsc_url_parse(&u, NULL, err, sizeof err), -1);
}
END_TEST

START_TEST(test_bad_characters)
{
	parse_err("ws://host/a b", "space at offset 11");
	parse_err(" ws://host/", "space at offset 0");
	parse_err("ws://host/\t", "control character 0x09 at offset 10");
	parse_err("ws://host/\r\nX: y", "control character 0x0d");
	parse_err("ws://ho\x7fst/", "control character 0x7f");
	parse_err("ws://h\xc3\xa9/", "non-ASCII byte at offset 6");
	parse_err("ws://h/caf\xc3\xa9", "non-ASCII byte");
}
END_TEST

START_TEST(test_err_buffer)
{
	char	small[8];

	/* No buffer, or a small one: still -1, no overflow. */
	ck_assert_int_eq(wsc_url_parse(&u, "ftp://x", NULL, 0), -1);
	memset(small, 'x', sizeof small);
	ck_assert_int_eq(wsc_url_parse(&u, "ftp://x", small, sizeof small), -1);
	ck_assert_str_eq(small, "unsuppo");
}
END_TEST

START_TEST(test_free)
{
	struct wsc_url	z;

	memset(&z, 0, sizeof z);
	wsc_url_free(&z);
	wsc_url_free(&z);
	wsc_url_free(NULL);
	ck_assert_int_eq(wsc_url_parse(&z, "ws://u:p@h/x", NULL, 0), 0);
	wsc_url_free(&z);
	ck_assert_ptr_null(z.host);
	ck_assert_ptr_null(z.path);
	ck_assert_ptr_null(z.user);
	ck_assert_ptr_null(z.password);
	wsc_url_free(&z);
}
END_TEST

/* Host header for s must be want. */
static void
host_is(const char *s, const char *want)
{
	char	*h;

	parse_ok(s);
	h = wsc_url_host_header(&u);
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h, want);
	free(h);
	wsc_url_free(&u);
}

START_TEST(test_host_header)
{
	struct wsc_url	z;

	host_is("ws://Host/", "host");
	host_is("ws://host:80/", "host");
	host_is("ws://host:8080/", "host:8080");
	host_is("ws://host:443/", "host:443");
	host_is("wss://host/", "host");
	host_is("wss://host:443/", "host");
	host_is("wss://host:80/", "host:80");
	host_is("https://host:8443/", "host:8443");
	host_is("ws://[::1]:9000/x", "[::1]:9000");
	host_is("ws://[::1]/", "[::1]");
	host_is("wss://[::1]:443/", "[::1]");
	host_is("ws://10.0.0.1:81/", "10.0.0.1:81");
	memset(&z, 0, sizeof z);
	ck_assert_ptr_null(wsc_url_host_header(&z));
}
END_TEST

static struct wsc_url	base, out;

static void
resolve_setup(void)
{
	ck_assert_int_eq(wsc_url_parse(&base,
	    "wss://me:secret@Example.com:8443/a/b/c?x=1", NULL, 0), 0);
	memset(&out, 0, sizeof out);
}

static void
resolve_teardown(void)
{
	wsc_url_free(&base);
	wsc_url_free(&out);
}

/* Resolves loc against base; the result must have path want. */
static void
resolve_ok(const char *loc, const char *want)
{
	wsc_url_free(&out);
	memset(err, 0, sizeof err);
	ck_assert_msg(wsc_url_resolve(&base, loc, &out, err, sizeof err) == 0,
	    "'%s' not resolved: %s", loc, err);
	ck_assert_str_eq(out.path, want);
}

/* out must have base's host, port, scheme and credentials. */
static void
assert_same_host(void)
{
	ck_assert_str_eq(out.host, "example.com");
	ck_assert_uint_eq(out.port, 8443);
	ck_assert_int_eq(out.port_explicit, 1);
	ck_assert_int_eq(out.secure, 1);
	ck_assert_str_eq(out.user, "me");
	ck_assert_str_eq(out.password, "secret");
}

START_TEST(test_resolve_absolute)
{
	resolve_ok("ws://other:81/p?q", "/p?q");
	ck_assert_str_eq(out.host, "other");
	ck_assert_uint_eq(out.port, 81);
	ck_assert_int_eq(out.secure, 0);
	/* Credentials never go to another host (RFC 7231 section 7.1.2
	 * leaves it to the client; curl does the same). */
	ck_assert_ptr_null(out.user);
	ck_assert_ptr_null(out.password);
	resolve_ok("https://other/", "/");
	ck_assert_int_eq(out.secure, 1);
	ck_assert_uint_eq(out.port, 443);
	resolve_ok("http://other", "/");
	ck_assert_int_eq(out.secure, 0);
	ck_assert_uint_eq(out.port, 80);
	resolve_ok("WSS://[::1]:9/x#f", "/x");
	ck_assert_int_eq(out.host_is_ipv6, 1);
	resolve_ok("ws://u2@other/", "/");
	ck_assert_str_eq(out.user, "u2");
	ck_assert_ptr_null(out.password);
}
END_TEST

START_TEST(test_resolve_same_origin)
{
	/* Same scheme, host and port: the credentials are kept. */
	resolve_ok("wss://EXAMPLE.com:8443/new", "/new");
	assert_same_host();
	/* Its own credentials win. */
	resolve_ok("wss://you@example.com:8443/new", "/new");
	ck_assert_str_eq(out.user, "you");
	ck_assert_ptr_null(out.password);
	/* Downgrade to ws:// or another port is another origin. */
	resolve_ok("ws://example.com:8443/new", "/new");
	ck_assert_ptr_null(out.user);
	resolve_ok("wss://example.com/new", "/new");
	ck_assert_ptr_null(out.user);
}
END_TEST

START_TEST(test_resolve_scheme_relative)
{
	resolve_ok("//other/p?q#f", "/p?q");
	ck_assert_str_eq(out.host, "other");
	ck_assert_int_eq(out.secure, 1);
	ck_assert_uint_eq(out.port, 443);
	ck_assert_ptr_null(out.user);
	resolve_ok("//other:99", "/");
	ck_assert_uint_eq(out.port, 99);
	resolve_ok("//example.com:8443/z", "/z");
	assert_same_host();
	wsc_url_free(&base);
	ck_assert_int_eq(wsc_url_parse(&base, "ws://h/", NULL, 0), 0);
	resolve_ok("//other/", "/");
	ck_assert_int_eq(out.secure, 0);
	ck_assert_uint_eq(out.port, 80);
}
END_TEST

START_TEST(test_resolve_absolute_path)
{
	resolve_ok("/p", "/p");
	assert_same_host();
	resolve_ok("/p?q=2#f", "/p?q=2");
	assert_same_host();
	resolve_ok("/", "/");
	resolve_ok("/a/./b/../c", "/a/c");
	resolve_ok("/../../x", "/x");
	resolve_ok("/a/..", "/");
	resolve_ok("/a/.", "/a/");
	/* Dots in the query are data. */
	resolve_ok("/p?a=../b", "/p?a=../b");
}
END_TEST

START_TEST(test_resolve_relative)
{
	/* RFC 3986 section 5.4.1 examples with base path /a/b/c. */
	resolve_ok("g", "/a/b/g");
	assert_same_host();
	resolve_ok("./g", "/a/b/g");
	resolve_ok("g/", "/a/b/g/");
	resolve_ok("?y", "/a/b/c?y");
	resolve_ok("g?y", "/a/b/g?y");
	resolve_ok("#s", "/a/b/c?x=1");
	resolve_ok("g#s", "/a/b/g");
	resolve_ok("", "/a/b/c?x=1");
	resolve_ok(".", "/a/b/");
	resolve_ok("./", "/a/b/");
	resolve_ok("..", "/a/");
	resolve_ok("../", "/a/");
	resolve_ok("../g", "/a/g");
	resolve_ok("../..", "/");
	resolve_ok("../../g", "/g");
	resolve_ok("../../../g", "/g");
	resolve_ok("../../../../g", "/g");
	resolve_ok("g.", "/a/b/g.");
	resolve_ok("..g", "/a/b/..g");
	resolve_ok("./../g", "/a/g");
	resolve_ok("g/./h", "/a/b/g/h");
	resolve_ok("g/../h", "/a/b/h");
	resolve_ok("g?y/./x", "/a/b/g?y/./x");
	assert_same_host();
}
END_TEST

START_TEST(test_resolve_base_paths)
{
	wsc_url_free(&base);
	ck_assert_int_eq(wsc_url_parse(&base, "ws://h", NULL, 0), 0);
	resolve_ok("g", "/g");
	resolve_ok("?q", "/?q");
	wsc_url_free(&base);
	ck_assert_int_eq(wsc_url_parse(&base, "ws://h/dir/?q=a/b", NULL, 0),
	    0);
	resolve_ok("g", "/dir/g");
	resolve_ok("?r", "/dir/?r");
	ck_assert_ptr_null(out.user);
}
END_TEST

START_TEST(test_resolve_errors)
{
	struct wsc_url	z;

	memset(err, 0, sizeof err);
	ck_assert_int_eq(wsc_url_resolve(&base, "ftp://h/", &out, err,
	    sizeof err), -1);
	ck_assert_str_eq(err, "unsupported scheme 'ftp' (expected ws:// or "
	    "wss://)");
	ck_assert_ptr_null(out.host);
	ck_assert_int_eq(wsc_url_resolve(&base, "//", &out, err, sizeof err),
	    -1);
	ck_assert_str_eq(err, "empty host");
	ck_assert_int_eq(wsc_url_resolve(&base, "/a b", &out, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "space"));
	ck_assert_int_eq(wsc_url_resolve(&base, "/a\r\nSet-Cookie: x", &out,
	    err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "control character"));
	ck_assert_int_eq(wsc_url_resolve(&base, "//[::1/", &out, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unterminated IPv6"));
	ck_assert_int_eq(wsc_url_resolve(&base, NULL, &out, err, sizeof err),
	    -1);
	memset(&z, 0, sizeof z);
	ck_assert_int_eq(wsc_url_resolve(&z, "/p", &out, err, sizeof err), -1);
	ck_assert_ptr_null(out.path);
	/* base itself is untouched by failures. */
	ck_assert_str_eq(base.path, "/a/b/c?x=1");
}
END_TEST

START_TEST(test_resolve_in_place)
{
	ck_assert_int_eq(wsc_url_resolve(&base, "../g", &base, err,
	    sizeof err), 0);
	ck_assert_str_eq(base.path, "/a/g");
	ck_assert_str_eq(base.user, "me");
	ck_assert_int_eq(wsc_url_resolve(&base, "ws://o/", &base, err,
	    sizeof err), 0);
	ck_assert_str_eq(base.host, "o");
	ck_assert_ptr_null(base.user);
	ck_assert_int_eq(wsc_url_resolve(&base, "gopher://x/", &base, err,
	    sizeof err), -1);
	ck_assert_str_eq(base.host, "o");
	ck_assert_str_eq(base.path, "/");
}
END_TEST

static Suite *
url_suite(void)
{
	Suite	*s = suite_create("url");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_plain_host);
	tcase_add_test(tc, test_port_path_query);
	tcase_add_test(tc, test_wss_default);
	tcase_add_test(tc, test_aliases_and_case);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_ipv6_errors);
	tcase_add_test(tc, test_ipv4);
	tcase_add_test(tc, test_dns_names);
	tcase_add_test(tc, test_dns_lengths);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_empty_host);
	tcase_add_test(tc, test_path_fragment);
	tcase_add_test(tc, test_userinfo);
	tcase_add_test(tc, test_percent_decoding);
	tcase_add_test(tc, test_scheme_errors);
	tcase_add_test(tc, test_bad_characters);
	tcase_add_test(tc, test_err_buffer);
	tcase_add_test(tc, test_free);
	tcase_add_test(tc, test_host_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolve");
	tcase_add_checked_fixture(tc, resolve_setup, resolve_teardown);
	tcase_add_test(tc, test_resolve_absolute);
	tcase_add_test(tc, test_resolve_same_origin);
	tcase_add_test(tc, test_resolve_scheme_relative);
	tcase_add_test(tc, test_resolve_absolute_path);
	tcase_add_test(tc, test_resolve_relative);
	tcase_add_test(tc, test_resolve_base_paths);
	tcase_add_test(tc, test_resolve_errors);
	tcase_add_test(tc, test_resolve_in_place);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(url_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}
