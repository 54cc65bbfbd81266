#!/bin/sh
# Listen mode with --forward (websockify-style): each WebSocket client is
# bridged to its own connection to a TCP or Unix target
# (tests/peers/tcp_target.py), driven by python3-websockets clients
# (tests/peers/bridge_client.py). Each case checks the bytes both ends
# saw (sha256), the close codes, what wsc printed, and that it goes on.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

# expect_log_count FILE ERE N: N lines of FILE match ERE.
expect_log_count()
{
	n=$(grep -cE -e "$2" "$1" || :)
	[ "$n" -eq "$3" ] || fail "$(basename "$1") has $n lines matching /$2/, expected $3"
}

# expect_peak_below KB WHAT: the running server's peak RSS (VmHWM) is
# under KB kilobytes; says what it was, for WHAT.
expect_peak_below()
{
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$(child_of "$LPID")/status" \
	    2>/dev/null || :)
	echo "# wsc's peak RSS: ${hwm:-?} kB for $2"
	[ -n "$hwm" ] && [ "$hwm" -lt "$1" ] ||
	    fail "wsc's peak RSS is ${hwm:-unknown} kB, expected under $1 kB"
}

# sha_of SEED BYTES: the sha256 of the bytes the peers make from SEED.
sha_of()
{
	"$PYTHON" -c 'import hashlib, random, sys
print(hashlib.sha256(random.Random(int(sys.argv[1])).randbytes(
    int(sys.argv[2]))).hexdigest())' "$1" "$2"
}

case_begin "a few MiB through a TCP echo target come back byte-exact"
start_peer tcp_target --mode echo
start_server --forward "127.0.0.1:$PORT"
bridge big --mode echo --bytes 5000000 --chunk 100000
expect_file_line "$T/big.log" "ok 1"
expect_file_line "$T/big.log" "close 1 1000"
# The client's Close shut the target's write half: it saw EOF after
# every byte (wsc(1), --forward).
expect_file_line "$LOG" "eof 1 5000000 $(sha_of 2 5000000)"
stop_server
expect_rc 0
expect_err_contains "Client 1 connected from 127.0.0.1:"
expect_out_empty
stop_peer
case_end

case_begin "wsc's own client (-b, raw output) through the bridge, byte-exact"
start_peer tcp_target --mode echo --bytes 3000000
start_server --forward "127.0.0.1:$PORT"
head -c 3000000 /dev/urandom >"$T/payload"
# The target closes after echoing everything: Close 1000, and the client
# exits once it has written every byte.
run_wsc -b --binary-output raw -w -1 "ws://127.0.0.1:$LPORT/" <"$T/payload"
expect_rc 0
cmp -s "$T/payload" "$T/out" || fail "what came back differs from what was sent"
expect_file_line "$LOG" "done 1 3000000 $(sha256sum <"$T/payload" | cut -d' ' -f1)"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "a Unix-socket target"
start_peer tcp_target --mode echo --unix "$T/target.sock"
start_server --forward "unix:$T/target.sock"
bridge unix --mode echo --bytes 300000
expect_file_line "$T/unix.log" "ok 1"
expect_file_line "$LOG" "eof 1 300000 $(sha_of 2 300000)"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "a refused target: that client is closed with 1011, the next served"
NOPORT=$(free_port)
start_server --forward "127.0.0.1:$NOPORT"
bridge refused --mode recv
expect_file_line "$T/refused.log" "received 1 0 $(sha_of 0 0)"
expect_file_matches "$T/refused.log" "^close 1 1011"
expect_log_count "$T/err" "^Client 1: could not connect to 127.0.0.1:$NOPORT: " 1
# The server goes on: the next client is served (and refused) in turn.
bridge refused2 --mode recv
expect_file_matches "$T/refused2.log" "^close 1 1011"
expect_log_count "$T/err" "^Client 2: could not connect to " 1
stop_server
expect_rc 0
case_end

case_begin "--connect-timeout: a target that never answers closes its client with 1011"
start_peer tcp_target --mode full
start_server --forward "127.0.0.1:$PORT" --connect-timeout 0.5
bridge silent --mode recv
expect_file_matches "$T/silent.log" "^close 1 1011"
expect_log_count "$T/err" "^Client 1: could not connect to 127.0.0.1:$PORT: (Connection|Operation) timed out; closing with 1011$" 1
stop_server
expect_rc 0
stop_peer
case_end

case_begin "a target that resets the connection: that client is closed with 1011"
start_peer tcp_target --mode reset
start_server --forward "127.0.0.1:$PORT"
bridge reset --mode recv --bytes 10
expect_file_line "$LOG" "reset 1"
expect_file_matches "$T/reset.log" "^close 1 1011"
expect_log_count "$T/err" "^Client 1: lost the connection to 127.0.0.1:$PORT: Connection reset by peer; closing with 1011$" 1
stop_server
expect_rc 0
stop_peer
case_end

