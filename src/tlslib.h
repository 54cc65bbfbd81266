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
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
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
	X(psa_crypto_init)
#else
#define WSC_TLSLIB_VERSIONED(X) \
	X(mbedtls_ssl_conf_min_version)
#define WSC_TLSLIB_CRYPTO_VERSIONED(X)
#endif

#define WSC_TLSLIB_CRYPTO(X) \
	X(mbedtls_pk_check_pair) \
	X(mbedtls_pk_free) \
	X(mbedtls_pk_init) \
	X(mbedtls_pk_parse_keyfile) \
	X(mbedtls_strerror) \
	WSC_TLSLIB_CRYPTO_VERSIONED(X)

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
	WSC_TLSLIB_VERSIONED(X)

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
#define mbedtls_pk_check_pair	(*wsc_tlslib.mbedtls_pk_check_pair)
#define mbedtls_pk_free		(*wsc_tlslib.mbedtls_pk_free)
#define mbedtls_pk_init		(*wsc_tlslib.mbedtls_pk_init)
#define mbedtls_pk_parse_keyfile	(*wsc_tlslib.mbedtls_pk_parse_keyfile)
#define mbedtls_strerror	(*wsc_tlslib.mbedtls_strerror)
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define psa_crypto_init		(*wsc_tlslib.psa_crypto_init)
#else
#define mbedtls_ssl_conf_min_version	(*wsc_tlslib.mbedtls_ssl_conf_min_version)
#endif
#endif

#endif /* WSC_LAZY_LOAD */

#endif
