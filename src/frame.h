/* RFC 6455 section 5 frame headers and masking: pure functions on buffers. */
#ifndef WSC_FRAME_H
#define WSC_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum wsc_opcode {
	WSC_OP_CONT = 0x0,
	WSC_OP_TEXT = 0x1,
	WSC_OP_BINARY = 0x2,
	WSC_OP_CLOSE = 0x8,
	WSC_OP_PING = 0x9,
	WSC_OP_PONG = 0xA
};

/* Close status codes (RFC 6455 section 7.4.1). */
enum wsc_close_code {
	WSC_CLOSE_NORMAL = 1000,
	WSC_CLOSE_GOING_AWAY = 1001,
	WSC_CLOSE_PROTOCOL = 1002,
	WSC_CLOSE_UNSUPPORTED = 1003,
	WSC_CLOSE_NO_STATUS = 1005,	/* never on the wire */
	WSC_CLOSE_ABNORMAL = 1006,	/* never on the wire */
	WSC_CLOSE_INVALID_DATA = 1007,
	WSC_CLOSE_POLICY = 1008,
	WSC_CLOSE_TOO_BIG = 1009,
	WSC_CLOSE_EXTENSION = 1010,
	WSC_CLOSE_INTERNAL = 1011
};

/* Decoder results (negative) */
enum wsc_frame_err {
	WSC_FRAME_NEED_MORE = 0,
	WSC_FRAME_E_RSV = -1,		/* reserved bit set, not negotiated */
	WSC_FRAME_E_OPCODE = -2,	/* reserved opcode */
	WSC_FRAME_E_CONTROL_LEN = -3,	/* control frame payload > 125 */
	WSC_FRAME_E_CONTROL_FRAG = -4,	/* control frame without FIN */
	WSC_FRAME_E_MASK = -5,		/* masked when it must not be, or not when it must */
	WSC_FRAME_E_LEN64 = -6		/* 64-bit length with the top bit set */
};

/* Decoder flags */
#define WSC_FRAME_EXPECT_MASKED	0x1	/* we are the server */
#define WSC_FRAME_ALLOW_RSV1	0x2	/* permessage-deflate negotiated */

#define WSC_FRAME_MAX_HEADER	14

struct wsc_frame {
	int		fin;
	int		rsv1, rsv2, rsv3;
	int		opcode;
	int		masked;
	uint8_t		mask[4];
	uint64_t	len;		/* payload length */
	size_t		header_len;	/* bytes the header took */
};

/* Decodes the header at buf. Returns the header length (> 0), 0 when more
 * bytes are needed, or a negative enum wsc_frame_err. */
int	 wsc_frame_decode(const uint8_t *buf, size_t len, int flags,
	    struct wsc_frame *f);
/* Encodes a header into out (WSC_FRAME_MAX_HEADER bytes of room); mask
 * NULL for an unmasked frame. Returns the header length. */
size_t	 wsc_frame_encode(uint8_t *out, int fin, int rsv1, int opcode,
	    const uint8_t *mask, uint64_t len);
/* XORs len bytes with the key, starting at byte `offset` of the payload
 * (so a payload may be masked in pieces). Works a word at a time. */
void	 wsc_frame_mask(uint8_t *buf, size_t len, const uint8_t key[4],
	    uint64_t offset);
/* Copies len bytes from src to dst XORed with the key, as wsc_frame_mask
 * does in place, in one pass; dst and src must not overlap. */
void	 wsc_frame_mask_copy(uint8_t *restrict dst,
	    const uint8_t *restrict src, size_t len, const uint8_t key[4],
	    uint64_t offset);
/* Is code allowed in a Close frame on the wire (RFC 6455 section 7.4)? */
int	 wsc_close_code_valid(unsigned code);
/* Short meaning of a close code ("normal closure", "going away", ...). */
const char *wsc_close_code_text(unsigned code);
/* Opcode name for traces: "TEXT", "BINARY", "CONT", "PING", ... */
const char *wsc_opcode_name(int opcode);
/* Text for a decoder result; E_MASK is worded for a client. */
const char *wsc_frame_strerror(int err);
/* The same, with the mask message worded for the side the decode flags
 * name ("masked frame from server" / "unmasked frame from client"). */
const char *wsc_frame_strerror_flags(int err, int flags);

#endif
