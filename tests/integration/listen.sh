#!/bin/sh
# Listen mode (wsc -l PORT): the RFC 6455 server side against
# python3-websockets clients (tests/peers/ws_client.py), against wsc's own
# client, and against a raw client that breaks the rules
# (tests/peers/raw_client.py). Each case checks what the clients saw, what
# the server printed, and how it exited.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

PEERS=$TESTS_SRCDIR/peers
LPID=
NCLIENT=0

# start_listen [args...]: listen_on (tests/setup) a free port, set in PORT.
start_listen()
{
	PORT=$(free_port)
	listen_on "$PORT" "$@"
}

# client NAME [ws_client.py args...]: a python3-websockets client in the
# background (to $SCHEME://, ws by default), logging to $T/NAME.log; sets
# CPID.
SCHEME=ws
client()
{
	name=$1
	shift
	: >"$T/$name.log"
	"$PYTHON" "$PEERS/ws_client.py" --url "$SCHEME://127.0.0.1:$PORT/$name" \
	    --log "$T/$name.log" "$@" 9>&- &
	CPID=$!
	NCLIENT=$((NCLIENT + 1))
}

# wsc_client NAME [wsc args...]: wsc's own client in the background,
# stdout to $T/NAME.out and stderr to $T/NAME.err; sets CPID.
wsc_client()
{
	name=$1
	shift
	timeout -k 5 "$WSC_TIMEOUT" "$WSC" "$@" "ws://127.0.0.1:$PORT/$name" \
	    </dev/null >"$T/$name.out" 2>"$T/$name.err" 9>&- &
	CPID=$!
}

# raw NAME SCENARIO...: the raw client, in the foreground, logging to
# $T/NAME.log.
raw()
{
	name=$1
	shift
	: >"$T/$name.log"
	"$PYTHON" "$PEERS/raw_client.py" --port "$PORT" --log "$T/$name.log" \
	    --timeout 10 --scenario "$@" 9>&- || :
}

# connected N: waits for the server's "Client N connected" line.
connected()
{
	wait_file_contains "$T/err" "Client $1 connected" 30 ||
	    fail "no 'Client $1 connected' line"
}

# -------------------------------------------------------------- usage

for p in 0 65536 abc -1 ''; do
	case_begin "-l '$p' is a usage error"
	run_wsc -l "$p"
	expect_rc 2
	expect_out_empty
	expect_err_contains "wsc: bad port"
	case_end
done

case_begin "--bind that is not an address literal is a usage error"
run_wsc -l "$(free_port)" --bind localhost
expect_rc 2
expect_err_contains "wsc: bad --bind address 'localhost'"
case_end

case_begin "client-only options are refused with -l"
run_wsc -l "$(free_port)" --reconnect
expect_rc 2
expect_err_contains "--reconnect cannot be used with -l"
case_end

case_begin "a busy port exits 3 with the reason"
start_peer echo_server
run_wsc -l "$PORT"
expect_rc 3
expect_out_empty
# strerror's words differ: glibc says "Address already in use", musl
# "Address in use".
expect_err_matches "^wsc: could not listen on 127\.0\.0\.1:$PORT: Address (already )?in use\$"
expect_err_lines 1
stop_peer
case_end

# -------------------------------------------------------------- one client

case_begin "a message is printed, a line is sent, Ctrl+C closes with 1001"
start_listen
client c1 --send hello --expect 2
connected 1
expect_err_matches '^Client 1 connected from 127\.0\.0\.1:[0-9]+ \(/c1\)$'
wait_file_contains "$T/out" hello || fail "the message was not printed"
say "from the server"
expect_file_line "$T/c1.log" "text from the server"
stop_listen INT
expect_rc 0
wait "$CPID" || :
expect_file_line "$T/c1.log" "close 1001"
expect_out_eq "hello"
expect_err_contains 'Client 1 disconnected (code: 1001, reason: "")'
LOG=$T/c1.log
case_end

case_begin "SIGTERM closes every client with 1001 and exits 0"
start_listen
client t1 --expect 5
connected 1
client t2 --expect 5
connected 2
stop_listen TERM
expect_rc 0
wait || :
expect_file_line "$T/t1.log" "close 1001"
expect_file_line "$T/t2.log" "close 1001"
expect_err_contains 'Client 1 disconnected (code: 1001'
expect_err_contains 'Client 2 disconnected (code: 1001'
case_end

