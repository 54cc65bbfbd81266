#!/bin/sh
# wss:// against real TLS servers (python3-websockets with Python's ssl
# module) using a PKI made by tests/peers/mkcerts.sh with openssl for this
# run: verification against --ca, SSL_CERT_FILE and the IP subjectAltName,
# one case per failure (exit 4, the reason in words), client certificates,
# -v, close_notify, and many small and a few huge messages arriving whole
# (bytes held inside mbedTLS while the socket is silent).

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets
make_pki

# tls_peer STEM [args...]: a TLS server with the certificate STEM.pem.
tls_peer()
{
	stem=$1
	shift
	start_peer tls_server --cert "$PKI/$stem.pem" --key "$PKI/$stem.key" "$@"
}

# The CA bundle is never the test CA: without --ca the test PKI is unknown.
unset SSL_CERT_FILE

# -------------------------------------------------------------- success

tls_peer server
SERVER_PORT=$PORT
SERVER_LOG=$LOG

case_begin "wss://localhost verified against --ca"
LOG=$SERVER_LOG
run_wsc --ca "$PKI/ca.pem" -x hello -w 0.3 "wss://localhost:$PORT/secure?q=1"
expect_rc 0
expect_out_eq "hello"
expect_err_contains "Connected to wss://localhost:$PORT/secure?q=1"
expect_file_line "$LOG" "connect /secure?q=1"
expect_file_line "$LOG" "text hello"
case_end

case_begin "wss://127.0.0.1 verified against the IP subjectAltName"
LOG=$SERVER_LOG
run_wsc --ca "$PKI/ca.pem" -x by-address -w 0.3 "wss://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "by-address"
expect_file_line "$LOG" "host 127.0.0.1:$PORT"
case_end

case_begin "SNI names the host, and is not sent for an IP literal (RFC 6066)"
tls_peer server
run_wsc --ca "$PKI/ca.pem" -x named -w 0.3 "wss://localhost:$PORT/"
expect_rc 0
expect_file_line "$LOG" "sni localhost"
run_wsc --ca "$PKI/ca.pem" -x literal -w 0.3 "wss://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "literal"
expect_file_line "$LOG" "sni -"
[ "$(grep -c '^sni ' "$LOG")" = 2 ] || fail "$(grep '^sni ' "$LOG" | tr '\n' '|')"
stop_peer
# The cases below use the first server again.
PORT=$SERVER_PORT
case_end

case_begin "https:// is an alias of wss://"
LOG=$SERVER_LOG
run_wsc --ca "$PKI/ca.pem" -x alias -w 0.3 "https://localhost:$PORT/"
expect_rc 0
expect_out_eq "alias"
case_end

case_begin "SSL_CERT_FILE replaces the system bundle"
LOG=$SERVER_LOG
export SSL_CERT_FILE="$PKI/ca.pem"
run_wsc -x env -w 0.3 "wss://localhost:$PORT/"
unset SSL_CERT_FILE
expect_rc 0
expect_out_eq "env"
case_end

case_begin "--ca wins over SSL_CERT_FILE"
export SSL_CERT_FILE="$PKI/ca.pem"
run_wsc --ca "$PKI/rogueca.pem" -x x -w 0.3 "wss://localhost:$PORT/"
unset SSL_CERT_FILE
expect_rc 4
expect_err_contains "wsc: TLS failed: certificate not trusted (unknown CA: CN=wsc test CA)"
case_end

case_begin "the system bundle does not trust the test CA"
run_wsc -x x -w 0.3 "wss://localhost:$PORT/"
expect_rc 4
expect_out_empty
# (A machine without ca-certificates has no bundle to read at all.)
expect_err_matches '^wsc: TLS failed: (certificate not trusted \(unknown CA: CN=wsc test CA\)|cannot read the CA bundle .*: No such file or directory)'
expect_err_lines 1
case_end

case_begin "-v shows version, cipher suite, ALPN and the certificate"
run_wsc -v --ca "$PKI/ca.pem" -x v -w 0.3 "wss://localhost:$PORT/"
expect_rc 0
expect_err_matches '^\* TLS: TLSv1\.[23], cipher suite [A-Z0-9-]+, ALPN http/1\.1$'
expect_err_contains "* TLS: subject: CN=localhost"
expect_err_contains "* TLS: issuer: CN=wsc test CA"
expect_err_matches '^\* TLS: valid from 20[0-9-]+ [0-9:]+ UTC until 20[0-9-]+ [0-9:]+ UTC$'
expect_err_contains "* TLS: names: localhost, 127.0.0.1, ::1"
case_end

