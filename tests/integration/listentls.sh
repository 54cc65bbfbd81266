#!/bin/sh
# Listen mode with client certificates: `wsc -l PORT --cert --key --ca
# FILE` asks every client for a certificate and verifies it against FILE.
# wsc's own client and a python3-websockets client (Python's ssl) connect
# with one (its subject in the Connected line), without one and with one
# from another CA (refused in the handshake, with a status line), and a
# subject that must be made printable; the subject given to --run's
# program. Also SSLKEYLOGFILE on the server side, and the usage rules.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets
make_pki

LPID=

# serve [args...]: wsc -l on a free port with the server certificate and
# args, in the background; stdin a FIFO held open on fd 8, stderr in
# $T/server.err. Waits (bounded) for its "Listening on" line.
serve()
{
	PORT=$(free_port)
	rm -f "$T/server-in"
	mkfifo "$T/server-in"
	: >"$T/server.err"
	timeout --foreground -k 5 "$WSC_TIMEOUT" "$WSC" -l "$PORT" \
	    --cert "$PKI/server.pem" --key "$PKI/server.key" "$@" \
	    <"$T/server-in" >"$T/server.out" 2>"$T/server.err" 9>&- &
	LPID=$!
	exec 8>"$T/server-in"
	wait_file_contains "$T/server.err" "Listening on " 10 ||
	    bail_out "wsc -l $* did not start: $(cat "$T/server.err")"
}

# unserve: SIGINT, then its exit status in RC.
unserve()
{
	kill_wsc INT "$LPID"
	if wait "$LPID"; then RC=0; else RC=$?; fi
	exec 8>&-
}

# wsc_to NAME [wsc args...]: wsc's client sends NAME to the server (with
# the CA); its status in CRC, its stderr in $T/NAME.err.
wsc_to()
{
	name=$1
	shift
	timeout -k 5 "$WSC_TIMEOUT" "$WSC" --ca "$PKI/ca.pem" "$@" -x "$name" \
	    -w 0.3 "wss://localhost:$PORT/$name" >"$T/$name.out" \
	    2>"$T/$name.err" 9>&- && CRC=0 || CRC=$?
}

# py_to NAME [ws_client.py args...]: the python client, logging to
# $T/NAME.log.
py_to()
{
	name=$1
	shift
	"$PYTHON" "$TESTS_SRCDIR/peers/ws_client.py" --ca "$PKI/ca.pem" \
	    --url "wss://localhost:$PORT/$name" --log "$T/$name.log" \
	    --send "$name" --expect 0 "$@" 9>&- || :
}

CLIENT="--cert $PKI/client.pem --key $PKI/client.key --passphrase secret"

case_begin "--ca: wsc's client with a certificate, its subject shown"
serve --ca "$PKI/ca.pem"
# shellcheck disable=SC2086
wsc_to with-cert $CLIENT
[ "$CRC" = 0 ] || fail "the client exited $CRC: $(cat "$T/with-cert.err")"
wait_file_contains "$T/server.out" "with-cert" || fail "the message did not arrive"
unserve
expect_file_matches "$T/server.err" \
    '^Client 1 connected from 127\.0\.0\.1:[0-9]+ \(/with-cert, certificate: CN=wsc client\)$'
case_end

case_begin "--ca: python's ssl client with a certificate"
serve --ca "$PKI/ca.pem"
py_to py-cert --cert "$PKI/client.pem" --key "$PKI/client.key" --passphrase secret
unserve
expect_file_line "$T/py-cert.log" "open -"
expect_file_matches "$T/server.err" \
    '^Client 1 connected from 127\.0\.0\.1:[0-9]+ \(/py-cert, certificate: CN=wsc client\)$'
expect_file_line "$T/server.out" "py-cert"
case_end

case_begin "--ca: a subject with an escape and UTF-8 is shown in printable ASCII"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$PKI/odd.key" 2>/dev/null &&
openssl req -new -utf8 -key "$PKI/odd.key" -out "$PKI/odd.csr" \
    -subj "/CN=wsc cl$(printf '\303\257')ent $(printf '\033')[31m/O=x" &&
openssl x509 -req -in "$PKI/odd.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
    -CAcreateserial -out "$PKI/odd.pem" -extfile "$PKI/client.ext" -days 30 \
    2>/dev/null || bail_out "cannot make odd.pem"
serve --ca "$PKI/ca.pem"
wsc_to odd --cert "$PKI/odd.pem" --key "$PKI/odd.key"
[ "$CRC" = 0 ] || fail "the client exited $CRC"
unserve
# mbedTLS 2.28 puts '?' for each such byte, 3.x escapes them (RFC 4514).
expect_file_matches "$T/server.err" \
    '^Client 1 connected from 127\.0\.0\.1:[0-9]+ \(/odd, certificate: CN=wsc cl(\?\?|\\C3\\AF)ent (\?|\\1B)\[31m, O=x\)$'
if LC_ALL=C grep -q "$(printf '\033')" "$T/server.err"; then
	fail "an escape character reached the terminal"
fi
case_end