case_begin "the wait failing (poll): one line, every client closed with 1001, exit 1"
no_leak_check start_listen
client f1 --expect 1
connected 1
# poll() of the server's four descriptors (signals, stdin, the listener,
# the client) fails (EINVAL) under a limit of two; a line on its stdin
# wakes the wait under way.
if lower_fd_limit "$(child_of "$LPID")" 2; then
	say "wake"
	if wait "$LPID"; then RC=0; else RC=$?; fi
	exec 8>&-
	LPID=
else
	stop_listen TERM
fi
wait "$CPID" || :
expect_rc 1
expect_err_contains "wsc: cannot wait for connections: "
expect_file_line "$T/f1.log" "close 1001"
case_end

case_begin "lines read while no client is connected go to the first client"
start_listen
say early-1
say early-2
wait_file_contains "$T/err" "No client connected" ||
    fail "no note that input is kept"
client e1 --expect 2
expect_file_line "$T/e1.log" "text early-2"
wait "$CPID" || :
expect_file_line "$T/e1.log" "close 1000"
grep '^text' "$T/e1.log" >"$T/got"
printf 'text early-1\ntext early-2\n' | cmp -s - "$T/got" ||
    fail "the first client did not get exactly the early lines"
# End of input does not stop the server.
exec 8>&-
client e2 --send still-here --expect 0
wait "$CPID" || :
wait_file_contains "$T/out" still-here || fail "the server stopped at end of input"
stop_listen
expect_rc 0
LOG=$T/e1.log
case_end

# -------------------------------------------------------------- several clients

case_begin "three wsc clients: broadcast, then /to 2 with --slash"
start_listen --slash
for n in 1 2 3; do
	wsc_client "w$n" -w -1
	eval "W${n}PID=\$CPID"
	connected "$n"
done
say "to everyone"
say "/to 2 just for you"
say "/to 9 nobody"
wait_file_contains "$T/w2.out" "just for you" || fail "client 2 got nothing for it"
wait_file_contains "$T/err" "wsc: client 9 is not connected" ||
    fail "no error for /to 9"
stop_listen INT
expect_rc 0
for n in 1 2 3; do
	eval "wait \$W${n}PID" && r=0 || r=$?
	[ "$r" = 0 ] || fail "wsc client $n exited $r"
	grep -q 'Disconnected (code: 1001' "$T/w$n.err" ||
	    fail "wsc client $n did not get 1001"
done
printf 'to everyone\n' | cmp -s - "$T/w1.out" || fail "client 1's output"
printf 'to everyone\njust for you\n' | cmp -s - "$T/w2.out" ||
    fail "client 2's output"
printf 'to everyone\n' | cmp -s - "$T/w3.out" || fail "client 3's output"
case_end

case_begin "two clients sending: stdout has only the messages, -v names the sender"
start_listen -v
client s1 --expect 1
connected 1
client s2 --send from-two --expect 1
connected 2
wait_file_contains "$T/out" from-two || fail "client 2's message not printed"
say bye
expect_file_line "$T/s1.log" "text bye"
expect_file_line "$T/s2.log" "text bye"
stop_listen
expect_rc 0
expect_out_eq "from-two"
expect_err_matches '^\[2\] < frame TEXT fin=1 len=8$'
expect_err_matches '^\[1\] > frame TEXT fin=1 len=3$'
expect_err_matches '^\[127\.0\.0\.1:[0-9]+\] < GET /s1 HTTP/1\.1$'
expect_err_matches '^\[127\.0\.0\.1:[0-9]+\] > HTTP/1\.1 101 Switching Protocols$'
case_end

case_begin "--max-clients 1: a second client is refused with 503"
start_listen --max-clients 1
client m1 --expect 1
connected 1
client m2 --expect 1
wait "$CPID" || :
expect_file_line "$T/m2.log" "refused 503"
wsc_client m3
wait "$CPID" && RC=0 || RC=$?
[ "$RC" = 5 ] || fail "wsc client exited $RC, expected 5"
grep -q 'server answered 503 Service Unavailable' "$T/m3.err" ||
    fail "wsc client did not report the 503"
say one
expect_file_line "$T/m1.log" "text one"
stop_listen
expect_rc 0
expect_err_contains "Refused a connection from 127.0.0.1:"
expect_err_contains "503 Service Unavailable (too many clients (--max-clients))"
case_end

# -------------------------------------------------------------- echo, -x, -s

case_begin "--echo: messages come back with the same type and bytes"
start_listen --echo
client x1 --send abc --send "" --send-binary 00ff10 --expect 3
wait "$CPID" || :
grep -E '^(text|binary)' "$T/x1.log" >"$T/got" || :
printf 'text abc\ntext \nbinary 00ff10\n' | cmp -s - "$T/got" ||
    fail "the echo differs"
