/* --pinnedpubkey, as curl spells it: the server's public key (its
 * SubjectPublicKeyInfo) must be one of a list of SHA-256 hashes
 * ("sha256//BASE64;sha256//BASE64") or the key in a PEM or DER file. */
#ifndef WSC_PIN_H
#define WSC_PIN_H

#include <stddef.h>
#include <stdint.h>

#define WSC_PIN_MATCH		0
#define WSC_PIN_MISMATCH	1
#define WSC_PIN_BAD		(-1)	/* the pin itself is unusable */

/* "sha256//" and the base64 of a SHA-256 hash, and the NUL. */
#define WSC_PIN_SEEN_LEN	(8 + 44 + 1)

/* Checks the SubjectPublicKeyInfo DER spki against pin. seen gets the
 * key's own pin, "sha256//BASE64", for the message; err why the pin is
 * unusable (BAD: an entry without sha256//, a file that cannot be read). */
int	wsc_pin_check(const char *pin, const uint8_t *spki, size_t len,
	    char seen[WSC_PIN_SEEN_LEN], char *err, size_t errlen);

#endif
