#!/bin/sh
# --raw, the byte pipe for ssh -o ProxyCommand= and friends: stdin chunks
# go out as binary messages, every payload comes back on stdout exactly,
# no status lines. Against python3-websockets servers: an echo, a
# WebSocket-to-TCP bridge in front of a TCP echo (as websockify in front of
# sshd; tests/peers/stream_server.py), and tests/peers/echo_server.py.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

PEERS=$TESTS_SRCDIR/peers
BIG=$((64 * 1024 * 1024))

# proxycmd BYTES URL [wsc args...]: runs `wsc --raw ... URL` the way ssh runs
# its ProxyCommand (tests/peers/stream_clients.py proxycmd): BYTES random
# bytes in, all of them read back before stdin closes. Its report goes to
# $T/out, wsc's stderr to $T/err.
proxycmd()
{
	bytes=$1
	url=$2
	shift 2
	timeout -k 5 120 "$PYTHON" "$PEERS/stream_clients.py" proxycmd \
	    --bytes "$bytes" -- $WSC_WRAPPER "$WSC" --raw "$@" "$url" \
	    >"$T/out" 2>"$T/err" 9>&- || :
}

# run_wsc_x [args...]: run_wsc with the one byte "x" on stdin.
run_wsc_x()
{
	printf x >"$T/x"
	run_wsc "$@" <"$T/x"
}

# expect_match: the bytes came back exactly and wsc exited 0.
expect_match()
{
	grep -qx match "$T/out" || fail "$(head -n 1 "$T/out")"
	grep -qx 'status 0' "$T/out" || fail "wsc: $(tail -n 1 "$T/out")"
}

case_begin "64 MiB of random bytes through an echo server come back byte-exact, nothing on stderr"
start_peer stream_server
proxycmd "$BIG" "ws://127.0.0.1:$PORT/echo"
expect_match
expect_file_line "$LOG" "close 1 1000 $BIG"
[ ! -s "$T/err" ] || fail "stderr is not empty"
case_end
stop_peer

case_begin "ssh-style: 64 MiB through a WebSocket-to-TCP bridge to a TCP echo, byte-exact"
start_peer stream_server --mode bridge
proxycmd "$BIG" "ws://127.0.0.1:$PORT/ssh"
expect_match
expect_file_line "$LOG" "close 1 1000 $BIG"
[ ! -s "$T/err" ] || fail "stderr is not empty"
case_end
stop_peer

case_begin "the same with compression offered and taken (permessage-deflate)"
start_peer echo_server --compression
# echo_server logs payloads as hex: a smaller stream keeps its log small.
proxycmd 3000000 "ws://127.0.0.1:$PORT/z" -v
expect_match
expect_err_contains "permessage-deflate"
case_end
stop_peer

case_begin "text messages: their payloads only, no newline between or after"
start_peer echo_server --mode send 3 --no-echo --close-after 1
run_wsc_x --raw -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 0
printf 'msg-1msg-2msg-3' >"$T/expected-text"
expect_out_eq "$T/expected-text"
expect_file_line "$LOG" "binary 78"
[ ! -s "$T/err" ] || fail "stderr is not empty"
case_end
stop_peer

case_begin "binary messages: their bytes, not a hex dump"
start_peer echo_server --mode binary --close-after 1
run_wsc_x --raw -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 0
"$PYTHON" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' \
    >"$T/expected-bin"
expect_out_eq "$T/expected-bin"
case_end
stop_peer

case_begin "at a terminal too: a text message's payload as it is, escape sequences not escaped"
start_peer stream_server --as-text
# stdout a pseudo-terminal (raw mode: the bytes are not translated), stdin a
# pipe closed once the echo is back.
"$PYTHON" - "$WSC" "ws://127.0.0.1:$PORT/tty" >"$T/out" 2>"$T/err" <<'PY' || :
import os, pty, subprocess, sys, tty
payload = b"\x1b[2J\x1b]52;c;aGk=\x07 \x00 \xc3\xa9 text"
master, slave = pty.openpty()
tty.setraw(slave)
p = subprocess.Popen([sys.argv[1], "--raw", sys.argv[2]],
                     stdin=subprocess.PIPE, stdout=slave)
os.close(slave)
p.stdin.write(payload)
p.stdin.flush()
got = b""
while len(got) < len(payload):
    chunk = os.read(master, 4096)
    if not chunk:
        break
    got += chunk
p.stdin.close()
print("exact" if got == payload else "got %r" % got)
print("status %d" % p.wait())
PY
grep -qx exact "$T/out" || fail "$(head -n 1 "$T/out")"
grep -qx "status 0" "$T/out" || fail "wsc: $(tail -n 1 "$T/out")"
case_end
stop_peer

case_begin "the server's close ends wsc while stdin is still open"
start_peer echo_server --mode close 1000 bye
rm -f "$T/raw-in"
mkfifo "$T/raw-in"
timeout -k 5 "$WSC_TIMEOUT" "$WSC" --raw "ws://127.0.0.1:$PORT/" \
    <"$T/raw-in" >"$T/out" 2>"$T/err" 9>&- &
RPID=$!
exec 8>"$T/raw-in"
printf 'hi' >&8
if wait "$RPID"; then RC=0; else RC=$?; fi
exec 8>&-
expect_rc 0
expect_file_line "$LOG" "binary 6869"
expect_out_empty
[ ! -s "$T/err" ] || fail "stderr is not empty"
case_end
stop_peer

case_begin "a refused handshake (401): exit 5, one line on stderr, nothing on stdout"
start_peer stream_server --refuse-first 1
run_wsc_x --raw "ws://127.0.0.1:$PORT/"
expect_rc 5
expect_err_lines 1
expect_err_matches '^wsc: .*401'
expect_out_empty
case_end
stop_peer

case_begin "the server closing with 1011: exit 1, one error line"
start_peer echo_server --mode close 1011 oops
run_wsc_x --raw -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_err_lines 1
expect_err_contains "1011"
case_end
stop_peer

case_begin "flow control: behind a slow reader of stdout, wsc's memory stays flat (64 MiB flood)"
start_peer bench --mode flood --count 1024 --size 65536 --binary
rm -f "$T/go" "$T/raw-out"
mkfifo "$T/go" "$T/raw-out"
timeout -k 5 "$WSC_TIMEOUT" "$WSC" --raw -w -1 "ws://127.0.0.1:$PORT/" \
    </dev/null >"$T/raw-out" 2>"$T/err" 9>&- &
RPID=$!
"$PYTHON" "$PEERS/stream_clients.py" slowread --bytes "$BIG" --go "$T/go" \
    <"$T/raw-out" >"$T/clients" 9>&- &
SPID=$!
expect_flat_memory 'child_of $RPID' 'wsc'
if wait "$RPID"; then RC=0; else RC=$?; fi
wait "$SPID" || :
expect_rc 0
grep -qx "read $BIG bytes" "$T/clients" || fail "$(tail -n 1 "$T/clients")"
case_end
stop_peer

case_begin "options that make no sense for a byte pipe are refused (exit 2)"
for opt in "-x hi" "--echo" "--jsonl" "--reconnect" "-l 9999" "--count 1"; do
	# shellcheck disable=SC2086 # the option and its value are two words
	run_wsc --raw $opt ws://127.0.0.1:1/
	[ "$RC" = 2 ] || fail "--raw $opt: exit $RC, expected 2"
	grep -q "cannot be used with --raw" "$T/err" ||
	    fail "--raw $opt: $(cat "$T/err")"
done
case_end

t_done
