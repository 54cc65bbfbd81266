#!/bin/sh
# permessage-deflate (RFC 7692) interop: wsc against python3-websockets and
# node's `ws`, each with its default settings and its strictest ones (no
# context takeover either way, the smallest windows it supports). Checks
# the exact echo, that both directions really were compressed (-v shows
# rsv1=1 frames and the message sizes), what the server agreed to, and the
# exit status.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets

# Lines of several sizes and kinds; a line repeated (context takeover
# makes the second copy tiny); a long UTF-8 line; a short one that is
# not worth compressing.
"$PYTHON" - >"$T/in" <<'PY'
import random
r = random.Random(7)
words = ["alpha", "beta", "gamma", "delta", "\u03ba\u1f79\u03c3\u03bc\u03b5", "\U0001F600"]
line = " ".join(r.choice(words) for _ in range(400))
print("hello")
print(line)
print(line)
print(" ".join(r.choice(words) for _ in range(40000)))
print("\u20ac" * 3000)
print("short")
PY

# -v checks shared by every compressed run.
expect_compressed_both_ways()
{
	expect_err_contains "> Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"
	expect_err_contains "< Sec-WebSocket-Extensions: permessage-deflate"
	expect_err_contains "> frame TEXT fin=1 rsv1=1"
	expect_err_contains "< frame TEXT fin=1 rsv1=1"
	expect_err_matches "^> message TEXT len=[0-9]+ compressed=[0-9]+$"
	expect_err_matches "^< message TEXT len=[0-9]+ compressed=[0-9]+$"
	# the short line went as it was
	expect_err_contains "> frame TEXT fin=1 len=5"
}

# ---------------------------------------------------- python3-websockets

case_begin "python-websockets default deflate: echo exact, both directions compressed"
start_peer deflate_server
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_compressed_both_ways
expect_file_contains "$LOG" "extensions permessage-deflate"
expect_file_contains "$LOG" "close 1000"
case_end

if [ "${WSC_LAZY:-yes}" = yes ]; then
case_begin "zlib is loaded when permessage-deflate is agreed on, not before"
start_peer deflate_server
# The dynamic loader names every library it maps; libc proves it spoke.
LD_DEBUG=files run_wsc --no-compression -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_err_contains "libc.so"
expect_err_lacks "libz.so"
LD_DEBUG=files run_wsc -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_err_matches 'file=libz[^ ]* \[0\];  dynamically loaded by'
case_end
else
	t_skip "zlib is loaded when permessage-deflate is agreed on, not before" "built with --disable-lazy-load"
fi

case_begin "python-websockets strictest: no context takeover, windows 9/8"
start_peer deflate_server --server-no-context-takeover --client-no-context-takeover \
    --server-max-window-bits 9 --client-max-window-bits 8
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_compressed_both_ways
expect_file_contains "$LOG" "extensions permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=8"
expect_file_contains "$LOG" "close 1000"
case_end

case_begin "python-websockets: binary chunks compressed and echoed byte for byte"
start_peer deflate_server --client-max-window-bits 10
"$PYTHON" -c '
import random, sys
r = random.Random(3)
sys.stdout.buffer.write(b"".join(r.choice([b"\x00" * 500, r.randbytes(300), b"abcabc" * 90]) for _ in range(2000)))' >"$T/bin"
run_wsc -v -b --binary-output raw -w 1 "ws://127.0.0.1:$PORT/" <"$T/bin"
expect_rc 0
expect_out_eq "$T/bin"
expect_err_contains "> frame BINARY fin=1 rsv1=1"
expect_err_contains "< frame BINARY fin=1 rsv1=1"
case_end

case_begin "--no-compression: nothing offered, nothing compressed"
start_peer deflate_server
run_wsc -v --no-compression -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_err_lacks "Sec-WebSocket-Extensions"
expect_err_lacks "rsv1=1"
expect_file_contains "$LOG" "extensions none"
case_end

# ---------------------------------------- listen mode (server side)

# start_echo_listener [args...]: `wsc -l PORT --echo args` on a free port,
# stderr to $T/listen.err; sets PORT and LPID.
start_echo_listener()
{
	PORT=$(free_port)
	: >"$T/listen.err"
	timeout --foreground -k 5 "$WSC_TIMEOUT" "$WSC" -l "$PORT" --echo "$@" \
	    <"$T/peer-stdin" >/dev/null 2>"$T/listen.err" 9>&- &
	LPID=$!
	wait_file_contains "$T/listen.err" "Listening on " 30 ||
	    bail_out "wsc -l did not start: $(cat "$T/listen.err")"
}

# stop_echo_listener: Ctrl+C for the listener; sets RC.
stop_echo_listener()
{
	kill_wsc INT "$LPID"
	if wait "$LPID"; then RC=0; else RC=$?; fi
}

case_begin "wsc -l: RFC 7692 cases from a python-websockets client"
start_echo_listener
"$PYTHON" "$TESTS_SRCDIR/peers/pmd_client.py" --url "ws://127.0.0.1:$PORT/" \
    >"$T/pmd.out" 2>"$T/pmd.err" || fail "$(grep -v '^ok' "$T/pmd.out" | head -n 5)"