case_begin "the target's end: Close 1000 after all its data"
start_peer tcp_target --mode source --bytes 3000000 --seed 7
start_server --forward "127.0.0.1:$PORT"
bridge source --mode recv
expect_file_line "$T/source.log" "received 1 3000000 $(sha_of 7 3000000)"
expect_file_line "$T/source.log" "close 1 1000"
expect_file_line "$LOG" "sent 1 3000000 $(sha_of 7 3000000)"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "the client's Close: the target sees EOF after every byte"
start_peer tcp_target --mode sink
start_server --forward "127.0.0.1:$PORT"
bridge send --mode send --bytes 1000000
expect_file_line "$T/send.log" "close 1 1000"
expect_file_line "$LOG" "eof 1 1000000 $(sha_of 2 1000000)"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "after the client's Close the target can still write (shutdown, not close) until wsc closes it 2 s later"
start_peer tcp_target --mode linger
start_server --forward "127.0.0.1:$PORT"
bridge send --mode send --bytes 1000
expect_file_line "$LOG" "eof 1 1000 $(sha_of 2 1000)"
# A socket closed at once makes the target's second write fail about
# 0.4 s after its end of file; 1.5 s is a lower bound, which load only
# lengthens. "open 1" would mean never closed.
wait_file_contains "$LOG" "closed 1 " 30 || fail "$(tail -n 1 "$LOG")"
secs=$(sed -n 's/^closed 1 //p' "$LOG")
echo "# the target could write for ${secs:-?} s after its end of file"
awk -v s="${secs:-0}" 'BEGIN { exit !(s >= 1.5) }' ||
    fail "the target could write for ${secs:-?} s only: closed, not shut down"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "the client's Close before a stalled target has read: nothing is lost"
# The target reads nothing for 3 s, longer than the 2 s a finished
# connection is kept without progress: what waits for it must still go.
start_peer tcp_target --mode sink --stall 3 --rcvbuf 4096
start_server --forward "127.0.0.1:$PORT"
bridge early --mode send --bytes 4500000
expect_file_line "$T/early.log" "close 1 1000"
expect_file_line "$LOG" "eof 1 4500000 $(sha_of 2 4500000)"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "25 clients at once, each bridged to its own connection"
start_peer tcp_target --mode echo
start_server --forward "127.0.0.1:$PORT"
bridge many --mode echo --clients 25 --bytes 200000 --chunk 7000
expect_log_count "$T/many.log" "^ok [0-9]+$" 25
expect_log_count "$T/many.log" "^close [0-9]+ 1000$" 25
expect_log_count "$LOG" "^conn [0-9]+$" 25
stop_server
expect_rc 0
expect_err_contains "Client 25 connected"
stop_peer
case_end

# to_stalled_target BYTES CHUNK: one client sends BYTES in messages of
# CHUNK bytes to a target that does not read for 2 s; checks that every
# byte arrived, and wsc's peak RSS (under 32 MiB).
to_stalled_target()
{
	start_peer tcp_target --mode sink --stall 2
	# A sanitizer build keeps freed memory in quarantine (256 MiB by
	# default): a small one, so that its peak shows what wsc holds.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4" \
	    start_server --forward "127.0.0.1:$PORT"
	bridge slow --mode send --bytes "$1" --chunk "$2" --timeout 120
	expect_file_line "$T/slow.log" "close 1 1000"
	expect_file_line "$LOG" "eof 1 $1 $(sha_of 2 "$1")"
	expect_peak_below 32768 "$1 bytes in messages of $2 to a stalled target"
	stop_server
	expect_rc 0
	stop_peer
}

case_begin "a target that reads slowly holds the client back, not wsc's memory"
# Without backpressure the 64 MiB would wait in wsc while the target
# stalls; with it, a few queues' worth.
to_stalled_target 67108864 1048576
case_end

case_begin "one 48 MiB message to a stalled target: passed on in pieces, memory flat"
# Held whole, the message alone would be 48 MiB (and its copy queued for
# the target as much again).
to_stalled_target 50331648 50331648
case_end

case_begin "a client that reads slowly holds the target back, not wsc's memory"
start_peer tcp_target --mode source --bytes 67108864 --seed 9
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4" \
    start_server --forward "127.0.0.1:$PORT"
bridge stalled --mode recv --stall 2 --timeout 120
expect_file_line "$T/stalled.log" "received 1 67108864 $(sha_of 9 67108864)"
expect_file_line "$T/stalled.log" "close 1 1000"
# Without backpressure the 64 MiB would wait in wsc for the client.
expect_peak_below 32768 "64 MiB from a target to a stalled client"
stop_server
expect_rc 0
stop_peer
case_end

case_begin "--forward needs -l, and a bad target is a usage error"
run_wsc --forward 127.0.0.1:1 ws://127.0.0.1:1/
expect_rc 2
expect_err_contains "--forward needs -l"
run_wsc -l "$(free_port)" --forward nohostport
expect_rc 2
expect_err_contains "bad --forward 'nohostport'"
run_wsc -l "$(free_port)" --forward 127.0.0.1:1 --echo
expect_rc 2
case_end

t_done
