#!/bin/sh
# wsc's error paths: bad URLs, connection failures, broken handshakes and
# protocol violations from tests/peers/raw_server.py. Each case checks the
# exit status and message (wsc(1), Standard error) and, where a connection
# was made, what the server saw wsc send back (its Close code).

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

# Seconds wsc waits for replies after its last message.
W=0.5

# -------------------------------------------------------------- usage

case_begin "no URL is a usage error"
run_wsc
expect_rc 2
expect_out_empty
case_end

case_begin "an unknown option is a usage error"
run_wsc --no-such-option ws://127.0.0.1:1/
expect_rc 2
expect_out_empty
case_end

# bad_url NAME URL [WORD]: exit 2, one line "wsc: bad URL: ...", naming WORD.
bad_url()
{
	case_begin "bad URL: $1"
	run_wsc "$2"
	expect_rc 2
	expect_out_empty
	expect_err_matches '^wsc: bad URL: .+'
	expect_err_lines 1
	[ -z "${3:-}" ] || expect_err_icontains "$3"
	case_end
}

bad_url "unsupported scheme" "ftp://127.0.0.1/" scheme
bad_url "no scheme" "127.0.0.1:9/"
bad_url "empty host" "ws:///path"
bad_url "nothing after the scheme" "ws://"
bad_url "port out of range" "ws://127.0.0.1:65536/" port
bad_url "port not a number" "ws://127.0.0.1:12ab/" port
bad_url "unclosed IPv6 bracket" "ws://[::1/"
bad_url "space in the host" "ws://exa mple.com/"

# -------------------------------------------------------------- connect

case_begin "refused port: exit 3"
P=$(free_port)
run_wsc "ws://127.0.0.1:$P/"
expect_rc 3
expect_out_empty
expect_err_contains "wsc: could not connect to 127.0.0.1:$P: Connection refused"
expect_err_lines 1
case_end

case_begin "unresolvable host: exit 3"
run_wsc "ws://nonexistent.invalid/"
expect_rc 3
expect_out_empty
expect_err_contains "wsc: could not resolve host 'nonexistent.invalid'"
case_end

case_begin "--connect-timeout 0.5 against a server that never answers"
start_peer raw_server --scenario hang
run_wsc --connect-timeout 0.5 "ws://127.0.0.1:$PORT/"
expect_rc 3
expect_out_empty
expect_err_contains "wsc: connect timeout after 0.5 s"
expect_file_line "$LOG" "request GET / HTTP/1.1"
expect_file_line "$LOG" eof
case_end

# -------------------------------------------------------------- handshake

# handshake_case NAME SCENARIO MESSAGE [ICASE-WORD] [wsc args...]:
# exit 5, nothing on stdout, one line "wsc: handshake failed: MESSAGE"
# (a prefix when MESSAGE is empty; any lines under it indented: what
# explains a refusal), the word when given, the connection closed by wsc
# and no frame sent.
handshake_case()
{
	case_begin "handshake: $1"
	scen=$2 msg=$3 word=$4
	shift 4
	start_peer raw_server --scenario "$scen"
	run_wsc -w "$W" "$@" "ws://127.0.0.1:$PORT/"
	expect_rc 5
	expect_out_empty
	expect_err_contains "wsc: handshake failed: $msg"
	[ "$(grep -vc '^  ' "$T/err")" -eq 1 ] ||
	    fail "stderr has more than one unindented line"
	[ -z "$word" ] || expect_err_icontains "$word"
	expect_err_lacks "Connected"
	expect_file_matches "$LOG" '^(eof|hangup)$'
	expect_file_lacks "$LOG" "frame "
	case_end
}

handshake_case "HTTP 401" status401 "server answered 401 Unauthorized" ""
handshake_case "HTTP 302 without -L" redirect302 "server answered 302 Found" ""
handshake_case "not HTTP (SSH banner)" garbage "the server's answer is not HTTP" ""
handshake_case "not HTTP (binary)" binary-garbage "the server's answer is not HTTP" ""
handshake_case "hang-up before answering" hangup \
    "server closed the connection before answering" ""
handshake_case "100 KiB of response headers" huge-headers \
    "response headers too large" ""
