/* CGI-style environments for listen mode's programs (wsc(1), --run). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgienv.h"
#include "handshake.h"
#include "request.h"
#include "util.h"

/* The variables set here besides HTTP_*: an inherited one is dropped. */
static const char *const own_names[] = {
	"REMOTE_ADDR", "REMOTE_PORT", "SERVER_PORT", "REQUEST_URI",
	"PATH_INFO", "QUERY_STRING", "HTTPS", "SSL_CLIENT_S_DN",
	"WSC_SUBPROTOCOL", "WSC_CLIENT"
};

struct env {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

/* Appends s (taken) to e, keeping room for the final NULL. */
static void
env_push(struct env *e, char *s)
{
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = wsc_xrealloc(e->v, e->cap * sizeof *e->v);
	}
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
}

/* Is the inherited entry kv one that the client's variables replace? */
static int
replaced(const char *kv)
{
	size_t	i, n = strcspn(kv, "=");

	if (strncmp(kv, "HTTP_", 5) == 0)
		return 1;
	for (i = 0; i < sizeof own_names / sizeof own_names[0]; i++)
		if (strlen(own_names[i]) == n && strncmp(kv, own_names[i], n) == 0)
			return 1;
	return 0;
}

/* The entry of e that sets var (NAME=...), or NULL. */
static char **
env_find(struct env *e, const char *var, size_t from)
{
	size_t	i, n = strlen(var);

	for (i = from; i < e->n; i++)
		if (strncmp(e->v[i], var, n) == 0 && e->v[i][n] == '=')
			return &e->v[i];
	return NULL;
}

/* HTTP_NAME for each header; a repeated one's values are joined. */
static void
add_headers(struct env *e, size_t from, const struct wsc_client_info *ci)
{
	char	 var[256], **old, *joined;
	size_t	 i;

	for (i = 0; i < ci->nheaders; i++) {
		if (wsc_request_env_name(ci->headers[i].name, var, sizeof var) != 0 ||
		    strcmp(var, "HTTP_PROXY") == 0)
			continue;
		if ((old = env_find(e, var, from)) == NULL) {
			env_push(e, wsc_xasprintf("%s=%s", var,
			    ci->headers[i].value));
			continue;
		}
		joined = wsc_xasprintf("%s, %s", *old, ci->headers[i].value);
		free(*old);
		*old = joined;
	}
}

char **
wsc_cgi_env(const struct wsc_client_info *ci, char *const *inherit)
{
	struct env	e = { NULL, 0, 0 };
	size_t		i, from;

	env_push(&e, wsc_xasprintf("REMOTE_ADDR=%s", ci->remote_addr));
	for (i = 0; inherit != NULL && inherit[i] != NULL; i++)
		if (!replaced(inherit[i]))
			env_push(&e, wsc_xstrdup(inherit[i]));
	from = e.n;
	env_push(&e, wsc_xasprintf("REMOTE_PORT=%s", ci->remote_port));
	env_push(&e, wsc_xasprintf("SERVER_PORT=%s", ci->server_port));
	env_push(&e, wsc_xasprintf("REQUEST_URI=%s", ci->uri));
	env_push(&e, wsc_xasprintf("PATH_INFO=%s", ci->path));
	env_push(&e, wsc_xasprintf("QUERY_STRING=%s", ci->query));
	if (ci->tls)
		env_push(&e, wsc_xstrdup("HTTPS=on"));
	if (ci->subject != NULL)
		env_push(&e, wsc_xasprintf("SSL_CLIENT_S_DN=%s", ci->subject));
	env_push(&e, wsc_xasprintf("WSC_SUBPROTOCOL=%s",
	    ci->protocol != NULL ? ci->protocol : ""));
	env_push(&e, wsc_xasprintf("WSC_CLIENT=%u", ci->id));
	add_headers(&e, from, ci);
	return e.v;
}

void
wsc_cgi_env_free(char **env)
{
	size_t	i;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		free(env[i]);
	free(env);
}
