/* Unit tests for frame headers, masking and close codes (src/frame.c). */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"

static const uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };

struct hdr_case {
	uint64_t	len;
	int		masked;
	size_t		n;
	uint8_t		bytes[WSC_FRAME_MAX_HEADER];
};

/* Exact headers of a final binary frame for every length form (5.2). */
static const struct hdr_case hdrs[] = {
	{ 0, 0, 2, { 0x82, 0x00 } },
	{ 1, 0, 2, { 0x82, 0x01 } },
	{ 125, 0, 2, { 0x82, 0x7d } },
	{ 126, 0, 4, { 0x82, 0x7e, 0x00, 0x7e } },
	{ 127, 0, 4, { 0x82, 0x7e, 0x00, 0x7f } },
	{ 65535, 0, 4, { 0x82, 0x7e, 0xff, 0xff } },
	{ 65536, 0, 10, { 0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0 } },
	{ 0xffffffffULL, 0, 10, { 0x82, 0x7f, 0, 0, 0, 0, 0xff, 0xff, 0xff,
	    0xff } },
	{ 0x100000000ULL, 0, 10, { 0x82, 0x7f, 0, 0, 0, 1, 0, 0, 0, 0 } },
	{ 0x7fffffffffffffffULL, 0, 10, { 0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff } },
	{ 0, 1, 6, { 0x82, 0x80, 0x37, 0xfa, 0x21, 0x3d } },
	{ 125, 1, 6, { 0x82, 0xfd, 0x37, 0xfa, 0x21, 0x3d } },
	{ 126, 1, 8, { 0x82, 0xfe, 0x00, 0x7e, 0x37, 0xfa, 0x21, 0x3d } },
	{ 65535, 1, 8, { 0x82, 0xfe, 0xff, 0xff, 0x37, 0xfa, 0x21, 0x3d } },
	{ 65536, 1, 14, { 0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 0x37, 0xfa,
	    0x21, 0x3d } },
	{ 0x100000000ULL, 1, 14, { 0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0x37,
	    0xfa, 0x21, 0x3d } },
	{ 0x7fffffffffffffffULL, 1, 14, { 0x82, 0xff, 0x7f, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0x37, 0xfa, 0x21, 0x3d } }
};
#define NHDRS	(sizeof hdrs / sizeof hdrs[0])

START_TEST(test_encode_exact)
{
	const struct hdr_case	*h = &hdrs[_i];
	uint8_t			 out[WSC_FRAME_MAX_HEADER + 4];
	size_t			 n;

	memset(out, 0xaa, sizeof out);
	n = wsc_frame_encode(out, 1, 0, WSC_OP_BINARY,
	    h->masked ? key : NULL, h->len);
	ck_assert_uint_eq(n, h->n);
	ck_assert_mem_eq(out, h->bytes, h->n);
	ck_assert_uint_eq(out[n], 0xaa);	/* nothing written past it */
}
END_TEST

START_TEST(test_decode_exact)
{
	const struct hdr_case	*h = &hdrs[_i];
	struct wsc_frame	 f;
	int			 flags;

	flags = h->masked ? WSC_FRAME_EXPECT_MASKED : 0;
	ck_assert_int_eq(wsc_frame_decode(h->bytes, h->n, flags, &f),
	    (int)h->n);
	ck_assert_int_eq(f.fin, 1);
	ck_assert_int_eq(f.rsv1 | f.rsv2 | f.rsv3, 0);
	ck_assert_int_eq(f.opcode, WSC_OP_BINARY);
	ck_assert_int_eq(f.masked, h->masked);
	ck_assert(f.len == h->len);
	ck_assert_uint_eq(f.header_len, h->n);
	if (h->masked)
		ck_assert_mem_eq(f.mask, key, 4);
	/* Payload bytes after the header do not change the result. */
	{
		uint8_t	buf[WSC_FRAME_MAX_HEADER + 8];

		memcpy(buf, h->bytes, h->n);
		memset(buf + h->n, 0xff, 8);
		ck_assert_int_eq(wsc_frame_decode(buf, h->n + 8, flags, &f),
		    (int)h->n);
		ck_assert(f.len == h->len);
	}
}
END_TEST

