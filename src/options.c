/* The command line: getopt_long into struct wsc_options, and --help. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "options.h"
#include "utf8.h"
#include "util.h"

enum {
	OPT_HOST = 256, OPT_AUTH, OPT_MAX_REDIRECTS, OPT_PROXY, OPT_NOPROXY,
	OPT_CONNECT_TIMEOUT, OPT_UNIX_SOCKET, OPT_CA, OPT_CERT, OPT_KEY,
	OPT_PASSPHRASE, OPT_SLASH, OPT_ECHO, OPT_PING_INTERVAL,
	OPT_PING_TIMEOUT, OPT_RECONNECT, OPT_MAX_MESSAGE, OPT_NO_COMPRESSION,
	OPT_BINARY_OUTPUT, OPT_NO_COLOR, OPT_VERSION, OPT_BIND,
	OPT_MAX_CLIENTS, OPT_COUNT, OPT_UNTIL, OPT_FILE,
	OPT_PROXY_CA, OPT_PROXY_INSECURE, OPT_JSONL, OPT_TIMESTAMPS, OPT_PRETTY,
	OPT_MEMORY_BUDGET, OPT_MESSAGE_TIMEOUT, OPT_PINNEDPUBKEY, OPT_FORWARD,
	OPT_RUN, OPT_RAW, OPT_TUNNEL
};

static const char short_opts[] = "c:l:s:H:o:Lx:w:Pbvqhnk46m:X:0";

static const struct option long_opts[] = {
	{ "connect",		required_argument, NULL, 'c' },
	{ "listen",		required_argument, NULL, 'l' },
	{ "bind",		required_argument, NULL, OPT_BIND },
	{ "max-clients",	required_argument, NULL, OPT_MAX_CLIENTS },
	{ "subprotocol",	required_argument, NULL, 's' },
	{ "header",		required_argument, NULL, 'H' },
	{ "origin",		required_argument, NULL, 'o' },
	{ "host",		required_argument, NULL, OPT_HOST },
	{ "auth",		required_argument, NULL, OPT_AUTH },
	{ "location",		no_argument,       NULL, 'L' },
	{ "max-redirects",	required_argument, NULL, OPT_MAX_REDIRECTS },
	{ "proxy",		required_argument, NULL, OPT_PROXY },
	{ "noproxy",		required_argument, NULL, OPT_NOPROXY },
	{ "proxy-ca",		required_argument, NULL, OPT_PROXY_CA },
	{ "proxy-insecure",	no_argument,       NULL, OPT_PROXY_INSECURE },
	{ "connect-timeout",	required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "unix-socket",	required_argument, NULL, OPT_UNIX_SOCKET },
	{ "ca",			required_argument, NULL, OPT_CA },
	{ "cert",		required_argument, NULL, OPT_CERT },
	{ "key",		required_argument, NULL, OPT_KEY },
	{ "passphrase",		required_argument, NULL, OPT_PASSPHRASE },
	{ "no-check",		no_argument,       NULL, 'n' },
	{ "insecure",		no_argument,       NULL, 'k' },
	{ "execute",		required_argument, NULL, 'x' },
	{ "wait",		required_argument, NULL, 'w' },
	{ "show-ping-pong",	no_argument,       NULL, 'P' },
	{ "slash",		no_argument,       NULL, OPT_SLASH },
	{ "binary",		no_argument,       NULL, 'b' },
	{ "echo",		no_argument,       NULL, OPT_ECHO },
	{ "ping-interval",	required_argument, NULL, OPT_PING_INTERVAL },
	{ "ping-timeout",	required_argument, NULL, OPT_PING_TIMEOUT },
	{ "reconnect",		optional_argument, NULL, OPT_RECONNECT },
	{ "max-message",	required_argument, NULL, OPT_MAX_MESSAGE },
	{ "no-compression",	no_argument,       NULL, OPT_NO_COMPRESSION },
	{ "binary-output",	required_argument, NULL, OPT_BINARY_OUTPUT },
	{ "verbose",		no_argument,       NULL, 'v' },
	{ "quiet",		no_argument,       NULL, 'q' },
	{ "no-color",		no_argument,       NULL, OPT_NO_COLOR },
	{ "help",		no_argument,       NULL, 'h' },
	{ "version",		no_argument,       NULL, OPT_VERSION },
	{ "count",		required_argument, NULL, OPT_COUNT },
	{ "until",		required_argument, NULL, OPT_UNTIL },
	{ "max-time",		required_argument, NULL, 'm' },
	{ "preamble",		required_argument, NULL, 'X' },
	{ "file",		required_argument, NULL, OPT_FILE },
	{ "null",		no_argument,       NULL, '0' },
	{ "jsonl",		no_argument,       NULL, OPT_JSONL },
	{ "timestamps",		no_argument,       NULL, OPT_TIMESTAMPS },
	{ "pretty",		no_argument,       NULL, OPT_PRETTY },
	{ "memory-budget",	required_argument, NULL, OPT_MEMORY_BUDGET },
	{ "message-timeout",	required_argument, NULL, OPT_MESSAGE_TIMEOUT },
	{ "pinnedpubkey",	required_argument, NULL, OPT_PINNEDPUBKEY },
	{ "forward",		required_argument, NULL, OPT_FORWARD },
	{ "run",		required_argument, NULL, OPT_RUN },
	{ "raw",		no_argument,       NULL, OPT_RAW },
	{ "tunnel",		required_argument, NULL, OPT_TUNNEL },
	{ NULL, 0, NULL, 0 }
};

static const char help_text[] =
"Usage: wsc [options] URL\n"
"       wsc [options] -c URL\n"
"       wsc [options] -l PORT\n"
"A WebSocket client (and small server) for the terminal.\n"
"\n"
"Connection:\n"
"  -c, --connect URL        connect to URL (ws://, wss://, http://, https://)\n"
"  -s, --subprotocol P      offer subprotocol P (repeatable; -s a,b offers both)\n"
"  -H, --header 'N: V'      add a request header (repeatable)\n"
"  -o, --origin ORIGIN      send an Origin header\n"
"      --host HOST          override the Host header\n"
"      --auth USER:PASS     Basic authorization (also from ws://user:pass@host/)\n"
"  -L, --location           follow HTTP redirects\n"
"      --max-redirects N    at most N redirects with -L (default 10)\n"
"      --proxy URL          tunnel through an HTTP proxy with CONNECT\n"
"                           (http://[user:pass@]host:port) or a SOCKS5 proxy\n"
"                           (socks5://, socks5h://: the proxy resolves names),\n"
"                           or over TLS to the proxy (https://); default:\n"
"                           https_proxy, http_proxy or all_proxy (environment)\n"
"      --noproxy LIST       hosts or ranges (10.0.0.0/8) to reach without the\n"
"                           proxy ('*' for all)\n"
"      --proxy-ca FILE      trust FILE's CAs for an https:// proxy\n"
"      --proxy-insecure     do not verify an https:// proxy's certificate\n"
"      --connect-timeout S  give up connecting after S seconds (default 30)\n"
"  -4, -6                   use IPv4 / IPv6 only\n"
"      --unix-socket PATH   connect over a Unix domain socket\n"
"\n"
"TLS:\n"
"      --ca FILE            trust the CA certificates in FILE (with -l: ask\n"
"                           clients for certificates and verify them against it)\n"
"      --cert FILE          client certificate (with -l: the server's, for wss)\n"
"      --key FILE           the certificate's private key\n"
"      --passphrase P       passphrase of the private key\n"
"  -n, --no-check           do not verify the server's certificate\n"
"  -k, --insecure           the same as --no-check\n"
"      --pinnedpubkey PIN   the server's public key must match (also with -k):\n"
"                           sha256//BASE64[;sha256//BASE64...] or a PEM/DER file\n"
"\n"
"Session:\n"
"  -x, --execute MSG        send MSG after connecting (repeatable); stdin is not read\n"
"  -w, --wait S             after the last message, wait S seconds for replies\n"
"                           (default 2; -1 waits for the server to close)\n"
"  -P, --show-ping-pong     print pings and pongs received, round-trip times\n"
"      --slash              slash commands in interactive mode (/help lists them)\n"
"  -b, --binary             send stdin as binary messages\n"
"      --echo               send every received message back\n"
"      --ping-interval S    send a ping every S seconds (-l: to each client)\n"
"      --ping-timeout S     with --ping-interval: drop the connection if no pong in S\n"
"                           (counted from when the ping reached the peer)\n"
"      --reconnect[=N]      reconnect after an abnormal drop, N times in a row\n"
"                           at most (0: forever); backoff 0.5 s doubling to 30 s\n"
"      --max-message BYTES  largest message accepted (default 64 MiB; K, M, G suffixes)\n"
"      --no-compression     do not offer (with -l: accept) permessage-deflate\n"
"\n"
"Listen mode:\n"
"  -l, --listen PORT        accept WebSocket clients on PORT (unix:PATH: on a\n"
"                           Unix socket); lines go to every client (--slash:\n"
"                           '/to N text' to client N only), --echo echoes,\n"
"                           -s lists subprotocols accepted\n"
"      --bind ADDR          listen on ADDR (default 127.0.0.1; e.g. 0.0.0.0, ::)\n"
"      --max-clients N      accept at most N clients at once (more get 503;\n"
"                           default 1000)\n"
"      --memory-budget BYTES\n"
"                           bound on the unfinished incoming messages of all\n"
"                           clients together (default twice --max-message);\n"
"                           the client that would go past it is closed (1009)\n"
"      --message-timeout S  close (1008) a client whose unfinished message gets\n"
"                           no byte for S seconds (default 30)\n"
"      --forward HOST:PORT  bridge each client to its own TCP connection to\n"
"                           HOST:PORT (or unix:PATH): messages' payloads to it,\n"
"                           what it sends back as binary messages (each made\n"
"                           within --connect-timeout)\n"
"\n"
"Output:\n"
"      --binary-output F    binary messages as hex (default), raw or base64\n"
"  -v, --verbose            print headers and frames on stderr\n"
"  -q, --quiet              no status lines\n"
"      --no-color           no colours (also NO_COLOR=1 or TERM=dumb)\n"
"      --jsonl              stdout: one JSON object per event (message, open,\n"
"                           close; -P pings and pongs; -v messages sent)\n"
"      --timestamps         start every line for people with HH:MM:SS.mmm\n"
"      --pretty             indent text messages that are JSON objects or arrays\n"
"  -h, --help               this help\n"
"      --version            the version\n"
"\n"
"Scripting:\n"
"      --count N            close and exit 0 once N messages have arrived\n"
"      --until REGEX        close and exit 0 after a text message matching the\n"
"                           extended regular expression REGEX\n"
"                           (with either, -w defaults to -1; unmet: exit 6)\n"
"  -m, --max-time S         the whole run lasts at most S seconds (exit 6)\n"
"  -X, --preamble MSG       send MSG first, then stdin or the prompt as usual\n"
"                           (repeatable)\n"
"      --file PATH          send PATH's contents as one message (binary with -b;\n"
"                           repeatable, in order with -x)\n"
"  -0, --null               NUL instead of newline between stdin messages and\n"
"                           after each text message on stdout\n"
"\n"
"Programs and ports:\n"
"      --raw                a byte pipe (ssh -o ProxyCommand=): stdin chunks are\n"
"                           binary messages, every payload goes to stdout as it\n"
"                           is, no status lines; end of stdin closes (1000)\n"
"      --tunnel [ADDR:]PORT listen on ADDR:PORT (default 127.0.0.1) and carry each\n"
"                           TCP connection over its own WebSocket to URL\n"
"                           (at most --max-clients at once); stdin is not read\n"
"      --run CMD            connect a program (sh -c CMD) instead of stdin and\n"
"                           stdout: each line it writes is a message (-b: each\n"
"                           chunk), each message is written to its stdin; its\n"
"                           exit closes with 1000 (with -l: one CMD per client,\n"
"                           with CGI-style variables: REMOTE_ADDR, HTTP_HOST...)\n"
"\n"
"Exit status: 0 clean close, 1 abnormal close or protocol error, 2 usage,\n"
"3 could not connect, 4 TLS failure, 5 WebSocket handshake failed,\n"
"6 timed out (--max-time) or --count/--until not met.\n"
"See wsc(1) for details.\n";

/* Prints a usage error in one line; returns the usage exit status. */
static int
usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int
usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("wsc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see wsc --help)\n", stderr);
	return 2;
}

