/* The environment of a program run for a listen-mode client (wsc(1),
 * --run with -l): wsc's own, and CGI-style variables that describe the
 * client and its request (RFC 3875 section 4.1). */
#ifndef WSC_CGIENV_H
#define WSC_CGIENV_H

#include "side.h"

/* A new NULL-terminated environment: inherit's entries (wsc's
 * environment) without any HTTP_ variable or one of the names set here,
 * then REMOTE_ADDR, REMOTE_PORT, SERVER_PORT, REQUEST_URI, PATH_INFO,
 * QUERY_STRING, HTTPS=on under TLS, WSC_SUBPROTOCOL ("" when none),
 * WSC_CLIENT, and HTTP_NAME for each request header (upper case, '-' as
 * '_'; the values of a repeated one joined with ", "). A header whose
 * name holds other bytes than letters, digits and '-' has no safe name
 * and is left out, and so is Proxy: HTTP_PROXY would name a proxy for
 * the program's own requests ("httpoxy"). Free with wsc_cgi_env_free. */
char	**wsc_cgi_env(const struct wsc_client_info *ci, char *const *inherit);
void	  wsc_cgi_env_free(char **env);

#endif
