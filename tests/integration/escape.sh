#!/bin/sh
# No byte a peer controls reaches a terminal as it is: close reasons, -P
# ping data, -v header traces, a status line's or a proxy's reason phrase, a
# redirect's Location and a certificate's names on stderr; text messages on stdout when stdout is a terminal
# (driven through script(1)), while stdout in a file stays byte for byte.
# The interactive prompt's side is in interactive.sh.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

URL_OF() { printf 'ws://127.0.0.1:%s/' "$1"; }

# expect_safe FILE: FILE is valid UTF-8 with no control character but
# newlines and tabs, no C1 control and no BIDI control: nothing a terminal
# obeys.
expect_safe()
{
	"$PYTHON" - "$1" <<'EOF' || fail "$(basename "$1") holds bytes a terminal would obey"
import re, sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError:
    sys.exit(1)
bad = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
sys.exit(1 if bad.search(text) else 0)
EOF
}

# ------------------------------------------------------------------ stderr

case_begin "a close reason with ESC[2J and an OSC 52 clipboard write"
start_peer hostile_server --close 4000 'bye\x1b[2J\x1b]52;c;aGk=\x07!'
run_wsc -w -1 "$(URL_OF "$PORT")"
expect_rc 1
expect_err_contains 'reason: "bye\x1b[2J\x1b]52;c;aGk=\x07!")'
expect_safe "$T/err"
case_end

case_begin "-P: ping data with controls"
start_peer hostile_server --ping 'p\x1b]0;title\x07\xc2\x9bq\xe2\x81\xa6' \
    --close 1000
run_wsc -P -w -1 "$(URL_OF "$PORT")"
expect_rc 0
expect_err_contains '< [ping] p\x1b]0;title\x07\u009bq\u2066'
expect_safe "$T/err"
case_end

case_begin "-v: a response header with C1 and BIDI controls"
start_peer hostile_server \
    --header 'X-Evil: a\xc2\x9b2J\xe2\x80\xaeb\x9b\xc3\xa9' --close 1000
run_wsc -v -w -1 "$(URL_OF "$PORT")"
expect_rc 0
expect_err_contains '< X-Evil: a\u009b2J\u202eb\x9b'"$(printf '\303\251')"
expect_safe "$T/err"
case_end

case_begin "a status line's reason phrase and a redirect's Location"
start_peer hostile_server --status '302 Found\xc2\x9b2J' \
    --header 'Location: ws://127.0.0.1:1/\xe2\x80\xae\x9b'
run_wsc "$(URL_OF "$PORT")"
expect_rc 5
expect_err_contains 'server answered 302 Found\u009b2J'
expect_safe "$T/err"
run_wsc -L "$(URL_OF "$PORT")"
expect_err_contains 'ws://127.0.0.1:1/\u202e\x9b'
expect_safe "$T/err"
case_end

case_begin "a proxy's reason phrase with C1 and BIDI controls"
start_peer hostile_server --status '407 Denied\xc2\x9b2J\xe2\x80\xae'
run_wsc --proxy "http://127.0.0.1:$PORT" ws://example.invalid/
expect_rc 3
expect_err_contains 'the proxy answered 407 Denied\u009b2J\u202e'
expect_safe "$T/err"
case_end

case_begin "the proxy URL's password is not shown in an error"
run_wsc --proxy 'http://alice:hunter2@127.0.0.1:99999' ws://127.0.0.1:1/
expect_err_contains "'http://alice:***@127.0.0.1:99999'"
expect_err_lacks hunter2
case_end

case_begin "a certificate's names with controls, in the name-mismatch error"
if command -v openssl >/dev/null 2>&1 &&
    "$PYTHON" -c 'import websockets' 2>/dev/null; then
	mkdir "$T/pki"
	sh "$TESTS_SRCDIR/peers/mkcerts.sh" "$T/pki" || bail_out "mkcerts.sh failed"
	# A leaf whose DNS names carry ESC[2J and an OSC 52 write.
	(
		cd "$T/pki"
		openssl req -new -key other.key -out evil.csr -subj /CN=evil
		printf 'subjectAltName=DNS:evil\033[2J.example,DNS:x\033]52;c;aGk=\007y\n' >evil.ext
		openssl x509 -req -in evil.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 30 -out evil.pem -extfile evil.ext
	) >"$T/pki/evil.log" 2>&1 || bail_out "openssl could not make evil.pem"
	start_peer tls_server --cert "$T/pki/evil.pem" --key "$T/pki/other.key"
	run_wsc --ca "$T/pki/ca.pem" -x hi "wss://localhost:$PORT/"
	expect_rc 4
	expect_err_contains 'not among: evil\x1b[2J.example, x\x1b]52;c;aGk=\x07y)'
	expect_safe "$T/err"
else
	echo "# skipped: needs openssl and python3-websockets"
fi
case_end

# ------------------------------------------------------------------ stdout

MSG='hi\x1b[2J\x1b]52;c;aGk=\x07\xc2\x9b\xe2\x80\xae\tend'

case_begin "text on a terminal is escaped; in a file it is byte for byte"
if ! command -v script >/dev/null 2>&1; then
	fail "script(1) is not installed (util-linux)"
fi
start_peer hostile_server --text "$MSG" --text 'line2' --close 1000
# stdout on a terminal, stdin not: the piped side, no prompt.
script -q -e -c "$(printf '%s -w -1 %s </dev/null' "$WSC" "$(URL_OF "$PORT")")" \
    "$T/typescript" >/dev/null 2>&1 </dev/null || fail "wsc under script(1) failed"
tr -d '\r' <"$T/typescript" | sed '/^Script \(started\|done\)/d' >"$T/screen"
cp "$T/screen" "$T/out"
expect_file_contains "$T/screen" 'hi\x1b[2J\x1b]52;c;aGk=\x07\u009b\u202e'"$(printf '\t')end"
expect_file_contains "$T/screen" line2
expect_safe "$T/screen"
run_wsc -w -1 "$(URL_OF "$PORT")"
expect_rc 0
printf 'hi\033[2J\033]52;c;aGk=\007\302\233\342\200\256\tend\nline2\n' >"$T/want"
cmp -s "$T/want" "$T/out" || fail "stdout in a file is not the message bytes"
case_end

t_done
