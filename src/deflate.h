/* permessage-deflate (RFC 7692) with zlib: negotiating the parameters
 * (pure functions on header values) and the per-connection compression
 * context that the protocol core (ws.c) drives message by message. */
#ifndef WSC_DEFLATE_H
#define WSC_DEFLATE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define ZLIB_CONST	/* next_in is const */
#include <zlib.h>

#include "buf.h"

/* What a client offers by default: the server may choose the window our
 * compressor uses (section 7.1.2.2), everything else is its call. */
#define WSC_PMD_OFFER		"permessage-deflate; client_max_window_bits"

/* Messages shorter than this are sent as they are: deflate would not
 * make them much smaller. */
#define WSC_PMD_MIN_SIZE	32

/* A *_max_window_bits parameter given without a value (offers only). */
#define WSC_PMD_BITS_ANY	(-1)

/* Results (negative) */
enum wsc_pmd_err {
	WSC_PMD_E_NEGOTIATION = -1,	/* a bad offer or response */
	WSC_PMD_E_NOMEM = -2,
	WSC_PMD_E_DATA = -3,		/* corrupt compressed data */
	WSC_PMD_E_TOO_BIG = -4,		/* inflates past the limit */
	WSC_PMD_E_NOT_SMALLER = -5,	/* compressing would not help */
	WSC_PMD_E_LOAD = -6		/* zlib cannot be loaded (errstr) */
};

/* The parameters of one offer or one agreement (section 7.1). Window
 * bits: 0 when absent, WSC_PMD_BITS_ANY when given without a value (only
 * client_max_window_bits in an offer), else 8-15. */
struct wsc_pmd_params {
	int	server_no_context_takeover;
	int	client_no_context_takeover;
	int	server_max_window_bits;
	int	client_max_window_bits;
};

/* Parses a Sec-WebSocket-Extensions value holding one permessage-deflate
 * offer (ours, e.g. WSC_PMD_OFFER) into p. Returns 0 or
 * WSC_PMD_E_NEGOTIATION with the reason in err. */
int	 wsc_pmd_parse_offer(const char *offer, struct wsc_pmd_params *p,
	    char *err, size_t errlen);
/* Checks the server's Sec-WebSocket-Extensions value against what was
 * offered (section 7.1): exactly one permessage-deflate, known parameters
 * at most once each, window bits 8-15, client_max_window_bits only when
 * offered and never above the offered value, server_max_window_bits never
 * above an offered value. Returns 1 with the agreed parameters in out
 * (window bits defaulted to 15), 0 when the response enables no extension
 * (compression off), or WSC_PMD_E_NEGOTIATION with a one-line reason. */
int	 wsc_pmd_negotiate(const struct wsc_pmd_params *offer,
	    const char *response, struct wsc_pmd_params *out, char *err,
	    size_t errlen);

/* The server's side (section 5): picks the first permessage-deflate offer
 * in the client's Sec-WebSocket-Extensions value (all its lines joined
 * with ", ") whose parameters are valid, declining the others. Returns 1
 * with the parameters to apply in agreed and the response header value in
 * resp (cap bytes; 128 are enough), or 0 when no offer is acceptable
 * (compression off). */
int	 wsc_pmd_select(const char *offers, struct wsc_pmd_params *agreed,
	    char *resp, size_t cap);

/* One connection's compression state. The z_streams and buffers live as
 * long as the connection: nothing is allocated per message. */
struct wsc_pmd {
	z_stream	inf;
	z_stream	def;
	int		inf_ready, def_ready;	/* init succeeded */
	int		inf_bits, def_bits;	/* zlib windowBits used */
	int		inf_reset;	/* no context takeover inbound */
	int		def_reset;	/* no context takeover outbound */
	int		inf_ended;	/* the sender ended the stream (BFINAL) */
	uint64_t	inf_msg_bytes;	/* compressed bytes of this message */
	uint8_t		*dict;		/* window kept across such an end */
	char		errstr[96];
};

/* Sets up z for the agreed parameters. is_server: which side we are (the
 * client inflates with the server_* parameters and deflates with the
 * client_* ones). Returns 0, WSC_PMD_E_NOMEM or WSC_PMD_E_LOAD (why in
 * z->errstr: zlib could not be loaded). wsc_pmd_free is safe
 * after a failed init and twice. */
int	 wsc_pmd_init(struct wsc_pmd *z, const struct wsc_pmd_params *agreed,
	    int is_server);
void	 wsc_pmd_free(struct wsc_pmd *z);

/* Inflates n more bytes of a compressed message, appending the output to
 * out while out holds at most limit bytes. fin: these are the message's
 * last bytes (the 00 00 ff ff tail of section 7.2.2 is added). Returns 0,
 * WSC_PMD_E_TOO_BIG (out then holds exactly limit bytes), WSC_PMD_E_DATA
 * (reason in z->errstr) or WSC_PMD_E_NOMEM. */
int	 wsc_pmd_inflate(struct wsc_pmd *z, const uint8_t *in, size_t n,
	    int fin, struct wsc_buf *out, uint64_t limit);
/* Compresses a whole message into dst, which has room for cap bytes
 * (section 7.2.1: the stream is flushed, its 00 00 ff ff tail written and
 * then dropped, so the result is at most cap - 4 bytes). Returns the
 * compressed length, or WSC_PMD_E_NOT_SMALLER when it does not fit (the
 * context then starts over, since the peer never sees that output). */
ssize_t	 wsc_pmd_deflate(struct wsc_pmd *z, const uint8_t *in, size_t n,
	    uint8_t *dst, size_t cap);

#endif
