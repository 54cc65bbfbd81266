/* wsc-bench-minclient: the least a WebSocket client can do for S1 in
 * scripts/bench, with the C library alone: connect to 127.0.0.1, the
 * opening handshake, one masked text message, print the echo, answer the
 * server's Close, wait for the server to close the connection, exit. Its start-up time and peak RSS are the floor a
 * full client is measured against.
 *   minclient PORT MESSAGE
 * No TLS, no extensions, no Sec-WebSocket-Accept check (that needs SHA-1):
 * a peer known to be the bench peer in echo mode is assumed. Exits 1 on
 * any failure. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char	request[] =
    "GET / HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

/* Bytes read and not yet used. */
static unsigned char	in[4096];
static size_t		have;

/* Writes all of p; 0 or -1. */
static int
put(int fd, const void *p, size_t n)
{
	const unsigned char	*b = p;
	ssize_t			 r;

	while (n > 0) {
		if ((r = write(fd, b, n)) <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Reads more into in; 0 or -1 (EOF, error or full). */
static int
fill(int fd)
{
	ssize_t	r;

	if (have == sizeof in ||
	    (r = read(fd, in + have, sizeof in - have)) <= 0)
		return -1;
	have += (size_t)r;
	return 0;
}

/* Drops the first n bytes of in. */
static void
consume(size_t n)
{
	memmove(in, in + n, have - n);
	have -= n;
}

/* Sends one masked frame; the mask needs no strength here (no proxy). */
static int
send_frame(int fd, int opcode, const void *data, size_t n)
{
	unsigned char	f[2 + 4 + 125];
	uint32_t	key = (uint32_t)time(NULL) * 2654435761u;
	size_t		i;

	if (n > 125)
		return -1;
	f[0] = (unsigned char)(0x80 | opcode);
	f[1] = (unsigned char)(0x80 | n);
	memcpy(f + 2, &key, 4);
	for (i = 0; i < n; i++)
		f[6 + i] = ((const unsigned char *)data)[i] ^ f[2 + i % 4];
	return put(fd, f, 6 + n);
}

/* Where the head's empty line ends in the first n bytes of p, or NULL
 * (memmem is not POSIX). */
static unsigned char *
head_end(unsigned char *p, size_t n)
{
	size_t	i;

	for (i = 0; i + 4 <= n; i++)
		if (memcmp(p + i, "\r\n\r\n", 4) == 0)
			return p + i;
	return NULL;
}

/* Reads the 101 response up to its empty line. */
static int
handshake(int fd)
{
	unsigned char	*end;

	if (put(fd, request, sizeof request - 1) != 0)
		return -1;
	while ((end = head_end(in, have)) == NULL)
		if (fill(fd) != 0)
			return -1;
	if (have < 12 || memcmp(in, "HTTP/1.1 101", 12) != 0)
		return -1;
	consume((size_t)(end + 4 - in));
	return 0;
}

/* One unmasked server frame of up to 125 bytes: its opcode, its payload
 * printed when it is text, a Close answered. 1 after the Close, 0 for more,
 * -1 on failure. */
static int
frame(int fd)
{
	size_t	n;
	int	op;

	while (have < 2 || have < 2 + (size_t)(in[1] & 0x7f))
		if (fill(fd) != 0)
			return -1;
	op = in[0] & 0x0f;
	if ((n = in[1] & 0x7f) > 125)
		return -1;
	if (op == 1) {
		fwrite(in + 2, 1, n, stdout);
		putchar('\n');
	}
	consume(2 + n);
	if (op != 8)
		return 0;
	return send_frame(fd, 8, "\x03\xe8", 2) == 0 ? 1 : -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in	sa;
	int			fd, r;

	if (argc != 3)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    handshake(fd) != 0 ||
	    send_frame(fd, 1, argv[2], strlen(argv[2])) != 0)
		return 1;
	while ((r = frame(fd)) == 0)
		;
	/* The server closes the TCP connection first (RFC 6455 section
	 * 7.1.1): wait for its EOF, as a full client does. */
	while (r == 1 && fill(fd) == 0)
		have = 0;
	close(fd);
	return r == 1 && fflush(stdout) == 0 ? 0 : 1;
}
