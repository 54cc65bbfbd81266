#!/bin/sh
# --run CMD on the client (man wsc, PROGRAMS): a program's output lines are
# messages, messages go to its stdin, its exit closes with 1000, the
# connection's end closes its stdin and stops it on a schedule (SIGTERM,
# SIGKILL), it is always reaped, inherits no descriptor but 0-2, and a
# program that reads slowly slows the server down instead of filling
# wsc's memory. wsc's stdout stays empty throughout (case_end checks it).

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets

URL_OF()
{
	echo "ws://127.0.0.1:$1/"
}

# The status line of CMD's end (man wsc, PROGRAMS).
ended_line()
{
	printf 'wsc: "%s" %s' "$1" "$2"
}

# sha256 of a file, or of the binary messages the peer logged.
sha_of()
{
	sha256sum <"$1" | cut -d' ' -f1
}

logged_binary_sha()
{
	"$PYTHON" - "$LOG" <<'EOF'
import hashlib, sys
h = hashlib.sha256()
for line in open(sys.argv[1]):
    if line.startswith("binary "):
        h.update(bytes.fromhex(line[7:].strip()))
print(h.hexdigest())
EOF
}

# ---------------------------------------------------------------- lines

case_begin "lines out are text messages, echoes come back to stdin as lines; exit closes 1000"
start_peer echo_server
CMD="printf 'one\\ntwo\\n'; head -n 2 >'$T/got'"
run_wsc --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
expect_close 1000
expect_log_texts one two
printf 'one\ntwo\n' >"$T/want"
cmp -s "$T/want" "$T/got" || fail "the program read '$(cat "$T/got")'"
expect_err_contains "$(ended_line "$CMD" "exited with status 0")"
expect_err_contains 'Disconnected (code: 1000'
stop_peer
case_end

case_begin "what the program writes to its stderr reaches wsc's stderr, not the WebSocket"
start_peer echo_server
run_wsc -q --run 'echo "to stderr" >&2; echo out' "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
expect_err_contains "to stderr"
expect_log_texts out
expect_file_lacks "$LOG" "to stderr"
stop_peer
case_end

case_begin "the program's exit ends the run every time (30 runs: its exit and its stdout's end race)"
start_peer echo_server
i=0
while [ "$i" -lt 30 ]; do
	run_wsc -q --run 'echo x; head -n 1' "$(URL_OF "$PORT")"
	[ "$RC" = 0 ] || { fail "run $i: exit status $RC"; break; }
	i=$((i + 1))
done
stop_peer
case_end

case_begin "all of the output is sent before Close 1000, in order, the last line without a newline"
start_peer echo_server --no-echo
run_wsc --run "seq 1 1000; printf last" "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
expect_file_contains "$LOG" disconnect
{ seq 1 1000; echo last; } | sed 's/^/text /' >"$T/want-texts"
grep '^text ' "$LOG" >"$T/got-texts" || :
cmp -s "$T/want-texts" "$T/got-texts" ||
	fail "the server got $(wc -l <"$T/got-texts") texts, not 1..1000 and last"
[ "$(sed -n '/^close /p' "$LOG")" = "close 1000" ] || fail "no close 1000 after them"
grep -A1 '^text last$' "$LOG" | grep -q '^close 1000' ||
	fail "the close is not right after the last message"
stop_peer
case_end

case_begin "-0: NUL-terminated records out, text messages in with a NUL after each"
start_peer echo_server
CMD="printf 'a b\\0c\\0'; head -c 6 >'$T/got'"
run_wsc -0 --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_log_texts "a b" c
printf 'a b\0c\0' >"$T/want"
cmp -s "$T/want" "$T/got" || fail "the program read other bytes"
stop_peer
case_end

case_begin "a line that is not UTF-8 goes as a binary message, with one error line"
start_peer echo_server --no-echo
run_wsc --run "printf 'ok\\n\\377\\376\\n\\377\\n'" "$(URL_OF "$PORT")"
expect_rc 0
expect_file_contains "$LOG" disconnect
expect_log_texts ok
[ "$(grep -c '^binary fffe$' "$LOG")" -eq 1 ] || fail "no binary fffe"
[ "$(grep -c '^binary ff$' "$LOG")" -eq 1 ] || fail "no binary ff"
[ "$(grep -c 'not valid UTF-8' "$T/err")" -eq 1 ] || fail "not one UTF-8 error line"
stop_peer
case_end

# ---------------------------------------------------------------- binary

