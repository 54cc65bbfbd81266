#!/bin/sh
# Listen mode on a Unix domain socket (wsc -l unix:PATH): python3-websockets
# clients (websockets.unix_connect, through tests/peers/ws_client.py --unix)
# and wsc's own client (--unix-socket) exchange messages, plain and over
# TLS; the socket file is removed at exit; a stale one left by a server
# that was killed is replaced; a live server's socket, a file that is not a
# socket and a socket file that replaced ours are left alone; the usage
# rules.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

PEERS=$TESTS_SRCDIR/peers
LPID=
SOCK=$T/wsc.sock

# py NAME PATH [ws_client.py args...]: a python client over the socket at
# PATH in the background, logging to $T/NAME.log; sets CPID.
py()
{
	name=$1
	path=$2
	shift 2
	: >"$T/$name.log"
	"$PYTHON" "$PEERS/ws_client.py" --unix "$path" \
	    --url "${SCHEME:-ws}://localhost/$name?q=1" --log "$T/$name.log" \
	    "$@" 9>&- &
	CPID=$!
}

# echoed NAME TEXT: a python client sends TEXT to the echo server on $SOCK
# and must get it back.
echoed()
{
	py "$1" "$SOCK" --send "$2" --expect 1
	wait "$CPID" || fail "the python client failed: $(cat "$T/$1.log")"
	expect_file_line "$T/$1.log" "text $2"
}

# stale PATH: leaves a socket file at PATH that nobody listens on, as a
# server killed before it could remove it does.
stale()
{
	"$PYTHON" -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(sys.argv[1])' "$1" ||
	    bail_out "could not make a stale socket"
	[ -S "$1" ] || bail_out "no stale socket at $1"
}

case_begin "-l unix:PATH: a python client and wsc's client, messages both ways"
listen_on "unix:$SOCK"
expect_err_contains "Listening on unix:$SOCK (ws)"
[ -S "$SOCK" ] || fail "no socket file at $SOCK"
py a "$SOCK" --send "from python" --expect 1
wait_file_contains "$T/err" "Client 1 connected from unix (/a?q=1)" ||
    fail "no 'Client 1 connected from unix' line"
wait_file_contains "$T/out" "from python" || fail "message not printed"
say "to python"
expect_file_line "$T/a.log" "text to python"
wait "$CPID" || fail "the python client failed: $(cat "$T/a.log")"
expect_file_matches "$T/a.log" "^close 1000"
timeout -k 5 "$WSC_TIMEOUT" "$WSC" --unix-socket "$SOCK" -x "from wsc" -w 0 \
    ws://localhost/b </dev/null >"$T/b.out" 2>"$T/b.err" 9>&- ||
    fail "wsc's client failed: $(cat "$T/b.err")"
wait_file_contains "$T/out" "from wsc" || fail "wsc's message not printed"
stop_listen
expect_rc 0
[ ! -e "$SOCK" ] || fail "the socket file is still there after exit"
case_end

case_begin "--echo over a Unix socket; SIGTERM removes the socket file too"
listen_on "unix:$SOCK" --echo
expect_err_contains "Listening on unix:$SOCK (ws) (echo)"
py e "$SOCK" --send "one" --send-binary 00ff --expect 2
wait "$CPID" || fail "the python client failed: $(cat "$T/e.log")"
expect_file_line "$T/e.log" "text one"
expect_file_line "$T/e.log" "binary 00ff"
stop_listen TERM
expect_rc 0
[ ! -e "$SOCK" ] || fail "the socket file is still there after SIGTERM"
case_end

case_begin "a stale socket file (its server was killed) is replaced"
stale "$SOCK"
listen_on "unix:$SOCK" --echo
echoed s "after stale"
stop_listen
expect_rc 0
[ ! -e "$SOCK" ] || fail "the socket file is still there after exit"
case_end

case_begin "a socket a server listens on is not taken: exit 3, the first goes on"
listen_on "unix:$SOCK" --echo
run_wsc -l "unix:$SOCK"
expect_rc 3
expect_out_empty
expect_err_contains "wsc: could not listen on unix:$SOCK: a server is listening there"
echoed l "still here"
stop_listen
expect_rc 0
case_end

case_begin "a file that is not a socket is an error (exit 3) and is left alone"
printf 'keep me\n' >"$T/plain"
run_wsc -l "unix:$T/plain"
expect_rc 3
expect_err_contains "wsc: could not listen on unix:$T/plain: the file exists and is not a socket"
[ "$(cat "$T/plain")" = "keep me" ] || fail "the file was changed"
mkdir "$T/dir"
run_wsc -l "unix:$T/dir"
expect_rc 3
[ -d "$T/dir" ] || fail "the directory is gone"
run_wsc -l "unix:$T/nodir/wsc.sock"
expect_rc 3
expect_err_contains "wsc: could not listen on unix:$T/nodir/wsc.sock: "
case_end

case_begin "a socket file that replaced ours while we ran is not removed at exit"
listen_on "unix:$SOCK"
FIRST=$LPID
exec 7>&8
rm -f "$SOCK"
listen_on "unix:$SOCK" --echo
kill_wsc INT "$FIRST"
wait "$FIRST" || fail "the first server exited $?"
exec 7>&-
[ -S "$SOCK" ] || fail "the second server's socket file was removed"
echoed r "second"
stop_listen
expect_rc 0
[ ! -e "$SOCK" ] || fail "the socket file is still there after exit"
case_end

case_begin "-l unix: usage errors: empty path, too long, --bind"
run_wsc -l unix:
expect_rc 2
expect_err_contains "wsc: bad socket path ''"
run_wsc -l "unix:/tmp/$(printf '%0120d' 0)"
expect_rc 2
expect_err_contains "wsc: bad socket path"
run_wsc -l "unix:$SOCK" --bind 127.0.0.1
expect_rc 2
expect_err_contains "--bind cannot be used with -l unix:PATH"
[ ! -e "$SOCK" ] || fail "a socket file was made"
case_end

if command -v openssl >/dev/null 2>&1; then
	make_pki
	case_begin "wss over a Unix socket: python and wsc's client verify the certificate"
	listen_on "unix:$SOCK" --echo --cert "$PKI/server.pem" --key "$PKI/server.key"
	expect_err_contains "Listening on unix:$SOCK (wss)"
	SCHEME=wss
	py t "$SOCK" --ca "$PKI/ca.pem" --send "over tls" --expect 1
	SCHEME=ws
	wait "$CPID" || fail "the python client failed: $(cat "$T/t.log")"
	expect_file_line "$T/t.log" "text over tls"
	timeout -k 5 "$WSC_TIMEOUT" "$WSC" --unix-socket "$SOCK" \
	    --ca "$PKI/ca.pem" -x "wsc tls" -w 2 --count 1 \
	    wss://localhost/w </dev/null >"$T/w.out" 2>"$T/w.err" 9>&- ||
	    fail "wsc's client failed: $(cat "$T/w.err")"
	grep -qxF "wsc tls" "$T/w.out" || fail "wsc's client got no echo"
	stop_listen
	expect_rc 0
	[ ! -e "$SOCK" ] || fail "the socket file is still there after exit"
	case_end
fi

t_done
