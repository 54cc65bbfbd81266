#!/bin/sh
# Heartbeat: --ping-interval, --ping-timeout and -P against a server that
# never answers pings, one that answers, and one that reads slowly behind
# a flood of our data (tests/peers/session_server.py, echo_server.py).

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

case_begin "--ping-timeout needs --ping-interval"
run_wsc --ping-timeout 1 ws://127.0.0.1:1/
expect_rc 2
expect_err_contains "--ping-timeout needs --ping-interval"
case_end

case_begin "no pong: the connection is declared dead after --ping-timeout, exit 1"
start_peer session_server --no-pong
run_wsc --ping-interval 0.2 --ping-timeout 0.5 -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_out_empty
expect_err_contains "wsc: connection lost: no pong within 0.5 s; the connection is dead"
expect_err_contains 'Disconnected (code: 1006, reason: "")'
# The first ping leaves at 0.2 s and has 0.5 s: not before 0.7 s.
[ "$ELAPSED_MS" -ge 650 ] || fail "declared dead after only $ELAPSED_MS ms"
expect_file_line "$LOG" "ping 1"
expect_file_line "$LOG" "eof 1"
stop_peer
case_end

case_begin "no pong with --reconnect=2: reconnects, then gives up with exit 1"
start_peer session_server --no-pong
run_wsc --ping-interval 0.2 --ping-timeout 0.4 --reconnect=2 -w -1 \
    "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_file_line "$LOG" "connection 3"
expect_file_lacks "$LOG" "connection 4"
n=$(grep -c "no pong within 0.4 s" "$T/err" || :)
[ "$n" = 3 ] || fail "$n dead-connection lines, expected 3"
n=$(grep -c "^Reconnecting in " "$T/err" || :)
[ "$n" = 2 ] || fail "$n reconnect lines, expected 2"
expect_err_contains "(attempt 2 of 2)"
stop_peer
case_end

case_begin "-P shows the round-trip time of each pong"
start_peer echo_server
run_wsc -P --ping-interval 0.2 --ping-timeout 1 -x hi -w 1 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_out_eq "hi"
expect_err_matches '^< \[pong\] 1 \(round trip [0-9]+\.[0-9]{3} ms\)$'
expect_err_matches '^< \[pong\] 3 \(round trip [0-9]+\.[0-9]{3} ms\)$'
expect_err_lacks "dead"
stop_peer
case_end

# A flood into a server that reads 2 MB/s through a small receive buffer:
# the pings wait behind megabytes in our queue and in the kernel's send
# buffer, yet the server answers each as soon as it reaches it. The clock
# of a ping must start when it reaches the peer, or this times out.
case_begin "a flood behind a slow reader causes no false ping timeout"
"$PYTHON" -c 'import sys
sys.stdout.write(("x" * 999 + "\n") * 8000)' >"$T/flood"
start_peer session_server --slow-read 2000000
run_wsc --ping-interval 0.2 --ping-timeout 1 -w 3 "ws://127.0.0.1:$PORT/" \
    <"$T/flood"
expect_rc 0
expect_err_lacks "no pong"
expect_err_contains 'Disconnected (code: 1000'
expect_file_matches "$LOG" '^stats 1 texts=8000 bytes=7992000 pings=[0-9]+$'
pings=$(sed -n 's/^stats 1 .* pings=\([0-9]*\)$/\1/p' "$LOG")
[ "${pings:-0}" -ge 10 ] || fail "only ${pings:-0} pings reached the server"
# The test means something only if the flood outlasted the timeout.
[ "$ELAPSED_MS" -ge 4000 ] || fail "the flood took only $ELAPSED_MS ms"
stop_peer
case_end

# --echo stops reading while its echoes wait (bounded memory), so under a
# flood from a server that reads slowly each ping waits behind our echoes
# and its pong behind the server's flood (round trips of about 2 s here):
# a server that keeps taking data is slow, not dead.
case_begin "--echo behind a flood it cannot send yet: no false ping timeout"
start_peer session_server --slow-read 2000000 --flood 100 --close-after 100
run_wsc --echo --ping-interval 0.2 --ping-timeout 1 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_err_lacks "no pong"
expect_err_contains 'Disconnected (code: 1000, reason: "done")'
expect_file_matches "$LOG" '^stats 1 texts=100 bytes=6553600 pings=[0-9]+$'
# The test means something only if the flood outlasted the timeout.
[ "$ELAPSED_MS" -ge 2000 ] || fail "the flood took only $ELAPSED_MS ms"
stop_peer
case_end

# The other side of the same rule: a server that reads nothing at all
# takes no data, so the ping waiting behind the flood never gets closer
# to it. That is a dead peer, not a slow one.
case_begin "a server that stops reading under a flood is declared dead"
start_peer session_server --no-read
run_wsc --ping-interval 0.2 --ping-timeout 1 -w 3 "ws://127.0.0.1:$PORT/" \
    <"$T/flood"
expect_rc 1
expect_err_contains "wsc: connection lost: no pong within 1 s; the connection is dead"
expect_file_line "$LOG" "stuck 1"
stop_peer
case_end

t_done