START_TEST(test_need_more)
{
	const struct hdr_case	*h = &hdrs[_i];
	struct wsc_frame	 f;
	int			 flags;
	size_t			 k;

	flags = h->masked ? WSC_FRAME_EXPECT_MASKED : 0;
	for (k = 0; k < h->n; k++)
		ck_assert_msg(wsc_frame_decode(h->bytes, k, flags, &f) ==
		    WSC_FRAME_NEED_MORE, "case %d prefix %zu", _i, k);
}
END_TEST

/* Round trips over every opcode, FIN, RSV1, mask and length form. */
START_TEST(test_round_trip)
{
	static const uint64_t	lens[] = { 0, 1, 125, 126, 65535, 65536,
	    0x100000000ULL, 0x7fffffffffffffffULL };
	static const int	ops[] = { 0, 1, 2, 8, 9, 10 };
	uint8_t			out[WSC_FRAME_MAX_HEADER];
	struct wsc_frame	f;
	size_t			li, oi, n;
	int			fin, rsv1, masked, flags, r;

	for (li = 0; li < sizeof lens / sizeof lens[0]; li++)
	for (oi = 0; oi < sizeof ops / sizeof ops[0]; oi++)
	for (fin = 0; fin < 2; fin++)
	for (rsv1 = 0; rsv1 < 2; rsv1++)
	for (masked = 0; masked < 2; masked++) {
		if (ops[oi] >= 8 && (!fin || lens[li] > 125))
			continue;
		n = wsc_frame_encode(out, fin, rsv1, ops[oi],
		    masked ? key : NULL, lens[li]);
		flags = WSC_FRAME_ALLOW_RSV1 |
		    (masked ? WSC_FRAME_EXPECT_MASKED : 0);
		r = wsc_frame_decode(out, n, flags, &f);
		if (r != (int)n || f.fin != fin || f.rsv1 != rsv1 ||
		    f.opcode != ops[oi] || f.masked != masked ||
		    f.len != lens[li] || f.header_len != n ||
		    (masked && memcmp(f.mask, key, 4) != 0))
			ck_abort_msg("round trip len %llu op %d fin %d rsv1 %d "
			    "masked %d: r %d", (unsigned long long)lens[li],
			    ops[oi], fin, rsv1, masked, r);
	}
}
END_TEST

START_TEST(test_encode_first_byte)
{
	uint8_t	out[WSC_FRAME_MAX_HEADER];

	wsc_frame_encode(out, 1, 1, WSC_OP_TEXT, NULL, 3);
	ck_assert_uint_eq(out[0], 0xc1);
	wsc_frame_encode(out, 0, 0, WSC_OP_TEXT, NULL, 3);
	ck_assert_uint_eq(out[0], 0x01);
	wsc_frame_encode(out, 0, 0, WSC_OP_CONT, NULL, 3);
	ck_assert_uint_eq(out[0], 0x00);
	wsc_frame_encode(out, 1, 0, WSC_OP_CLOSE, key, 2);
	ck_assert_uint_eq(out[0], 0x88);
	ck_assert_uint_eq(out[1], 0x82);
	wsc_frame_encode(out, 1, 0, WSC_OP_PONG, NULL, 0);
	ck_assert_uint_eq(out[0], 0x8a);
}
END_TEST

/* 5.2 only asks senders for the minimal form; we accept any. */
START_TEST(test_non_minimal)
{
	static const uint8_t	l16[] = { 0x81, 0x7e, 0x00, 0x05 };
	static const uint8_t	l64[] = { 0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0,
	    0x7e };
	static const uint8_t	ping16[] = { 0x89, 0x7e, 0x00, 0x7d };
	static const uint8_t	ping64[] = { 0x89, 0x7f, 0, 0, 0, 0, 0, 0, 0,
	    0x00 };
	struct wsc_frame	f;

	ck_assert_int_eq(wsc_frame_decode(l16, sizeof l16, 0, &f), 4);
	ck_assert(f.len == 5);
	ck_assert_int_eq(wsc_frame_decode(l64, sizeof l64, 0, &f), 10);
	ck_assert(f.len == 126);
	/* A control frame's length is its value, not its form. */
	ck_assert_int_eq(wsc_frame_decode(ping16, sizeof ping16, 0, &f), 4);
	ck_assert(f.len == 125);
	ck_assert_int_eq(wsc_frame_decode(ping64, sizeof ping64, 0, &f), 10);
	ck_assert(f.len == 0);
}
END_TEST