static void
strv_push(struct wsc_strv *sv, const char *s, size_t n)
{
	sv->v = wsc_xrealloc(sv->v, (sv->n + 1) * sizeof *sv->v);
	sv->v[sv->n++] = wsc_xstrndup(s, n);
}

/* -s a,b offers both: split at commas, trimming blanks. */
static int
add_protocols(struct wsc_options *o, const char *arg)
{
	const char	*p = arg, *end;
	size_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0)
			strv_push(&o->protocols, p, n);
		p = end;
	}
	return 0;
}

/* "Name: value", with a token for a name and no CR or LF anywhere. */
static int
header_ok(const char *h)
{
	const char	*colon = strchr(h, ':');
	const char	*p;

	if (colon == NULL || colon == h || strpbrk(h, "\r\n") != NULL)
		return 0;
	for (p = h; p < colon; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *p))
			return 0;
	return 1;
}

/* Parses "123", "64K", "16M", "1G" (powers of 1024). */
static int
parse_size(const char *s, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;
	uint64_t		 mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	}
	if (*end == 'i' || *end == 'B')
		end += (end[0] == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end != '\0' || v == 0 || v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* A whole number in [min, max]. */
static int
parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char		*end;
	unsigned long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void
set_defaults(struct wsc_options *o)
{
	memset(o, 0, sizeof *o);
	o->max_redirects = 10;
	o->connect_timeout_ms = 30000;
	o->wait_ms = 2000;
	o->max_message = 64ULL << 20;
	o->max_clients = 1000;
	o->message_timeout_ms = 30000;
	o->binary_output = WSC_BIN_HEX;
}

/* Options that take seconds. */
static int
seconds_opt(int c, const char *arg, int64_t *dst, int allow_forever)
{
	int64_t	ms = wsc_parse_seconds(arg, allow_forever);

	if (ms == -2 || (ms == 0 && c != 'w'))
		return usage_error("bad number of seconds '%s'", arg);
	*dst = ms;
	return -1;
}

/* Appends a message to send on connecting; sv takes p. */
static void
sendv_push(struct wsc_sendv *sv, char *p, size_t n, const char *path)
{
	sv->v = wsc_xrealloc(sv->v, (sv->n + 1) * sizeof *sv->v);
	sv->v[sv->n].p = p;
	sv->v[sv->n].n = n;
	sv->v[sv->n++].path = path;
}

/* --file: the whole file into memory (it is sent as one message). */
static int
add_file(struct wsc_options *o, const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*p = NULL;
	size_t	 n = 0, cap = 0, r;

	if (f == NULL)
		return usage_error("cannot read --file %s: %s", path,
		    strerror(errno));
	do {
		if (cap - n < 65536)
			p = wsc_xrealloc(p, cap = cap * 2 + 65536);
		r = fread(p + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		fclose(f);
		free(p);
		return usage_error("cannot read --file %s: %s", path,
		    strerror(errno));
	}
	fclose(f);
	sendv_push(&o->sends, p, n, path);
	return -1;
}

/* The scripting options (wsc(1), SCRIPTING RECIPES); -1 to go on or an
 * exit status. */
static int
scripting_option(struct wsc_options *o, int c, const char *arg)
{
	char		*end;
	unsigned long	 v;

	switch (c) {
	case OPT_COUNT:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 ||
		    v == 0)
			return usage_error("bad --count '%s' (expected a whole "
			    "number from 1)", arg);
		o->count = v;
		return -1;
	case OPT_UNTIL: o->until = arg; return -1;
	case 'm': return seconds_opt(c, arg, &o->max_time_ms, 0);
	case 'X': strv_push(&o->preamble, arg, strlen(arg)); return -1;
	case OPT_FILE: return add_file(o, arg);
	case '0': o->null_sep = 1; return -1;
	default: return usage_error("%s", "unknown option");
	}
}

/* Handles one option; returns -1 to go on or an exit status. */
static int
one_option(struct wsc_options *o, int c, const char *arg)
{
	switch (c) {
	case 'c': o->url = arg; break;
	case 'l': o->listen_port = arg; break;
	case OPT_BIND: o->bind = arg; break;
	case OPT_MAX_CLIENTS:
		if (parse_uint(arg, 1, 100000, &o->max_clients) != 0)
			return usage_error("bad --max-clients '%s'", arg);
		break;
	case 's': add_protocols(o, arg); break;
	case 'H':
		if (!header_ok(arg))
			return usage_error("bad header '%s' (expected 'Name: value')", arg);
		strv_push(&o->headers, arg, strlen(arg));
		break;
	case 'o': o->origin = arg; break;
	case OPT_HOST: o->host = arg; break;
	case OPT_AUTH:
		if (strchr(arg, ':') == NULL)
			return usage_error("bad --auth '%s' (expected user:password)", arg);
		o->auth = arg;
		break;
	case 'L': o->follow = 1; break;
	case OPT_MAX_REDIRECTS:
		if (parse_uint(arg, 0, 1000, &o->max_redirects) != 0)
			return usage_error("bad --max-redirects '%s'", arg);
		break;
	case OPT_PROXY: o->proxy = arg; break;
	case OPT_NOPROXY: o->noproxy = arg; break;
	case OPT_PROXY_CA: o->proxy_ca = arg; break;
	case OPT_PROXY_INSECURE: o->proxy_insecure = 1; break;
	case OPT_CONNECT_TIMEOUT:
		return seconds_opt(c, arg, &o->connect_timeout_ms, 0);
	case '4': o->family = 4; break;
	case '6': o->family = 6; break;
	case OPT_UNIX_SOCKET: o->unix_socket = arg; break;
	case OPT_CA: o->ca = arg; break;
	case OPT_CERT: o->cert = arg; break;
	case OPT_KEY: o->key = arg; break;
	case OPT_PASSPHRASE: o->passphrase = arg; break;
	case 'n': case 'k': o->insecure = 1; break;
	case 'x':
		strv_push(&o->execute, arg, strlen(arg));
		sendv_push(&o->sends, wsc_xstrdup(arg), strlen(arg), NULL);
		break;
	case 'w':
		o->wait_given = 1;
		return seconds_opt(c, arg, &o->wait_ms, 1);
	case 'P': o->show_ping_pong = 1; break;
	case OPT_SLASH: o->slash = 1; break;
	case 'b': o->binary = 1; break;
	case OPT_ECHO: o->echo = 1; break;
	case OPT_PING_INTERVAL:
		return seconds_opt(c, arg, &o->ping_interval_ms, 0);
	case OPT_PING_TIMEOUT:
		return seconds_opt(c, arg, &o->ping_timeout_ms, 0);
	case OPT_RECONNECT:
		o->reconnect = 1;
		if (arg != NULL && parse_uint(arg, 0, 1000000, &o->reconnect_max) != 0)
			return usage_error("bad --reconnect count '%s'", arg);
		break;
	case OPT_MAX_MESSAGE:
		if (parse_size(arg, &o->max_message) != 0)
			return usage_error("bad --max-message '%s'", arg);
		break;
	case OPT_NO_COMPRESSION: o->no_compression = 1; break;
	case OPT_BINARY_OUTPUT:
		if (strcmp(arg, "hex") == 0)
			o->binary_output = WSC_BIN_HEX;
		else if (strcmp(arg, "raw") == 0)
			o->binary_output = WSC_BIN_RAW;
		else if (strcmp(arg, "base64") == 0)
			o->binary_output = WSC_BIN_BASE64;
		else
			return usage_error("bad --binary-output '%s' (hex, raw or base64)", arg);
		break;
	case 'v': o->verbose++; break;
	case 'q': o->quiet = 1; break;
	case OPT_NO_COLOR: o->no_color = 1; break;
	case OPT_JSONL: o->jsonl = 1; break;
	case OPT_TIMESTAMPS: o->timestamps = 1; break;
	case OPT_PRETTY: o->pretty = 1; break;
	case OPT_MEMORY_BUDGET:
		if (parse_size(arg, &o->memory_budget) != 0)
			return usage_error("bad --memory-budget '%s'", arg);
		break;
	case OPT_MESSAGE_TIMEOUT:
		return seconds_opt(c, arg, &o->message_timeout_ms, 0);
	case 'h': fputs(help_text, stdout); return 0;
	case OPT_VERSION: printf("wsc %s\n", PACKAGE_VERSION); return 0;
	case OPT_PINNEDPUBKEY: o->pinnedpubkey = arg; break;
	case OPT_FORWARD: o->forward = arg; break;
	case OPT_RUN: o->run = arg; break;
	case OPT_RAW: o->raw = 1; break;
	case OPT_TUNNEL: o->tunnel = arg; break;
	default: return scripting_option(o, c, arg);
	}
	return -1;
}

/* Where p stops being UTF-8 (a character cut off at the end counts from
 * its first byte), or SIZE_MAX when it is all valid. */
static size_t
utf8_bad_at(const uint8_t *p, size_t n)
{
	struct wsc_utf8	v;
	size_t		bad = 0, i;

	wsc_utf8_init(&v);
	if (wsc_utf8_feed(&v, p, n, &bad) != 0)
		return bad;
	if (wsc_utf8_complete(&v))
		return SIZE_MAX;
	for (i = n; i > 0 && n - i < 4 && (p[i - 1] & 0xc0) == 0x80; i--)
		;
	return i > 0 ? i - 1 : 0;
}

/* --until's expression compiles (REG_EXTENDED, as the session uses it). */
static int
check_regex(const char *re)
{
	regex_t	r;
	char	why[256];
	int	e = regcomp(&r, re, REG_EXTENDED | REG_NOSUB);

	if (e == 0) {
		regfree(&r);
		return -1;
	}
	regerror(e, &r, why, sizeof why);
	return usage_error("bad --until '%s': %s", re, why);
}

/* The scripting options' checks and defaults: --file texts are UTF-8,
 * --until compiles, -w waits until --count/--until are met, -m's clock
 * starts now. */
static int
check_scripting(struct wsc_options *o)
{
	size_t	i, bad;
	int	st;

	for (i = 0; i < o->sends.n && !o->binary; i++)
		if (o->sends.v[i].path != NULL && (bad = utf8_bad_at(
		    (const uint8_t *)o->sends.v[i].p, o->sends.v[i].n)) !=
		    SIZE_MAX)
			return usage_error("--file %s is not UTF-8 (byte %zu, "
			    "counting from 0); use -b to send it as binary",
			    o->sends.v[i].path, bad);
	if (o->until != NULL && (st = check_regex(o->until)) != -1)
		return st;
	if ((o->count > 0 || o->until != NULL) && !o->wait_given)
		o->wait_ms = -1;
	if (o->max_time_ms > 0)
		o->run_deadline = wsc_now_ms() + o->max_time_ms;
	return -1;
}

/* -l unix:PATH: a path that fits a socket address; no --bind. */
static int
check_listen_unix(const struct wsc_options *o)
{
	const char	*path = o->listen_port + 5;

	if (path[0] == '\0' || strlen(path) > WSC_UNIX_PATH_MAX)
		return usage_error("bad socket path '%s' (expected 1-%zu bytes)",
		    path, WSC_UNIX_PATH_MAX);
	if (o->bind != NULL)
		return usage_error("%s", "--bind cannot be used with -l unix:PATH");
	return -1;
}

/* --run on the client: the program is both ends of the messages, so
 * neither -x/--file nor --echo can be, stdout stays empty (no --jsonl),
 * and one program lives for one connection (no --reconnect). Its exit
 * closes at once, unless -w says to wait. */
static int
check_run(struct wsc_options *o)
{
	const char	*what = NULL;

	if (o->sends.n > 0)
		what = "-x/--file";
	else if (o->echo)
		what = "--echo";
	else if (o->jsonl)
		what = "--jsonl";
	else if (o->reconnect)
		what = "--reconnect";
	if (what != NULL)
		return usage_error("--run and %s exclude each other", what);
	if (!o->wait_given)
		o->wait_ms = 0;
	return -1;
}

/* --raw and --tunnel carry bytes both ways and nothing else: what
 * sends other messages, shows them otherwise or outlives the stream is
 * refused. By default the end of the input closes at once (-w 0). */
static int
check_stream(struct wsc_options *o)
{
	const char	*what = NULL;

	if (!o->raw && o->tunnel == NULL)
		return -1;
	if (o->listen_port != NULL)
		what = "-l";
	else if (o->sends.n > 0)
		what = "-x/--file";
	else if (o->echo)
		what = "--echo";
	else if (o->jsonl || o->pretty || o->timestamps || o->null_sep)
		what = "--jsonl/--pretty/--timestamps/-0";
	else if (o->count > 0 || o->until != NULL)
		what = "--count/--until";
	else if (o->reconnect)
		what = "--reconnect";
	else if (o->run != NULL)
		what = "--run";
	else if (o->raw && o->tunnel != NULL)
		what = "--raw";
	if (what != NULL)
		return usage_error("%s cannot be used with %s", what,
		    o->tunnel != NULL ? "--tunnel" : "--raw");
	if (!o->wait_given)
		o->wait_ms = 0;
	return -1;
}

/* Checks that the options make one coherent request. */
static int
check_combination(struct wsc_options *o)
{
	unsigned	port;
	int		st;

	if (o->ping_timeout_ms > 0 && o->ping_interval_ms == 0)
		return usage_error("%s", "--ping-timeout needs --ping-interval");
	if ((st = check_stream(o)) != -1)
		return st;
	if (o->listen_port != NULL) {
		if (o->url != NULL)
			return usage_error("%s", "-l and a URL exclude each other");
		if (strncmp(o->listen_port, "unix:", 5) == 0) {
			if ((st = check_listen_unix(o)) != -1)
				return st;
		} else if (parse_uint(o->listen_port, 1, 65535, &port) != 0)
			return usage_error("bad port '%s' (expected 1-65535)", o->listen_port);
		if (o->forward != NULL && o->run != NULL)
			return usage_error("%s", "--forward and --run exclude each other");
		if ((o->forward != NULL || o->run != NULL) && o->echo)
			return usage_error("%s and --echo exclude each other",
			    o->run != NULL ? "--run" : "--forward");
		return -1;
	}
	if (o->forward != NULL)
		return usage_error("%s", "--forward needs -l");
	if (o->url == NULL)
		return usage_error("%s", "no URL given");
	if ((o->cert == NULL) != (o->key == NULL))
		return usage_error("%s", "--cert and --key go together");
	if (o->echo && o->sends.n > 0)
		return usage_error("%s", "--echo and -x/--file exclude each other");
	if (o->jsonl && o->pretty)
		return usage_error("%s", "--jsonl and --pretty exclude each other");
	if (o->run != NULL && (st = check_run(o)) != -1)
		return st;
	return check_scripting(o);
}

int
wsc_options_parse(struct wsc_options *o, int argc, char **argv)
{
	int	c, r;

	set_defaults(o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt != 0 && strchr(short_opts, optopt) != NULL)
				return usage_error("option -%s needs a value",
				    (char[]){ (char)optopt, '\0' });
			return usage_error("unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
		if ((r = one_option(o, c, optarg)) != -1)
			return r;
	}
	if (optind < argc) {
		if (o->url != NULL || optind + 1 < argc)
			return usage_error("unexpected argument '%s'", argv[argc - 1]);
		o->url = argv[optind];
	}
	return check_combination(o);
}

static void
strv_free(struct wsc_strv *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

void
wsc_options_free(struct wsc_options *o)
{
	size_t	i;

	strv_free(&o->protocols);
	strv_free(&o->headers);
	strv_free(&o->execute);
	strv_free(&o->preamble);
	for (i = 0; i < o->sends.n; i++)
		free(o->sends.v[i].p);
	free(o->sends.v);
	o->sends.v = NULL;
	o->sends.n = 0;
}