wsc_client x2 -x "wsc says hi" -w 1
wait "$CPID" && r=0 || r=$?
[ "$r" = 0 ] || fail "wsc client exited $r"
printf 'wsc says hi\n' | cmp -s - "$T/x2.out" || fail "wsc client got no echo"
stop_listen
expect_rc 0
expect_out_empty
LOG=$T/x1.log
case_end

case_begin "-x greets every client that connects"
start_listen -x greeting -x second
client g1 --expect 2
wait "$CPID" || :
grep '^text' "$T/g1.log" >"$T/got" || :
printf 'text greeting\ntext second\n' | cmp -s - "$T/got" || fail "no greeting"
stop_listen
expect_rc 0
case_end

case_begin "-s: the first of the client's offers that the server accepts"
start_listen -s chat,superchat
client p1 --subprotocols superchat,chat --expect 0
wait "$CPID" || :
expect_file_line "$T/p1.log" "open superchat"
client p2 --subprotocols other --expect 0
wait "$CPID" || :
expect_file_line "$T/p2.log" "open -"
wsc_client p3 -s nope,chat -w 0
wait "$CPID" || :
grep -q "(subprotocol: chat)" "$T/p3.err" || fail "wsc client did not get chat"
stop_listen
expect_rc 0
expect_err_matches '^Client 1 connected from 127\.0\.0\.1:[0-9]+ \(/p1, subprotocol: superchat\)$'
expect_err_matches '^Client 2 connected from 127\.0\.0\.1:[0-9]+ \(/p2\)$'
case_end

# -------------------------------------------------------------- raw clients

case_begin "an unmasked client frame is answered with Close 1002"
start_listen
raw u unmasked
expect_file_line "$T/u.log" "status 101"
expect_file_line "$T/u.log" "close 1002"
expect_file_matches "$T/u.log" "^eof "
stop_listen
expect_rc 0
expect_err_contains "wsc: client 1: protocol error: unmasked frame from the client (closing with 1002)"
expect_err_contains 'Client 1 disconnected (code: 1002, reason: "protocol error")'
LOG=$T/u.log
case_end

case_begin "a frame sent with the request, before the 101, is not lost"
start_listen --echo
raw early early
expect_file_line "$T/early.log" "status 101"
expect_file_line "$T/early.log" "frame 1 $(printf early | od -An -tx1 | tr -d ' \n')"
expect_file_line "$T/early.log" "close 1000"
stop_listen
expect_rc 0
LOG=$T/early.log
case_end

case_begin "a wrong version is answered 426 with Sec-WebSocket-Version: 13"
start_listen
raw v version 12
expect_file_line "$T/v.log" "status 426"
expect_file_line "$T/v.log" "header sec-websocket-version: 13"
stop_listen
expect_rc 0
expect_err_contains "Refused a connection from 127.0.0.1:"
expect_err_contains "426 Upgrade Required"
LOG=$T/v.log
case_end

for sc in no-key short-key post no-upgrade; do
	case_begin "a bad request ($sc) is answered 400"
	start_listen
	raw b "$sc"
	expect_file_line "$T/b.log" "status 400"
	expect_file_matches "$T/b.log" "^eof "
	stop_listen
	expect_rc 0
	expect_err_contains "400 Bad Request"
	expect_err_lacks "Client 1 connected"
	LOG=$T/b.log
	case_end
done

case_begin "a request target that is neither a path nor an absolute URI is answered 400"
start_listen
raw t target '*'
expect_file_line "$T/t.log" "status 400"
stop_listen
expect_rc 0
expect_err_contains "400 Bad Request (the request target must be a path"
LOG=$T/t.log
case_end

case_begin "a client that never sends its request blocks nobody and is dropped"
start_listen
"$PYTHON" "$PEERS/raw_client.py" --port "$PORT" --log "$T/silent.log" \
    --timeout 15 --scenario half 9>&- &
SPID=$!
client q1 --send quick --expect 1
wait_file_contains "$T/out" quick || fail "the other client was never served"
# Served while the silent one still waits for its request timeout (5 s).
expect_file_lacks "$T/silent.log" "eof"
say answer
wait "$CPID" || :
expect_file_line "$T/q1.log" "text answer"
wait "$SPID" || :
expect_file_matches "$T/silent.log" "^eof [5-9]\."
stop_listen
expect_rc 0
expect_err_contains "no request within 5 s"
case_end