case_begin "--ca: clients without a certificate are refused in the handshake"
serve --ca "$PKI/ca.pem"
wsc_to no-cert
[ "$CRC" = 4 ] || fail "wsc's client exited $CRC, expected 4"
# (Its reason is in tls.sh; with TLS 1.3 mbedTLS 3.6's client at times
# reads the server's alert as a bad record MAC.)
grep -q "^wsc: TLS failed: " "$T/no-cert.err" || fail "wsc's client did not \
say TLS failed: $(cat "$T/no-cert.err")"
py_to py-no-cert
grep -q '^error' "$T/py-no-cert.log" || fail "the python client was let in"
wait_file_contains "$T/server.err" "Refused a connection" 10 || :
unserve
expect_rc 0
[ "$(grep -c '^Refused a connection from 127\.0\.0\.1:[0-9]*: the client sent no certificate (--ca asks for one)$' \
    "$T/server.err")" = 2 ] || fail "not two refusals for want of a certificate: $(cat "$T/server.err")"
expect_file_lacks "$T/server.err" "connected from"
expect_file_lacks "$T/server.out" "cert"
case_end

case_begin "--ca: a certificate from another CA is refused"
serve --ca "$PKI/ca.pem"
wsc_to rogue --cert "$PKI/rogue.pem" --key "$PKI/rogue.key"
[ "$CRC" = 4 ] || fail "wsc's client exited $CRC, expected 4"
py_to py-rogue --cert "$PKI/rogue.pem" --key "$PKI/rogue.key"
grep -q '^error' "$T/py-rogue.log" || fail "the python client was let in"
unserve
[ "$(grep -c "^Refused a connection from 127\.0\.0\.1:[0-9]*: the client's certificate was refused (.*not correctly signed by the trusted CA)$" \
    "$T/server.err")" = 2 ] || fail "not two refusals of the certificate: $(cat "$T/server.err")"
expect_file_lacks "$T/server.err" "connected from"
case_end

case_begin "-l --ca --run: the program gets the client's subject as SSL_CLIENT_S_DN; without --ca it is unset"
# shellcheck disable=SC2016 # expanded by the program's shell
RUN='echo "dn=[${SSL_CLIENT_S_DN-unset}]"'
serve --ca "$PKI/ca.pem" --run "$RUN"
# shellcheck disable=SC2086
wsc_to dn-cert $CLIENT
[ "$CRC" = 0 ] || fail "the client exited $CRC: $(cat "$T/dn-cert.err")"
expect_file_line "$T/dn-cert.out" "dn=[CN=wsc client]"
unserve
serve --run "$RUN"
wsc_to dn-none
[ "$CRC" = 0 ] || fail "the client exited $CRC: $(cat "$T/dn-none.err")"
expect_file_line "$T/dn-none.out" "dn=[unset]"
unserve
case_end

case_begin "without --ca no certificate is asked for, none shown"
serve
wsc_to plain
[ "$CRC" = 0 ] || fail "the client exited $CRC"
unserve
expect_file_matches "$T/server.err" '^Client 1 connected from 127\.0\.0\.1:[0-9]+ \(/plain\)$'
case_end

case_begin "the server's own key as PKCS#8 with AES-256 and SHA-512"
openssl pkcs8 -topk8 -in "$PKI/server.key" -v2 aes-256-cbc -v2prf hmacWithSHA512 \
    -passout pass:secret -out "$PKI/server-p8.key" || bail_out "openssl pkcs8 failed"
# (the last --key wins)
serve --key "$PKI/server-p8.key" --passphrase secret
wsc_to p8-server
[ "$CRC" = 0 ] || fail "the client exited $CRC: $(cat "$T/p8-server.err")"
unserve
expect_file_line "$T/server.out" "p8-server"
case_end

case_begin "SSLKEYLOGFILE on both sides: the same lines"
export SSLKEYLOGFILE="$T/server.keylog"
serve --ca "$PKI/ca.pem"
export SSLKEYLOGFILE="$T/client.keylog"
# shellcheck disable=SC2086
wsc_to keylog $CLIENT
unset SSLKEYLOGFILE
unserve
[ "$CRC" = 0 ] || fail "the client exited $CRC"
[ -s "$T/client.keylog" ] || fail "the client wrote no key log"
sort "$T/server.keylog" >"$T/s.lines"
sort "$T/client.keylog" >"$T/c.lines"
cmp -s "$T/s.lines" "$T/c.lines" || fail "the key logs differ"
case_end

case_begin "-l --ca: a CA file that cannot be read exits 4"
run_wsc -l "$(free_port)" --cert "$PKI/server.pem" --key "$PKI/server.key" \
    --ca "$T/none.pem"
expect_rc 4
expect_err_contains "wsc: TLS failed: cannot read --ca $T/none.pem: No such file or directory"
case_end

case_begin "-l --ca without --cert/--key, and -l -n, are usage errors"
run_wsc -l "$(free_port)" --ca "$PKI/ca.pem"
expect_rc 2
expect_err_contains "--ca without --cert/--key (it checks client certificates) cannot be used with -l"
run_wsc -l "$(free_port)" -n --cert "$PKI/server.pem" --key "$PKI/server.key"
expect_rc 2
expect_err_contains "-n cannot be used with -l"
case_end

t_done
