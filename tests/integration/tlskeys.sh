#!/bin/sh
# Encrypted client keys in every format OpenSSL writes, made by openssl for
# this run from an RSA and an EC key, each used against a TLS server that
# requires a client certificate: traditional PEM (AES-128/192/256-CBC,
# DES-EDE3-CBC), PKCS#8 with PBES2 (AES-128/192/256-CBC, DES-EDE3-CBC,
# Camellia, DES-CBC; PBKDF2 with HMAC-SHA1/224/256/384/512) as PEM and
# DER, PKCS#12's PBE; then the failures: a wrong or missing passphrase,
# schemes nothing here decrypts (scrypt, PBES1), a damaged file.
# SSLKEYLOGFILE against the key log of Python's ssl server; --pinnedpubkey
# by hash, PEM and DER file, with and without -k.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets
make_pki

# ossl ARGS...: openssl, its output kept in the log for a failure.
ossl()
{
	openssl "$@" >>"$T/openssl.log" 2>&1 || {
		cat "$T/openssl.log" >&2
		bail_out "openssl $* failed"
	}
}

# The RSA client of mkcerts.sh, and an EC client whose key openssl
# encrypts from the start (genpkey -aes256: OpenSSL 3's default format).
cp "$PKI/client-plain.key" "$PKI/rsa.key"
cp "$PKI/client.pem" "$PKI/rsa.pem"
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 \
    -pass pass:secret -out "$PKI/ec-genpkey.key"
ossl pkey -in "$PKI/ec-genpkey.key" -passin pass:secret -out "$PKI/ec.key"
ossl req -new -key "$PKI/ec.key" -out "$PKI/ec.csr" -subj "/CN=wsc ec client"
ossl x509 -req -in "$PKI/ec.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
    -CAcreateserial -out "$PKI/ec.pem" -extfile "$PKI/client.ext" -days 30

start_peer tls_server --cert "$PKI/server.pem" --key "$PKI/server.key" \
    --client-ca "$PKI/ca.pem"
SERVER_LOG=$LOG
N=0

# key_ok KIND FILE WHAT: wsc connects with the KIND (rsa, ec) certificate
# and the key FILE (passphrase "secret"), and the server saw it.
key_ok()
{
	N=$((N + 1))
	case_begin "$1 key, $3"
	LOG=$SERVER_LOG
	run_wsc --ca "$PKI/ca.pem" --cert "$PKI/$1.pem" --key "$2" \
	    --passphrase secret -x "key-$N" -w 0.3 "wss://localhost:$PORT/"
	expect_rc 0
	expect_out_eq "key-$N"
	expect_file_line "$LOG" "text key-$N"
	case_end
}

# key_fails KIND FILE WHAT MESSAGE [wsc options]: exit 4 with MESSAGE.
key_fails()
{
	kind=$1 file=$2 what=$3 msg=$4
	shift 4
	case_begin "$kind key, $what: exit 4"
	run_wsc --ca "$PKI/ca.pem" --cert "$PKI/$kind.pem" --key "$file" "$@" \
	    -x x "wss://localhost:$PORT/"
	expect_rc 4
	expect_out_empty
	expect_err_contains "wsc: TLS failed: $msg"
	expect_err_lines 1
	case_end
}

for kind in rsa ec; do
	for c in aes128 aes192 aes256 des3; do
		f=$PKI/$kind-trad-$c.key
		ossl pkey -in "$PKI/$kind.key" -traditional -"$c" \
		    -passout pass:secret -out "$f"
		grep -q '^Proc-Type: 4,ENCRYPTED' "$f" || bail_out "$f: not traditional"
		key_ok "$kind" "$f" "traditional PEM, $c"
	done
	for c in aes-128-cbc aes-192-cbc aes-256-cbc des3; do
		for prf in hmacWithSHA1 hmacWithSHA224 hmacWithSHA256 \
		    hmacWithSHA384 hmacWithSHA512; do
			f=$PKI/$kind-p8-$c-$prf.key
			ossl pkcs8 -topk8 -in "$PKI/$kind.key" -v2 "$c" \
			    -v2prf "$prf" -passout pass:secret -out "$f"
			key_ok "$kind" "$f" "PKCS#8 PBES2, $c, $prf"
		done
	done
	f=$PKI/$kind-p8-camellia.key
	ossl pkcs8 -topk8 -in "$PKI/$kind.key" -v2 camellia-256-cbc \
	    -passout pass:secret -out "$f"
	key_ok "$kind" "$f" "PKCS#8 PBES2, camellia-256-cbc"
	f=$PKI/$kind-p8.der
	ossl pkcs8 -topk8 -in "$PKI/$kind.key" -v2 aes-256-cbc -outform DER \
	    -passout pass:secret -out "$f"
	key_ok "$kind" "$f" "PKCS#8 PBES2 as DER"
	f=$PKI/$kind-p8-iter1.key
	ossl pkcs8 -topk8 -in "$PKI/$kind.key" -v2 aes-128-cbc -iter 1 \
	    -passout pass:secret -out "$f"
	key_ok "$kind" "$f" "PKCS#8 PBES2, one PBKDF2 iteration"
	f=$PKI/$kind-p12pbe.key
	ossl pkcs8 -topk8 -in "$PKI/$kind.key" -v1 PBE-SHA1-3DES \
	    -passout pass:secret -out "$f"
	key_ok "$kind" "$f" "PKCS#8 with PKCS#12's PBE-SHA1-3DES"
