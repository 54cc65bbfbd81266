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
	echo "ok - zlib is loaded when permessage-deflate is agreed on, not before # SKIP built with --disable-lazy-load"
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

# ------------------------------------------------------------ node ws

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "# node or npm missing: the node ws interop cases are skipped"
	t_done
fi
if ! npm install --prefix "$T/node" --no-audit --no-fund --silent ws@8 \
    >"$T/npm.log" 2>&1; then
	sed 's/^/# npm: /' "$T/npm.log" | head -n 5
	echo "SKIP: npm install ws@8 failed (offline?)"
	[ "$PASSED$FAILED" != 00 ] && t_done
	exit 77
fi
NODE_PATH=$T/node/node_modules
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

t_done
