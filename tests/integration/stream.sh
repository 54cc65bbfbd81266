#!/bin/sh
# Streaming (man wsc, OUTPUT): in piped mode, text and --binary-output raw
# messages are written as their bytes arrive, so a huge message needs no
# more memory than a small one, and comes out byte for byte; hex and base64
# still render whole messages.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

# Peak RSS (KiB) of a command line, from the bench peer's launcher.
peak_rss()
{
	"$BENCH_PEER" --time "$1" >"$T/time" 2>/dev/null || return 1
	cut -d' ' -f2 "$T/time"
}

# "Flat" means within this much of the same run with 1 MiB messages; the
# 96 MiB message itself would be far above it (sanitizer builds included).
SLACK_KIB=16384
BIG=100663296	# 96 MiB

# flood_rss SIZE [--binary] [wsc args...]: one message of SIZE bytes from
# the bench peer into `PEER --drain` (its byte count in $T/count) or, with
# TAIL set, into `tail -c 3` ($T/tail); prints wsc's peak RSS.
flood_rss()
{
	size=$1
	shift
	peer_args=
	if [ "${1:-}" = --binary ]; then
		peer_args=--binary
		shift
	fi
	# shellcheck disable=SC2086 # --binary or nothing
	start_peer bench --mode flood --count 1 --size "$size" $peer_args
	sink="'$BENCH_PEER' --drain >'$T/count'"
	[ -z "${TAIL:-}" ] || sink="tail -c 3 >'$T/tail'"
	peak_rss "timeout 120 '$WSC' -q -w -1 --max-message 100M $* ws://127.0.0.1:$PORT/ </dev/null | $sink"
	stop_peer
}

case_begin "a 96 MiB binary message streams through --binary-output raw with flat memory"
if small=$(flood_rss 1048576 --binary --binary-output raw) &&
    [ "$(cat "$T/count")" -eq 1048576 ] &&
    big=$(flood_rss "$BIG" --binary --binary-output raw); then
	[ "$(cat "$T/count")" -eq "$BIG" ] ||
		fail "$(cat "$T/count") bytes arrived, expected $BIG"
	[ "$big" -lt $((small + SLACK_KIB)) ] ||
		fail "peak RSS $big KiB for 96 MiB, $small KiB for 1 MiB"
else
	fail "the pipeline failed: $(cat "$T/time")"
fi
case_end

case_begin "a 96 MiB text message streams, its newline after the last byte"
if small=$(TAIL=1 flood_rss 1048576) && big=$(TAIL=1 flood_rss "$BIG"); then
	[ "$(cat "$T/tail")" = "xx" ] ||
		fail "the output ends with '$(od -c <"$T/tail" | head -n 1)'"
	[ "$big" -lt $((small + SLACK_KIB)) ] ||
		fail "peak RSS $big KiB for 96 MiB, $small KiB for 1 MiB"
else
	fail "the pipeline failed: $(cat "$T/time")"
fi
case_end

case_begin "hex output still renders a large message whole (one dump, one length line)"
start_peer bench --mode flood --count 1 --size 1048576 --binary
run_wsc -q -w -1 "ws://127.0.0.1:$PORT/" </dev/null
expect_rc 0
[ "$(wc -c <"$T/out")" -eq $((65536 * 79 + 9)) ] ||
	fail "the dump has $(wc -c <"$T/out") bytes"
[ "$(tail -n 1 "$T/out")" = 00100000 ] ||
	fail "the dump ends with '$(tail -n 1 "$T/out")'"
[ "$(grep -c '^00000000 ' "$T/out")" -eq 1 ] || fail "the dump starts over"
: >"$T/out"
case_end

t_done