n=$(grep -c '^ok ' "$T/pmd.out" || :)
[ "$n" -ge 35 ] || fail "only $n cases passed"
stop_echo_listener
expect_rc 0
LOG=$T/pmd.out
case_end

case_begin "wsc -l: wsc's own client, compressed both ways"
start_echo_listener -v
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_compressed_both_ways
stop_echo_listener
expect_file_contains "$T/listen.err" "> Sec-WebSocket-Extensions: permessage-deflate"
case_end

case_begin "wsc -l --no-compression declines the offer"
start_echo_listener --no-compression
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_err_lacks "< Sec-WebSocket-Extensions"
expect_err_lacks "rsv1=1"
stop_echo_listener
case_end

# ------------------------------------------------------------ node ws

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "# node or npm missing: the node ws interop cases are skipped"
	t_done
fi
# ws@8 from WSC_NODE_MODULES (scripts/check installs it once for all its
# builds), else installed here by scripts/node-ws (bounded in time).
if [ -n "${WSC_NODE_MODULES:-}" ] && [ -d "$WSC_NODE_MODULES/ws" ]; then
	NODE_PATH=$WSC_NODE_MODULES
elif "$TESTS_SRCDIR/../scripts/node-ws" "$T/node" >/dev/null 2>"$T/npm.log" 9>&-; then
	NODE_PATH=$T/node/node_modules
else
	sed 's/^/# npm: /' "$T/npm.log" | head -n 5
	skip_all "npm install ws@8 failed or took over 180 s (offline?)"
fi
export NODE_PATH

# start_node_peer [args...]: like start_peer, for tests/peers/deflate_server.js.
start_node_peer()
{
	PEER_N=$((PEER_N + 1))
	LOG=$T/peer$PEER_N.log
	: >"$LOG"
	portfile=$T/peer$PEER_N.port
	: >"$portfile"
	node "$TESTS_SRCDIR/peers/deflate_server.js" --port 0 --log "$LOG" "$@" \
	    >"$portfile" 2>"$T/peer$PEER_N.stderr" <"$T/peer-stdin" 9>&- &
	PEER_PID=$!
	PEER_PIDS="$PEER_PIDS $PEER_PID"
	i=0
	while [ "$(wc -l <"$portfile")" -lt 1 ]; do
		kill -0 "$PEER_PID" 2>/dev/null ||
		    bail_out "node peer exited: $(cat "$T/peer$PEER_N.stderr")"
		i=$((i + 1))
		[ "$i" -le 300 ] || bail_out "node peer did not print its port in 15 s"
		sleep 0.05
	done
	PORT=$(head -n 1 "$portfile")
}

case_begin "node ws default deflate: echo exact, both directions compressed"
start_node_peer
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_compressed_both_ways
expect_file_contains "$LOG" "extensions permessage-deflate"
expect_file_contains "$LOG" "close 1000"
case_end

case_begin "node ws strictest: no context takeover, 8-bit windows both ways"
start_node_peer --server-no-context-takeover --client-no-context-takeover \
    --server-max-window-bits 8 --client-max-window-bits 8
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/in"
expect_rc 0
expect_out_eq "$T/in"
expect_compressed_both_ways
for p in server_no_context_takeover client_no_context_takeover \
    server_max_window_bits=8 client_max_window_bits=8; do
	expect_file_matches "$LOG" "^extensions permessage-deflate;.* $p(;|\$)"
done
expect_file_contains "$LOG" "close 1000"
case_end

case_begin "node ws with 8-bit client window and context takeover: many messages"
start_node_peer --client-max-window-bits 8 --threshold 0
"$PYTHON" -c '
import random
r = random.Random(11)
for i in range(300):
    print("".join(r.choice(["lorem ", "ipsum ", "dolor ", "%d " % i]) for _ in range(r.randrange(1, 200))))' >"$T/many"
run_wsc -v -w 1 "ws://127.0.0.1:$PORT/" <"$T/many"
expect_rc 0
expect_out_eq "$T/many"
expect_err_contains "> frame TEXT fin=1 rsv1=1"
expect_file_contains "$LOG" "client_max_window_bits=8"
expect_file_contains "$LOG" "close 1000"
case_end

# node_client_case NAME [deflate_client.js args...]: node's ws client
# against `wsc -l --echo`, every echo checked.
node_client_case()
{
	case_begin "wsc -l with a node ws client: $1"
	shift
	start_echo_listener
	LOG=$T/node-client.out
	node "$TESTS_SRCDIR/peers/deflate_client.js" \
	    --url "ws://127.0.0.1:$PORT/" "$@" >"$LOG" 2>&1 <"$T/peer-stdin" 9>&- ||
	    fail "the node client failed"
	expect_file_matches "$LOG" "^ok [0-9]+\$"
	stop_echo_listener
	expect_rc 0
	case_end
}

node_client_case "defaults"
node_client_case "8-bit windows both ways, no context takeover" \
    --server-max-window-bits 8 --client-max-window-bits 8 \
    --server-no-context-takeover --client-no-context-takeover
node_client_case "8-bit client window with context takeover" \
    --client-max-window-bits 8 --count 1000

t_done
