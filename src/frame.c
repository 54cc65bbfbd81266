/* RFC 6455 section 5 frame headers, masking and close codes. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "frame.h"

/* Is the opcode one RFC 6455 section 5.2 defines (not 3-7, 0xB-0xF)? */
static int
frame_opcode_known(int op)
{
	return (op <= WSC_OP_BINARY ||
	    (op >= WSC_OP_CLOSE && op <= WSC_OP_PONG));
}

/* Checks what the first byte alone can tell: RSV bits, opcode, FIN. */
static int
frame_check_byte0(uint8_t b, int flags, struct wsc_frame *f)
{
	f->fin = (b >> 7) & 1;
	f->rsv1 = (b >> 6) & 1;
	f->rsv2 = (b >> 5) & 1;
	f->rsv3 = (b >> 4) & 1;
	f->opcode = b & 0x0f;

	/* 5.2: RSV bits are 0 unless an extension defines them; only
	 * permessage-deflate (RFC 7692) uses one, RSV1. */
	if (f->rsv2 || f->rsv3 || (f->rsv1 && !(flags & WSC_FRAME_ALLOW_RSV1)))
		return (WSC_FRAME_E_RSV);
	if (!frame_opcode_known(f->opcode))
		return (WSC_FRAME_E_OPCODE);
	/* 5.5: control frames must not be fragmented. */
	if (f->opcode >= WSC_OP_CLOSE && !f->fin)
		return (WSC_FRAME_E_CONTROL_FRAG);
	return (0);
}

/* Reads a big-endian integer of n bytes (network byte order, 5.2). */
static uint64_t
frame_get_be(const uint8_t *p, size_t n)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return (v);
}

/* Decodes the length at buf[1]: header length so far, NEED_MORE or error. */
static int
frame_decode_len(const uint8_t *buf, size_t len, struct wsc_frame *f)
{
	size_t	ext;
	uint8_t	len7 = buf[1] & 0x7f;

	ext = len7 == 127 ? 8 : len7 == 126 ? 2 : 0;
	/* 5.2: "the most significant bit MUST be 0"; fail as soon as seen. */
	if (ext == 8 && len > 2 && (buf[2] & 0x80))
		return (WSC_FRAME_E_LEN64);
	if (len < 2 + ext)
		return (WSC_FRAME_NEED_MORE);
	/* Non-minimal encodings are accepted: 5.2 only asks senders for
	 * the minimal form. */
	f->len = ext == 0 ? len7 : frame_get_be(buf + 2, ext);
	f->header_len = 2 + ext;
	/* 5.5: control frame payloads are at most 125 bytes. */
	if (f->opcode >= WSC_OP_CLOSE && f->len > 125)
		return (WSC_FRAME_E_CONTROL_LEN);
	return ((int)f->header_len);
}

/*
 * Decodes a frame header. Errors are reported as soon as the bytes that show
 * them have arrived, even if the rest of the header has not; NEED_MORE means
 * the bytes so far are a valid prefix of a header.
 */
int
wsc_frame_decode(const uint8_t *buf, size_t len, int flags,
    struct wsc_frame *f)
{
	int	r;

	memset(f, 0, sizeof *f);
	if (len < 1)
		return (WSC_FRAME_NEED_MORE);
	if ((r = frame_check_byte0(buf[0], flags, f)) != 0)
		return (r);
	if (len < 2)
		return (WSC_FRAME_NEED_MORE);
	f->masked = (buf[1] >> 7) & 1;
	/* 5.1: a client masks every frame, a server none. */
	if (f->masked != !!(flags & WSC_FRAME_EXPECT_MASKED))
		return (WSC_FRAME_E_MASK);
	if ((r = frame_decode_len(buf, len, f)) <= 0)
		return (r);
	if (f->masked) {
		if (len < f->header_len + 4)
			return (WSC_FRAME_NEED_MORE);
		memcpy(f->mask, buf + f->header_len, 4);
		f->header_len += 4;
	}
	return ((int)f->header_len);
}

