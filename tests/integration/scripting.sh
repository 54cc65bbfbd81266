#!/bin/sh
# The scripting options (wsc(1), SCRIPTING RECIPES): --count, --until,
# -m/--max-time, -X/--preamble, --file, -0/--null, exit status 6 on each
# path that yields it; what a refused handshake and an error close print.
# Each case checks what the server saw, what wsc printed and its status.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

# expect_err_only LINE: stderr is exactly LINE.
expect_err_only()
{
	printf '%s\n' "$1" >"$T/want-err"
	cmp -s "$T/want-err" "$T/err" || fail "stderr is not just '$1'"
}

# ------------------------------------------------------------ --count

case_begin "--count 2: the first two messages, Close 1000, exit 0"
start_peer echo_server --mode send 5
run_wsc --count 2 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$(printf 'msg-1\nmsg-2')"
expect_close 1000
case_end

case_begin "--count 2: nothing after the 2nd, even from the same read"
start_peer raw_server --scenario burst 5
run_wsc --count 2 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$(printf 'm1\nm2')"
expect_file_matches "$LOG" "^frame CLOSE len=2 masked=1 payload=03e8"
case_end

case_begin "--count counts binary messages, not pings"
start_peer raw_server --scenario ping
run_wsc --count 1 -x after-ping "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq after-ping
expect_file_line "$LOG" "pong hello"
case_end

case_begin "--count 2 with a binary message first"
start_peer echo_server --mode binary
run_wsc --count 2 -x text "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_contains "000000f0  f0 f1 f2"
expect_out_contains text
expect_log_texts text
expect_close 1000
case_end

# Only 2 messages come; what -w lets arrive is printed.
case_begin "--count unmet when -w ends: exit 6, Close 1000"
start_peer echo_server --mode send 2
run_wsc --count 3 -w 0.3 "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_out_lacks msg-3
expect_err_matches "^wsc: --count not met: [0-2] messages? received before the wait \(-w\) ended$"
expect_close 1000
case_end

case_begin "--count with -w 0: closes once everything is sent, exit 6"
start_peer echo_server --mode silent
run_wsc --count 1 -w 0 -x a "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_err_contains "wsc: --count not met: 0 messages received before the wait (-w) ended"
expect_log_texts a
expect_close 1000
case_end

case_begin "--count unmet when the server closes first: exit 6"
start_peer echo_server --mode send 1 --close-after 1
run_wsc --count 5 -x a "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_out_eq msg-1
expect_err_contains "wsc: --count not met: 1 message received before the server closed"
expect_log_texts a
case_end

case_begin "--count unmet and an error close: the close's own status"
start_peer raw_server --scenario close-1011
run_wsc --count 5 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_err_contains "wsc: the server closed the connection with 1011"
expect_err_lacks "not met"
case_end

case_begin "--count: bad values are usage errors"
run_wsc --count 0 ws://127.0.0.1:1/
expect_rc 2
expect_err_contains "bad --count '0'"
run_wsc --count 3x ws://127.0.0.1:1/
expect_rc 2
case_end

# ------------------------------------------------------------ --until

case_begin "--until: up to the first match, Close 1000, exit 0"
start_peer echo_server --mode send 5
run_wsc --until 'msg-[3-4]$' "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$(printf 'msg-1\nmsg-2\nmsg-3')"
expect_close 1000
case_end

case_begin "--until: nothing after the match, even from the same read"
start_peer raw_server --scenario burst 6
run_wsc --until '^m(3|5)$' "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$(printf 'm1\nm2\nm3')"
case_end

case_begin "--until: an invalid expression is a usage error (regerror's text)"
run_wsc --until 'a(b' ws://127.0.0.1:1/
expect_rc 2
expect_out_empty
expect_err_matches "^wsc: bad --until 'a\(b': .+"
expect_err_lines 1
case_end

case_begin "--until unmet when the server closes: exit 6"
start_peer echo_server --mode close 1000 bye
run_wsc --until never -x a "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_err_contains "wsc: --until not met: 0 messages received before the server closed"
expect_log_texts a
case_end

# The server sends its binary message first and closes once it has "a".
case_begin "--until never matches a binary message"
start_peer echo_server --mode binary --close-after 1
run_wsc --until . -x a "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_out_contains "00000100"
expect_err_contains "wsc: --until not met: 1 message received before the server closed"
case_end

printf 'abc\000def' >"$T/nul.txt"
# The echo of the file comes back, then the server closes on "stop".
case_begin "--until matches the text up to its first NUL"
start_peer echo_server --close-after 2
printf 'abc\000def\n' >"$T/want"
run_wsc --until def --file "$T/nul.txt" -x stop "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_out_eq "$T/want"
run_wsc --until '^abc$' --file "$T/nul.txt" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$T/want"
case_end

