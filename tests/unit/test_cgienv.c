/* Unit tests for cgienv.c: the variables a listen-mode program gets, the
 * header names' mapping at its edges, and what is not inherited. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cgienv.h"
#include "handshake.h"

/* The value of var in env, or NULL; fails when it is set twice. */
static const char *
get(char **env, const char *var)
{
	const char	*found = NULL;
	size_t		 i, n = strlen(var);

	for (i = 0; env[i] != NULL; i++)
		if (strncmp(env[i], var, n) == 0 && env[i][n] == '=') {
			ck_assert_msg(found == NULL, "%s set twice", var);
			found = env[i] + n + 1;
		}
	return found;
}

static struct wsc_hs_header	hdrs[8];

/* A client from [::1]:4242 asking for /chat?room=1 with the headers in h. */
static void
client(struct wsc_client_info *ci, const char *const *h, size_t n)
{
	size_t	i;

	memset(ci, 0, sizeof *ci);
	ci->id = 7;
	ci->addr = "[::1]:4242";
	ci->remote_addr = "::1";
	ci->remote_port = "4242";
	ci->server_port = "9000";
	ci->uri = "/chat?room=1";
	ci->path = "/chat";
	ci->query = "room=1";
	for (i = 0; i < n; i++) {
		hdrs[i].name = h[2 * i];
		hdrs[i].value = h[2 * i + 1];
	}
	ci->headers = hdrs;
	ci->nheaders = n;
}

START_TEST(the_cgi_variables)
{
	struct wsc_client_info	 ci;
	const char		*h[] = { "Host", "localhost:9000" };
	char			**env;

	client(&ci, h, 1);
	env = wsc_cgi_env(&ci, NULL);
	ck_assert_str_eq(get(env, "REMOTE_ADDR"), "::1");
	ck_assert_str_eq(get(env, "REMOTE_PORT"), "4242");
	ck_assert_str_eq(get(env, "SERVER_PORT"), "9000");
	ck_assert_str_eq(get(env, "REQUEST_URI"), "/chat?room=1");
	ck_assert_str_eq(get(env, "PATH_INFO"), "/chat");
	ck_assert_str_eq(get(env, "QUERY_STRING"), "room=1");
	ck_assert_str_eq(get(env, "WSC_CLIENT"), "7");
	ck_assert_str_eq(get(env, "WSC_SUBPROTOCOL"), "");
	ck_assert_str_eq(get(env, "HTTP_HOST"), "localhost:9000");
	ck_assert_ptr_null(get(env, "HTTPS"));
	wsc_cgi_env_free(env);
}
END_TEST

START_TEST(tls_and_subprotocol)
{
	struct wsc_client_info	 ci;
	char			**env;

	client(&ci, NULL, 0);
	ci.tls = 1;
	ci.protocol = "chat.v2";
	env = wsc_cgi_env(&ci, NULL);
	ck_assert_str_eq(get(env, "HTTPS"), "on");
	ck_assert_str_eq(get(env, "WSC_SUBPROTOCOL"), "chat.v2");
	ck_assert_ptr_null(get(env, "SSL_CLIENT_S_DN"));
	wsc_cgi_env_free(env);
	ci.subject = "CN=wsc client, O=Test";
	env = wsc_cgi_env(&ci, NULL);
	ck_assert_str_eq(get(env, "SSL_CLIENT_S_DN"), "CN=wsc client, O=Test");
	wsc_cgi_env_free(env);
}
END_TEST

START_TEST(header_names_at_their_edges)
{
	struct wsc_client_info	 ci;
	const char		*h[] = {
		"x-Custom-9", "a", "X_Under", "b", "Bad Name", "c", "Ä", "d",
		"-", "e"
	};
	char			**env;

	client(&ci, h, 5);
	env = wsc_cgi_env(&ci, NULL);
	ck_assert_str_eq(get(env, "HTTP_X_CUSTOM_9"), "a");
	/* '_' would let X_Under pass for X-Under: no safe name */
	ck_assert_ptr_null(get(env, "HTTP_X_UNDER"));
	ck_assert_ptr_null(get(env, "HTTP_BAD NAME"));
	ck_assert_str_eq(get(env, "HTTP__"), "e");
	wsc_cgi_env_free(env);
}
END_TEST

START_TEST(repeated_headers_are_joined)
{
	struct wsc_client_info	 ci;
	const char		*h[] = {
		"Accept", "a/b", "X-Y", "1", "accept", "c/d"
	};
	char			**env;

	client(&ci, h, 3);
	env = wsc_cgi_env(&ci, NULL);
	ck_assert_str_eq(get(env, "HTTP_ACCEPT"), "a/b, c/d");
	ck_assert_str_eq(get(env, "HTTP_X_Y"), "1");
	wsc_cgi_env_free(env);
}
END_TEST

START_TEST(proxy_header_is_left_out)
{
	struct wsc_client_info	 ci;
	const char		*h[] = { "Proxy", "http://evil:1/" };
	char			**env;

	client(&ci, h, 1);
	env = wsc_cgi_env(&ci, NULL);
	ck_assert_ptr_null(get(env, "HTTP_PROXY"));
	wsc_cgi_env_free(env);
}
END_TEST

START_TEST(inherited_but_not_replaced_ones)
{
	struct wsc_client_info	 ci;
	char			 e0[] = "PATH=/usr/bin:/bin",
				 e1[] = "HTTP_HOST=stale",
				 e2[] = "REMOTE_ADDR=stale",
				 e3[] = "REMOTE_ADDRX=kept",
				 e4[] = "HTTPS=on",
				 e5[] = "HOME=/root",
				 e6[] = "SSL_CLIENT_S_DN=CN=stale";
	char *const		 inherit[] = { e0, e1, e2, e3, e4, e5, e6, NULL };
	char			**env;

	client(&ci, NULL, 0);
	env = wsc_cgi_env(&ci, inherit);
	ck_assert_str_eq(get(env, "PATH"), "/usr/bin:/bin");
	ck_assert_str_eq(get(env, "HOME"), "/root");
	ck_assert_str_eq(get(env, "REMOTE_ADDRX"), "kept");
	ck_assert_str_eq(get(env, "REMOTE_ADDR"), "::1");
	ck_assert_ptr_null(get(env, "HTTP_HOST"));
	ck_assert_ptr_null(get(env, "HTTPS"));
	ck_assert_ptr_null(get(env, "SSL_CLIENT_S_DN"));
	wsc_cgi_env_free(env);
}
END_TEST

static Suite *
cgienv_suite(void)
{
	Suite	*s = suite_create("cgienv");
	TCase	*tc = tcase_create("env");

	tcase_add_test(tc, the_cgi_variables);
	tcase_add_test(tc, tls_and_subprotocol);
	tcase_add_test(tc, header_names_at_their_edges);
	tcase_add_test(tc, repeated_headers_are_joined);
	tcase_add_test(tc, proxy_header_is_left_out);
	tcase_add_test(tc, inherited_but_not_replaced_ones);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(cgienv_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