# -------------------------------------------------------------- admission

# wait_count FILE STRING N: waits (bounded: 30 s) until N lines of FILE
# hold STRING; returns 1 when they never did.
wait_count()
{
	i=0
	while [ "$(grep -cF -e "$2" "$1" 2>/dev/null)" -lt "$3" ]; do
		i=$((i + 1))
		[ "$i" -le 600 ] || return 1
		sleep 0.05
	done
}

# hostile NAME SCENARIO...: tests/peers/hostile_clients.py in the
# background, logging to $T/NAME.log; sets HPID.
hostile()
{
	name=$1
	shift
	: >"$T/$name.log"
	"$PYTHON" "$PEERS/hostile_clients.py" --port "$PORT" \
	    --log "$T/$name.log" --scenario "$@" 9>&- &
	HPID=$!
}

# flood NAME SCENARIO N: hostile NAME SCENARIO N, then waits until its N
# connections are open and the server (with -v) has accepted them all.
flood()
{
	hostile "$1" "$2" "$3"
	wait_file_contains "$T/$1.log" "ready $3" 30 || fail "$2: not ready"
	# Accepted, not only queued in the backlog, before the client comes.
	wait_count "$T/err" "] connected" "$3" || fail "not all $3 accepted"
}

# stop_hostile: ends the hostile clients, then the server (sets RC).
stop_hostile()
{
	kill "$HPID" 2>/dev/null || :
	wait "$HPID" || :
	stop_listen
}

# many N: N python3-websockets clients at once, each wanting its message
# echoed; their summary goes to $T/many.log.
many()
{
	: >"$T/many.log"
	"$PYTHON" "$PEERS/many_clients.py" --url "ws://127.0.0.1:$PORT/" \
	    --log "$T/many.log" --count "$1" 9>&- || :
}

# A burst takes longer than one server run is given by default.
SAVED_TIMEOUT=$WSC_TIMEOUT
WSC_TIMEOUT=120

case_begin "500 clients connecting at once are all served (--echo)"
start_listen --echo
many 500
expect_file_line "$T/many.log" "served 500 of 500"
stop_listen
expect_rc 0
LOG=$T/many.log
case_end

case_begin "64 slowloris connections do not stop a client from being served"
start_listen --echo -v
flood slow slowloris 64
many 1
expect_file_line "$T/many.log" "served 1 of 1"
stop_hostile
expect_rc 0
LOG=$T/many.log
case_end

case_begin "--max-clients 8: 64 slowloris are evicted oldest first with 503, a client is served"
start_listen --echo --max-clients 8 -v
flood slow slowloris 64
many 1
expect_file_line "$T/many.log" "served 1 of 1"
# 56 gave way to the other slowloris, one to the client.
wait_count "$T/slow.log" "status 503" 57 || fail "fewer than 57 got a 503"
stop_hostile
expect_rc 0
expect_err_matches '^Refused a connection from 127\.0\.0\.1:[0-9]+: 503 Service Unavailable \(too many connections in the opening handshake\)$'
[ "$(grep -c '^Refused a connection' "$T/err")" -ge 57 ] ||
    fail "fewer than 57 status lines for the 503s"
LOG=$T/slow.log
case_end

case_begin "--max-clients 8: 64 slowloris reopened as they are evicted do not lock clients out"
start_listen --echo --max-clients 8
hostile reopen reopen 64
wait_file_contains "$T/reopen.log" "ready 64" 30 || fail "reopen: not ready"
# The flood is running: many evictions already.
wait_count "$T/err" "too many connections in the opening handshake" 100 ||
    fail "fewer than 100 evictions"
many 5
expect_file_line "$T/many.log" "served 5 of 5"
stop_hostile
expect_rc 0
LOG=$T/many.log
case_end

if "$PYTHON" -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' \
    2>/dev/null; then
	case_begin "--max-clients 8: a host holding most handshake slots gives way first"
	start_listen --max-clients 8
	# The first partial request (127.0.0.1) is the oldest; 8 more from
	# 127.0.0.2 fill the slots: one of those goes, and the first, then
	# finished, is served.
	hostile share share 8
	wait_file_contains "$T/share.log" "first status" 30 ||
	    fail "the first request got no answer"
	expect_file_line "$T/share.log" "first status 101"
	expect_file_line "$T/share.log" "status 503"
	stop_hostile
	expect_rc 0
	expect_err_contains "Refused a connection from 127.0.0.2:"
	expect_err_lacks "Refused a connection from 127.0.0.1:"
	LOG=$T/share.log
	case_end