# A 300 KiB text message is streamed to stdout in pieces; --until sees
# its first 256 KiB (wsc(1)).
"$PYTHON" -c 'import sys; sys.stdout.write("A" + "x" * 300000 + "END")' >"$T/big.txt"
case_begin "--until on a streamed 300 KiB message: matched on its first 256 KiB"
start_peer echo_server --close-after 2
run_wsc --until '^Ax+$' --file "$T/big.txt" "ws://127.0.0.1:$PORT/"
expect_rc 0
cat "$T/big.txt" >"$T/want" && echo >>"$T/want"
expect_out_eq "$T/want"
run_wsc --until 'END' --file "$T/big.txt" -x stop "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_out_eq "$T/want"
case_end

case_begin "--count and --until together: the first met ends it"
start_peer echo_server --mode send 5
run_wsc --count 4 --until 'msg-2' "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$(printf 'msg-1\nmsg-2')"
case_end

# ------------------------------------------------------------ -m

case_begin "-m while the handshake goes unanswered: exit 6 naming the step"
start_peer raw_server --scenario hang
run_wsc -m 0.5 "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_out_empty
expect_err_only "wsc: --max-time of 0.5 s ran out while waiting for the answer to the WebSocket handshake from 127.0.0.1"
expect_file_line "$LOG" "request GET / HTTP/1.1"
expect_file_line "$LOG" eof
case_end

case_begin "-m while the TLS handshake stalls: exit 6 naming the step"
start_peer tls_server --mode silent
run_wsc -m 0.5 "wss://127.0.0.1:$PORT/"
expect_rc 6
expect_err_only "wsc: --max-time of 0.5 s ran out while in the TLS handshake with 127.0.0.1"
case_end

case_begin "-m and --connect-timeout: the smaller wins"
start_peer raw_server --scenario hang
run_wsc -m 5 --connect-timeout 0.3 "ws://127.0.0.1:$PORT/"
expect_rc 3
expect_err_contains "wsc: connect timeout after 0.3 s"
run_wsc -m 0.3 --connect-timeout 5 "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_err_contains "wsc: --max-time of 0.3 s ran out while"
case_end

case_begin "-m while connected: Close 1000, exit 6"
start_peer echo_server --mode silent
run_wsc -m 1.5 -w -1 -x a "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_err_contains "wsc: --max-time of 1.5 s ran out while connected; closing"
expect_log_texts a
expect_close 1000
case_end

# The server answers the Close only after 4.5 s: wsc, which waits 1 s
# more, not the 5 s a Close otherwise gets, has hung up before (the peer
# logs eof, not timeout).
case_begin "-m while connected, no answer to the Close: at most 1 s more"
start_peer raw_server --scenario late-close-reply 4.5
run_wsc -m 1.5 -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_err_contains "ran out while connected"
expect_file_matches "$LOG" "^frame CLOSE len=2 masked=1 payload=03e8"
expect_file_line "$LOG" eof
expect_file_lacks "$LOG" timeout
case_end

case_begin "-m across --reconnect attempts: exit 6"
start_peer session_server --drop 100
run_wsc -m 1.5 --reconnect -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 6
expect_err_contains "Reconnecting in"
expect_err_matches "^wsc: --max-time of 1.5 s ran out while"
expect_file_line "$LOG" "dropped 1"
case_end

case_begin "-m across --reconnect to a refused port: exit 6"
P=$(free_port)
run_wsc -m 1 --reconnect "ws://127.0.0.1:$P/"
expect_rc 6
expect_err_contains "Connection refused"
expect_err_matches "^wsc: --max-time of 1 s ran out while"
case_end

case_begin "-m: bad values are usage errors"
run_wsc -m 0 ws://127.0.0.1:1/
expect_rc 2
run_wsc --max-time -1 ws://127.0.0.1:1/
expect_rc 2
case_end

# ------------------------------------------------------------ -X

case_begin "-X goes first, then stdin as usual"
start_peer echo_server
printf 'l1\nl2\n' >"$T/in"
run_wsc -X p1 -X p2 --count 4 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$(printf 'p1\np2\nl1\nl2')"
expect_log_texts p1 p2 l1 l2
case_end

case_begin "-X then -x; stdin is not read"
start_peer echo_server
echo never >"$T/in"
run_wsc -x a -X p -x b --count 3 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$(printf 'p\na\nb')"
expect_log_texts p a b
case_end

# Connection 1 drops after "hello" and "one"; connection 2 closes after
# its "hello".
case_begin "-X is sent again on every connection"
start_peer session_server --drop 1 --drop-after 2 --close-after 1
printf 'one\n' >"$T/in"
run_wsc -X hello --reconnect=3 -w -1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_file_line "$LOG" "dropped 1"
[ "$(grep -c '^text hello$' "$LOG")" -eq 2 ] ||
    fail "the server did not get hello on both connections"
case_end

# ------------------------------------------------------------ --file

