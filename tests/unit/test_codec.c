/* Unit tests for src/sha1.c and src/base64.c: the published test vectors,
 * block and padding boundaries, and the decoder's refusals. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "handshake.h"
#include "sha1.h"

/* The hex digest of n bytes of p, hashed in pieces of step bytes. */
static const char *
sha1_hex(const void *p, size_t n, size_t step)
{
	static char	hex[2 * WSC_SHA1_LEN + 1];
	struct wsc_sha1	c;
	uint8_t		d[WSC_SHA1_LEN];
	size_t		i, k;

	wsc_sha1_init(&c);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		wsc_sha1_update(&c, (const uint8_t *)p + i, k);
	}
	wsc_sha1_final(&c, d);
	for (i = 0; i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

/* FIPS 180-2 appendix A and RFC 3174 section 7.3. */
START_TEST(sha1_vectors)
{
	static const char	two_blocks[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char			*a = malloc(1000000);

	ck_assert_str_eq(sha1_hex("", 0, 1),
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	ck_assert_str_eq(sha1_hex("abc", 3, 3),
	    "a9993e364706816aba3e25717850c26c9cd0d89d");
	ck_assert_str_eq(sha1_hex(two_blocks, 56, 56),
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	ck_assert_str_eq(sha1_hex(two_blocks, 56, 1),
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	ck_assert_ptr_nonnull(a);
	memset(a, 'a', 1000000);
	ck_assert_str_eq(sha1_hex(a, 1000000, 4096),
	    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}
END_TEST

/* 55, 56 and 64 bytes: the length fits the last block, or needs another. */
START_TEST(sha1_padding_boundaries)
{
	char	m[64];

	memset(m, 'a', sizeof m);
	ck_assert_str_eq(sha1_hex(m, 55, 7),
	    "c1c8bbdc22796e28c0e15163d20899b65621d65a");
	ck_assert_str_eq(sha1_hex(m, 56, 64),
	    "c2db330f6083854c99d4b5bfb6e8f29f201be699");
	ck_assert_str_eq(sha1_hex(m, 64, 63),
	    "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}
END_TEST

/* RFC 6455 section 1.3's example key and accept value. */
START_TEST(handshake_accept)
{
	char	out[WSC_HS_ACCEPT_LEN + 1];

	wsc_hs_accept("dGhlIHNhbXBsZSBub25jZQ==", out);
	ck_assert_str_eq(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
END_TEST

/* RFC 4648 section 10, both ways. */
START_TEST(base64_vectors)
{
	static const char *const	plain[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char *const	coded[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	char	out[16];
	uint8_t	raw[16];
	size_t	i, n;

	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		n = strlen(plain[i]);
		ck_assert_uint_eq(WSC_BASE64_LEN(n), strlen(coded[i]));
		out[wsc_base64_encode(out, (const uint8_t *)plain[i], n)] = '\0';
		ck_assert_str_eq(out, coded[i]);
		ck_assert_int_eq(wsc_base64_decode(raw, sizeof raw, coded[i],
		    strlen(coded[i])), (long)n);
		ck_assert_int_eq(memcmp(raw, plain[i], n), 0);
	}
}
END_TEST

/* Every byte value round-trips, at each tail length. */
START_TEST(base64_all_bytes)
{
	uint8_t	in[256], back[256];
	char	out[WSC_BASE64_LEN(256)];
	size_t	i, n, len;

	for (i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(255 - i);
	for (n = 253; n <= 256; n++) {
		len = wsc_base64_encode(out, in, n);
		ck_assert_int_eq(wsc_base64_decode(back, n, out, len), (long)n);
		ck_assert_int_eq(memcmp(in, back, n), 0);
	}
}
END_TEST

/* Non-canonical or malformed input, and too little room. */
START_TEST(base64_refusals)
{
	static const char *const	bad[] = {
		"Zg=", "Zg", "Z===", "====", "Zh==", "Zm9=", "Zg==Zg==",
		"Zm9v\n", "Zm 9", "Zm9-", "Zm=v", "=m9v", "Zm9v====", "Zm\0v"
	};
	uint8_t	raw[16];
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(wsc_base64_decode(raw, sizeof raw, bad[i],
		    i == 13 ? 4 : strlen(bad[i])) == -1, "accepted '%s'", bad[i]);
	ck_assert_int_eq(wsc_base64_decode(raw, 5, "Zm9vYmFy", 8), -1);
	ck_assert_int_eq(wsc_base64_decode(raw, 6, "Zm9vYmFy", 8), 6);
	ck_assert_int_eq(wsc_base64_decode(raw, 0, "", 0), 0);
}
END_TEST

static Suite *
codec_suite(void)
{
	Suite	*s = suite_create("codec");
	TCase	*tc = tcase_create("sha1 and base64");

	tcase_add_test(tc, sha1_vectors);
	tcase_add_test(tc, sha1_padding_boundaries);
	tcase_add_test(tc, handshake_accept);
	tcase_add_test(tc, base64_vectors);
	tcase_add_test(tc, base64_all_bytes);
	tcase_add_test(tc, base64_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(codec_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