case_begin "-b: 4 MiB each way byte for byte (sha256), chunks out, messages in"
head -c 4194304 /dev/urandom >"$T/payload"
start_peer echo_server
# The reader runs beside the writer (fd 3: an asynchronous list's stdin
# is /dev/null): the echoes come back while the payload still goes out.
CMD="exec 3<&0; head -c 4194304 <&3 >'$T/got' & cat '$T/payload'; wait"
run_wsc -b --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
expect_close 1000
[ "$(logged_binary_sha)" = "$(sha_of "$T/payload")" ] ||
	fail "the server received other bytes"
[ "$(sha_of "$T/got")" = "$(sha_of "$T/payload")" ] ||
	fail "the program read other bytes ($(wc -c <"$T/got"))"
stop_peer
case_end

# ---------------------------------------------------------------- ends

case_begin "a program that closes its stdout keeps the connection until it exits"
start_peer echo_server
CMD="echo hi; exec >&-; head -n 1 >'$T/got'"
run_wsc --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_close 1000
[ "$(cat "$T/got")" = hi ] || fail "the program read '$(cat "$T/got")'"
stop_peer
case_end

case_begin "the server's close gives the program end of file on stdin, after what it sent"
start_peer echo_server --mode send 3 --close-after 1
rm -f "$T/flag"
CMD="echo hi; cat >'$T/file'; echo done >'$T/flag'"
run_wsc --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
# wsc waited for it: the flag is there when wsc has exited.
[ -f "$T/flag" ] || fail "the program had not finished when wsc exited"
printf 'msg-1\nmsg-2\nmsg-3\n' >"$T/want"
cmp -s "$T/want" "$T/file" || fail "the program read '$(cat "$T/file")'"
expect_err_contains 'Disconnected (code: 1000, reason: "done")'
expect_err_contains "$(ended_line "$CMD" "exited with status 0")"
stop_peer
case_end

case_begin "a program that ignores end of file gets SIGTERM 2 s later, and is reaped"
start_peer echo_server --mode close 1000
CMD="echo \$\$ >'$T/pid'; echo ready; exec sleep 100"
run_wsc --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
expect_err_contains "$(ended_line "$CMD" "was killed by signal 15 (SIGTERM)")"
[ "$ELAPSED_MS" -ge 2000 ] || fail "SIGTERM came after $ELAPSED_MS ms"
# A zombie still answers kill -0; a reaped child does not exist.
! kill -0 "$(cat "$T/pid")" 2>/dev/null || fail "the child is still there"
stop_peer
case_end

case_begin "one that ignores SIGTERM too gets SIGKILL 2 s after, and is reaped (no zombie)"
start_peer echo_server --mode close 1000
CMD="trap '' TERM; echo \$\$ >'$T/pid'; echo ready; exec sleep 100"
run_wsc -q --run "$CMD" "$(URL_OF "$PORT")"
expect_rc 0
expect_out_empty
expect_err_lacks "killed"
[ "$ELAPSED_MS" -ge 4000 ] || fail "SIGKILL came after $ELAPSED_MS ms"
pid=$(cat "$T/pid")
! kill -0 "$pid" 2>/dev/null || fail "process $pid is still there"
if ps -o pid= -p "$pid" >/dev/null 2>&1; then
	fail "ps still lists $pid: $(ps -o stat= -p "$pid")"
fi
stop_peer
case_end

case_begin "the program has descriptors 0, 1 and 2 only (ls's own is 3)"
if [ -d /proc/self/fd ]; then
	start_peer echo_server --no-echo
	run_wsc --run 'echo $(ls /proc/self/fd)' "$(URL_OF "$PORT")"
	expect_rc 0
	expect_file_contains "$LOG" disconnect
	expect_log_texts "0 1 2 3"
	stop_peer
	case_end
else
	t_skip "$CASE" "no /proc/self/fd"
fi

case_begin "SIGTERM to wsc: close 1000, the program's stdin ends, it exits and wsc exits 0"
start_peer echo_server
rm -f "$T/flag" "$T/file"
CMD="echo ready; cat >'$T/file'; echo done >'$T/flag'"
# Not under timeout(1), which would signal the program too (its process
# group); bounded by the wait below instead.
"$WSC" --run "$CMD" "$(URL_OF "$PORT")" >"$T/out" 2>"$T/err" 9>&- &
wsc_pid=$!
if wait_file_contains "$T/file" ready 20; then
	kill -TERM "$wsc_pid"
else
	fail "the echo never reached the program"