struct err_case {
	const char	*what;
	uint8_t		 bytes[10];
	size_t		 n;
	int		 flags;
	int		 want;
};

static const struct err_case errs[] = {
	{ "rsv1 not negotiated", { 0xc1, 0x00 }, 2, 0, WSC_FRAME_E_RSV },
	{ "rsv2", { 0xa1, 0x00 }, 2, 0, WSC_FRAME_E_RSV },
	{ "rsv3", { 0x91, 0x00 }, 2, 0, WSC_FRAME_E_RSV },
	{ "rsv2 with deflate", { 0xa1, 0x00 }, 2, WSC_FRAME_ALLOW_RSV1,
	    WSC_FRAME_E_RSV },
	{ "rsv3 with deflate", { 0x91, 0x00 }, 2, WSC_FRAME_ALLOW_RSV1,
	    WSC_FRAME_E_RSV },
	{ "all rsv", { 0xf1, 0x00 }, 2, WSC_FRAME_ALLOW_RSV1,
	    WSC_FRAME_E_RSV },
	{ "opcode 3", { 0x83, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode 4", { 0x84, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode 5", { 0x85, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode 6", { 0x86, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode 7", { 0x87, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode B", { 0x8b, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode C", { 0x8c, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode D", { 0x8d, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode E", { 0x8e, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode F", { 0x8f, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "opcode 3 no fin", { 0x03, 0x00 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "close not fin", { 0x08, 0x00 }, 2, 0, WSC_FRAME_E_CONTROL_FRAG },
	{ "ping not fin", { 0x09, 0x00 }, 2, 0, WSC_FRAME_E_CONTROL_FRAG },
	{ "pong not fin", { 0x0a, 0x00 }, 2, 0, WSC_FRAME_E_CONTROL_FRAG },
	{ "ping 126", { 0x89, 0x7e, 0x00, 0x7e }, 4, 0,
	    WSC_FRAME_E_CONTROL_LEN },
	{ "close 65536", { 0x88, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0 }, 10, 0,
	    WSC_FRAME_E_CONTROL_LEN },
	{ "pong 65535", { 0x8a, 0x7e, 0xff, 0xff }, 4, 0,
	    WSC_FRAME_E_CONTROL_LEN },
	{ "masked from server", { 0x81, 0x80, 1, 2, 3, 4 }, 6, 0,
	    WSC_FRAME_E_MASK },
	{ "unmasked from client", { 0x81, 0x00 }, 2, WSC_FRAME_EXPECT_MASKED,
	    WSC_FRAME_E_MASK },
	{ "len64 msb", { 0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0 }, 10, 0,
	    WSC_FRAME_E_LEN64 },
	{ "len64 all ones", { 0x82, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff }, 10, 0, WSC_FRAME_E_LEN64 },
	/* Fail fast: an error shows before the header is complete. */
	{ "opcode from 1 byte", { 0x83 }, 1, 0, WSC_FRAME_E_OPCODE },
	{ "rsv from 1 byte", { 0xc2 }, 1, 0, WSC_FRAME_E_RSV },
	{ "fragmented ping from 1 byte", { 0x09 }, 1, 0,
	    WSC_FRAME_E_CONTROL_FRAG },
	{ "mask before the key", { 0x81, 0x80 }, 2, 0, WSC_FRAME_E_MASK },
	{ "mask before the length", { 0x82, 0xff }, 2, 0, WSC_FRAME_E_MASK },
	{ "len64 msb from 3 bytes", { 0x82, 0x7f, 0x80 }, 3, 0,
	    WSC_FRAME_E_LEN64 },
	/* Order: RSV, opcode, fragmented control, mask, length. */
	{ "rsv before opcode", { 0xb3, 0x00 }, 2, 0, WSC_FRAME_E_RSV },
	{ "opcode before mask", { 0x83, 0x80 }, 2, 0, WSC_FRAME_E_OPCODE },
	{ "frag before len", { 0x09, 0x7e, 0x01, 0x00 }, 4, 0,
	    WSC_FRAME_E_CONTROL_FRAG },
	{ "mask before len64", { 0x82, 0xff, 0x80 }, 3, 0, WSC_FRAME_E_MASK },
	{ "len64 before control len", { 0x89, 0x7f, 0x80 }, 3, 0,
	    WSC_FRAME_E_LEN64 }
};
#define NERRS	(sizeof errs / sizeof errs[0])

START_TEST(test_errors)
{
	const struct err_case	*e = &errs[_i];
	struct wsc_frame	 f;
	int			 r;

	r = wsc_frame_decode(e->bytes, e->n, e->flags, &f);
	ck_assert_msg(r == e->want, "%s: got %d, want %d", e->what, r,
	    e->want);
	ck_assert_str_ne(wsc_frame_strerror(r), "unknown frame error");
}
END_TEST

START_TEST(test_accepted_edges)
{
	static const uint8_t	rsv1[] = { 0xc1, 0x00 };
	static const uint8_t	close125[] = { 0x88, 0x7d };
	static const uint8_t	masked[] = { 0x89, 0x80, 1, 2, 3, 4 };
	static const uint8_t	len64max[] = { 0x82, 0x7f, 0x7f, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff };
	struct wsc_frame	f;

	ck_assert_int_eq(wsc_frame_decode(rsv1, 2, WSC_FRAME_ALLOW_RSV1, &f),
	    2);
	ck_assert_int_eq(f.rsv1, 1);
	ck_assert_int_eq(f.opcode, WSC_OP_TEXT);
	ck_assert_int_eq(wsc_frame_decode(close125, 2, 0, &f), 2);
	ck_assert(f.len == 125);
	ck_assert_int_eq(wsc_frame_decode(masked, 6, WSC_FRAME_EXPECT_MASKED |
	    WSC_FRAME_ALLOW_RSV1, &f), 6);
	ck_assert_int_eq(f.masked, 1);
	ck_assert_mem_eq(f.mask, "\x01\x02\x03\x04", 4);
	ck_assert_int_eq(wsc_frame_decode(len64max, 10, 0, &f), 10);
	ck_assert(f.len == 0x7fffffffffffffffULL);
	/* Every valid opcode with FIN, unmasked, empty. */
	{
		static const int	ok[] = { 0, 1, 2, 8, 9, 10 };
		uint8_t			b[2];
		size_t			i;

		for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
			b[0] = (uint8_t)(0x80 | ok[i]);
			b[1] = 0;
			ck_assert_int_eq(wsc_frame_decode(b, 2, 0, &f), 2);
			ck_assert_int_eq(f.opcode, ok[i]);
		}
	}
}
END_TEST

/* Every first byte and second byte: decode never returns nonsense. */
START_TEST(test_decode_all_two_bytes)
{
	uint8_t			b[2];
	struct wsc_frame	f;
	unsigned		x, y;
	int			r, flags;

	for (flags = 0; flags < 4; flags++)
	for (x = 0; x < 256; x++)
	for (y = 0; y < 256; y++) {
		b[0] = (uint8_t)x;
		b[1] = (uint8_t)y;
		r = wsc_frame_decode(b, 2, flags, &f);
		/* Success needs an unmasked-for-us 7-bit length. */
		if (r > 0 && (r != 2 || (y & 0x7f) >= 126 ||
		    ((y & 0x80) != 0) != ((flags & 1) != 0)))
			ck_abort_msg("%02x %02x flags %d: %d", x, y, flags, r);
		if (r == 0 && (y & 0x7f) < 126 && !(y & 0x80))
			ck_abort_msg("%02x %02x: need more", x, y);
		if (r < WSC_FRAME_E_LEN64)
			ck_abort_msg("%02x %02x: %d", x, y, r);
	}
}
END_TEST

/* ------------------------------------------------------------------ */

/* Byte-wise reference for masking (5.3). */
static void
ref_mask(uint8_t *buf, size_t len, const uint8_t k[4], uint64_t offset)
{
	size_t	i;

	for (i = 0; i < len; i++)
		buf[i] ^= k[(offset + i) % 4];
}

START_TEST(test_mask_reference)
{
	uint8_t		data[96], a[96 + 8], b[96 + 8];
	size_t		len, start, i;
	uint64_t	off;

	for (i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (off = 0; off < 8; off++)
	for (len = 0; len <= 70; len++)
	for (start = 0; start < 8; start++) {	/* unaligned buffers */
		memset(a, 0x5a, sizeof a);
		memset(b, 0x5a, sizeof b);
		memcpy(a + start, data, len);
		memcpy(b + start, data, len);
		wsc_frame_mask(a + start, len, key, off);
		ref_mask(b + start, len, key, off);
		if (memcmp(a, b, sizeof a) != 0)
			ck_abort_msg("offset %llu len %zu start %zu",
			    (unsigned long long)off, len, start);
	}
}
END_TEST

/* The fused copy and mask gives what a copy and then wsc_frame_mask give,
 * at every length, key offset and alignment of both buffers, and writes
 * nothing past dst + len. */
START_TEST(test_mask_copy_reference)
{
	uint8_t		data[96 + 8], a[96 + 8], b[96 + 8];
	size_t		len, sa, da, i;
	uint64_t	off;

	for (i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 13 + 1);
	for (off = 0; off < 8; off++)
	for (len = 0; len <= 80; len++)
	for (sa = 0; sa < 8; sa++)
	for (da = 0; da < 8; da += 3) {
		memset(a, 0x5a, sizeof a);
		memset(b, 0x5a, sizeof b);
		memcpy(b + da, data + sa, len);
		ref_mask(b + da, len, key, off);
		wsc_frame_mask_copy(a + da, data + sa, len, key, off);
		if (memcmp(a, b, sizeof a) != 0)
			ck_abort_msg("offset %llu len %zu src %zu dst %zu",
			    (unsigned long long)off, len, sa, da);
	}
}
END_TEST

/* A large payload copied and masked in one pass unmasks back to itself. */
START_TEST(test_mask_copy_large)
{
	size_t		 n = 1 << 20, i;
	uint8_t		*src = malloc(n), *dst = malloc(n);

	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(dst);
	for (i = 0; i < n; i++)
		src[i] = (uint8_t)(i ^ (i >> 8));
	wsc_frame_mask_copy(dst, src, n, key, 3);
	ck_assert_int_ne(memcmp(dst, src, 64), 0);
	wsc_frame_mask(dst, n, key, 3);
	ck_assert_int_eq(memcmp(dst, src, n), 0);
	free(src);
	free(dst);
}
END_TEST

/* Masking in pieces, at any cut, equals masking at once; twice is identity. */
START_TEST(test_mask_pieces)
{
	uint8_t		data[200], a[200], b[200];
	size_t		cut1, cut2, i;

	for (i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i ^ 0xa5);
	memcpy(b, data, sizeof b);
	ref_mask(b, sizeof b, key, 0);
	for (cut1 = 0; cut1 <= 40; cut1++)
	for (cut2 = cut1; cut2 <= sizeof a; cut2 += 13) {
		memcpy(a, data, sizeof a);
		wsc_frame_mask(a, cut1, key, 0);
		wsc_frame_mask(a + cut1, cut2 - cut1, key, cut1);
		wsc_frame_mask(a + cut2, sizeof a - cut2, key, cut2);
		if (memcmp(a, b, sizeof a) != 0)
			ck_abort_msg("cuts %zu %zu", cut1, cut2);
		wsc_frame_mask(a, sizeof a, key, 0);
		if (memcmp(a, data, sizeof a) != 0)
			ck_abort_msg("not an involution at %zu %zu", cut1,
			    cut2);
	}
}
END_TEST

/* Offsets beyond 32 bits keep the key phase (offset % 4). */
START_TEST(test_mask_large_offset)
{
	uint8_t		a[20], b[20];
	uint64_t	off = 0x100000003ULL;

	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	wsc_frame_mask(a, sizeof a, key, off);
	ref_mask(b, sizeof b, key, 3);
	ck_assert_mem_eq(a, b, sizeof a);
	ck_assert_uint_eq(a[0], key[3]);
	ck_assert_uint_eq(a[1], key[0]);
}
END_TEST

/* The example from RFC 6455 section 5.7: a masked "Hello". */
START_TEST(test_mask_rfc_example)
{
	static const uint8_t	frame[] = { 0x81, 0x85, 0x37, 0xfa, 0x21,
	    0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 };
	uint8_t			payload[5];
	struct wsc_frame	f;

	ck_assert_int_eq(wsc_frame_decode(frame, sizeof frame,
	    WSC_FRAME_EXPECT_MASKED, &f), 6);
	ck_assert(f.len == 5);
	memcpy(payload, frame + 6, 5);
	wsc_frame_mask(payload, 5, f.mask, 0);
	ck_assert_mem_eq(payload, "Hello", 5);
}
END_TEST

/* ------------------------------------------------------------------ */

/* Independent statement of the rule (7.4.1, 7.4.2, conformance suites). */
static int
ref_close_valid(unsigned c)
{
	if (c < 1000 || c >= 5000)
		return (0);
	if (c == 1004 || c == 1005 || c == 1006 || c == 1015)
		return (0);
	if (c >= 1016 && c <= 2999)
		return (0);
	return (1);
}

START_TEST(test_close_code_valid)
{
	unsigned	c;

	for (c = 0; c < 70000; c++)
		if (wsc_close_code_valid(c) != ref_close_valid(c))
			ck_abort_msg("close code %u", c);
	ck_assert_int_eq(wsc_close_code_valid(1000), 1);
	ck_assert_int_eq(wsc_close_code_valid(1003), 1);
	ck_assert_int_eq(wsc_close_code_valid(1007), 1);
	ck_assert_int_eq(wsc_close_code_valid(1014), 1);
	ck_assert_int_eq(wsc_close_code_valid(3000), 1);
	ck_assert_int_eq(wsc_close_code_valid(4999), 1);
	ck_assert_int_eq(wsc_close_code_valid(999), 0);
	ck_assert_int_eq(wsc_close_code_valid(1005), 0);
	ck_assert_int_eq(wsc_close_code_valid(1015), 0);
	ck_assert_int_eq(wsc_close_code_valid(2999), 0);
	ck_assert_int_eq(wsc_close_code_valid(5000), 0);
	ck_assert_int_eq(wsc_close_code_valid(0xffffffffu), 0);
}
END_TEST

START_TEST(test_close_code_text)
{
	ck_assert_str_eq(wsc_close_code_text(1000), "normal closure");
	ck_assert_str_eq(wsc_close_code_text(1001), "going away");
	ck_assert_str_eq(wsc_close_code_text(1002), "protocol error");
	ck_assert_str_eq(wsc_close_code_text(1003), "unsupported data");
	ck_assert_str_eq(wsc_close_code_text(1004), "unknown");
	ck_assert_str_eq(wsc_close_code_text(1005), "no status received");
	ck_assert_str_eq(wsc_close_code_text(1006), "abnormal closure");
	ck_assert_str_eq(wsc_close_code_text(1007),
	    "invalid frame payload data");
	ck_assert_str_eq(wsc_close_code_text(1008), "policy violation");
	ck_assert_str_eq(wsc_close_code_text(1009), "message too big");
	ck_assert_str_eq(wsc_close_code_text(1010), "mandatory extension");
	ck_assert_str_eq(wsc_close_code_text(1011), "internal server error");
	ck_assert_str_eq(wsc_close_code_text(1012), "service restart");
	ck_assert_str_eq(wsc_close_code_text(1013), "try again later");
	ck_assert_str_eq(wsc_close_code_text(1014), "bad gateway");
	ck_assert_str_eq(wsc_close_code_text(1015), "TLS handshake failure");
	ck_assert_str_eq(wsc_close_code_text(1016), "unknown");
	ck_assert_str_eq(wsc_close_code_text(999), "unknown");
	ck_assert_str_eq(wsc_close_code_text(0), "unknown");
	ck_assert_str_eq(wsc_close_code_text(2999), "unknown");
	ck_assert_str_eq(wsc_close_code_text(3000), "registered (3000-3999)");
	ck_assert_str_eq(wsc_close_code_text(3999), "registered (3000-3999)");
	ck_assert_str_eq(wsc_close_code_text(4000), "private (4000-4999)");
	ck_assert_str_eq(wsc_close_code_text(4999), "private (4000-4999)");
	ck_assert_str_eq(wsc_close_code_text(5000), "unknown");
	ck_assert_str_eq(wsc_close_code_text(0xffffffffu), "unknown");
}
END_TEST

START_TEST(test_names)
{
	int	op;

	ck_assert_str_eq(wsc_opcode_name(WSC_OP_CONT), "CONT");
	ck_assert_str_eq(wsc_opcode_name(WSC_OP_TEXT), "TEXT");
	ck_assert_str_eq(wsc_opcode_name(WSC_OP_BINARY), "BINARY");
	ck_assert_str_eq(wsc_opcode_name(WSC_OP_CLOSE), "CLOSE");
	ck_assert_str_eq(wsc_opcode_name(WSC_OP_PING), "PING");
	ck_assert_str_eq(wsc_opcode_name(WSC_OP_PONG), "PONG");
	for (op = 3; op < 16; op++)
		if (op < 8 || op > 10)
			ck_assert_str_eq(wsc_opcode_name(op), "RESERVED");
	ck_assert_str_eq(wsc_opcode_name(-1), "RESERVED");
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_E_RSV),
	    "reserved bits set");
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_E_OPCODE),
	    "reserved opcode");
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_E_CONTROL_LEN),
	    "control frame longer than 125 bytes");
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_E_CONTROL_FRAG),
	    "fragmented control frame");
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_E_MASK),
	    "masked frame from server");
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_E_LEN64),
	    "64-bit length with the high bit set");
	ck_assert_str_eq(wsc_frame_strerror(WSC_FRAME_NEED_MORE),
	    "incomplete frame header");
	ck_assert_str_eq(wsc_frame_strerror(-99), "unknown frame error");
	ck_assert_str_eq(wsc_frame_strerror(5), "unknown frame error");
	ck_assert_str_eq(wsc_frame_strerror_flags(WSC_FRAME_E_MASK, 0),
	    "masked frame from server");
	ck_assert_str_eq(wsc_frame_strerror_flags(WSC_FRAME_E_MASK,
	    WSC_FRAME_EXPECT_MASKED), "unmasked frame from client");
	ck_assert_str_eq(wsc_frame_strerror_flags(WSC_FRAME_E_RSV,
	    WSC_FRAME_EXPECT_MASKED), "reserved bits set");
}
END_TEST