handshake_case "wrong Sec-WebSocket-Accept" bad-accept "" accept
handshake_case "101 without Upgrade" no-upgrade "" upgrade
handshake_case "subprotocol not offered (none offered)" unoffered-protocol \
    "" protocol
handshake_case "subprotocol not offered (chat offered)" unoffered-protocol \
    "" protocol -s chat
handshake_case "extension not offered" unoffered-extension "" extension
handshake_case "extension not offered (--no-compression)" unoffered-extension \
    "" extension --no-compression

case_begin "the garbage answer fails at once, not at the server's hang-up"
start_peer raw_server --scenario garbage
run_wsc "ws://127.0.0.1:$PORT/"
# The peer keeps the connection open after the garbage: only a wsc that
# fails on the answer itself exits before the test's timeout.
expect_rc 5
case_end

case_begin "-L follows a 302 to a working endpoint"
start_peer raw_server --scenario redirect302
run_wsc -L -w "$W" -x followed "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq followed
expect_file_line "$LOG" "request GET / HTTP/1.1"
expect_file_line "$LOG" "request GET /redirected HTTP/1.1"
expect_file_line "$LOG" "frame TEXT len=8 masked=1 payload=$(printf followed | od -An -tx1 | tr -d ' \n')"
case_end

case_begin "--location is -L"
start_peer raw_server --scenario redirect302
run_wsc --location -w "$W" -x followed "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq followed
expect_file_line "$LOG" "request GET /redirected HTTP/1.1"
case_end

# -------------------------------------------------------------- protocol

# violation NAME SCENARIO CODE [wsc args...]: exit 1, the message sent
# before the violation printed, "wsc: protocol error", and the server saw
# wsc's Close with CODE.
violation()
{
	case_begin "violation: $1 -> $3"
	scen=$2 code=$3
	shift 3
	# shellcheck disable=SC2086 # "close-invalid-code 999": NAME and ARG
	start_peer raw_server --scenario $scen
	run_wsc -w "$W" "$@" "ws://127.0.0.1:$PORT/"
	expect_rc 1
	expect_out_eq before
	expect_err_contains "wsc: protocol error: "
	expect_close "$code"
	expect_file_matches "$LOG" '^(eof|timeout)$'
	expect_file_lacks "$LOG" "frame TEXT"
	case_end
}

violation "masked frame from the server" masked-frame 1002
violation "RSV1 without an extension" "rsv-bits 1" 1002
violation "RSV1 without an extension (--no-compression)" "rsv-bits 1" 1002 \
    --no-compression
violation "RSV2" "rsv-bits 2" 1002
violation "RSV3" "rsv-bits 3" 1002
violation "reserved data opcode 3" "reserved-opcode 3" 1002
violation "reserved control opcode 11" "reserved-opcode 11" 1002
violation "continuation without a message" "reserved-opcode 0" 1002
violation "ping of 126 bytes" big-control 1002
violation "fragmented Close" fragmented-close 1002
violation "fragmented ping" fragmented-ping 1002
violation "invalid UTF-8 in a text frame" bad-utf8 1007
violation "invalid UTF-8 split across fragments (fail fast)" bad-utf8-split 1007
for c in 0 999 1004 1005 1006 1015 1016 2999 5000 65535; do
	violation "Close code $c" "close-invalid-code $c" 1002
done
violation "Close with a 1-byte payload" close-1byte 1002
violation "Close reason not UTF-8" close-bad-reason 1007

# valid_close CODE: a Close with a valid but unusual code is answered with
# that code or 1000 (RFC 6455 section 5.5.1); not 1000/1001: exit 1.
valid_close()
{
	case_begin "valid Close code $1 is accepted"
	start_peer raw_server --scenario close-invalid-code "$1"
	run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
	expect_rc 1
	expect_out_eq before
	expect_err_contains "Disconnected (code: $1, reason: \"\")"
	expect_err_lacks "protocol error"
	expect_close "1000|$1"
	case_end
}

valid_close 1012
valid_close 1014
valid_close 3000
valid_close 4999

case_begin "server Close 1011: exit 1"
start_peer raw_server --scenario close-1011
run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_out_empty
expect_err_contains 'Disconnected (code: 1011, reason: "internal error")'
expect_close '1000|1011'
case_end

