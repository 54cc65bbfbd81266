/* mbedTLS's TLS and X.509 libraries, loaded for the first TLS connection
 * (lazy.h): tls.c is plain mbedTLS code, and these are the names it uses
 * from them, by library. The crypto library (SHA-1, base64, the random
 * generator) is linked as usual: every connection needs it. */
#ifndef WSC_TLSLIB_H
#define WSC_TLSLIB_H

#include <stddef.h>

#include <mbedtls/version.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "lazy.h"

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define WSC_TLSLIB_VERSIONED(X)
#else
#define WSC_TLSLIB_VERSIONED(X) \
	X(mbedtls_ssl_conf_min_version)
#endif

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
	WSC_TLSLIB_X509(WSC_LAZY_ENTRY)
	WSC_TLSLIB_SSL(WSC_LAZY_ENTRY)
};

extern struct wsc_tlslib	wsc_tlslib;

/* Loads the X.509 and TLS libraries once; 0, or -1 with why in err. */
int	wsc_tlslib_load(char *err, size_t errlen);

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
#if MBEDTLS_VERSION_NUMBER < 0x03000000
#define mbedtls_ssl_conf_min_version	(*wsc_tlslib.mbedtls_ssl_conf_min_version)
#endif
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define mbedtls_ssl_set_export_keys_cb	(*wsc_tlslib.mbedtls_ssl_set_export_keys_cb)
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
#define mbedtls_ssl_conf_export_keys_ext_cb	(*wsc_tlslib.mbedtls_ssl_conf_export_keys_ext_cb)
#endif
#endif

#endif