else
	t_skip "host share of handshake slots" "no 127.0.0.2"
fi

# -------------------------------------------------------------- memory

case_begin "a message that stops arriving is closed with 1008 after --message-timeout"
start_listen --message-timeout 0.5
hostile stall partial 1 1000 10
wait_file_contains "$T/stall.log" "eof 1" 30 || fail "the server never hung up"
expect_file_line "$T/stall.log" "close 1 1008"
stop_listen
expect_rc 0
expect_err_contains "Client 1: no byte of its unfinished message for 0.5 s (--message-timeout): closing with 1008"
expect_err_contains 'Client 1 disconnected (code: 1008'
LOG=$T/stall.log
case_end

case_begin "--memory-budget: 8 half-sent 32 MiB messages, 2 fit, 6 are closed with 1009"
start_listen --memory-budget 70M --message-timeout 0.5
# Each announces 32 MiB and sends 30 MiB of it: the six over the budget
# are closed at once, the two others when their bytes stop.
hostile mem partial 8 33554432 31457280
wait_count "$T/mem.log" "eof " 8 || fail "not every client was closed"
# wsc is the child of timeout(1), whose pid start_listen keeps (from /proc:
# procps may be missing).
WPID=$(for f in /proc/[0-9]*/stat; do
	sed -n 's/^\([0-9]*\) (.*) . \([0-9]*\) .*/\1 \2/p' "$f" 2>/dev/null
done | awk -v p="$LPID" '$2 == p { print $1; exit }')
HWM=$(awk '/^VmHWM:/ { print $2 }' "/proc/$WPID/status" 2>/dev/null || echo 0)
# Two messages (60 MiB) and the program; eight would be 240 MiB. (The
# bound leaves room for a sanitizer's shadow memory and quarantine.)
[ "${HWM:-0}" -gt 0 ] && [ "$HWM" -lt 204800 ] ||
    fail "wsc's peak memory was ${HWM:-?} kB, expected under 200 MiB"
[ "$(grep -c '^close [0-9] 1009$' "$T/mem.log")" = 6 ] ||
    fail "not 6 clients closed with 1009"
[ "$(grep -c '^close [0-9] 1008$' "$T/mem.log")" = 2 ] ||
    fail "not 2 clients closed with 1008"
stop_listen
expect_rc 0
expect_err_matches '^Client [0-9]: its message would take the messages held past --memory-budget \([0-9]+ of 73400320 bytes\): closing with 1009$'
expect_err_matches 'Client [0-9] disconnected \(code: 1009'
LOG=$T/mem.log
case_end

WSC_TIMEOUT=$SAVED_TIMEOUT

# -------------------------------------------------------------- wss