case_begin "a missing --ca file is a TLS failure naming it"
run_wsc --ca "$T/nonexistent.pem" -x x "wss://localhost:$PORT/"
expect_rc 4
expect_err_contains "wsc: TLS failed: cannot read --ca $T/nonexistent.pem: No such file or directory"
case_end

if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	for stem in server dnsonly; do
		tls_peer "$stem" --bind ::1
		plog=$LOG
		case_begin "wss://[::1] with the $stem certificate: IP subjectAltName"
		LOG=$plog
		run_wsc --ca "$PKI/ca.pem" -x v6 -w 0.3 "wss://[::1]:$PORT/"
		if [ "$stem" = server ]; then
			expect_rc 0
			expect_out_eq "v6"
			expect_file_line "$LOG" "host [::1]:$PORT"
		else
			expect_rc 4
			expect_err_contains "certificate is for another name (::1 is not among: localhost)"
		fi
		case_end
		stop_peer
	done
else
	echo "# no IPv6 loopback: the [::1] cases are skipped"
fi

# -------------------------------------------------------------- refusals

# refused STEM HOST MESSAGE: the server's certificate STEM is refused when
# connecting to HOST, with MESSAGE; -k then connects all the same.
refused()
{
	tls_peer "$1"
	plog=$LOG
	case_begin "$1 certificate for $2: exit 4"
	LOG=$plog
	run_wsc --ca "$PKI/ca.pem" -x x -w 0.3 "wss://$2:$PORT/"
	expect_rc 4
	expect_out_empty
	expect_err_contains "wsc: TLS failed: $3"
	expect_err_lines 1
	expect_file_lacks "$LOG" "connect /"
	case_end
	case_begin "$1 certificate for $2 with -k: connects"
	LOG=$plog
	run_wsc -k -x unchecked -w 0.3 "wss://$2:$PORT/"
	expect_rc 0
	expect_out_eq "unchecked"
	expect_file_line "$LOG" "text unchecked"
	case_end
	stop_peer
}

refused expired localhost "certificate expired (valid until 2020-01-31 00:00:00 UTC)"
refused other localhost "certificate is for another name (localhost is not among: other.example)"
refused other 127.0.0.1 "certificate is for another name (127.0.0.1 is not among: other.example)"
refused self localhost "certificate not trusted (self-signed: CN=localhost)"
refused rogue localhost "certificate not trusted (unknown CA: CN=wsc rogue CA)"
# The name localhost is in it, the address is not: 127.0.0.1 must not pass.
refused dnsonly 127.0.0.1 "certificate is for another name (127.0.0.1 is not among: localhost)"

tls_peer self
case_begin "-n (--no-check, --insecure) trusts nothing but encrypts; --ca with a self-signed certificate trusts it"
run_wsc -n -x a -w 0.3 "wss://localhost:$PORT/"
expect_rc 0
expect_out_eq "a"
run_wsc --ca "$PKI/self.pem" -x b -w 0.3 "wss://localhost:$PORT/"
expect_rc 0
expect_out_eq "b"
# The long names: --no-check, and its alias --insecure (-k).
for opt in --no-check --insecure; do
	run_wsc "$opt" -x c -w 0.3 "wss://localhost:$PORT/"
	[ "$RC" = 0 ] || fail "$opt: exit $RC: $(cat "$T/err")"
	expect_out_eq "c"
done
case_end
stop_peer

case_begin "a plain server: the server does not speak TLS"
start_peer echo_server
run_wsc --ca "$PKI/ca.pem" -x x "wss://localhost:$PORT/"
expect_rc 4
expect_err_contains "wsc: TLS failed: the server does not speak TLS (it answered in plain HTTP; try ws://)"
expect_err_lines 1
stop_peer
case_end

case_begin "a server that hangs up during the handshake"
start_peer tls_server --mode hangup
run_wsc --ca "$PKI/ca.pem" -x x "wss://localhost:$PORT/"
expect_rc 4
expect_err_contains "wsc: TLS failed: the server closed the connection during the handshake"
expect_file_line "$LOG" "hangup"
stop_peer
case_end

case_begin "a server silent in the handshake: connect timeout"
start_peer tls_server --mode silent
run_wsc --connect-timeout 1 --ca "$PKI/ca.pem" -x x "wss://localhost:$PORT/"
expect_rc 3
expect_err_contains "wsc: connect timeout after 1 s"
stop_peer
case_end

# -------------------------------------------------------------- client certificates