case_begin "--max-message: one byte over the limit closes with 1009"
start_peer raw_server --scenario big-message 1000
run_wsc -w "$W" --max-message 999 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_out_empty
expect_close 1009
case_end

case_begin "--max-message: exactly the limit is accepted"
start_peer raw_server --scenario big-message 1000
run_wsc -w "$W" --max-message 1000 "ws://127.0.0.1:$PORT/"
expect_rc 0
"$PYTHON" -c 'import sys; sys.stdout.buffer.write(bytes(i % 256 for i in range(1000)))' >"$T/big"
hexdump_of "$T/big" >"$T/want"
expect_out_eq "$T/want"
expect_close 1000
case_end

case_begin "a 1 MiB binary message with --binary-output raw"
start_peer raw_server --scenario big-message 1048576
run_wsc -w "$W" --binary-output raw "ws://127.0.0.1:$PORT/"
expect_rc 0
"$PYTHON" -c 'import sys; sys.stdout.buffer.write(bytes(i % 256 for i in range(1048576)))' >"$T/big"
expect_out_eq "$T/big"
case_end

# -------------------------------------------------------------- frames

case_begin "a ping is answered with its payload"
start_peer raw_server --scenario ping
run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_empty
expect_file_line "$LOG" "pong hello"
expect_file_line "$LOG" "frame PONG len=5 masked=1 payload=68656c6c6f"
expect_close 1000
case_end

case_begin "-P shows the ping on stderr, not stdout"
start_peer raw_server --scenario ping
run_wsc -P -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_empty
expect_err_icontains "ping"
expect_file_line "$LOG" "pong hello"
case_end

case_begin "--show-ping-pong is -P"
start_peer raw_server --scenario ping
run_wsc --show-ping-pong -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_empty
expect_err_icontains "ping"
case_end

case_begin "a message in 3 fragments with a ping between"
start_peer raw_server --scenario fragmented
run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "frag1-frag2-frag3"
expect_file_line "$LOG" "pong between"
expect_close 1000
case_end

case_begin "a frame in the same packet as the 101 is not lost"
start_peer raw_server --scenario frames-with-101
run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq early
expect_close 1000
case_end

case_begin "TCP dropped without a Close: 1006, exit 1"
start_peer raw_server --scenario drop
# The drop ends the session, not the -w wait (longer than the test's timeout).
run_wsc -w 600 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_out_eq bye-bye
expect_err_contains 'Disconnected (code: 1006, reason: "")'
case_end

case_begin "a server that never answers our Close: exit 0 after the wait"
start_peer raw_server --scenario no-close-reply
run_wsc -w 0 -x bye "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_close 1000
expect_file_line "$LOG" eof
case_end

# -------------------------------------------------------------- wire format

case_begin "frames on the wire: masked, right lengths, Close 1000"
start_peer raw_server --scenario echo
"$PYTHON" -c 'print("m" * 200); print("L" * 70000)' >"$T/in"
printf 'hello\n' >>"$T/in"
run_wsc -w "$W" "ws://127.0.0.1:$PORT/chat?x=1" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_file_line "$LOG" "request GET /chat?x=1 HTTP/1.1"
expect_file_line "$LOG" "header Sec-WebSocket-Version: 13"
expect_file_matches "$LOG" '^header Connection: .*[Uu]pgrade'
expect_file_line "$LOG" "frame TEXT len=5 masked=1 payload=68656c6c6f"
expect_file_matches "$LOG" '^frame TEXT len=200 masked=1 payload=(6d){200}$'
expect_file_matches "$LOG" '^frame TEXT len=70000 masked=1 payload='
expect_file_line "$LOG" "frame CLOSE len=2 masked=1 payload=03e8"
expect_file_line "$LOG" eof
if grep '^frame ' "$LOG" | grep -qv 'masked=1'; then
	fail "a client frame was not masked"
fi
case_end

case_begin "an empty text message is an empty line"
start_peer raw_server --scenario echo
run_wsc -w "$W" -x "" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq ""
expect_file_line "$LOG" "frame TEXT len=0 masked=1 payload="
case_end

case_begin "an empty binary message prints 00000000"
start_peer raw_server --scenario big-message 0
run_wsc -w "$W" "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq 00000000
case_end

t_done
