#!/bin/sh
# wsc against a correct WebSocket server (tests/peers/echo_server.py):
# what the server saw, what wsc printed, and wsc's exit status, per case.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets

# Seconds wsc waits for echoes after its last message.
W=1

# -------------------------------------------------------------- echo

case_begin "piped lines echo back in order"
start_peer echo_server
printf 'hello\nworld\nthird line\n' >"$T/in"
run_wsc -w "$W" "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_clean_stdout
expect_file_line "$LOG" disconnect
expect_log_texts hello world "third line"
expect_close 1000
expect_err_contains "Connected to ws://127.0.0.1:$PORT/"
expect_err_contains "Disconnected (code: 1000"
case_end

case_begin "empty lines, a kept CR and a last line without newline"
start_peer echo_server
printf 'a\n\nb\ncr\r\n\nlast' >"$T/in"
printf 'a\n\nb\ncr\r\n\nlast\n' >"$T/want"
run_wsc -w "$W" "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/want"
expect_file_line "$LOG" disconnect
expect_log_texts a "" b "$(printf 'cr\r')" "" last
case_end

case_begin "1000 lines queued before the handshake are all sent"
start_peer echo_server
seq 1 1000 >"$T/in"
run_wsc -w 2 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_file_line "$LOG" disconnect
# shellcheck disable=SC2046
expect_log_texts $(seq 1 1000)
case_end

case_begin "a 300 KiB line echoes back intact"
start_peer echo_server
"$PYTHON" -c 'print("".join(chr(97 + i % 26) for i in range(300 * 1024)))' >"$T/in"
run_wsc -w "$W" "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
case_end

case_begin "a line that is not UTF-8 goes as binary, nothing lost"
start_peer echo_server
printf 'ok\n\377\376\nafter\n' >"$T/in"
run_wsc -w "$W" --binary-output base64 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
printf 'ok\n//4=\nafter\n' >"$T/want"
expect_out_eq "$T/want"
expect_file_line "$LOG" disconnect
expect_log_texts ok after
expect_file_line "$LOG" "binary fffe"
case_end

# -------------------------------------------------------------- -x, -w

case_begin "-x sends each message in order and does not read stdin"
start_peer echo_server
printf 'from-stdin\n' >"$T/in"
run_wsc -w "$W" -x one -x "two words" -x three "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
printf 'one\ntwo words\nthree\n' >"$T/want"
expect_out_eq "$T/want"
expect_file_line "$LOG" disconnect
expect_log_texts one "two words" three
expect_file_lacks "$LOG" from-stdin
case_end

case_begin "-w 0 closes at once after the last message"
start_peer echo_server --mode silent
run_wsc -w 0 -x quick "ws://127.0.0.1:$PORT/"
# The silent server never answers nor closes: a wsc that waited for replies
# would run into the test's timeout (status 124).
expect_rc 0
expect_file_line "$LOG" disconnect
expect_log_texts quick
expect_close 1000
case_end

case_begin "-w -1 waits for the server to close"
start_peer echo_server --mode close 1000 bye
run_wsc -w -1 -x trigger "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_empty
expect_err_contains 'Disconnected (code: 1000, reason: "bye")'
expect_close 1000
case_end

# -------------------------------------------------------------- request

case_begin "the request: path, query, Host, version, key"
start_peer echo_server
run_wsc -w 0 -x x "ws://127.0.0.1:$PORT/some/path?q=1&r=two"
expect_rc 0
expect_file_line "$LOG" "connect /some/path?q=1&r=two"
expect_file_line "$LOG" "header Host: 127.0.0.1:$PORT"
expect_file_line "$LOG" "header Sec-WebSocket-Version: 13"
expect_file_matches "$LOG" '^header Sec-WebSocket-Key: [A-Za-z0-9+/]{22}==$'
expect_file_matches "$LOG" '^header Upgrade: [Ww]eb[Ss]ocket$'
case_end

case_begin "-s a,b offers both and reports the server's choice"
start_peer echo_server --subprotocols b,a
run_wsc -w 0 -x hi -s a,b "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_file_matches "$LOG" '^header Sec-WebSocket-Protocol: a, ?b$'
expect_file_line "$LOG" "subprotocol a"
expect_err_contains "Connected to ws://127.0.0.1:$PORT/ (subprotocol: a)"
expect_clean_stdout
case_end

case_begin "-s repeated offers in order; no match means no subprotocol"
start_peer echo_server --subprotocols other
run_wsc -w 0 -x hi -s chat -s "superchat" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_file_matches "$LOG" '^header Sec-WebSocket-Protocol: chat, ?superchat$'
expect_file_lacks "$LOG" "subprotocol "
expect_err_lacks "subprotocol:"
case_end

case_begin "-H adds headers, -o sets Origin"
start_peer echo_server
run_wsc -w 0 -x hi -H 'X-Custom: value 1' -H 'X-Other:two' \
    -o http://example.test "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_file_line "$LOG" "header X-Custom: value 1"