if command -v openssl >/dev/null 2>&1; then
	PKI=$T/pki
	mkdir "$PKI"
	sh "$PEERS/mkcerts.sh" "$PKI" || bail_out "mkcerts.sh failed"

	case_begin "--cert/--key serve wss: wsc and python clients, verified"
	start_listen --cert "$PKI/server.pem" --key "$PKI/server.key"
	expect_err_contains "Listening on wss://127.0.0.1:$PORT/"
	SCHEME=wss
	client tls1 --ca "$PKI/ca.pem" --expect 1 --send "over tls"
	SCHEME=ws
	connected 1
	timeout 10 "$WSC" --ca "$PKI/ca.pem" -w -1 "wss://localhost:$PORT/tls2" \
	    </dev/null >"$T/tls2.out" 2>"$T/tls2.err" 9>&- &
	W2PID=$!
	connected 2
	wait_file_contains "$T/out" "over tls" || fail "message over TLS not printed"
	say "to both"
	expect_file_line "$T/tls1.log" "text to both"
	wait_file_contains "$T/tls2.out" "to both" || fail "wsc client got nothing"
	stop_listen
	expect_rc 0
	wait "$W2PID" && r=0 || r=$?
	[ "$r" = 0 ] || fail "wsc client exited $r"
	grep -q 'Disconnected (code: 1001' "$T/tls2.err" || fail "wsc client did not get 1001"
	expect_out_eq "over tls"
	LOG=$T/tls1.log
	case_end

	case_begin "wss: a plain ws:// client and an untrusting one are refused, others go on"
	start_listen --echo --cert "$PKI/server.pem" --key "$PKI/server.key"
	# (run_wsc would write over the server's $T/err)
	timeout 10 "$WSC" -x plain -w 0.3 "ws://127.0.0.1:$PORT/" \
	    >"$T/c.out" 2>"$T/c.err" 9>&- && r=0 || r=$?
	[ "$r" = 5 ] || fail "the ws:// client exited $r, expected 5"
	timeout 10 "$WSC" -x untrusted -w 0.3 "wss://localhost:$PORT/" \
	    >"$T/c.out" 2>"$T/c.err" 9>&- && r=0 || r=$?
	[ "$r" = 4 ] || fail "the untrusting client exited $r, expected 4"
	timeout 10 "$WSC" --ca "$PKI/ca.pem" -x fine -w 0.3 "wss://localhost:$PORT/" \
	    >"$T/c.out" 2>"$T/c.err" 9>&- && r=0 || r=$?
	[ "$r" = 0 ] || fail "the trusting client exited $r, expected 0"
	printf 'fine\n' | cmp -s - "$T/c.out" || fail "no echo over TLS"
	stop_listen
	expect_rc 0
	expect_err_contains "a plain HTTP request on the TLS port"
	# (an alert when mbedTLS reads it before the hang-up, or not)
	expect_err_matches "the client (hung up during|refused) the TLS handshake"
	expect_err_contains "Client 1 connected"
	case_end

	case_begin "wss --max-clients 2: connections idle in the TLS handshake give way"
	start_listen --echo -v --max-clients 2 --cert "$PKI/server.pem" \
	    --key "$PKI/server.key"
	flood idle idle 8
	SCHEME=wss
	client tlsidle --ca "$PKI/ca.pem" --send fine --expect 1
	SCHEME=ws
	wait "$CPID" || :
	expect_file_line "$T/tlsidle.log" "text fine"
	wait_count "$T/idle.log" "eof" 7 || fail "fewer than 7 idle ones dropped"
	stop_hostile
	expect_rc 0
	expect_err_contains "too many handshakes at once (TLS not done)"
	LOG=$T/tlsidle.log
	case_end

	case_begin "-l with a certificate that cannot be read exits 4"
	run_wsc -l "$(free_port)" --cert "$T/nonexistent.pem" --key "$PKI/server.key"
	expect_rc 4
	expect_err_contains "wsc: TLS failed: cannot read the certificate $T/nonexistent.pem"
	expect_err_lines 1
	case_end
else
	t_skip "wss listening" "openssl is not installed"
fi

case_begin "-l: --cert without --key is a usage error"
run_wsc -l "$(free_port)" --cert /dev/null
expect_rc 2
expect_err_contains "--cert and --key go together"
case_end

case_begin "/to with --slash: bad numbers refused, the text's blanks kept"
start_listen --slash
wsc_client w1 -w -1
W1PID=$CPID
connected 1
say "/to 0 zero"
say "/to 4294967296 huge"
say "/to"
say "/tox not a command"
say "/to 001   indented "
wait_file_contains "$T/w1.out" "  indented " || fail "client 1 got no /to 001"
stop_listen INT
expect_rc 0
wait "$W1PID" || fail "wsc client 1 failed"
printf '/tox not a command\n  indented \n' | cmp -s - "$T/w1.out" ||
    fail "client 1's output"
expect_err_contains "wsc: /to N TEXT: N is 0: clients are numbered from 1; not sent"
expect_err_contains "wsc: /to N TEXT: N is too large; not sent"
expect_err_contains "wsc: /to N TEXT: N is missing; not sent"
case_end

# -------------------------------------------------------------- terminal

# Listen mode at a terminal (the tty ui, in a private tmux server): the
# "< [N] text" prefix with two clients, /to in the slash commands, Ctrl+C.
if ! command -v tmux >/dev/null 2>&1; then
	t_skip "listen mode at a terminal" "tmux is not installed"
elif [ "${WSC_READLINE:-yes}" = no ]; then
	t_skip "listen mode at a terminal" "built without readline"
else
	case_begin "at a terminal: < [2] prefix, /to N, Ctrl+C closes with 1001"
	unset TMUX
	PORT=$(free_port)
	# The pane's shell survives the Ctrl+C to record wsc's status.
	cat >"$T/pane.sh" <<EOF