/* Encodes a header with the minimal length form (5.2); see frame.h. */
size_t
wsc_frame_encode(uint8_t *out, int fin, int rsv1, int opcode,
    const uint8_t *mask, uint64_t len)
{
	size_t	n = 2, i;

	out[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
	out[1] = mask != NULL ? 0x80 : 0;
	if (len <= 125)
		out[1] |= (uint8_t)len;
	else if (len <= 0xffff) {
		out[1] |= 126;
		out[n++] = (uint8_t)(len >> 8);
		out[n++] = (uint8_t)len;
	} else {
		out[1] |= 127;
		for (i = 0; i < 8; i++)
			out[n++] = (uint8_t)(len >> (56 - 8 * i));
	}
	if (mask != NULL) {
		memcpy(out + n, mask, 4);
		n += 4;
	}
	return (n);
}

/* The key as an 8-byte word lined up with payload byte `offset`: byte j
 * of the word masks payload byte offset + j. Built from four rotated
 * bytes, not a loop with a division: for small frames this setup is most
 * of the cost (S2 in scripts/bench). */
static inline uint64_t
frame_key_word(const uint8_t key[4], uint64_t offset)
{
	unsigned	o = (unsigned)(offset & 3);
	uint8_t		k[8];
	uint64_t	kw;

	k[0] = k[4] = key[o];
	k[1] = k[5] = key[(o + 1) & 3];
	k[2] = k[6] = key[(o + 2) & 3];
	k[3] = k[7] = key[(o + 3) & 3];
	memcpy(&kw, k, sizeof kw);	/* same byte order as the loads */
	return kw;
}

/* XORs one 8-byte word at p with kw; memcpy keeps unaligned p safe. */
static inline void
frame_xor_word(uint8_t *p, uint64_t kw)
{
	uint64_t	w;

	memcpy(&w, p, sizeof w);
	w ^= kw;
	memcpy(p, &w, sizeof w);
}

/*
 * XORs the payload with the masking key (5.3) a word at a time: this is the
 * hot path for every byte we send. Byte j of the buffer is payload byte
 * offset + j, so it takes key[(offset + j) % 4]. Four words per iteration
 * let compilers use vector registers (about 3x faster with GCC -O2).
 */
void
wsc_frame_mask(uint8_t *buf, size_t len, const uint8_t key[4],
    uint64_t offset)
{
	uint64_t	kw = frame_key_word(key, offset);
	size_t		i;

	for (i = 0; len - i >= 32; i += 32) {
		frame_xor_word(buf + i, kw);
		frame_xor_word(buf + i + 8, kw);
		frame_xor_word(buf + i + 16, kw);
		frame_xor_word(buf + i + 24, kw);
	}
	for (; len - i >= 8; i += 8)
		frame_xor_word(buf + i, kw);
	for (; i < len; i++)
		buf[i] ^= key[(offset + i) & 3];
}

/* XORs one 8-byte word from src into dst with kw: the copy and the mask
 * in one load and one store. */
static inline void
frame_xor_copy_word(uint8_t *restrict dst, const uint8_t *restrict src,
    uint64_t kw)
{
	uint64_t	w;

	memcpy(&w, src, sizeof w);
	w ^= kw;
	memcpy(dst, &w, sizeof w);
}

/*
 * Copies and masks in one pass (5.3): the payload is read once and the
 * masked bytes written once, where a copy and then wsc_frame_mask would
 * read and write the destination twice. Four words per iteration, as
 * above, let compilers use vector registers.
 */
void
wsc_frame_mask_copy(uint8_t *restrict dst, const uint8_t *restrict src,
    size_t len, const uint8_t key[4], uint64_t offset)
{
	uint64_t	kw = frame_key_word(key, offset);
	size_t		i;

	for (i = 0; len - i >= 32; i += 32) {
		frame_xor_copy_word(dst + i, src + i, kw);
		frame_xor_copy_word(dst + i + 8, src + i + 8, kw);
		frame_xor_copy_word(dst + i + 16, src + i + 16, kw);
		frame_xor_copy_word(dst + i + 24, src + i + 24, kw);
	}
	for (; len - i >= 8; i += 8)
		frame_xor_copy_word(dst + i, src + i, kw);
	for (; i < len; i++)
		dst[i] = src[i] ^ key[(offset + i) & 3];
}

/*
 * May this code appear in a Close frame (7.4.1, 7.4.2)? 1004-1006 and 1015
 * are reserved or never sent; 1012-1014 are registered with IANA since; the
 * rest of 1000-2999 is reserved for the protocol, 3000-4999 are for use.
 */
int
wsc_close_code_valid(unsigned code)
{
	if (code >= 1000 && code <= 1003)
		return (1);
	if (code >= 1007 && code <= 1014)
		return (1);
	return (code >= 3000 && code <= 4999);
}

/* Short meaning of a close code for messages (7.4.1, IANA registry). */
const char *
wsc_close_code_text(unsigned code)
{
	static const char *const text[] = {
		"normal closure",		/* 1000 */
		"going away",
		"protocol error",
		"unsupported data",
		NULL,				/* 1004: reserved */
		"no status received",
		"abnormal closure",
		"invalid frame payload data",
		"policy violation",
		"message too big",
		"mandatory extension",		/* 1010 */
		"internal server error",
		"service restart",
		"try again later",
		"bad gateway",
		"TLS handshake failure"		/* 1015 */
	};

	if (code >= 1000 && code <= 1015 && text[code - 1000] != NULL)
		return (text[code - 1000]);
	if (code >= 3000 && code <= 3999)
		return ("registered (3000-3999)");
	if (code >= 4000 && code <= 4999)
		return ("private (4000-4999)");
	return ("unknown");
}

/* Opcode name for traces (5.2). */
const char *
wsc_opcode_name(int opcode)
{
	switch (opcode) {
	case WSC_OP_CONT:
		return ("CONT");
	case WSC_OP_TEXT:
		return ("TEXT");
	case WSC_OP_BINARY:
		return ("BINARY");
	case WSC_OP_CLOSE:
		return ("CLOSE");
	case WSC_OP_PING:
		return ("PING");
	case WSC_OP_PONG:
		return ("PONG");
	}
	return ("RESERVED");
}

/* Text for a decoder result, the mask message worded for our side. */
const char *
wsc_frame_strerror_flags(int err, int flags)
{
	switch (err) {
	case WSC_FRAME_NEED_MORE:
		return ("incomplete frame header");
	case WSC_FRAME_E_RSV:
		return ("reserved bits set");
	case WSC_FRAME_E_OPCODE:
		return ("reserved opcode");
	case WSC_FRAME_E_CONTROL_LEN:
		return ("control frame longer than 125 bytes");
	case WSC_FRAME_E_CONTROL_FRAG:
		return ("fragmented control frame");
	case WSC_FRAME_E_MASK:
		if (flags & WSC_FRAME_EXPECT_MASKED)
			return ("unmasked frame from client");
		return ("masked frame from server");
	case WSC_FRAME_E_LEN64:
		return ("64-bit length with the high bit set");
	}
	return ("unknown frame error");
}

/* Text for a decoder result, as seen by a client (flags 0). */
const char *
wsc_frame_strerror(int err)
{
	return (wsc_frame_strerror_flags(err, 0));
}