done
key_ok ec "$PKI/ec-genpkey.key" "openssl genpkey -aes256"

# DES-CBC and PBES1 need OpenSSL's legacy provider, which may be missing.
if openssl pkcs8 -topk8 -in "$PKI/ec.key" -v2 des-cbc -provider legacy \
    -provider default -passout pass:secret -out "$PKI/ec-p8-des.key" \
    2>/dev/null; then
	key_ok ec "$PKI/ec-p8-des.key" "PKCS#8 PBES2, des-cbc"
	ossl pkcs8 -topk8 -in "$PKI/ec.key" -v1 PBE-MD5-DES -provider legacy \
	    -provider default -passout pass:secret -out "$PKI/ec-pbes1.key"
	key_fails ec "$PKI/ec-pbes1.key" "PBES1" "the key $PKI/ec-pbes1.key is \
encrypted with PBES1 (MD5, DES-CBC), which wsc cannot decrypt" --passphrase secret
else
	echo "# no legacy OpenSSL provider: the DES-CBC and PBES1 cases are skipped"
fi

# -------------------------------------------------------------- failures

P8=$PKI/rsa-p8-aes-256-cbc-hmacWithSHA256.key
key_fails rsa "$P8" "PKCS#8 PBES2 with a wrong passphrase" \
    "wrong passphrase for the key $P8" --passphrase wrong
key_fails rsa "$P8" "PKCS#8 PBES2 with an empty passphrase" \
    "wrong passphrase for the key $P8" --passphrase ''
key_fails rsa "$P8" "PKCS#8 PBES2 without --passphrase" \
    "the key $P8 is encrypted: give --passphrase"
key_fails ec "$PKI/ec-p8.der" "DER with a wrong passphrase" \
    "wrong passphrase for the key $PKI/ec-p8.der" --passphrase wrong
key_fails ec "$PKI/ec-trad-aes192.key" "traditional PEM with a wrong passphrase" \
    "wrong passphrase for the key $PKI/ec-trad-aes192.key" --passphrase wrong

ossl pkcs8 -topk8 -in "$PKI/ec.key" -scrypt -passout pass:secret \
    -out "$PKI/ec-scrypt.key"
key_fails ec "$PKI/ec-scrypt.key" "scrypt" "the key $PKI/ec-scrypt.key is \
encrypted with scrypt, which wsc cannot decrypt" --passphrase secret

# The DER with its last byte cut off.
head -c "$(($(wc -c <"$PKI/ec-p8.der") - 1))" "$PKI/ec-p8.der" >"$PKI/cut.der"
key_fails ec "$PKI/cut.der" "truncated DER" "cannot read the key $PKI/cut.der" \
    --passphrase secret
case_begin "a key file that is not there"
run_wsc --ca "$PKI/ca.pem" --cert "$PKI/ec.pem" --key "$T/none.key" \
    --passphrase secret -x x "wss://localhost:$PORT/"
expect_rc 4
expect_err_contains "wsc: TLS failed: cannot read the key $T/none.key: No such file or directory"
case_end

# -------------------------------------------------------------- SSLKEYLOGFILE

stop_peer

# keylog_case [--tls12]: the lines wsc writes are the ones the server's
# OpenSSL writes for the same sessions, in a file of mode 0600 that each
# connection appends to. With TLS 1.3 (mbedTLS 3.x) OpenSSL also logs the
# EXPORTER_SECRET, which mbedTLS does not export and Wireshark does not
# need to decrypt.
keylog_case()
{
	v=${1:-default}
	kl=$T/wsc-$v.keylog
	start_peer tls_server --cert "$PKI/server.pem" --key "$PKI/server.key" \
	    --keylog "$T/server-$v.keylog" "$@"
	case_begin "SSLKEYLOGFILE ($v): the server's lines, in a new 0600 file"
	export SSLKEYLOGFILE="$kl"
	run_wsc --ca "$PKI/ca.pem" -x one -w 0.3 "wss://localhost:$PORT/"
	expect_rc 0
	grep -v '^#\|^EXPORTER_SECRET ' "$T/server-$v.keylog" | sort >"$T/server.lines"
	sort "$kl" >"$T/wsc.lines"
	[ -s "$T/wsc.lines" ] || fail "wsc wrote no key log lines"
	grep -q '^CLIENT_RANDOM [0-9a-f]\{64\} [0-9a-f]\{96\}$\|^CLIENT_TRAFFIC_SECRET_0 ' \
	    "$kl" || fail "no CLIENT_RANDOM or CLIENT_TRAFFIC_SECRET_0 line"
	cmp -s "$T/server.lines" "$T/wsc.lines" || fail "the key logs differ: \
$(diff "$T/server.lines" "$T/wsc.lines" | head -n 6)"
	[ "$(stat -c %a "$kl")" = 600 ] || fail "mode $(stat -c %a "$kl"), not 600"
	n1=$(wc -l <"$kl")
	case_end
	case_begin "SSLKEYLOGFILE ($v): a second connection appends"
	run_wsc --ca "$PKI/ca.pem" -x two -w 0.3 "wss://localhost:$PORT/"
	unset SSLKEYLOGFILE
	expect_rc 0
	grep -v '^#\|^EXPORTER_SECRET ' "$T/server-$v.keylog" | sort >"$T/server.lines"
	sort "$kl" >"$T/wsc.lines"
	cmp -s "$T/server.lines" "$T/wsc.lines" || fail "the key logs differ"
	[ "$(wc -l <"$kl")" -eq $((2 * n1)) ] || fail "$(wc -l <"$kl") lines \
after two connections, $n1 after one"
	case_end
	stop_peer
}
keylog_case --tls12
keylog_case

