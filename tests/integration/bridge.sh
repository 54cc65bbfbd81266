#!/bin/sh
# wsc at both ends of a bridge: `--tunnel` carries local TCP connections
# over WebSockets to `wsc -l --forward`, which connects each to a TCP
# target (tests/peers/tcp_target.py); and `--raw` as ssh's ProxyCommand
# through `-l --forward` to a TCP echo. The cases check what the TCP ends
# got (sha256), wsc's memory at every hop while a reader is slow, and what
# a refused target does to the tunnel in front of it.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

PEERS=$TESTS_SRCDIR/peers
# The tunnel's lines apart from the server's ($T/err), and time for 1 GiB.
TERR=$T/tunnel.err
TUNNEL_TIME=300
WSC_TIMEOUT=300
# The flow-control case's size: 1 GiB (WSC_BRIDGE_MIB overrides, e.g.
# for a slow sanitizer build).
MIB=${WSC_BRIDGE_MIB:-1024}

# The bound on each wsc's peak RSS: 16 MiB; a sanitizer build adds its
# shadow memory and allocator (about 10 MiB here), and keeps freed memory
# in quarantine (256 MiB by default: a small one, so that its peak shows
# what wsc holds).
LIMIT=16384
if grep -q __asan_init "$WSC" 2>/dev/null; then
	LIMIT=49152
fi
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
export ASAN_OPTIONS

# hwm PID: the peak RSS (VmHWM, KiB) of process PID, or 0.
hwm()
{
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# expect_hwm_below KIB PID WHO: PID's peak RSS is under KIB.
expect_hwm_below()
{
	k=$(hwm "$2")
	echo "# $3's peak RSS: ${k:-?} KiB"
	[ "${k:-0}" -gt 0 ] && [ "$k" -lt "$1" ] ||
	    fail "$3's peak RSS was ${k:-?} KiB (under $1 expected)"
}

# ------------------------------------------------- 1 GiB, a slow sink

case_begin "$MIB MiB through --tunnel and -l --forward to a slow TCP sink: byte-exact, every wsc under 16 MiB (sanitizers: 48)"
rm -f "$T/go"
mkfifo "$T/go"
start_peer tcp_target --mode sink --slow $((64 << 20)) --go "$T/go"
SINK_LOG=$LOG
start_server --forward "127.0.0.1:$PORT"
start_tunnel "ws://127.0.0.1:$LPORT/"
timeout -k 5 300 "$PYTHON" "$PEERS/stream_clients.py" send --port "$TPORT" \
    --bytes $((MIB << 20)) >"$T/clients" 2>&1 9>&- &
SPID=$!
if wait_file_contains "$SINK_LOG" "half 1" 120; then
	# The sink has read 64 MiB slowly: every queue on the way is as full
	# as flow control lets it be.
	expect_hwm_below "$LIMIT" "$(child_of "$LPID")" "wsc -l --forward"
	expect_hwm_below "$LIMIT" "$WPID" "wsc --tunnel (listener)"
	kid=$(pgrep -P "$WPID" | head -n 1)
	expect_hwm_below "$LIMIT" "${kid:-0}" "wsc --tunnel (the tunnel)"
else
	fail "the sink never read its first 64 MiB"
fi
echo go >"$T/go"
wait "$SPID" || :
wait_file_contains "$SINK_LOG" "eof 1 " 120 || fail "the sink saw no end"
sent=$(sed -n 's/^sent \([0-9]*\) \([0-9a-f]*\)$/\1 \2/p' "$T/clients")
got=$(sed -n 's/^eof 1 \([0-9]*\) \([0-9a-f]*\)$/\1 \2/p' "$SINK_LOG")
[ -n "$sent" ] && [ "$sent" = "$got" ] ||
    fail "sent '$sent', the sink got '$got' ($(head -c 200 "$T/clients"))"
expect_hwm_below "$LIMIT" "$(child_of "$LPID")" "wsc -l --forward, at the end"
stop_tunnel
expect_rc 0
stop_server
case_end

# ------------------------------------------ ssh ProxyCommand through --raw

case_begin "--raw as a ProxyCommand through -l --forward to a TCP echo: 64 MiB come back exactly"
start_peer tcp_target --mode echo
start_server --forward "127.0.0.1:$PORT"
timeout -k 5 120 "$PYTHON" "$PEERS/stream_clients.py" proxycmd \
    --bytes $((64 << 20)) -- "$WSC" --raw "ws://127.0.0.1:$LPORT/" \
    >"$T/clients" 2>&1 9>&- || :
grep -qx match "$T/clients" ||
    fail "proxycmd: $(head -c 300 "$T/clients" | tr '\n' '|')"
grep -qx "status 0" "$T/clients" || fail "wsc --raw did not exit 0"
wait_file_contains "$LOG" "eof 1 $((64 << 20)) " 30 ||
    fail "the echo did not see the end of the 64 MiB"
stop_server
case_end

# -------------------------------------------- a refused target, and on

case_begin "a tunnel to a bridge whose target refuses: the TCP connection is closed, one line, the next tunnel works"
port=$(free_port)
start_server --forward "127.0.0.1:$port"
start_tunnel "ws://127.0.0.1:$LPORT/"
timeout -k 5 60 "$PYTHON" "$PEERS/stream_clients.py" refused --port "$TPORT" \
    >"$T/clients" 2>&1 9>&- || :
grep -qx eof "$T/clients" || fail "refused: $(head -c 200 "$T/clients")"
wait_file_contains "$TERR" "1011" 30 ||
    fail "the tunnel did not say its WebSocket closed with 1011"
[ "$(grep -c 1011 "$TERR")" -eq 1 ] || fail "not one line about 1011"
start_peer tcp_target --mode echo
stop_tunnel
stop_server
start_server --forward "127.0.0.1:$PORT"
start_tunnel "ws://127.0.0.1:$LPORT/"
timeout -k 5 60 "$PYTHON" "$PEERS/stream_clients.py" echo --port "$TPORT" \
    --conns 3 --bytes 100000 >"$T/clients" 2>&1 9>&- || :
grep -qx "ok 3" "$T/clients" || fail "echo: $(head -c 200 "$T/clients")"
stop_tunnel
expect_rc 0
stop_server
case_end

t_done