fi
i=0
while kill -0 "$wsc_pid" 2>/dev/null && [ "$i" -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -KILL "$wsc_pid" 2>/dev/null && fail "wsc did not exit"
if wait "$wsc_pid"; then RC=0; else RC=$?; fi
expect_rc 0
expect_out_empty
expect_close 1000
[ -f "$T/flag" ] || fail "the program had not finished when wsc exited"
expect_err_contains "$(ended_line "$CMD" "exited with status 0")"
stop_peer
case_end

case_begin "a command that is not found: its status line, close 1011, exit 1"
start_peer echo_server
run_wsc -q --run wsc-no-such-command "$(URL_OF "$PORT")"
expect_rc 1
expect_out_empty
expect_close 1011
expect_err_contains "$(ended_line wsc-no-such-command \
    "exited with status 127 (command not found)")"
expect_err_lacks "Disconnected"
stop_peer
case_end

case_begin "a failing program is an error line (also under -q); wsc still exits 0"
start_peer echo_server
run_wsc -q --run 'echo bye; exit 3' "$(URL_OF "$PORT")"
expect_rc 0
expect_err_lines 1
expect_err_contains "$(ended_line 'echo bye; exit 3' "exited with status 3")"
stop_peer
case_end

case_begin "nothing runs when the connection cannot be made"
port=$(free_port)
rm -f "$T/ran"
run_wsc --run "touch '$T/ran'" "$(URL_OF "$port")"
expect_rc 3
expect_out_empty
[ ! -e "$T/ran" ] || fail "the program ran"
case_end

case_begin "--run excludes -x, --echo, --jsonl, --reconnect; with -l, --echo and --forward (usage errors)"
for args in "-x hi" --echo --jsonl --reconnect; do
	# shellcheck disable=SC2086 # the option and its value
	run_wsc --run cat $args ws://127.0.0.1:9/
	expect_rc 2
	expect_err_contains "--run"
done
run_wsc --run cat -l 12345 --echo
expect_rc 2
expect_err_contains "--run and --echo exclude each other"
run_wsc --run cat -l 12345 --forward 127.0.0.1:1
expect_rc 2
expect_err_contains "--forward and --run exclude each other"
case_end

# ---------------------------------------------------------------- flow

case_begin "a program that does not read stops wsc reading: 256 MiB flood, peak RSS < 32 MiB"
mkfifo "$T/go"
start_peer flood_server --what message --bytes 268435456
CMD="read x <'$T/go'; exec cat >/dev/null"
"$BENCH_PEER" --time "timeout 120 '$WSC' -q --run \"$CMD\" $(URL_OF "$PORT")" \
    >"$T/time" 2>"$T/err" 9>&- &
timed=$!
# The server notices wsc stopped reading (its sends stall); then the
# program starts reading, and the whole flood goes through it.
if wait_file_contains "$LOG" "stalled" 60; then
	timeout 20 sh -c "echo go >'$T/go'" || fail "the program was not waiting"
else
	fail "wsc never stopped reading"
	timeout 5 sh -c "echo go >'$T/go'" || :
fi
if wait "$timed"; then
	rss=$(cut -d' ' -f2 "$T/time")
	[ "$rss" -lt 32768 ] || fail "peak RSS $rss KiB"
	echo "# peak RSS $rss KiB"
else
	fail "wsc failed: $(cat "$T/time")"
fi
expect_file_contains "$LOG" "pushed"
expect_file_contains "$LOG" "eof"
stop_peer
case_end

case_begin "a program that writes faster than the server reads is read no faster: 64 MiB, peak RSS < 16 MiB (sanitizers: 48)"
# 65,536 lines of 1,024 bytes; the server takes 16 MiB/s. Were the
# program's output read as it came, all of it would queue in wsc. A
# sanitizer build adds its shadow memory and allocator, and a small
# quarantine keeps its peak to what wsc holds (as in bridge.sh).
limit=16384
grep -q __asan_init "$WSC" 2>/dev/null && limit=49152
start_peer session_server --slow-read 16777216
CMD="head -c 67108864 /dev/zero | tr '\\0' a | fold -w 1024"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4" \
    "$BENCH_PEER" --time "timeout 120 '$WSC' -q --run \"$CMD\" $(URL_OF "$PORT")" \
    >"$T/time" 2>"$T/err" 9>&- &
timed=$!
if wait "$timed"; then
	rss=$(cut -d' ' -f2 "$T/time")
	echo "# peak RSS $rss KiB"
	[ "$rss" -lt "$limit" ] || fail "peak RSS $rss KiB"
else
	fail "wsc failed: $(cat "$T/time" "$T/err")"
fi
expect_file_contains "$LOG" "stats 1 texts=65536 bytes=67108864"
expect_file_contains "$LOG" "close 1000"
stop_peer
case_end

t_done
