/* wsc-bench-peer: a small, fast WebSocket server for scripts/bench.
 * It reuses wsc's own protocol core in the server role.
 *   peer --mode flood --count N --size S [--binary]   send N messages, then Close
 *   peer --mode sink                                   count what arrives
 *   peer --mode echo [--close-after N] [--delay-ms MS] echo (and Close after N),
 *        each echo MS milliseconds late (scripts/static-order: the client waits)
 *   peer --mode rawflood --bytes N                     N raw bytes, no WebSocket
 *   peer --connect PORT                                read raw TCP to stdout
 *   peer --drain                                       count stdin bytes, print the count
 *   peer --cipher-speed                                MB/s of mbedTLS's TLS AEADs, one core
 *   peer --time 'COMMAND' [--stdin F] [--stdout F]     run it; print "seconds maxrss-KiB
 *        cpu-seconds" (a plain word list is run directly, anything else through sh -c;
 *        its stdout is F, or /dev/null)
 *   --cert FILE --key FILE                             serve over TLS (mbedTLS)
 * It listens on 127.0.0.1, prints its port on the first line of stdout,
 * serves clients one after another, and reports per connection on stderr. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/version.h>
#include <mbedtls/chachapoly.h>
#include <mbedtls/gcm.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <psa/crypto.h>
#endif

#include "handshake.h"
#include "rng.h"
#include "ws.h"

struct peer {
	const char	*mode;
	unsigned long	 count;
	size_t		 size;
	int		 binary;
	unsigned long	 close_after;
	unsigned long long bytes;
	const char	*cert;
	const char	*key;
	long		 delay_ms;
};

/* The server side of TLS, when --cert is given: one connection at a time. */
static struct {
	mbedtls_ssl_config	conf;
	mbedtls_x509_crt	cert;
	mbedtls_pk_context	key;
	mbedtls_ssl_context	ssl;
	int			on;
} tls;

