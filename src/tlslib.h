/* mbedTLS's crypto, X.509 and TLS libraries, loaded for the first TLS
 * connection (lazy.h): tls.c is plain mbedTLS code, and these are the names
 * it uses from them, by library. A ws:// run needs none of them (the
 * handshake's SHA-1 and base64 are sha1.h and base64.h, the random bytes
 * rng.h). A build without lazy loading (configure --disable-lazy-load)
 * links all three: then the names are mbedTLS's own and there is nothing
 * to load. */
#ifndef WSC_TLSLIB_H
#define WSC_TLSLIB_H

#include <stddef.h>

#include <mbedtls/version.h>
#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/cipher.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "lazy.h"

/* Loads the three libraries once; 0, or -1 with why in err. */
int	wsc_tlslib_load(char *err, size_t errlen);

#ifdef WSC_LAZY_LOAD
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <psa/crypto.h>
#define WSC_TLSLIB_VERSIONED(X)
#define WSC_TLSLIB_CRYPTO_VERSIONED(X) \
	X(psa_crypto_init) \
	X(mbedtls_sha256)
#else
#define WSC_TLSLIB_VERSIONED(X) \
	X(mbedtls_ssl_conf_min_version)
#define WSC_TLSLIB_CRYPTO_VERSIONED(X) \
	X(mbedtls_sha256_ret)
#endif
/* PBKDF2 for encrypted keys (pkcs8.c): by digest type from 3.3 on. */
#if MBEDTLS_VERSION_NUMBER >= 0x03030000
#define WSC_TLSLIB_PBKDF2(X) \
	X(mbedtls_pkcs5_pbkdf2_hmac_ext)
#else
#define WSC_TLSLIB_PBKDF2(X) \
	X(mbedtls_pkcs5_pbkdf2_hmac)
#endif

/* Keys (keyfile.c, pkcs8.c) and pins (pin.c) use these too. */
#define WSC_TLSLIB_CRYPTO(X) \
	X(mbedtls_asn1_get_alg) \
	X(mbedtls_asn1_get_int) \
	X(mbedtls_asn1_get_tag) \
	X(mbedtls_base64_encode) \
	X(mbedtls_cipher_crypt) \
	X(mbedtls_cipher_free) \
	X(mbedtls_cipher_info_from_type) \
	X(mbedtls_cipher_init) \
	X(mbedtls_cipher_set_padding_mode) \
	X(mbedtls_cipher_setkey) \
	X(mbedtls_cipher_setup) \
	X(mbedtls_md_free) \
	X(mbedtls_md_info_from_type) \
	X(mbedtls_md_init) \
	X(mbedtls_md_setup) \
	X(mbedtls_oid_get_numeric_string) \
	X(mbedtls_pem_free) \
	X(mbedtls_pem_init) \
	X(mbedtls_pem_read_buffer) \
	X(mbedtls_pk_check_pair) \
	X(mbedtls_pk_free) \
	X(mbedtls_pk_init) \
	X(mbedtls_pk_parse_key) \
	X(mbedtls_pk_write_pubkey_der) \
	X(mbedtls_platform_zeroize) \
	X(mbedtls_strerror) \
	WSC_TLSLIB_PBKDF2(X) \
	WSC_TLSLIB_CRYPTO_VERSIONED(X)

/* SSLKEYLOGFILE (keylog.c): per context in 3.x, per configuration in
 * 2.28 when built with MBEDTLS_SSL_EXPORT_KEYS (Debian's is). */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define WSC_TLSLIB_KEYLOG(X) \
	X(mbedtls_ssl_set_export_keys_cb)
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
#define WSC_TLSLIB_KEYLOG(X) \
	X(mbedtls_ssl_conf_export_keys_ext_cb)
#else
#define WSC_TLSLIB_KEYLOG(X)
#endif

#define WSC_TLSLIB_X509(X) \
	X(mbedtls_x509_crt_free) \
	X(mbedtls_x509_crt_init) \
	X(mbedtls_x509_crt_parse_file) \
	X(mbedtls_x509_crt_verify_info) \
	X(mbedtls_x509_dn_gets)

