/* The command line (wsc(1), OPTIONS): getopt_long into struct wsc_options. */
#ifndef WSC_OPTIONS_H
#define WSC_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"

struct wsc_strv {
	char	**v;
	size_t	  n;
};

/* Messages to send on connecting (-x and --file, in command-line order). */
struct wsc_sendv {
	struct wsc_send {
		char	*p;
		size_t	 n;
		const char *path;	/* --file's (binary with -b); NULL: -x */
	}	*v;
	size_t	 n;
};

struct wsc_options {
	const char	*url;		/* -c URL or the operand */
	const char	*listen_port;	/* -l PORT */
	const char	*bind;		/* --bind ADDR */
	unsigned	 max_clients;

	struct wsc_strv	 protocols;	/* -s, split at commas */
	struct wsc_strv	 headers;	/* -H */
	const char	*origin;	/* -o */
	const char	*host;		/* --host */
	const char	*auth;		/* --auth user:pass */
	int		 follow;	/* -L */
	unsigned	 max_redirects;
	const char	*proxy;		/* --proxy URL */
	const char	*noproxy;	/* --noproxy LIST */
	const char	*proxy_ca;	/* --proxy-ca FILE: an HTTPS proxy's CA */
	int		 proxy_insecure;	/* --proxy-insecure */
	int64_t		 connect_timeout_ms;	/* 0: none */
	int		 family;	/* 0, 4, 6 */
	const char	*unix_socket;

	const char	*ca;
	const char	*cert;
	const char	*key;
	const char	*passphrase;
	int		 insecure;	/* -n, -k */

	struct wsc_strv	 execute;	/* -x, in order */
	int64_t		 wait_ms;	/* -w; -1: wait for the server's close */
	int		 show_ping_pong;	/* -P */
	int		 slash;
	int		 binary;	/* -b */
	int		 echo;
	int64_t		 ping_interval_ms;	/* 0: off */
	int64_t		 ping_timeout_ms;	/* 0: off */
	int		 reconnect;	/* --reconnect given */
	unsigned	 reconnect_max;	/* 0: forever */
	uint64_t	 max_message;
	int		 no_compression;

	enum wsc_binfmt	 binary_output;
	int		 verbose;
	int		 quiet;
	int		 no_color;

	/* Scripting (wsc(1), SCRIPTING RECIPES) */
	unsigned long	 count;		/* --count N; 0: off */
	const char	*until;		/* --until REGEX (checked by parse) */
	int		 wait_given;	/* -w was on the command line */
	int64_t		 max_time_ms;	/* -m; 0: none */
	int64_t		 run_deadline;	/* wsc_now_ms() when -m runs out; 0 */
	struct wsc_strv	 preamble;	/* -X, in order */
	struct wsc_sendv sends;		/* -x and --file, in order */
	int		 null_sep;	/* -0: NUL instead of newline */
	int		 jsonl;		/* --jsonl */
	int		 timestamps;	/* --timestamps */
	int		 pretty;	/* --pretty */
	uint64_t	 memory_budget;	/* -l: 0 for twice max_message */
	int64_t		 message_timeout_ms;	/* -l: unfinished message */
	const char	*pinnedpubkey;	/* --pinnedpubkey */
	const char	*forward;	/* -l --forward HOST:PORT|unix:PATH */
	const char	*run;		/* --run CMD */
	int		 raw;		/* --raw: a byte pipe */
	const char	*tunnel;	/* --tunnel [ADDR:]PORT */
};

/* Parses argv into o. Returns -1 to continue, or an exit status: 0 after
 * --help/--version, 2 on a usage error (already reported on stderr). */
int	 wsc_options_parse(struct wsc_options *o, int argc, char **argv);
void	 wsc_options_free(struct wsc_options *o);

#endif