# client_cert_cases [--tls12]: a server that requires a client certificate.
client_cert_cases()
{
	v=${1:-default}
	tls_peer server --client-ca "$PKI/ca.pem" "$@"
	plog=$LOG

	case_begin "client certificate required ($v), none given: exit 4"
	run_wsc --ca "$PKI/ca.pem" -x x -w 0.3 "wss://localhost:$PORT/"
	expect_rc 4
	expect_out_empty
	expect_err_icontains "client certificate"
	expect_err_matches '^wsc: TLS failed: the server (requires a client certificate|hung up right after the handshake \(does it require a client certificate)'
	expect_err_lines 1
	case_end

	case_begin "client certificate required ($v): --cert, --key, --passphrase"
	LOG=$plog
	run_wsc --ca "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client.key" \
	    --passphrase secret -x with-cert -w 0.3 "wss://localhost:$PORT/"
	expect_rc 0
	expect_out_eq "with-cert"
	expect_file_line "$LOG" "cert commonName=wsc client"
	expect_file_line "$LOG" "text with-cert"
	case_end

	case_begin "client certificate required ($v), one from another CA: exit 4"
	LOG=$plog
	run_wsc --ca "$PKI/ca.pem" --cert "$PKI/rogue.pem" --key "$PKI/rogue.key" \
	    -x x -w 0.3 "wss://localhost:$PORT/"
	expect_rc 4
	expect_err_matches '^wsc: TLS failed: the server (rejected our client certificate|hung up)'
	expect_file_lacks "$LOG" "text x"
	case_end
	stop_peer
}

client_cert_cases
client_cert_cases --tls12

case_begin "an encrypted key without --passphrase"
run_wsc --ca "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client.key" \
    -x x "wss://localhost:$SERVER_PORT/"
expect_rc 4
expect_err_contains "wsc: TLS failed: the key $PKI/client.key is encrypted: give --passphrase"
case_end

case_begin "a wrong passphrase"
run_wsc --ca "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client.key" \
    --passphrase wrong -x x "wss://localhost:$SERVER_PORT/"
expect_rc 4
expect_err_contains "wsc: TLS failed: wrong passphrase for the key $PKI/client.key"
case_end

case_begin "a key that is not the certificate's"
run_wsc --ca "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/server.key" \
    -x x "wss://localhost:$SERVER_PORT/"
expect_rc 4
expect_err_contains "does not belong to the certificate $PKI/client.pem"
case_end

# (Every other format: tlskeys.sh.)
case_begin "PKCS#8 with AES (OpenSSL 3's default)"
LOG=$SERVER_LOG
run_wsc --ca "$PKI/ca.pem" --cert "$PKI/client.pem" --key "$PKI/client-p8aes.key" \
    --passphrase secret -x p8 -w 0.3 "wss://localhost:$SERVER_PORT/"
expect_rc 0
expect_out_eq "p8"
case_end

# -------------------------------------------------------------- the stream

case_begin "close_notify when closing"
start_peer tls_server --cert "$PKI/server.pem" --key "$PKI/server.key" --mode notify
run_wsc --ca "$PKI/ca.pem" -x bye -w 0.2 "wss://localhost:$PORT/"
expect_rc 0
expect_file_line "$LOG" "connect"
expect_file_line "$LOG" "close_notify"
stop_peer
case_end

case_begin "20000 small messages over TLS arrive whole and in order"
tls_peer server --mode flood --count 20000 --size 24
run_wsc --ca "$PKI/ca.pem" -w -1 "wss://localhost:$PORT/"
expect_rc 0
"$PYTHON" -c 'import sys
for i in range(20000):
    print("%08d:" % i + "x" * 15)' >"$T/small.expected"
expect_out_eq "$T/small.expected"
expect_err_contains 'Disconnected (code: 1000, reason: "done")'
stop_peer
case_end

case_begin "4 messages of 16 MiB over TLS arrive whole"
tls_peer server --mode flood --count 4 --size 16777216 --binary
run_wsc --ca "$PKI/ca.pem" -w -1 --binary-output raw "wss://localhost:$PORT/"
expect_rc 0
"$PYTHON" -c 'import sys
for i in range(4):
    sys.stdout.buffer.write(bytes([i]) * 16777216)' >"$T/huge.expected"
expect_out_eq "$T/huge.expected"
stop_peer
case_end

case_begin "8 MiB sent and echoed over TLS"
LOG=$SERVER_LOG
head -c 8388608 /dev/urandom >"$T/random.bin"
run_wsc -b --binary-output raw --ca "$PKI/ca.pem" -w 1 "wss://localhost:$SERVER_PORT/" <"$T/random.bin"
expect_rc 0
expect_out_eq "$T/random.bin"
case_end

t_done
