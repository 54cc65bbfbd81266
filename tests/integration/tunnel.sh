#!/bin/sh
# --tunnel [ADDR:]PORT URL: each local TCP connection over a WebSocket of
# its own. TCP clients (tests/peers/stream_clients.py) talk through wsc to
# python3-websockets servers (tests/peers/stream_server.py: an echo, one
# that refuses the first handshakes with 401, wss); the cases check what
# the TCP clients got back, what the server saw (close codes, bytes), what
# wsc said and how it exited, and that no child is left behind.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

PEERS=$TESTS_SRCDIR/peers
# clients WHAT [args...]: tests/peers/stream_clients.py against the tunnel,
# its report in $T/clients.
clients()
{
	what=$1
	shift
	timeout -k 5 60 "$PYTHON" "$PEERS/stream_clients.py" "$what" \
	    --port "$TPORT" "$@" >"$T/clients" 2>&1 9>&- || :
}

# expect_clients LINE: the clients' report has that line.
expect_clients()
{
	grep -qxF -e "$1" "$T/clients" ||
	    fail "clients: $(tail -c 400 "$T/clients" | tr '\n' '|')"
}

# expect_no_children: every tunnel's process has ended and been reaped
# (waits for the last to finish their close, 20 s at most; a zombie never
# goes away and fails it).
expect_no_children()
{
	i=0
	while [ -n "$(ps -o pid= --ppid "$WPID" 2>/dev/null)" ]; do
		i=$((i + 1))
		if [ "$i" -gt 400 ]; then
			fail "children left: $(ps -o pid=,stat= --ppid "$WPID" |
			    tr '\n' ' ')"
			return 0
		fi
		sleep 0.05
	done
}

