/* Base64 (RFC 4648 section 4): the handshake's key and accept values,
 * Basic credentials, --binary-output base64. */
#ifndef WSC_BASE64_H
#define WSC_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Characters that n bytes encode to (padding included, no NUL). */
#define WSC_BASE64_LEN(n)	(((n) + 2) / 3 * 4)

/* Encodes n bytes of src into dst (room for WSC_BASE64_LEN(n)); returns
 * the length written. No NUL is added. */
size_t	wsc_base64_encode(char *dst, const uint8_t *src, size_t n);
/* Decodes n characters: padded, no whitespace, unused bits zero (the
 * canonical form, section 3.5). Returns the byte count (at most dlen), or
 * -1 for anything else or too little room. */
long	wsc_base64_decode(uint8_t *dst, size_t dlen, const char *src,
	    size_t n);

#endif