# -------------------------------------------------------------- --pinnedpubkey

# pin_of CERT: the pin of CERT's public key as openssl computes it.
pin_of()
{
	openssl x509 -in "$1" -pubkey -noout |
	    openssl pkey -pubin -outform DER |
	    openssl dgst -sha256 -binary | base64 | sed 's|^|sha256//|'
}
PIN=$(pin_of "$PKI/server.pem")
OTHER_PIN=$(pin_of "$PKI/rogue.pem")
openssl x509 -in "$PKI/server.pem" -pubkey -noout >"$PKI/server.pub.pem"
openssl pkey -pubin -in "$PKI/server.pub.pem" -outform DER -out "$PKI/server.pub.der"
openssl x509 -in "$PKI/rogue.pem" -pubkey -noout >"$PKI/rogue.pub.pem"

start_peer tls_server --cert "$PKI/server.pem" --key "$PKI/server.key"
PIN_LOG=$LOG

# pin_ok PIN WHAT [wsc options]: connects with --pinnedpubkey PIN.
pin_ok()
{
	pin=$1 what=$2
	shift 2
	N=$((N + 1))
	case_begin "--pinnedpubkey: $what"
	LOG=$PIN_LOG
	run_wsc --pinnedpubkey "$pin" "$@" -x "pin-$N" -w 0.3 "wss://localhost:$PORT/"
	expect_rc 0
	expect_out_eq "pin-$N"
	expect_file_line "$LOG" "text pin-$N"
	case_end
}

# pin_refused PIN WHAT MESSAGE [wsc options]: exit 4 before any request.
pin_refused()
{
	pin=$1 what=$2 msg=$3
	shift 3
	case_begin "--pinnedpubkey: $what: exit 4"
	LOG=$PIN_LOG
	: >"$LOG"
	run_wsc --pinnedpubkey "$pin" "$@" -x x -w 0.3 "wss://localhost:$PORT/"
	expect_rc 4
	expect_out_empty
	expect_err_contains "wsc: TLS failed: $msg"
	expect_err_lines 1
	expect_file_lacks "$LOG" "connect /"
	case_end
}

pin_ok "$PIN" "the hash" --ca "$PKI/ca.pem"
pin_ok "$OTHER_PIN;$PIN" "the second hash of two" --ca "$PKI/ca.pem"
pin_ok "$PKI/server.pub.pem" "a PEM file" --ca "$PKI/ca.pem"
pin_ok "$PKI/server.pub.der" "a DER file" --ca "$PKI/ca.pem"
pin_ok "$PIN" "with -k, the pin alone" -k
SEEN="the server's public key $PIN does not match --pinnedpubkey"
pin_refused "$OTHER_PIN" "another key's hash" "$SEEN" --ca "$PKI/ca.pem"
pin_refused "$OTHER_PIN" "another key's hash, with -k" "$SEEN" -k
pin_refused "$PKI/rogue.pub.pem" "another key's PEM file" "$SEEN" -k
pin_refused "sha256//$(echo "${PIN#sha256//}" | tr 'A-Za-z' 'B-ZAb-za')" \
    "a hash with other letters" "$SEEN" -k
pin_refused "$PIN;sha1//abc" "an entry that is not sha256" \
    "bad --pinnedpubkey entry 'sha1//abc' (expected sha256//BASE64)" -k
pin_refused "$T/none.pem" "a file that is not there" \
    "cannot read --pinnedpubkey $T/none.pem: No such file or directory" -k
pin_refused "$PKI/ca.pem" "a certificate instead of a public key" \
    "cannot read --pinnedpubkey $PKI/ca.pem: no PEM PUBLIC KEY in it" -k
stop_peer

case_begin "--pinnedpubkey with -l is a usage error"
run_wsc -l "$(free_port)" --pinnedpubkey "$PIN"
expect_rc 2
expect_err_contains "--pinnedpubkey cannot be used with -l"
case_end

t_done
