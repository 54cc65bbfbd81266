/* Unit tests for --tunnel's [ADDR:]PORT: the default address, IPv4 and
 * IPv6 (bracketed and bare), the port's range, and what is refused. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "bindaddr.h"

/* Parses s and checks the family, the address as text and the port. */
static void
expect(const char *s, int family, const char *addr, unsigned port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = 0;
	char			 text[INET6_ADDRSTRLEN];

	ck_assert_msg(wsc_bindaddr_parse(s, &ss, &len) == 0, "'%s' refused", s);
	ck_assert_int_eq(ss.ss_family, family);
	if (family == AF_INET) {
		ck_assert_uint_eq(len, sizeof *sin);
		inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
		ck_assert_uint_eq(ntohs(sin->sin_port), port);
	} else {
		ck_assert_uint_eq(len, sizeof *sin6);
		inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
		ck_assert_uint_eq(ntohs(sin6->sin6_port), port);
	}
	ck_assert_str_eq(text, addr);
}

START_TEST(accepted)
{
	expect("2222", AF_INET, "127.0.0.1", 2222);
	expect("0", AF_INET, "127.0.0.1", 0);
	expect("65535", AF_INET, "127.0.0.1", 65535);
	expect("00080", AF_INET, "127.0.0.1", 80);
	expect("0.0.0.0:1", AF_INET, "0.0.0.0", 1);
	expect("192.168.1.20:8080", AF_INET, "192.168.1.20", 8080);
	expect("[::1]:2222", AF_INET6, "::1", 2222);
	expect("[::]:0", AF_INET6, "::", 0);
	expect("::1:2222", AF_INET6, "::1", 2222);
	expect("2001:db8::1:443", AF_INET6, "2001:db8::1", 443);
	expect("[::ffff:1.2.3.4]:9", AF_INET6, "::ffff:1.2.3.4", 9);
}
END_TEST

START_TEST(refused)
{
	static const char	*bad[] = {
		"", ":", "x", "-1", "65536", "100000", "22x", " 22", "22 ",
		"+22", "127.0.0.1", "127.0.0.1:", ":22", "1.2.3:80",
		"localhost:80", "[::1]", "[::1]:", "[::1:22", "::1]:22",
		"[127.0.0.1]:80", "[::1]x:22", "[]:22", "::1",
		"[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:1",
	};
	struct sockaddr_storage	ss;
	socklen_t		len;
	size_t			i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(wsc_bindaddr_parse(bad[i], &ss, &len) == -1,
		    "'%s' accepted", bad[i]);
}
END_TEST

static Suite *
bindaddr_suite(void)
{
	Suite	*s = suite_create("bindaddr");
	TCase	*tc = tcase_create("bindaddr");

	tcase_add_test(tc, accepted);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(bindaddr_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