#define WSC_TLSLIB_SSL(X) \
	X(mbedtls_ssl_close_notify) \
	X(mbedtls_ssl_conf_alpn_protocols) \
	X(mbedtls_ssl_conf_authmode) \
	X(mbedtls_ssl_conf_ca_chain) \
	X(mbedtls_ssl_conf_own_cert) \
	X(mbedtls_ssl_conf_rng) \
	X(mbedtls_ssl_conf_verify) \
	X(mbedtls_ssl_config_defaults) \
	X(mbedtls_ssl_config_free) \
	X(mbedtls_ssl_config_init) \
	X(mbedtls_ssl_free) \
	X(mbedtls_ssl_get_alpn_protocol) \
	X(mbedtls_ssl_get_bytes_avail) \
	X(mbedtls_ssl_get_ciphersuite) \
	X(mbedtls_ssl_get_peer_cert) \
	X(mbedtls_ssl_get_verify_result) \
	X(mbedtls_ssl_get_version) \
	X(mbedtls_ssl_handshake) \
	X(mbedtls_ssl_init) \
	X(mbedtls_ssl_read) \
	X(mbedtls_ssl_set_bio) \
	X(mbedtls_ssl_set_hostname) \
	X(mbedtls_ssl_setup) \
	X(mbedtls_ssl_write) \
	WSC_TLSLIB_VERSIONED(X) \
	WSC_TLSLIB_KEYLOG(X)

struct wsc_tlslib {
	WSC_TLSLIB_CRYPTO(WSC_LAZY_ENTRY)
	WSC_TLSLIB_X509(WSC_LAZY_ENTRY)
	WSC_TLSLIB_SSL(WSC_LAZY_ENTRY)
};

extern struct wsc_tlslib	wsc_tlslib;