printf 'h\303\251llo\nworld' >"$T/text.txt"
case_begin "--file: a multi-line UTF-8 file is one text message"
start_peer echo_server
run_wsc --count 1 --file "$T/text.txt" "ws://127.0.0.1:$PORT/"
expect_rc 0
cat "$T/text.txt" >"$T/want" && echo >>"$T/want"
expect_out_eq "$T/want"
expect_file_line "$LOG" "text h$(printf '\303\251')llo"
expect_file_line "$LOG" world
case_end

printf 'f' >"$T/f.txt"
case_begin "--file in command-line order with -x"
start_peer echo_server
run_wsc -x a --file "$T/f.txt" -x b --count 3 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_log_texts a f b
case_end

case_begin "--file that is not UTF-8: usage error naming the byte offset"
printf 'abc\377def' >"$T/bad.txt"
run_wsc --file "$T/bad.txt" ws://127.0.0.1:1/
expect_rc 2
expect_err_contains "wsc: --file $T/bad.txt is not UTF-8 (byte 3, counting from 0)"
printf 'ab\303' >"$T/cut.txt"
run_wsc --file "$T/cut.txt" ws://127.0.0.1:1/
expect_rc 2
expect_err_contains "(byte 2, counting from 0)"
run_wsc --file "$T/no-such-file" ws://127.0.0.1:1/
expect_rc 2
expect_err_contains "cannot read --file $T/no-such-file"
case_end

head -c 256 /dev/zero >"$T/zero.bin"
printf '\377\000\001' >"$T/b.bin"
case_begin "--file with -b: one binary message of the file's bytes"
start_peer echo_server
run_wsc -b --count 1 --binary-output raw --file "$T/b.bin" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "$T/b.bin"
expect_file_line "$LOG" "binary ff0001"
case_end

# ------------------------------------------------------------ -0

case_begin "-0: NUL-separated stdin messages, NUL after each text message"
start_peer echo_server
printf 'a\nb\000\000c' >"$T/in"
run_wsc -0 --count 3 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
printf 'a\nb\000\000c\000' >"$T/want"
expect_out_eq "$T/want"
expect_file_line "$LOG" "text a"
expect_file_line "$LOG" "b"
expect_file_line "$LOG" "text "
expect_file_line "$LOG" "text c"
case_end

case_begin "-0 with --until"
start_peer echo_server
printf 'x\000y\ny\000z\000' >"$T/in"
run_wsc -0 --until '^y' "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
printf 'x\000y\ny\000' >"$T/want"
expect_out_eq "$T/want"
case_end

# ------------------------------------------------------------ errors

case_begin "a refused handshake: the explaining headers and the body, printable"
start_peer raw_server --scenario refused-body
run_wsc "ws://127.0.0.1:$PORT/"
expect_rc 5
expect_out_empty
head -n 7 "$T/err" >"$T/got-err"
cat >"$T/want-err" <<'END'
wsc: handshake failed: server answered 503 Service Unavailable
  Retry-After: 120
  Content-Type: text/html
  Sec-WebSocket-Version: 13
  body (first 512 bytes):
    <h1>Down</h1>
    back \x1b[31msoon\x1b[0m\x09ok
END
cmp -s "$T/want-err" "$T/got-err" || fail "stderr's first lines differ"
expect_err_lacks X-Not-Shown
[ "$(sed -n 8p "$T/err" | tr -cd z | wc -c)" -eq 474 ] ||
    fail "the body is not cut at 512 bytes"
expect_err_lines 8
case_end

case_begin "a refused handshake with -q: the error line only"
start_peer raw_server --scenario refused-body
run_wsc -q "ws://127.0.0.1:$PORT/"
expect_rc 5
expect_err_only "wsc: handshake failed: server answered 503 Service Unavailable"
case_end

case_begin "a refusal whose body stalls: what came is shown, wsc does not hang"
start_peer raw_server --scenario refused-slow-body
run_wsc "ws://127.0.0.1:$PORT/"
expect_rc 5
expect_err_contains "    0123456789"
case_end

case_begin "a refused handshake: UTF-8 shown as it is, controls escaped"
start_peer raw_server --scenario refused-utf8
run_wsc "ws://127.0.0.1:$PORT/"
expect_rc 5
printf '%s\n' 'wsc: handshake failed: server answered 401 Unauthorized' \
    '  WWW-Authenticate: Basic realm="Zürich"' '  body:' \
    '    café \u009b2J \u202eevil' '    \xff!' >"$T/want-err"
cmp -s "$T/want-err" "$T/err" || fail "stderr differs: $(cat "$T/err")"
case_end

case_begin "an error close is a wsc: line, also with -q"
start_peer raw_server --scenario close-1009
run_wsc -q "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_err_only 'wsc: the server closed the connection with 1009 (message too big): "too big"'
case_end

case_begin "the scripting options are refused with -l"
run_wsc -l 1 --count 1
expect_rc 2
expect_err_contains "cannot be used with -l"
case_end

t_done