expect_file_line "$LOG" "header X-Other: two"
expect_file_line "$LOG" "header Origin: http://example.test"
case_end

case_begin "-c URL is the URL (wscat's spelling)"
start_peer echo_server
run_wsc -c "ws://127.0.0.1:$PORT/c" -x hi -w 0.3
expect_rc 0
expect_out_eq hi
expect_file_line "$LOG" "connect /c"
case_end

case_begin "the long names --execute, --wait, --origin, --quiet and --verbose"
start_peer echo_server
run_wsc --execute hi --wait 0.3 --origin http://example.test --quiet \
    "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq hi
expect_err_lines 0
expect_file_line "$LOG" "header Origin: http://example.test"
run_wsc --verbose --execute hi --wait 0.3 "ws://127.0.0.1:$PORT/v"
expect_rc 0
expect_out_eq hi
expect_err_contains "> GET /v HTTP/1.1"
expect_err_contains "> frame TEXT fin=1 len=2"
case_end

case_begin "--auth sends Basic authorization"
start_peer echo_server
run_wsc -w 0 -x hi --auth user:pass "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_file_line "$LOG" "header Authorization: Basic dXNlcjpwYXNz"
case_end

case_begin "URL userinfo becomes Basic authorization"
start_peer echo_server
run_wsc -w 0 -x hi "ws://alice:s%40cret@127.0.0.1:$PORT/"
expect_rc 0
# alice:s@cret
expect_file_line "$LOG" "header Authorization: Basic YWxpY2U6c0BjcmV0"
case_end

case_begin "--host overrides Host"
start_peer echo_server
run_wsc -w 0 -x hi --host example.test:8080 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_file_line "$LOG" "header Host: example.test:8080"
expect_file_line "$LOG" "connect /"
case_end

case_begin "http:// is an alias of ws://"
start_peer echo_server
run_wsc -w "$W" -x alias "http://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq alias
case_end

case_begin "permessage-deflate is offered and works with a server using it"
start_peer echo_server --compression
"$PYTHON" -c 'print("compress me " * 2000)' >"$T/in"
printf 'short\n' >>"$T/in"
run_wsc -w "$W" "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_file_matches "$LOG" '^header Sec-WebSocket-Extensions: .*permessage-deflate'
case_end

case_begin "--no-compression offers no extension"
start_peer echo_server --compression
run_wsc -w "$W" --no-compression -x plain "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq plain
expect_file_line "$LOG" disconnect
expect_file_lacks "$LOG" "header Sec-WebSocket-Extensions"
case_end

# -------------------------------------------------------------- binary

"$PYTHON" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' >"$T/all256"

case_begin "-b sends stdin as binary; the echo prints as a hex dump"
start_peer echo_server
run_wsc -w "$W" -b "ws://127.0.0.1:$PORT/" <"$T/all256"
expect_rc 0
expect_file_line "$LOG" disconnect
grep '^binary ' "$LOG" | sed 's/^binary //' | tr -d '\n' >"$T/got-hex" || :
[ "$(cat "$T/got-hex")" = "$(hex_of "$T/all256")" ] ||
    fail "the server did not receive the 256 bytes as binary"
expect_file_lacks "$LOG" "text "
hexdump_of "$T/all256" >"$T/want"
expect_out_eq "$T/want"
case_end

case_begin "binary from the server: hex dump by default"
start_peer echo_server --mode binary
run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
hexdump_of "$T/all256" >"$T/want"
expect_out_eq "$T/want"
case_end

case_begin "--binary-output raw is byte-exact"
start_peer echo_server --mode binary
run_wsc -w "$W" --binary-output raw "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$T/all256"
case_end

case_begin "--binary-output base64 is one line per message"
start_peer echo_server --mode binary
run_wsc -w "$W" --binary-output base64 "ws://127.0.0.1:$PORT/"
expect_rc 0
{ base64 -w 0 "$T/all256"; echo; } >"$T/want"
expect_out_eq "$T/want"
case_end

case_begin "a hex dump of a short text-like binary message"
start_peer echo_server
printf 'Hello world\n' >"$T/in"
run_wsc -w "$W" -b "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
printf '%s\n%s\n' \
    '00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a              |Hello world.|' \
    '0000000c' >"$T/want"
expect_out_eq "$T/want"
case_end

# -------------------------------------------------------------- -q, -v

case_begin "-q prints no status lines"
start_peer echo_server
run_wsc -q -w "$W" -x quiet "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq quiet
[ ! -s "$T/err" ] || fail "stderr is not empty"
case_end

case_begin "-v traces heads and frames on stderr only"
start_peer echo_server
run_wsc -v -w "$W" -x hello "ws://127.0.0.1:$PORT/p"
expect_rc 0
expect_out_eq hello
expect_err_contains "> GET /p HTTP/1.1"
expect_err_contains "> Host: 127.0.0.1:$PORT"
expect_err_icontains "> Sec-WebSocket-Key: "
expect_err_contains "< HTTP/1.1 101 Switching Protocols"
expect_err_icontains "< Sec-WebSocket-Accept: "
expect_err_contains "> frame TEXT fin=1 len=5"
expect_err_contains "< frame TEXT fin=1 len=5"
expect_err_contains "> frame CLOSE fin=1 len=2"
expect_err_contains "< frame CLOSE fin=1 len=2"
case_end