#ifndef WSC_TLSLIB_IMPL
#define mbedtls_ssl_close_notify	(*wsc_tlslib.mbedtls_ssl_close_notify)
#define mbedtls_ssl_conf_alpn_protocols	(*wsc_tlslib.mbedtls_ssl_conf_alpn_protocols)
#define mbedtls_ssl_conf_authmode	(*wsc_tlslib.mbedtls_ssl_conf_authmode)
#define mbedtls_ssl_conf_ca_chain	(*wsc_tlslib.mbedtls_ssl_conf_ca_chain)
#define mbedtls_ssl_conf_own_cert	(*wsc_tlslib.mbedtls_ssl_conf_own_cert)
#define mbedtls_ssl_conf_rng	(*wsc_tlslib.mbedtls_ssl_conf_rng)
#define mbedtls_ssl_conf_verify	(*wsc_tlslib.mbedtls_ssl_conf_verify)
#define mbedtls_ssl_config_defaults	(*wsc_tlslib.mbedtls_ssl_config_defaults)
#define mbedtls_ssl_config_free	(*wsc_tlslib.mbedtls_ssl_config_free)
#define mbedtls_ssl_config_init	(*wsc_tlslib.mbedtls_ssl_config_init)
#define mbedtls_ssl_free	(*wsc_tlslib.mbedtls_ssl_free)
#define mbedtls_ssl_get_alpn_protocol	(*wsc_tlslib.mbedtls_ssl_get_alpn_protocol)
#define mbedtls_ssl_get_bytes_avail	(*wsc_tlslib.mbedtls_ssl_get_bytes_avail)
#define mbedtls_ssl_get_ciphersuite	(*wsc_tlslib.mbedtls_ssl_get_ciphersuite)
#define mbedtls_ssl_get_peer_cert	(*wsc_tlslib.mbedtls_ssl_get_peer_cert)
#define mbedtls_ssl_get_verify_result	(*wsc_tlslib.mbedtls_ssl_get_verify_result)
#define mbedtls_ssl_get_version	(*wsc_tlslib.mbedtls_ssl_get_version)
#define mbedtls_ssl_handshake	(*wsc_tlslib.mbedtls_ssl_handshake)
#define mbedtls_ssl_init	(*wsc_tlslib.mbedtls_ssl_init)
#define mbedtls_ssl_read	(*wsc_tlslib.mbedtls_ssl_read)
#define mbedtls_ssl_set_bio	(*wsc_tlslib.mbedtls_ssl_set_bio)
#define mbedtls_ssl_set_hostname	(*wsc_tlslib.mbedtls_ssl_set_hostname)
#define mbedtls_ssl_setup	(*wsc_tlslib.mbedtls_ssl_setup)
#define mbedtls_ssl_write	(*wsc_tlslib.mbedtls_ssl_write)
#define mbedtls_x509_crt_free	(*wsc_tlslib.mbedtls_x509_crt_free)
#define mbedtls_x509_crt_init	(*wsc_tlslib.mbedtls_x509_crt_init)
#define mbedtls_x509_crt_parse_file	(*wsc_tlslib.mbedtls_x509_crt_parse_file)
#define mbedtls_x509_crt_verify_info	(*wsc_tlslib.mbedtls_x509_crt_verify_info)
#define mbedtls_x509_dn_gets	(*wsc_tlslib.mbedtls_x509_dn_gets)
#define mbedtls_asn1_get_alg	(*wsc_tlslib.mbedtls_asn1_get_alg)
#define mbedtls_asn1_get_int	(*wsc_tlslib.mbedtls_asn1_get_int)
#define mbedtls_asn1_get_tag	(*wsc_tlslib.mbedtls_asn1_get_tag)
#define mbedtls_base64_encode	(*wsc_tlslib.mbedtls_base64_encode)
#define mbedtls_cipher_crypt	(*wsc_tlslib.mbedtls_cipher_crypt)
#define mbedtls_cipher_free	(*wsc_tlslib.mbedtls_cipher_free)
#define mbedtls_cipher_info_from_type	(*wsc_tlslib.mbedtls_cipher_info_from_type)
#define mbedtls_cipher_init	(*wsc_tlslib.mbedtls_cipher_init)
#define mbedtls_cipher_set_padding_mode	(*wsc_tlslib.mbedtls_cipher_set_padding_mode)
#define mbedtls_cipher_setkey	(*wsc_tlslib.mbedtls_cipher_setkey)
#define mbedtls_cipher_setup	(*wsc_tlslib.mbedtls_cipher_setup)
#define mbedtls_md_free		(*wsc_tlslib.mbedtls_md_free)
#define mbedtls_md_info_from_type	(*wsc_tlslib.mbedtls_md_info_from_type)
#define mbedtls_md_init		(*wsc_tlslib.mbedtls_md_init)
#define mbedtls_md_setup	(*wsc_tlslib.mbedtls_md_setup)
#define mbedtls_oid_get_numeric_string	(*wsc_tlslib.mbedtls_oid_get_numeric_string)
#define mbedtls_pem_free	(*wsc_tlslib.mbedtls_pem_free)
#define mbedtls_pem_init	(*wsc_tlslib.mbedtls_pem_init)
#define mbedtls_pem_read_buffer	(*wsc_tlslib.mbedtls_pem_read_buffer)
#define mbedtls_pk_check_pair	(*wsc_tlslib.mbedtls_pk_check_pair)
#define mbedtls_pk_free		(*wsc_tlslib.mbedtls_pk_free)
#define mbedtls_pk_init		(*wsc_tlslib.mbedtls_pk_init)
#define mbedtls_pk_parse_key	(*wsc_tlslib.mbedtls_pk_parse_key)
#define mbedtls_pk_write_pubkey_der	(*wsc_tlslib.mbedtls_pk_write_pubkey_der)
#define mbedtls_platform_zeroize	(*wsc_tlslib.mbedtls_platform_zeroize)
#define mbedtls_strerror	(*wsc_tlslib.mbedtls_strerror)
#if MBEDTLS_VERSION_NUMBER >= 0x03030000
#define mbedtls_pkcs5_pbkdf2_hmac_ext	(*wsc_tlslib.mbedtls_pkcs5_pbkdf2_hmac_ext)
#else
#define mbedtls_pkcs5_pbkdf2_hmac	(*wsc_tlslib.mbedtls_pkcs5_pbkdf2_hmac)
#endif
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define psa_crypto_init		(*wsc_tlslib.psa_crypto_init)
#define mbedtls_sha256		(*wsc_tlslib.mbedtls_sha256)
#else
#define mbedtls_ssl_conf_min_version	(*wsc_tlslib.mbedtls_ssl_conf_min_version)
#define mbedtls_sha256_ret	(*wsc_tlslib.mbedtls_sha256_ret)
#endif
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define mbedtls_ssl_set_export_keys_cb	(*wsc_tlslib.mbedtls_ssl_set_export_keys_cb)
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
#define mbedtls_ssl_conf_export_keys_ext_cb	(*wsc_tlslib.mbedtls_ssl_conf_export_keys_ext_cb)
#endif
#endif

#endif /* WSC_LAZY_LOAD */

#endif