trap : INT
env LC_ALL=C.UTF-8 XDG_STATE_HOME="$T/state" HOME="$T" "$WSC" -l $PORT --slash
echo \$? >"$T/pane.rc"
exec sleep 60
EOF
	tm()
	{
		tmux -S "$T/tmux.sock" -f /dev/null "$@" 9>&-
	}
	# screen_has STRING: waits (10 s at most) for STRING on the screen.
	screen_has()
	{
		i=0
		until tm capture-pane -p -J -t l 2>/dev/null | grep -qF -e "$1"; do
			i=$((i + 1))
			[ "$i" -le 200 ] || { fail "the screen never showed '$1'"; return 0; }
			sleep 0.05
		done
	}
	tm new-session -d -s l -x 100 -y 30 "sh $T/pane.sh"
	screen_has "Listening on ws://127.0.0.1:$PORT/"
	wsc_client ta -w -1
	TAPID=$CPID
	screen_has "Client 1 connected"
	timeout 10 "$WSC" -x "hello from b" -w -1 "ws://127.0.0.1:$PORT/tb" \
	    </dev/null >"$T/tb.out" 2>"$T/tb.err" 9>&- &
	TBPID=$!
	screen_has "< [2] hello from b"
	tm send-keys -t l "to all" Enter
	tm send-keys -t l "/to 1 only a" Enter
	wait_file_contains "$T/ta.out" "only a" || fail "client 1 got no /to"
	tm send-keys -t l "/to 0 nobody" Enter
	screen_has "wsc: /to N TEXT: N is 0: clients are numbered from 1; not sent"
	tm send-keys -t l C-c
	wait_file_contains "$T/pane.rc" "" 10 || :
	r=$(cat "$T/pane.rc" 2>/dev/null || echo none)
	[ "$r" = 0 ] || fail "wsc -l exited $r, expected 0"
	wait "$TAPID" || fail "wsc client 1 failed"
	wait "$TBPID" || fail "wsc client 2 failed"
	printf 'to all\nonly a\n' | cmp -s - "$T/ta.out" || fail "client 1's output"
	printf 'to all\n' | cmp -s - "$T/tb.out" || fail "client 2's output"
	grep -q 'Disconnected (code: 1001' "$T/tb.err" || fail "client 2 got no 1001"
	tm capture-pane -p -J -t l >"$T/err" 2>/dev/null || :
	tm kill-server 2>/dev/null || :
	case_end
fi

# -------------------------------------------------------------- addresses

if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
    2>/dev/null; then
	case_begin "--bind ::1 serves IPv6"
	start_listen --bind ::1
	expect_err_contains "Listening on ws://[::1]:$PORT/"
	timeout 10 "$WSC" -x v6 -w 0.5 "ws://[::1]:$PORT/" >"$T/v6.out" \
	    2>"$T/v6.err" 9>&- || fail "wsc client over IPv6 failed"
	stop_listen
	expect_rc 0
	expect_out_eq "v6"
	case_end
else
	t_skip "--bind ::1 serves IPv6" "no IPv6 loopback"
fi

case_begin "-0: a NUL ends each message sent and each text message printed"
start_listen -0
client z1 --send "$(printf 'one\ntwo')" --expect 1
connected 1
wait_file_contains "$T/out" two || fail "the message was not printed"
( printf 'a\nb\000' >&8 ) 2>/dev/null || fail "the server is gone"
expect_file_line "$T/z1.log" "text a"
expect_file_line "$T/z1.log" "b"
stop_listen INT
expect_rc 0
wait "$CPID" || :
printf 'one\ntwo\000' >"$T/want"
expect_out_eq "$T/want"
LOG=$T/z1.log
case_end

# -------------------------------------------------------------- heartbeat

case_begin "-l: --ping-timeout needs --ping-interval"
run_wsc -l "$(free_port)" --ping-timeout 1
expect_rc 2
expect_err_contains "--ping-timeout needs --ping-interval"
case_end

# Client 1 answers pings (python3-websockets does) and connects first, so
# its pings have had longer than the mute client's when that one is found
# dead; its messages wait until then, and are still echoed.
case_begin "--ping-timeout: a client that never answers is dropped (1006), the others stay"
start_listen --echo --ping-interval 0.2 --ping-timeout 2
client live --after-open "$T/go" --send one --send two --expect 2
connected 1
"$PYTHON" "$PEERS/raw_client.py" --port "$PORT" --log "$T/mute.log" \
    --timeout 60 --scenario no-pong 9>&- &
