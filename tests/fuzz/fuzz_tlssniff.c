/* fuzz-sources: src/tlsexplain.c src/escape.c src/tlslib.c src/lazy.c */
/* Fuzzes the sniffer of src/tlsexplain.c, which follows a server's
 * plaintext TLS records for a CertificateRequest: whatever the bytes, fed
 * whole or in pieces (sizes taken from the input) it ends in the same
 * state, never reads past them, and once it has seen an encrypted record
 * it ignores the rest. The words for a client whose server sent these
 * bytes are one bounded line. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>

#include "tlsexplain.h"
#include "tlsload.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Feeds p in pieces of 1..16 bytes chosen by the input. */
static void
feed_pieces(struct wsc_tls_sniff *s, const uint8_t *p, size_t n)
{
	size_t	i = 0, k;

	while (i < n) {
		k = 1 + p[(i * 7) % n] % 16;
		if (k > n - i)
			k = n - i;
		wsc_tlsexplain_sniff(s, p + i, k);
		i += k;
	}
}

/* The words for a handshake that failed after these bytes. */
static void
check_words(const struct wsc_tls_sniff *s, const uint8_t *p, size_t n)
{
	struct wsc_tls_seen	w;
	mbedtls_ssl_context	ssl;
	char			err[256];

	memset(&w, 0, sizeof w);
	memset(&ssl, 0, sizeof ssl);
	w.sniff = *s;
	w.headlen = n < sizeof w.head ? n : sizeof w.head;
	memcpy(w.head, p, w.headlen);
	w.has_cert = n > 0 && (p[0] & 1);
	memset(err, 'x', sizeof err);
	wsc_tlsexplain_client(&w, &ssl, MBEDTLS_ERR_NET_CONN_RESET,
	    n > 1 ? p[1] : -1, err, sizeof err);
	if (memchr(err, '\0', sizeof err) == NULL || err[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wsc_tls_sniff	whole, pieces, after;

	fuzz_tls_load();
	memset(&whole, 0, sizeof whole);
	memset(&pieces, 0, sizeof pieces);
	wsc_tlsexplain_sniff(&whole, data, size);
	feed_pieces(&pieces, data, size);
	if (memcmp(&whole, &pieces, sizeof whole) != 0)
		abort();
	if (whole.done) {
		after = whole;
		wsc_tlsexplain_sniff(&after, data, size);
		if (memcmp(&whole, &after, sizeof whole) != 0)
			abort();
	}
	check_words(&whole, data, size);
	return 0;
}
