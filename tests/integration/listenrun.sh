#!/bin/sh
# Listen mode with --run: a program of its own for each client
# (websocketd-style), with a CGI-style environment, driven by
# python3-websockets clients (tests/peers/bridge_client.py). Each case
# checks what every client got, what wsc printed, that the programs keep
# no socket of wsc's, and that every one is reaped.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

# start_run CMD [args...]: the server with --run CMD; WPID is wsc's pid.
start_run()
{
	start_server --run "$@"
	WPID=$(child_of "$LPID")
}

# children: how many processes wsc has as children now (zombies too).
children()
{
	for f in /proc/[0-9]*/stat; do
		sed -n 's/^\([0-9]*\) (.*) . \([0-9]*\) .*/\2/p' "$f" 2>/dev/null
	done | grep -cx "$WPID" || :
}

# expect_no_children: waits (20 s at most) until wsc has no child left.
expect_no_children()
{
	[ -n "$WPID" ] && kill -0 "$WPID" 2>/dev/null ||
	    fail "wsc's pid is unknown: its children cannot be counted"
	i=0
	until [ "$(children)" -eq 0 ] || [ "$i" -gt 400 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	[ "$(children)" -eq 0 ] || fail "wsc still has $(children) children"
}

# What each program says first: its client as the environment shows it,
# and how many sockets it holds (the listening one or another client's
# would show here).
ENVCMD='printf "client=%s path=%s query=%s uri=%s port=%s host=%s https=%s sockets=%s\n" "$WSC_CLIENT" "$PATH_INFO" "$QUERY_STRING" "$REQUEST_URI" "$SERVER_PORT" "$HTTP_HOST" "${HTTPS-unset}" "$(ls -l /proc/$$/fd | grep -c socket:)"; exec cat'

case_begin "100 clients at once, each with its own program and environment"
start_run "$ENVCMD"
bridge many --mode lines --clients 100 --send "hello {I}" --expect 2 \
    --timeout 120
i=1
while [ "$i" -le 100 ]; do
	grep -qE "^msg $i client=[0-9]+ path=/$i query= uri=/$i port=$LPORT host=127.0.0.1:$LPORT https=unset sockets=0$" \
	    "$T/many.log" || fail "client $i's program did not describe it"
	grep -qx "msg $i hello $i" "$T/many.log" ||
	    fail "client $i did not get its echo"
	i=$((i + 1))
done
# Each program had its own client number.
n=$(sed -n 's/^msg [0-9]* client=\([0-9]*\) .*/\1/p' "$T/many.log" |
    sort -u | wc -l)
[ "$n" -eq 100 ] || fail "$n distinct WSC_CLIENT values, expected 100"
[ "$(grep -c '^close [0-9]* 1000$' "$T/many.log")" -eq 100 ] ||
    fail "not every client closed with 1000"
expect_no_children
stop_server
expect_rc 0
expect_out_empty
expect_err_lacks "was killed"
case_end

case_begin "the query, REMOTE_ADDR and REMOTE_PORT reach the program"
start_run 'echo "$REMOTE_ADDR:$REMOTE_PORT $QUERY_STRING $PATH_INFO"'
"$PYTHON" - "$LPORT" "$T/q.log" <<'PY'
import asyncio, sys, websockets
async def main():
    async with websockets.connect("ws://127.0.0.1:%s/p/q?a=1&b=2" % sys.argv[1]) as ws:
        got = await ws.recv()
        port = ws.local_address[1]
        async for _ in ws:
            pass
    open(sys.argv[2], "w").write("%s\n%d %s\n" % (got, port, ws.close_code))
asyncio.run(asyncio.wait_for(main(), 30))
PY
port=$(sed -n '2s/ .*//p' "$T/q.log")
expect_file_line "$T/q.log" "127.0.0.1:$port a=1&b=2 /p/q"
# The program's exit closed the client with 1000, after its line.
expect_file_line "$T/q.log" "$port 1000"
stop_server
expect_rc 0
case_end

case_begin "under wss, HTTPS=on (wsc's own client)"
make_pki
start_run 'echo "https=$HTTPS proto=$WSC_SUBPROTOCOL uri=$REQUEST_URI"' \
    --cert "$PKI/server.pem" --key "$PKI/server.key" -s chat
run_wsc --ca "$PKI/ca.pem" -s chat -w -1 "wss://127.0.0.1:$LPORT/t?x=1" </dev/null
expect_rc 0
expect_out_eq "https=on proto=chat uri=/t?x=1"
stop_server
expect_rc 0
case_end

case_begin "--max-clients bounds the programs: one more client gets 503 and no program"
start_run 'echo "started $WSC_CLIENT"; exec cat' --max-clients 1
BG=1 bridge held --mode recv
expect_file_contains "$T/err" "Client 1 connected"
bridge over --mode lines --expect 1
expect_file_matches "$T/over.log" "^error 1 .*503"
[ "$(children)" -eq 1 ] || fail "wsc has $(children) children, expected 1"
stop_server
expect_rc 0
wait "$CPID" || :
# The held client saw its program's line, then the server's 1001.
expect_file_line "$T/held.log" "received 1 9 $(printf 'started 1' | sha256sum | cut -d' ' -f1)"
expect_file_line "$T/held.log" "close 1 1001"
case_end

case_begin "a program that ignores its end does not hold up the server, and is killed and reaped"
start_run 'trap "" TERM; echo started; exec sleep 60'
# The next client is ready to connect as soon as the first has gone.
BG=1 bridge next --mode lines --expect 1 --start-after "$T/go"
bridge stubborn --mode lines --expect 1
touch "$T/go"
expect_file_line "$T/stubborn.log" "msg 1 started"
expect_file_line "$T/stubborn.log" "close 1 1000"
# The first program lingers (SIGTERM ignored) until its SIGKILL, 4 s
# after its client went; the next client is served meanwhile.
expect_file_line "$T/next.log" "msg 1 started"
! grep -q "was killed" "$T/err" ||
    fail "the next client was served only after the first program was killed"
wait "$CPID" || :
expect_no_children
stop_server
expect_rc 0
# Each program's end is told with its client's number.
expect_err_contains 'wsc: client 1: "trap "" TERM; echo started; exec sleep 60" was killed by signal 9 (SIGKILL)'
expect_err_contains 'wsc: client 2: "trap "" TERM; echo started; exec sleep 60" was killed by signal 9 (SIGKILL)'
case_end

case_begin "a command that is not found: that client closed with 1011 and a status line, the next one served"
start_run wsc-no-such-command
bridge first --mode recv
expect_file_line "$T/first.log" "close 1 1011 cannot run the program"
bridge second --mode recv
expect_file_line "$T/second.log" "close 1 1011 cannot run the program"
expect_no_children
stop_server
expect_rc 0
expect_err_contains 'wsc: client 1: "wsc-no-such-command" exited with status 127 (command not found)'
expect_err_contains 'wsc: client 2: "wsc-no-such-command" exited with status 127 (command not found)'
case_end

case_begin "under -l unix:PATH the program sees no address or port (REMOTE_ADDR, REMOTE_PORT, SERVER_PORT empty)"
listen_on "unix:$T/run.sock" --run \
    'echo "addr=[$REMOTE_ADDR] port=[$REMOTE_PORT] sport=[$SERVER_PORT] uri=$REQUEST_URI"'
run_wsc --unix-socket "$T/run.sock" -w -1 "ws://localhost/u?q=1"
expect_rc 0
expect_out_eq "addr=[] port=[] sport=[] uri=/u?q=1"
stop_listen
expect_rc 0
case_end

t_done