MPID=$!
connected 2
expect_file_matches "$T/err" '^Client 2: no pong within 2 s; the connection is dead$'
expect_err_contains 'Client 2 disconnected (code: 1006, reason: "")'
wait "$MPID" || :
expect_file_line "$T/mute.log" "frame 9 31"
expect_file_matches "$T/mute.log" "^eof "
expect_file_lacks "$T/mute.log" "close"
: >"$T/go"
wait "$CPID" || :
expect_file_line "$T/live.log" "text one"
expect_file_line "$T/live.log" "text two"
expect_file_line "$T/live.log" "close 1000"
stop_listen
expect_rc 0
expect_err_lacks "Client 1: no pong"
expect_err_contains 'Client 1 disconnected (code: 1000'
LOG=$T/mute.log
case_end

case_begin "-P shows each client's pongs with round trips, [N] with two clients"
start_listen -P --ping-interval 0.2 --ping-timeout 5
client pp1 --expect 1
P1PID=$CPID
connected 1
expect_file_matches "$T/err" '^< \[pong\] 1 \(round trip [0-9]+\.[0-9]{3} ms\)$'
client pp2 --expect 1
connected 2
expect_file_matches "$T/err" '^< \[2\] \[pong\] 2 \(round trip [0-9]+\.[0-9]{3} ms\)$'
expect_file_matches "$T/err" '^< \[1\] \[pong\] [0-9]+ \(round trip [0-9]+\.[0-9]{3} ms\)$'
say bye
expect_file_line "$T/pp1.log" "text bye"
expect_file_line "$T/pp2.log" "text bye"
wait "$P1PID" "$CPID" || :
stop_listen
expect_rc 0
expect_err_lacks "no pong"
LOG=$T/pp2.log
case_end

# A flood from the server (8 MB of input for one client) behind a client
# that reads 2 MB/s through a small receive buffer: each ping waits behind
# megabytes in the server's queue and kernel, and the client answers it as
# soon as it reaches it. A client that keeps taking data is slow, not dead.
case_begin "a client slowed down by a flood from the server is not declared dead"
"$PYTHON" -c 'import sys
sys.stdout.write(("x" * 999 + "\n") * 8000)' >"$T/flood"
start_listen --ping-interval 0.2 --ping-timeout 1
"$PYTHON" "$PEERS/raw_client.py" --port "$PORT" --log "$T/slow.log" \
    --timeout 120 --scenario slow-read 2000000 8000 9>&- &
SPID=$!
connected 1
( cat "$T/flood" >&8 ) 2>/dev/null &
FPID=$!
wait "$SPID" "$FPID" || :
expect_file_matches "$T/slow.log" '^stats texts=8000 bytes=7992000 pings=[0-9]+$'
expect_file_line "$T/slow.log" "close 1000"
pings=$(sed -n 's/^stats .* pings=\([0-9]*\)$/\1/p' "$T/slow.log")
[ "${pings:-0}" -ge 5 ] || fail "only ${pings:-0} pings reached the client"
stop_listen
expect_rc 0
expect_err_lacks "no pong"
expect_err_contains 'Client 1 disconnected (code: 1000'
LOG=$T/slow.log
case_end

# -------------------------------------------------------------- stdout

# A reader of stdout that goes away (| head) ends the server as it ends a
# client session: one error line, Close 1001 to every client, exit 1.
case_begin "stdout closed (| head -c 10): every client closed with 1001, one error line, exit 1"
PORT=$(free_port)
rm -f "$T/listen-in" "$T/rc"
mkfifo "$T/listen-in"
{ if timeout --foreground -k 5 "$WSC_TIMEOUT" "$WSC" -l "$PORT" \
    <"$T/listen-in" 2>"$T/err" 9>&-; then echo 0 >"$T/rc"
  else echo $? >"$T/rc"; fi; } | head -c 10 >"$T/out" &
exec 8>"$T/listen-in"
wait_file_contains "$T/err" "Listening on " 30 || bail_out "wsc -l did not start"
client quiet --expect -1
connected 1
client flood --flood "0123456789 and more"
# wsc ends by itself; then head, the clients and the subshell that keeps
# its status.
wait || :
exec 8>&-
RC=$(cat "$T/rc")
expect_rc 1
printf 0123456789 >"$T/want"
expect_out_eq "$T/want"
expect_err_matches '^wsc: stdout closed: .+'
n=$(grep -c '^wsc:' "$T/err" || :)
[ "$n" = 1 ] || fail "$n error lines, expected 1"
expect_file_line "$T/quiet.log" "close 1001"
expect_file_line "$T/flood.log" "close 1001"
expect_err_contains 'Client 1 disconnected (code: 1001'
expect_err_contains 'Client 2 disconnected (code: 1001'
LOG=$T/flood.log
case_end

t_done