/* Builds the suite. */
static Suite *
frame_suite(void)
{
	Suite	*s = suite_create("frame");
	TCase	*th = tcase_create("header");
	TCase	*tm = tcase_create("mask");
	TCase	*tc = tcase_create("close");

	tcase_add_loop_test(th, test_encode_exact, 0, NHDRS);
	tcase_add_loop_test(th, test_decode_exact, 0, NHDRS);
	tcase_add_loop_test(th, test_need_more, 0, NHDRS);
	tcase_add_test(th, test_round_trip);
	tcase_add_test(th, test_encode_first_byte);
	tcase_add_test(th, test_non_minimal);
	tcase_add_loop_test(th, test_errors, 0, NERRS);
	tcase_add_test(th, test_accepted_edges);
	tcase_add_test(th, test_decode_all_two_bytes);
	suite_add_tcase(s, th);

	tcase_add_test(tm, test_mask_reference);
	tcase_add_test(tm, test_mask_pieces);
	tcase_add_test(tm, test_mask_copy_reference);
	tcase_add_test(tm, test_mask_copy_large);
	tcase_add_test(tm, test_mask_large_offset);
	tcase_add_test(tm, test_mask_rfc_example);
	suite_add_tcase(s, tm);

	tcase_add_test(tc, test_close_code_valid);
	tcase_add_test(tc, test_close_code_text);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(frame_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}