# hold_open N: N TCP clients through the tunnel (TPORT) that each check one
# byte's echo and then hold their connection until it ends, in the
# background (HPID); waits for them to print "ready" alone on its line (a
# traceback can hold the word too), or to end without it; 150 s at most,
# which a loaded machine has needed: the tunnels each fork, start and
# connect before it comes.
hold_open()
{
	timeout -k 5 180 "$PYTHON" "$PEERS/stream_clients.py" hold \
	    --port "$TPORT" --conns "$1" >"$T/clients" 2>&1 9>&- &
	HPID=$!
	i=0
	until grep -qx ready "$T/clients" 2>/dev/null ||
	    ! kill -0 "$HPID" 2>/dev/null || [ "$i" -ge 3000 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	grep -qx ready "$T/clients" || fail "the tunnels did not open"
}

# count_lines FILE ERE: how many lines of FILE match.
count_lines()
{
	grep -cE -e "$2" "$1" 2>/dev/null || :
}

case_begin "100 concurrent TCP connections, each over its own WebSocket, each echoed exactly"
start_peer stream_server
start_tunnel "ws://127.0.0.1:$PORT/t"
clients echo --conns 100 --bytes 100000
expect_clients "ok 100"
i=0
while [ "$(count_lines "$LOG" '^close [0-9]+ 1000 100000$')" -lt 100 ] &&
    [ "$i" -lt 400 ]; do
	i=$((i + 1))
	sleep 0.05
done
n=$(count_lines "$LOG" '^close [0-9]+ 1000 100000$')
[ "$n" -eq 100 ] || fail "$n of 100 WebSockets closed with 1000 after 100000 bytes"
expect_no_children
stop_tunnel
expect_rc 0
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than the Listening line on stderr"
case_end
stop_peer

case_begin "a tunnel refused with 401: its connection closed, one line; the next one works"
start_peer stream_server --refuse-first 1
start_tunnel "ws://127.0.0.1:$PORT/t"
clients refused
expect_clients "eof"
expect_file_line "$LOG" "refused 1 401"
clients echo --conns 1 --bytes 5000
expect_clients "ok 1"
stop_tunnel
expect_rc 0
expect_err_lines 2
expect_err_matches '^wsc: tunnel 1 from 127\.0\.0\.1:[0-9]+: .*401'
case_end
stop_peer

case_begin "--max-clients 1: the second connection waits until the first tunnel ends"
start_peer stream_server
start_tunnel "ws://127.0.0.1:$PORT/t" --max-clients 1
clients limit
expect_clients "ok"
# Its WebSocket opened after the first one's Close (without the limit it
# opens at once, while the first is still open); the server logs that Close
# before it answers, and the first tunnel ends only after the answer.
c1=$(grep -n '^closing 1$' "$LOG" | head -n 1 | cut -d: -f1)
o2=$(grep -n '^connect 2 ' "$LOG" | head -n 1 | cut -d: -f1)
[ -n "$c1" ] && [ -n "$o2" ] && [ "$c1" -lt "$o2" ] ||
    fail "the second WebSocket opened before the first closed"
stop_tunnel
expect_rc 0
case_end
stop_peer

case_begin "through a SOCKS5 proxy with a header: each tunnel asks the proxy for the server"
start_peer stream_server
SPORT=$PORT
SLOG=$LOG
start_peer socks_server --mode relay
start_tunnel "ws://localhost:$SPORT/p" --proxy "socks5h://127.0.0.1:$PORT" \
    -H "Authorization: Bearer t0ken"
clients echo --conns 3 --bytes 50000
expect_clients "ok 3"
n=$(count_lines "$LOG" "^connect domain localhost $SPORT\$")
[ "$n" -eq 3 ] || fail "the proxy saw $n CONNECTs to localhost:$SPORT, expected 3"
n=$(count_lines "$SLOG" '^close [0-9]+ 1000 50000$')
[ "$n" -eq 3 ] || fail "the server saw $n tunnels close with 1000 after 50000 bytes"
n=$(count_lines "$SLOG" '^authorization [0-9]+ Bearer t0ken$')
[ "$n" -eq 3 ] || fail "the server saw the header $n times, expected 3"
stop_tunnel
expect_rc 0
case_end
stop_peer

case_begin "TCP half-close: the server sees Close 1000 after every byte"
start_peer stream_server
start_tunnel "ws://127.0.0.1:$PORT/t"
clients halfclose --bytes 3000000
grep -q '^eof after [0-9]* bytes$' "$T/clients" ||
    fail "the TCP client got no end of file: $(cat "$T/clients")"
expect_file_line "$LOG" "close 1 1000 3000000"
expect_no_children
stop_tunnel
expect_rc 0
case_end
stop_peer

case_begin "SIGTERM: every WebSocket closed with 1001, every TCP connection ended, exit 0; each tunnel holds only its own sockets"
start_peer stream_server
start_tunnel "ws://127.0.0.1:$PORT/t"
hold_open 5
# Each tunnel holds two sockets, its TCP connection and its WebSocket: not
# the listening socket, not another tunnel's connection.
for kid in $(pgrep -P "$WPID"); do
	n=$(ls -l "/proc/$kid/fd" 2>/dev/null | grep -c 'socket:' || :)
	[ "$n" -eq 2 ] || fail "tunnel process $kid holds $n sockets, expected 2"
done
[ "$(pgrep -P "$WPID" | wc -l)" -eq 5 ] || fail "not 5 tunnel processes"
stop_tunnel TERM
wait "$HPID" || :
expect_rc 0
expect_clients "eof 5"
n=$(count_lines "$LOG" '^close [0-9]+ 1001 1$')
[ "$n" -eq 5 ] || fail "$n of 5 WebSockets closed with 1001"
if [ -n "$(pgrep -P "$WPID" 2>/dev/null)" ] || kill -0 "$WPID" 2>/dev/null; then
	fail "wsc or a tunnel is still running"
fi
case_end
stop_peer

case_begin "the wait for connections failing: one line, every tunnel closed with 1001, exit 1"
start_peer stream_server
no_leak_check start_tunnel "ws://127.0.0.1:$PORT/t"
hold_open 1
# poll() of two descriptors fails (EINVAL) under a limit of one; a
# SIGCHLD wakes the wait that is under way.
if lower_fd_limit "$WPID" 1; then
	kill -CHLD "$WPID"
	if wait "$TPID"; then RC=0; else RC=$?; fi
	TPID=
else
	stop_tunnel TERM
fi
wait "$HPID" || :
expect_rc 1
expect_err_contains "wsc: cannot wait for connections: "
expect_clients "eof 1"
n=$(count_lines "$LOG" '^close [0-9]+ 1001 1$')
[ "$n" -eq 1 ] || fail "$n of 1 WebSocket closed with 1001"
[ -z "$(pgrep -P "$WPID" 2>/dev/null)" ] || fail "a tunnel is still running"
case_end
stop_peer

case_begin "Ctrl+C at a terminal: every WebSocket closed with 1001, every TCP connection ended, exit 0"
if command -v tmux >/dev/null 2>&1; then
	start_peer stream_server
	rm -f "$T/rc" "$T/rc.tmp"
	: >"$T/err"
	# The pane's shell gets the Ctrl+C too: it lives on to record the
	# status (a handler, not an ignored signal, which wsc would inherit).
	cat >"$T/pane.sh" <<EOF
trap : INT
'$WSC' --tunnel 0 ws://127.0.0.1:$PORT/tty 2>'$T/err'
echo \$? >'$T/rc.tmp'
mv '$T/rc.tmp' '$T/rc'
exec sleep 300
EOF
	TM="tmux -S $T/tmux.sock -f /dev/null"
	(unset TMUX; $TM new-session -d -s w -x 80 -y 24 "sh '$T/pane.sh'") 9>&-
	wait_file_contains "$T/err" "Listening on " 30 ||
	    bail_out "wsc --tunnel in tmux did not start: $(cat "$T/err")"
	TPORT=$(tunnel_port "$T/err")
	hold_open 3
	$TM send-keys -t w C-c 9>&-
	i=0
	while [ ! -f "$T/rc" ] && [ "$i" -lt 600 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	wait "$HPID" || :
	RC=$(cat "$T/rc" 2>/dev/null || echo none)
	expect_rc 0
	expect_clients "eof 3"
	n=$(count_lines "$LOG" '^close [0-9]+ 1001 1$')
	[ "$n" -eq 3 ] || fail "$n of 3 WebSockets closed with 1001"
	$TM kill-server >/dev/null 2>&1 9>&- || :
	case_end
	stop_peer
else
	t_skip "$CASE" "tmux is not installed"
fi

case_begin "flow control: behind a slow TCP reader, the tunnel's memory stays flat (64 MiB flood)"
start_peer bench --mode flood --count 1024 --size 65536 --binary
start_tunnel "ws://127.0.0.1:$PORT/flood"
rm -f "$T/go"
mkfifo "$T/go"
BIG=$((64 * 1024 * 1024))
"$PYTHON" "$PEERS/stream_clients.py" slowread --port "$TPORT" --bytes "$BIG" \
    --go "$T/go" >"$T/clients" 9>&- &
SPID=$!
expect_flat_memory 'pgrep -P $WPID | head -n 1' 'the tunnel'
wait "$SPID" || :
grep -qx "read $BIG bytes" "$T/clients" || fail "$(tail -n 1 "$T/clients")"
stop_tunnel
expect_rc 0
case_end
stop_peer

case_begin "flow control: into a slow WebSocket reader, the tunnel stops reading TCP (64 MiB, memory flat)"
BIG=$((64 * 1024 * 1024))
start_peer stream_server --mode sink --slow 2 --mark $((BIG / 2))
start_tunnel "ws://127.0.0.1:$PORT/slow"
timeout -k 5 120 "$PYTHON" "$PEERS/stream_clients.py" halfclose \
    --port "$TPORT" --bytes "$BIG" >"$T/clients" 2>&1 9>&- &
SPID=$!
if wait_file_contains "$LOG" "mark 1" 60; then
	# Without flow control the TCP side would be read in full by now.
	HWM=$(awk '/^VmHWM:/ { print $2 }' \
	    "/proc/$(pgrep -P "$WPID" | head -n 1)/status" 2>/dev/null || echo 0)
	echo "# the tunnel's peak RSS halfway: ${HWM:-?} KiB"
	[ "${HWM:-0}" -gt 0 ] && [ "$HWM" -lt 16384 ] ||
	    fail "the tunnel's peak RSS was ${HWM:-?} KiB halfway (16 MiB at most)"
else
	fail "the server never got half the bytes"
fi
wait "$SPID" || :
expect_file_line "$LOG" "close 1 1000 $BIG"
stop_tunnel
expect_rc 0
case_end
stop_peer

if [ -z "${WSC_TLS_CERTS:-}" ]; then
	mkdir "$T/pki"
	sh "$PEERS/mkcerts.sh" "$T/pki" || bail_out "mkcerts.sh failed"
	WSC_TLS_CERTS=$T/pki
fi

case_begin "wss: tunnels over TLS, verified against --ca"
start_peer stream_server --cert "$WSC_TLS_CERTS/dnsonly.pem" \
    --key "$WSC_TLS_CERTS/dnsonly.key"
start_tunnel "wss://localhost:$PORT/tls" --ca "$WSC_TLS_CERTS/ca.pem"
clients echo --conns 3 --bytes 200000
expect_clients "ok 3"
stop_tunnel
expect_rc 0
case_end

case_begin "a TLS failure (unknown CA): that connection closed, one line, exit 0 at the end"
start_tunnel "wss://localhost:$PORT/tls"
clients refused
expect_clients "eof"
stop_tunnel
expect_rc 0
expect_err_lines 2
expect_err_matches '^wsc: tunnel 1 from 127\.0\.0\.1:[0-9]+: .*TLS'
case_end
stop_peer

case_begin "SIGTERM as soon as it listens (its Listening line blocked on a full stderr): exit 0"
# wsc's stderr is a pipe filled beforehand, so the Listening line blocks
# until the pipe is drained. The signal goes once the socket listens and
# before the drain: a handler installed only after the line would come
# too late, and SIGTERM's default action would end wsc (status 143).
"$PYTHON" - "$WSC" >"$T/out.sig" 2>&1 <<'PY'
import fcntl, os, signal, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, os.O_NONBLOCK)
for chunk in (65536, 1):
    try:
        while True:
            os.write(w, b"f" * chunk)
    except BlockingIOError:
        pass
fcntl.fcntl(w, fcntl.F_SETFL, 0)
p = subprocess.Popen([sys.argv[1], "--tunnel", "0", "ws://127.0.0.1:1/"],
                     stdin=subprocess.DEVNULL, stderr=w)
os.close(w)
def listening():
    fds = "/proc/%d/fd" % p.pid
    inodes = set()
    for fd in os.listdir(fds):
        try:
            inodes.add(os.readlink(os.path.join(fds, fd)))
        except OSError:
            pass
    with open("/proc/net/tcp") as f:
        return any(l.split()[3] == "0A" and "socket:[%s]" % l.split()[9]
                   in inodes for l in f.readlines()[1:])
for _ in range(600):
    if p.poll() is not None or listening():
        break
    time.sleep(0.05)
p.send_signal(signal.SIGTERM)
err = b""
while True:
    b = os.read(r, 65536)
    if not b:
        break
    err += b
try:
    print("status %d" % p.wait(timeout=30))
except subprocess.TimeoutExpired:
    p.kill()
    print("still running 30 s after SIGTERM")
print(err.lstrip(b"f").decode(errors="replace"), end="")
PY
# (The line itself may be lost: the signal ends its blocked write.)
grep -qx "status 0" "$T/out.sig" ||
    fail "$(head -c 300 "$T/out.sig" | tr '\n' '|')"
case_end

case_begin "--tunnel's address: [::1]:0 listens on IPv6; bad ones and other options refused"
if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	# --foreground, as start_tunnel: wsc gets our SIGTERM once, not
	# again through its process group while it exits.
	timeout --foreground -k 5 "$WSC_TIMEOUT" "$WSC" --tunnel '[::1]:0' \
	    ws://127.0.0.1:1/ </dev/null >"$T/out" 2>"$T/err" 9>&- &
	TPID=$!
	expect_file_matches "$T/err" '^Listening on \[::1\]:[0-9]+;'
	stop_tunnel
	expect_rc 0
fi
for addr in "" "x" "127.0.0.1" "1.2.3:80" "[127.0.0.1]:80" "::1" "65536" \
    "localhost:80"; do
	run_wsc --tunnel "$addr" ws://127.0.0.1:1/
	[ "$RC" = 2 ] || fail "--tunnel '$addr': exit $RC, expected 2"
done
run_wsc --tunnel 0 -x hi ws://127.0.0.1:1/
[ "$RC" = 2 ] || fail "--tunnel with -x: exit $RC, expected 2"
run_wsc --tunnel 0 --raw ws://127.0.0.1:1/
[ "$RC" = 2 ] || fail "--tunnel with --raw: exit $RC, expected 2"
expect_err_contains "--raw cannot be used with --tunnel"
run_wsc --tunnel 0 'ftp://x/'
[ "$RC" = 2 ] || fail "--tunnel with a bad URL: exit $RC, expected 2"
case_end

case_begin "--tunnel does not read stdin: a file there is left where it was"
printf 'not for the tunnels\n' >"$T/stdin"
start_peer stream_server
TIN=$T/stdin start_tunnel "ws://127.0.0.1:$PORT/t"
clients echo --conns 2 --bytes 1000
expect_clients "ok 2"
pos=$(sed -n 's/^pos:[[:space:]]*//p' "/proc/$WPID/fdinfo/0" 2>/dev/null)
[ "$pos" = 0 ] || fail "wsc's stdin is at offset '$pos', not 0: it was read"
stop_tunnel
expect_rc 0
stop_peer
case_end

t_done
