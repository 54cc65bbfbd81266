#!/bin/sh
# --reconnect[=N]: a server that drops the first connections, one that
# refuses forever, a clean close that must end the session and a 1012 that
# must not (tests/peers/session_server.py). Every stdin line is accounted
# for at the server: none lost, none sent twice.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

# wait_log STRING: waits for the peer's log line, or fails the case.
wait_log()
{
	wait_file_contains "$LOG" "$1" 30 || fail "the peer never logged '$1'"
}

case_begin "two dropped connections: every stdin line arrives once, in order"
start_peer session_server --drop 2 --drop-after 3
rm -f "$T/in"
mkfifo "$T/in"
timeout -k 5 "$WSC_TIMEOUT" "$WSC" --reconnect -w 0.5 "ws://127.0.0.1:$PORT/" \
    <"$T/in" >"$T/out" 2>"$T/err" 9>&- &
WPID=$!
exec 8>"$T/in"
# Three lines per connection; the next three are written only once the
# server has dropped the connection, so none is in flight on a dying one:
# they are read while wsc is disconnected and must be kept for the next.
printf 'L1\nL2\nL3\n' >&8
wait_log "dropped 1"
printf 'L4\nL5\nL6\n' >&8
wait_log "dropped 2"
printf 'L7\nL8\nL9\n' >&8
exec 8>&-
if wait "$WPID"; then RC=0; else RC=$?; fi
expect_rc 0
expect_log_texts L1 L2 L3 L4 L5 L6 L7 L8 L9
expect_file_line "$LOG" "connection 3"
expect_file_line "$LOG" "close 1000"
n=$(grep -c "^Reconnecting in " "$T/err" || :)
[ "$n" = 2 ] || fail "$n reconnect lines, expected 2"
expect_err_matches '^Reconnecting in [0-9.]+ s \(attempt 1\)$'
expect_err_matches '^Reconnecting in [0-9.]+ s \(attempt 2\)$'
n=$(grep -c "^wsc: connection lost: the server closed the connection without a close frame$" "$T/err" || :)
[ "$n" = 2 ] || fail "$n connection-lost lines, expected 2"
stop_peer
case_end

case_begin "-x messages are sent again on every connection"
start_peer session_server --drop 2 --drop-after 1
run_wsc --reconnect -x hello -w 0.3 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_log_texts hello hello hello
expect_file_line "$LOG" "connection 3"
stop_peer
case_end

case_begin "a server that refuses forever: --reconnect=3 exits 3 after 3 attempts"
P=$(free_port)
run_wsc --reconnect=3 "ws://127.0.0.1:$P/"
expect_rc 3
expect_out_empty
n=$(grep -c "^wsc: could not connect to 127.0.0.1:$P: Connection refused$" "$T/err" || :)
[ "$n" = 4 ] || fail "$n connect failures, expected 4 (the first and 3 retries)"
for a in 1 2 3; do
	expect_err_matches "^Reconnecting in [0-9.]+ s \\(attempt $a of 3\\)\$"
done
expect_err_lines 7
# Backoff 0.5, 1, 2 s with jitter down to half: 1.75 s at least.
[ "$ELAPSED_MS" -ge 1700 ] || fail "retried too fast: $ELAPSED_MS ms"
case_end

case_begin "a clean close (1000) from the server does not reconnect"
start_peer session_server --close-after 1
run_wsc --reconnect -x hi -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_err_contains 'Disconnected (code: 1000, reason: "done")'
expect_err_lacks "Reconnecting"
wait_log "eof 1"
expect_file_lacks "$LOG" "connection 2"
stop_peer
case_end

case_begin "close 1012 (service restart) reconnects"
start_peer session_server --close-first 1012
run_wsc --reconnect -x hi -w 0.3 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_err_contains 'Disconnected (code: 1012, reason: "bye")'
expect_err_matches '^Reconnecting in [0-9.]+ s \(attempt 1\)$'
expect_file_line "$LOG" "connection 2"
expect_file_lacks "$LOG" "connection 3"
stop_peer
case_end

case_begin "close 1001 (going away) exits 0 yet reconnects"
start_peer session_server --close-first 1001
run_wsc --reconnect -x hi -w 0.3 "ws://127.0.0.1:$PORT/"
expect_rc 0
expect_err_contains 'Disconnected (code: 1001, reason: "bye")'
expect_err_matches '^Reconnecting in [0-9.]+ s \(attempt 1\)$'
expect_file_line "$LOG" "connection 2"
stop_peer
case_end

case_begin "without --reconnect a dropped connection ends the session, exit 1"
start_peer session_server --drop 1
run_wsc -x hi -w 1 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_err_contains "wsc: connection lost:"
expect_err_lacks "Reconnecting"
stop_peer
case_end

case_begin "a connection that stayed up 10 s starts the attempt count over"
# --reconnect=2 and four dropped connections, the second of which lives
# 10.5 s: after it the count starts again, so wsc makes two more attempts
# (connections 3 and 4) and then gives up. Without the reset it would give
# up after connection 3.
start_peer session_server --drop 4 --drop-late 2 10.5
run_wsc --reconnect=2 -w -1 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_file_line "$LOG" "dropped 4"
expect_file_lacks "$LOG" "connection 5"
n=$(grep -c '^Reconnecting in [0-9.]* s (attempt 1 of 2)$' "$T/err" || :)
[ "$n" = 2 ] || fail "$n first attempts, expected 2 (one per count)"
n=$(grep -c '^Reconnecting in ' "$T/err" || :)
[ "$n" = 3 ] || fail "$n reconnect lines, expected 3"
stop_peer
case_end

t_done
