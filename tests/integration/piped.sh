#!/bin/sh
# Piped mode under load and over time: a large stream through an echo peer
# neither deadlocks nor grows memory, and stdout is flushed whenever wsc
# waits, so a pipeline sees each message at once.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

# Peak RSS (KiB) of a command line, measured by the bench peer's launcher
# (forked from a small process, so the figure is wsc's own).
peak_rss()
{
	"$BENCH_PEER" --time "$1" >"$T/time" 2>/dev/null || return 1
	cut -d' ' -f2 "$T/time"
}

# A bound for "does not grow": the outbound high-water mark is 256 KiB and the
# read buffers a few hundred KiB; sanitizer builds add their own shadow.
RSS_LIMIT_KIB=${RSS_LIMIT_KIB:-262144}

case_begin "256 MiB of -b chunks through an echo peer: no deadlock, bounded memory"
start_peer bench --mode echo
n=268435456
if rss=$(peak_rss "head -c $n /dev/zero | timeout 120 '$WSC' -q -b -w 1 --binary-output raw ws://127.0.0.1:$PORT/ | wc -c >'$T/count'"); then
	[ "$(cat "$T/count")" -eq "$n" ] || fail "echoed $(cat "$T/count") bytes, expected $n"
	[ "$rss" -lt "$RSS_LIMIT_KIB" ] || fail "peak RSS $rss KiB (limit $RSS_LIMIT_KIB)"
else
	fail "the pipeline failed: $(cat "$T/time")"
fi
case_end

case_begin "2 million text lines through an echo peer come back identical"
start_peer bench --mode echo
yes 0123456789abcdef0123456789abcde | head -n 2000000 >"$T/in"
if rss=$(peak_rss "timeout 120 '$WSC' -q -w 1 ws://127.0.0.1:$PORT/ <'$T/in' >'$T/out'"); then
	cmp -s "$T/in" "$T/out" || fail "output differs from input ($(wc -l <"$T/out") lines)"
	[ "$rss" -lt "$RSS_LIMIT_KIB" ] || fail "peak RSS $rss KiB (limit $RSS_LIMIT_KIB)"
else
	fail "the pipeline failed"
fi
case_end

# A peer that floods and does not read (tests/peers/flood_server.py) must
# not make wsc hold its answers: pongs coalesce behind the congested queue
# (RFC 6455 section 5.5.3) and --echo stops reading above the high-water
# mark. Before, 200 MiB of either grew wsc past 200 MiB.
FLOOD_RSS_LIMIT_KIB=${FLOOD_RSS_LIMIT_KIB:-65536}
FLOOD_BYTES=209715200

# flood_case WHAT [wsc args...]: the peer pushes $FLOOD_BYTES of WHAT, then
# closes with 1000; wsc must exit 0 under the RSS limit.
flood_case()
{
	what=$1
	shift
	start_peer flood_server --what "$what" --bytes "$FLOOD_BYTES"
	if rss=$(peak_rss "timeout 120 '$WSC' -q -w -1 $* ws://127.0.0.1:$PORT/ </dev/null"); then
		[ "$rss" -lt "$FLOOD_RSS_LIMIT_KIB" ] ||
		    fail "peak RSS $rss KiB (limit $FLOOD_RSS_LIMIT_KIB)"
	else
		fail "wsc failed or exited non-zero: $(cat "$T/time")"
	fi
	expect_file_line "$LOG" "eof 1"
	pushed=$(sed -n 's/^pushed 1 \([0-9]*\) .*/\1/p' "$LOG")
	[ "${pushed:-0}" -ge "$FLOOD_BYTES" ] ||
	    fail "the peer pushed only ${pushed:-0} bytes"
}

case_begin "a server flooding pings that never reads: memory stays bounded"
flood_case ping
case_end

case_begin "--echo with a server flooding messages that does not read: memory stays bounded"
flood_case message --echo
# wsc stopped reading while its echoes waited, until the peer read them
expect_file_matches "$LOG" '^stalled 1 after [0-9]+$'
case_end

# A reader that goes away (| head) used to be ignored: wsc read on and
# dropped everything. Now: close 1001, one error line, exit 1.
case_begin "stdout closed under a flood (| head -c 10): close 1001, one error line, exit 1"
start_peer flood_server --what text
{ if timeout -k 5 "$WSC_TIMEOUT" "$WSC" -w -1 "ws://127.0.0.1:$PORT/" \
    </dev/null 2>"$T/err" 9>&-; then echo 0 >"$T/rc"; else echo $? >"$T/rc"; fi; } |
    head -c 10 >"$T/out"
RC=$(cat "$T/rc")
expect_rc 1
printf 'flood\nfloo' >"$T/want"
expect_out_eq "$T/want"
expect_err_matches '^wsc: stdout closed: .+'
n=$(grep -c '^wsc:' "$T/err" || :)
[ "$n" = 1 ] || fail "$n error lines, expected 1"
expect_err_contains 'Disconnected (code: 1001'
expect_close 1001
case_end

case_begin "stdout is flushed while wsc waits for more input"
start_peer echo_server
mkfifo "$T/stdin"
timeout 20 "$WSC" -q -w 1 "ws://127.0.0.1:$PORT/" <"$T/stdin" >"$T/out" 2>"$T/err" &
wpid=$!
exec 8>"$T/stdin"
printf 'first\n' >&8
# The echo must reach the file while stdin is still open and idle.
if wait_file_contains "$T/out" first; then
	:
else
	fail "the first echo was not written while wsc waited"
fi
printf 'second\n' >&8
exec 8>&-
wait "$wpid" || fail "wsc exited $?"
expect_out_eq "$(printf 'first\nsecond')"
case_end

case_begin "the wait failing (poll): one line, Close 1001 to the server, exit 1"
start_peer echo_server
mkfifo "$T/wait-in"
ASAN_OPTIONS=$(asan_no_leaks) timeout -k 5 "$WSC_TIMEOUT" "$WSC" -q \
    "ws://127.0.0.1:$PORT/" <"$T/wait-in" >"$T/out" 2>"$T/err" &
wpid=$!
exec 8>"$T/wait-in"
printf 'first\n' >&8
wait_file_contains "$T/out" first || fail "no echo of the first line"
# poll() of four descriptors fails (EINVAL) under a limit of three; the
# next line wakes the wait under way. Before, wsc went on polling, failing
# at once each time: a busy loop until the time limit.
lower_fd_limit "$(child_of "$wpid")" 3 && printf 'second\n' >&8
exec 8>&-
if wait "$wpid"; then RC=0; else RC=$?; fi
expect_rc 1
expect_err_contains "wsc: cannot wait for input or the connection: "
wait_file_contains "$LOG" "close 1001" ||
    fail "the server saw no Close 1001: $(tr '\n' ' ' <"$LOG")"
case_end

t_done