# -------------------------------------------------------------- --echo

case_begin "--echo sends every received message back"
start_peer echo_server --mode send 3 --no-echo --close-after 3
printf 'not-read\n' >"$T/in"
run_wsc --echo "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_clean_stdout
expect_file_line "$LOG" disconnect
expect_log_texts msg-1 msg-2 msg-3
expect_close 1000
expect_err_contains 'Disconnected (code: 1000, reason: "done")'
case_end

# -------------------------------------------------------------- closes

case_begin "server closes 1000: exit 0, reported on stderr"
start_peer echo_server --mode close 1000 bye
# The server's Close ends the session, not the -w wait: a wait longer than
# the test's timeout would end in status 124.
run_wsc -w 600 -x trigger "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_empty
expect_err_contains 'Disconnected (code: 1000, reason: "bye")'
expect_close 1000
case_end

case_begin "server closes 1001: exit 0"
start_peer echo_server --mode close 1001 going away
run_wsc -x trigger "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_err_contains 'Disconnected (code: 1001, reason: "going away")'
expect_close '1000|1001'
case_end

case_begin "server closes 1011: exit 1"
start_peer echo_server --mode close 1011 oops
run_wsc -x trigger "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_out_empty
expect_err_contains 'Disconnected (code: 1011, reason: "oops")'
# answered with the same code or 1000 (RFC 6455 section 5.5.1)
expect_close '1000|1011'
case_end

case_begin "SIGTERM closes with 1000 and exits 0"
start_peer echo_server
mkfifo "$T/hold"
exec 8<>"$T/hold"
timeout -k 5 "$WSC_TIMEOUT" "$WSC" "ws://127.0.0.1:$PORT/" \
    <"$T/hold" >"$T/out" 2>"$T/err" 8>&- 9>&- &
wsc_pid=$!
# fd 8 keeps stdin open (no EOF); the session is up once a line went
# through. timeout(1) passes the TERM on to wsc.
echo alive >&8
if wait_file_contains "$LOG" "text alive" 10; then
	wait_file_contains "$T/out" alive || :
	kill -TERM "$wsc_pid"
else
	fail "the server never got the line"
	kill -KILL "$wsc_pid" || :
fi
if wait "$wsc_pid"; then RC=0; else RC=$?; fi
exec 8>&-
expect_rc 0
expect_out_eq alive
expect_close 1000
expect_err_contains "Disconnected (code: 1000"
case_end

# Started with fds 0-2 closed, the socket used to become fd 2 and the
# "Connected to" line went into the frame stream: the server must see only
# the message and a clean Close.
case_begin "started with stdin, stdout and stderr closed: only frames reach the server"
start_peer echo_server
if timeout -k 5 "$WSC_TIMEOUT" "$WSC" -x hello -w 0.5 "ws://127.0.0.1:$PORT/" \
    <&- >&- 2>&- 9>&-; then RC=0; else RC=$?; fi
expect_rc 0
expect_file_line "$LOG" disconnect
expect_log_texts hello
expect_close 1000
case_end

if [ "${WSC_LAZY:-yes}" = yes ]; then
case_begin "a piped ws:// run loads neither readline nor mbedTLS (the prompt and wss:// need them)"
start_peer echo_server
# The dynamic loader names every library it maps; libc proves it spoke.
echo hi | LD_DEBUG=files run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq hi
expect_err_contains "libc.so"
expect_err_lacks "libreadline"
expect_err_lacks "libmbed"
case_end
else
	t_skip "a piped ws:// run loads neither readline nor mbedTLS" "built with --disable-lazy-load"
fi

case_begin "--version, -h and --help; every option --help names is in the man page"
run_wsc --version
expect_rc 0
grep -qxE 'wsc [0-9]+\.[0-9]+\.[0-9]+' "$T/out" || fail "--version printed '$(cat "$T/out")'"
run_wsc -h
expect_rc 0
cp "$T/out" "$T/help-h"
run_wsc --help
expect_rc 0
cmp -s "$T/out" "$T/help-h" || fail "-h and --help print different texts"
expect_out_contains "Usage: wsc [options] URL"
expect_err_lines 0
MAN=$TESTS_SRCDIR/../man/wsc.1
n=0
for opt in $(grep -o -E -- '--[a-z][a-z-]*' "$T/out" | sort -u); do
	n=$((n + 1))
	# The man page's source spells each dash as "\-".
	grep -qF -e "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$MAN" ||
	    fail "$opt is in --help but not in man/wsc.1"
done
[ "$n" -ge 30 ] || fail "only $n long options in --help"
case_end

t_done