/* Blocking socket callbacks for mbedTLS. */
static int
tls_send_cb(void *ctx, const unsigned char *p, size_t n)
{
	ssize_t	r;

	do
		r = send(*(int *)ctx, p, n, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r < 0 ? MBEDTLS_ERR_SSL_INTERNAL_ERROR : (int)r;
}

static int
tls_recv_cb(void *ctx, unsigned char *p, size_t n)
{
	ssize_t	r;

	do
		r = recv(*(int *)ctx, p, n, 0);
	while (r < 0 && errno == EINTR);
	return r < 0 ? MBEDTLS_ERR_SSL_INTERNAL_ERROR : (int)r;
}

/* Loads the certificate and key once. */
static int
tls_setup(const struct peer *pp)
{
	void	*rng = wsc_rng_get();

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	if (psa_crypto_init() != PSA_SUCCESS)
		return -1;
#endif
	mbedtls_ssl_config_init(&tls.conf);
	mbedtls_x509_crt_init(&tls.cert);
	mbedtls_pk_init(&tls.key);
	if (mbedtls_x509_crt_parse_file(&tls.cert, pp->cert) != 0 ||
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
	    mbedtls_pk_parse_keyfile(&tls.key, pp->key, NULL,
	    wsc_rng_fill, rng) != 0 ||
#else
	    mbedtls_pk_parse_keyfile(&tls.key, pp->key, NULL) != 0 ||
#endif
	    mbedtls_ssl_config_defaults(&tls.conf, MBEDTLS_SSL_IS_SERVER,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) != 0 ||
	    mbedtls_ssl_conf_own_cert(&tls.conf, &tls.cert, &tls.key) != 0)
		return -1;
	mbedtls_ssl_conf_rng(&tls.conf, wsc_rng_fill, rng);
	tls.on = 1;
	return 0;
}

/* Runs the server handshake on a new connection. */
static int
tls_accept(int *fd)
{
	mbedtls_ssl_init(&tls.ssl);
	if (mbedtls_ssl_setup(&tls.ssl, &tls.conf) != 0)
		return -1;
	mbedtls_ssl_set_bio(&tls.ssl, fd, tls_send_cb, tls_recv_cb, NULL);
	return mbedtls_ssl_handshake(&tls.ssl) == 0 ? 0 : -1;
}

/* send() or its TLS equivalent. */
static ssize_t
io_send(int fd, const void *p, size_t n)
{
	int	r;

	if (!tls.on)
		return send(fd, p, n, MSG_NOSIGNAL);
	r = mbedtls_ssl_write(&tls.ssl, p, n > INT32_MAX ? INT32_MAX : n);
	return r < 0 ? -1 : r;
}

/* recv() or its TLS equivalent; 0 at the end. */
static ssize_t
io_recv(int fd, void *p, size_t n)
{
	int	r;

	if (!tls.on)
		return recv(fd, p, n, 0);
	r = mbedtls_ssl_read(&tls.ssl, p, n > INT32_MAX ? INT32_MAX : n);
	if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
		return 0;
	return r < 0 ? -1 : r;
}

/* Writes all of p (blocking socket). */
static int
write_all(int fd, const void *p, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		r = io_send(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p = (const char *)p + r;
		n -= (size_t)r;
	}
	return 0;
}

/* Reads the Upgrade request and answers 101; leftover bytes go to ws. */
static int
accept_handshake(int fd, struct wsc_ws *ws)
{
	char			buf[WSC_HS_MAX_HEAD], acc[WSC_HS_ACCEPT_LEN + 1], resp[256];
	struct wsc_http_msg	m;
	size_t			got = 0;
	ssize_t			r;
	int			hl = 0;
	const char		*key;

	while (hl == 0) {
		r = io_recv(fd, buf + got, sizeof buf - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		hl = wsc_http_parse(buf, got, 1, &m);
		if (hl < 0)
			return -1;
	}
	if ((key = wsc_http_header(&m, "Sec-WebSocket-Key")) == NULL) {
		wsc_http_msg_free(&m);
		return -1;
	}
	wsc_hs_accept(key, acc);
	wsc_http_msg_free(&m);
	snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n\r\n", acc);
	if (write_all(fd, resp, strlen(resp)) != 0)
		return -1;
	return wsc_ws_feed(ws, (uint8_t *)buf + hl, got - (size_t)hl);
}

/* Writes what the core queued. */
static int
flush_ws(int fd, struct wsc_ws *ws)
{
	int	r = write_all(fd, wsc_ws_out_data(ws), wsc_ws_buffered(ws));

	wsc_ws_out_consume(ws, wsc_ws_buffered(ws));
	return r;
}

/* Sends count messages, then our Close. A server does not mask, so the
 * frames are the same every time: a block of them (about 1 MiB, at least
 * one frame) is encoded once and written over and over, which makes the
 * flood as cheap as the raw loopback ceiling's writes. */
static int
flood(int fd, struct wsc_ws *ws, const struct peer *pp)
{
	char		*msg = malloc(pp->size ? pp->size : 1);
	uint8_t		*block;
	size_t		 per = 1, blen, flen;
	unsigned long	 i;
	int		 op = pp->binary ? WSC_OP_BINARY : WSC_OP_TEXT, r = 0;

	memset(msg, 'x', pp->size);
	if (pp->size < (1 << 20))
		per = (1 << 20) / (pp->size + 2);
	if (per > pp->count)
		per = pp->count;
	for (i = 0; i < per; i++)
		wsc_ws_send(ws, op, msg, pp->size);
	free(msg);
	blen = wsc_ws_buffered(ws);
	flen = per > 0 ? blen / per : 0;
	block = malloc(blen ? blen : 1);
	memcpy(block, wsc_ws_out_data(ws), blen);
	wsc_ws_out_consume(ws, blen);
	for (i = 0; r == 0 && per > 0 && i + per <= pp->count; i += per)
		r = write_all(fd, block, blen);
	if (r == 0 && i < pp->count)
		r = write_all(fd, block, flen * (pp->count - i));
	free(block);
	wsc_ws_close(ws, WSC_CLOSE_NORMAL, NULL);
	return r == 0 ? flush_ws(fd, ws) : -1;
}

/* Sleeps ms milliseconds. */
static void
nap_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Reads and handles frames until the Close handshake ends. */
static void
serve(int fd, struct wsc_ws *ws, const struct peer *pp)
{
	struct wsc_event	 ev;
	unsigned long		 msgs = 0;
	unsigned long long	 bytes = 0;
	uint8_t			*dst;
	size_t			 avail;
	ssize_t			 r;
	int			 echo = strcmp(pp->mode, "echo") == 0;

	for (;;) {
		while (wsc_ws_next(ws, &ev) != WSC_EV_NONE) {
			if (ev.type == WSC_EV_MESSAGE) {
				msgs++;
				bytes += ev.len;
				if (echo && pp->delay_ms > 0)
					nap_ms(pp->delay_ms);
				if (echo)
					wsc_ws_send(ws, ev.opcode, ev.data, ev.len);
				if (pp->close_after && msgs == pp->close_after)
					wsc_ws_close(ws, WSC_CLOSE_NORMAL, NULL);
			}
		}
		if (flush_ws(fd, ws) != 0 || ws->state == WSC_WS_CLOSED ||
		    ws->state == WSC_WS_FAILED)
			break;
		dst = wsc_ws_read_space(ws, 0, &avail);
		r = io_recv(fd, dst, avail);
		if (r <= 0)
			break;
		wsc_ws_commit(ws, (size_t)r);
	}
	fprintf(stderr, "peer: %lu messages, %llu bytes\n", msgs, bytes);
}

/* Sends raw bytes: the loopback ceiling, with no WebSocket at all. */
static void
rawflood(int fd, unsigned long long bytes)
{
	static char	buf[1 << 20];
	size_t		n;

	memset(buf, 'x', sizeof buf);
	while (bytes > 0) {
		n = bytes < sizeof buf ? (size_t)bytes : sizeof buf;
		if (write_all(fd, buf, n) != 0)
			return;
		bytes -= n;
	}
}

/* Client side of the ceiling: loopback TCP into stdout, read in 256 KiB
 * like wsc does, so that the two differ only by WebSocket itself. */
static int
raw_client(unsigned port)
{
	static char		buf[256 * 1024];
	struct sockaddr_in	sin;
	ssize_t			r;
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
		return 1;
	while ((r = recv(fd, buf, sizeof buf, 0)) > 0)
		if (write(STDOUT_FILENO, buf, (size_t)r) != r)
			return 1;
	return 0;
}

/* The reading end of a pipe for the bench: counts what arrives on stdin
 * and prints the count, so throughput runs check their byte counts. */
static int
drain(void)
{
	static char		buf[1 << 18];
	unsigned long long	total = 0;
	ssize_t			r;

	while ((r = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 1;
		total += (unsigned long long)r;
	}
	printf("%llu\n", total);
	return 0;
}

/* Seconds since an arbitrary start. */
static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --cipher-speed: how fast one core seals 16 KiB TLS records with the two
 * AEADs an mbedTLS client and server pick here (ChaCha20-Poly1305 first,
 * then AES-128-GCM), each for a quarter of a second. Opening a record
 * costs the same. A wss:// stream cannot beat this: it is the ceiling
 * that scripts/bench shows S6 against. Prints "NAME MB/s" lines. */
static int
cipher_speed(void)
{
	static unsigned char		in[16384], out[16384];
	unsigned char			key[32] = { 1 }, iv[12] = { 2 }, tag[16];
	mbedtls_chachapoly_context	cp;
	mbedtls_gcm_context		gcm;
	double				t0, t;
	size_t				n;

	mbedtls_chachapoly_init(&cp);
	mbedtls_gcm_init(&gcm);
	if (mbedtls_chachapoly_setkey(&cp, key) != 0 ||
	    mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128) != 0)
		return 1;
	t0 = now_s();
	for (n = 0; (t = now_s() - t0) < 0.25; n++)
		mbedtls_chachapoly_encrypt_and_tag(&cp, sizeof in, iv, NULL, 0,
		    in, out, tag);
	printf("chacha20-poly1305 %.0f\n", (double)n * sizeof in / t / 1e6);
	t0 = now_s();
	for (n = 0; (t = now_s() - t0) < 0.25; n++)
		mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, sizeof in,
		    iv, sizeof iv, NULL, 0, in, out, sizeof tag, tag);
	printf("aes-128-gcm %.0f\n", (double)n * sizeof in / t / 1e6);
	mbedtls_chachapoly_free(&cp);
	mbedtls_gcm_free(&gcm);
	return 0;
}

/* Where --time's command reads and writes (NULL: the launcher's stdin,
 * and /dev/null so the command's output does not mix with the figures). */
static const char	*time_in, *time_out;

/* Starts the command in the child: directly when it is a plain word list
 * (no shell in the time or the RSS), else through sh -c. */
static void
exec_command(const char *cmd)
{
	char	*copy, *argv[64], *w;
	int	 argc = 0, in, out;

	out = open(time_out != NULL ? time_out : "/dev/null",
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(out, STDOUT_FILENO);
	if (time_in != NULL) {
		in = open(time_in, O_RDONLY);
		dup2(in, STDIN_FILENO);
	}
	if (strpbrk(cmd, "|&;<>()$`\\\"'*?[#~=%{}\n") == NULL &&
	    (copy = strdup(cmd)) != NULL) {
		for (w = strtok(copy, " \t"); w != NULL && argc < 63;
		    w = strtok(NULL, " \t"))
			argv[argc++] = w;
		argv[argc] = NULL;
		if (argc > 0)
			execvp(argv[0], argv);
		_exit(127);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Runs a command and reports its wall time, peak RSS and CPU time (user
 * and system: on a shared machine it varies far less than the wall time,
 * which also holds the waits for other processes). Forked from this
 * small process, the child's RSS is not inflated by whatever forked it
 * (a Python harness would be); the figure is the largest process of the
 * command line (wait4 counts the children the shell waited for). */
static int
time_command(const char *cmd)
{
	struct timespec	t0, t1;
	struct rusage	ru;
	pid_t		pid;
	int		st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == 0)
		exec_command(cmd);
	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.6f %ld %.6f\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ru.ru_maxrss,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* Serves one accepted client as the mode says. */
static void
handle(int fd, const struct peer *pp)
{
	struct wsc_ws	ws;
	int		one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (strcmp(pp->mode, "rawflood") == 0) {
		rawflood(fd, pp->bytes);
		return;
	}
	if (tls.on && tls_accept(&fd) != 0) {
		mbedtls_ssl_free(&tls.ssl);
		return;
	}
	if (wsc_ws_init(&ws, WSC_ROLE_SERVER, NULL, NULL, 1ULL << 40) != 0)
		return;
	if (accept_handshake(fd, &ws) == 0) {
		if (strcmp(pp->mode, "flood") == 0)
			flood(fd, &ws, pp);
		serve(fd, &ws, pp);
	}
	wsc_ws_free(&ws);
	if (tls.on) {
		mbedtls_ssl_close_notify(&tls.ssl);
		mbedtls_ssl_free(&tls.ssl);
	}
}

/* Listens on 127.0.0.1:0 and prints the port. */
static int
listen_any(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		return -1;
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	return fd;
}

int
main(int argc, char **argv)
{
	static const struct option	opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "binary", no_argument, NULL, 'b' },
		{ "close-after", required_argument, NULL, 'c' },
		{ "bytes", required_argument, NULL, 'B' },
		{ "connect", required_argument, NULL, 'C' },
		{ "time", required_argument, NULL, 'T' },
		{ "drain", no_argument, NULL, 'D' },
		{ "cipher-speed", no_argument, NULL, 'A' },
		{ "stdin", required_argument, NULL, 'I' },
		{ "stdout", required_argument, NULL, 'O' },
		{ "cert", required_argument, NULL, 'e' },
		{ "key", required_argument, NULL, 'k' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	struct peer	pp = { "echo", 0, 0, 0, 0, 0, NULL, NULL, 0 };
	const char	*time_cmd = NULL;
	int		c, lfd, fd;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': pp.mode = optarg; break;
		case 'n': pp.count = strtoul(optarg, NULL, 10); break;
		case 's': pp.size = strtoul(optarg, NULL, 10); break;
		case 'b': pp.binary = 1; break;
		case 'c': pp.close_after = strtoul(optarg, NULL, 10); break;
		case 'B': pp.bytes = strtoull(optarg, NULL, 10); break;
		case 'C': return raw_client((unsigned)atoi(optarg));
		case 'T': time_cmd = optarg; break;
		case 'I': time_in = optarg; break;
		case 'O': time_out = optarg; break;
		case 'D': return drain();
		case 'A': return cipher_speed();
		case 'e': pp.cert = optarg; break;
		case 'k': pp.key = optarg; break;
		case 'd': pp.delay_ms = strtol(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	if (time_cmd != NULL)
		return time_command(time_cmd);
	if (pp.cert != NULL && tls_setup(&pp) != 0) {
		fprintf(stderr, "peer: cannot load %s / %s\n", pp.cert, pp.key);
		return 1;
	}
	if ((lfd = listen_any()) == -1)
		return 1;
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		handle(fd, &pp);
		close(fd);
	}
}
