#!/bin/sh
# SOCKS5 proxies (RFC 1928, RFC 1929): a real dante server (danted) for the
# ordinary paths -- socks5:// with names resolved by wsc, socks5h:// with
# names resolved by the proxy, from --proxy and from all_proxy -- and a
# scripted proxy (tests/peers/socks_server.py) that logs what wsc asked
# for and gives every error answer.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets
unset http_proxy https_proxy all_proxy no_proxy HTTPS_PROXY ALL_PROXY \
    NO_PROXY HTTP_PROXY

start_peer echo_server
ECHO_PORT=$PORT
ECHO_LOG=$LOG

# ------------------------------------------------------------- danted

# start_danted: a dante server on a free port of 127.0.0.1, no
# authentication, logging every connection; sets DANTE_PORT, DANTE_LOG.
start_danted()
{
	DANTE_PORT=$(free_port)
	DANTE_LOG=$T/danted.log
	# As root, danted wants a user to drop to; otherwise it runs as us.
	DANTE_USER=
	[ "$(id -u)" != 0 ] || DANTE_USER="user.unprivileged: nobody"
	cat >"$T/danted.conf" <<CONF
logoutput: $DANTE_LOG
internal: 127.0.0.1 port = $DANTE_PORT
external: 127.0.0.1
clientmethod: none
socksmethod: none
$DANTE_USER
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 log: connect }
CONF
	danted -f "$T/danted.conf" -p "$T/danted.pid" -N 1 \
	    >"$T/danted.out" 2>&1 <"$T/peer-stdin" 9>&- &
	PEER_PIDS="$PEER_PIDS $!"
	wait_listening "$DANTE_PORT" danted
}

if ! command -v danted >/dev/null 2>&1; then
	echo "# danted missing (dante-server): its cases are skipped"
else
	start_danted
	D=127.0.0.1:$DANTE_PORT

	case_begin "danted: socks5:// to an address"
	LOG=$ECHO_LOG
	run_wsc --proxy "socks5://$D" -x via-socks -w 0.3 \
	    "ws://127.0.0.1:$ECHO_PORT/socks"
	expect_rc 0
	expect_out_eq "via-socks"
	expect_file_line "$LOG" "connect /socks"
	expect_file_line "$LOG" "text via-socks"
	expect_file_contains "$DANTE_LOG" "127.0.0.1.$ECHO_PORT"
	case_end

	case_begin "danted: socks5h:// with a name the proxy resolves"
	LOG=$ECHO_LOG
	run_wsc --proxy "socks5h://$D" -x by-name -w 0.3 \
	    "ws://localhost:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "by-name"
	expect_file_line "$LOG" "text by-name"
	case_end

	case_begin "danted: all_proxy from the environment"
	LOG=$ECHO_LOG
	export all_proxy="socks5h://$D"
	run_wsc -x from-env -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	unset all_proxy
	expect_rc 0
	expect_out_eq "from-env"
	expect_file_line "$LOG" "text from-env"
	case_end

	case_begin "danted: a target that refuses is named"
	DEAD=$(free_port)
	run_wsc --proxy "socks5://$D" -x x "ws://127.0.0.1:$DEAD/"
	expect_rc 3
	expect_err_contains "wsc: could not connect through proxy $D: the proxy refused: connection refused (reply 5)"
	expect_err_lines 1
	case_end
fi

# ------------------------------------------------- the scripted proxy

# start_socks MODE...: tests/peers/socks_server.py in that mode; sets
# SOCKS (host:port) and SOCKS_LOG.
start_socks()
{
	start_peer socks_server --mode "$@"
	SOCKS=127.0.0.1:$PORT
	SOCKS_LOG=$LOG
}

case_begin "socks5:// resolves the name itself and sends an address"
# wsc sends the first address localhost resolves to: ::1 where /etc/hosts
# lists it first (Debian's default), so this case's echo listens on that.
LHOST=$("$PYTHON" -c 'import socket
print(socket.getaddrinfo("localhost", 1, 0, socket.SOCK_STREAM, 0,
    socket.AI_ADDRCONFIG | socket.AI_NUMERICSERV)[0][4][0])')
start_peer echo_server --bind "$LHOST"
LPORT=$PORT
start_socks relay
run_wsc --proxy "socks5://$SOCKS" -x local -w 0.3 "ws://localhost:$LPORT/"
expect_rc 0
expect_out_eq "local"
expect_file_line "$LOG" "method 0"
case $LHOST in
*:*) expect_file_line "$LOG" "connect ipv6 $LHOST $LPORT" ;;
*) expect_file_line "$LOG" "connect ipv4 $LHOST $LPORT" ;;
esac
case_end

case_begin "socks5h:// sends the name"
start_socks relay
run_wsc --proxy "socks5h://$SOCKS" -x remote -w 0.3 "ws://localhost:$ECHO_PORT/"
expect_rc 0
expect_out_eq "remote"
expect_file_line "$LOG" "connect domain localhost $ECHO_PORT"
case_end

case_begin "an IPv6 target is sent as an IPv6 address"
start_socks reply 4
run_wsc --proxy "socks5h://$SOCKS" -x x "ws://[2001:db8::1]:8080/"
expect_rc 3
expect_file_line "$LOG" "connect ipv6 2001:db8::1 8080"
case_end

case_begin "username and password (RFC 1929)"
start_socks auth alice 's3cr:t'
run_wsc --proxy "socks5://alice:s3cr%3At@$SOCKS" -x authed -w 0.3 \
    "ws://127.0.0.1:$ECHO_PORT/"
expect_rc 0
expect_out_eq "authed"
expect_file_line "$LOG" "method 0 2"
expect_file_line "$LOG" "auth alice s3cr:t"
case_end

case_begin "a wrong password: exit 3"
start_socks auth alice right
run_wsc --proxy "socks5://alice:wrong@$SOCKS" -x x "ws://127.0.0.1:$ECHO_PORT/"
expect_rc 3
expect_err_contains "wsc: could not connect through proxy $SOCKS: the proxy rejected the user name or password"
expect_err_lines 1
case_end

case_begin "a proxy that wants a password wsc was not given: exit 3"
start_socks auth alice right
run_wsc --proxy "socks5://$SOCKS" -x x "ws://127.0.0.1:$ECHO_PORT/"
expect_rc 3
expect_err_contains "accepts none of the offered authentication methods"
expect_file_line "$LOG" "method 0"
case_end

case_begin "no acceptable method: exit 3"
start_socks no-method
run_wsc --proxy "socks5://u:p@$SOCKS" -x x "ws://127.0.0.1:$ECHO_PORT/"
expect_rc 3
expect_err_contains "accepts none of the offered authentication methods (none, username/password)"
case_end

case_begin "an HTTP server where a SOCKS proxy should be: exit 3"
start_socks not-socks
run_wsc --proxy "socks5://$SOCKS" -x x "ws://127.0.0.1:$ECHO_PORT/"
expect_rc 3
expect_err_contains "the proxy's answer is not SOCKS5"
case_end

# Every reply code of RFC 1928 section 6, and one past the table.
for r in "1 general SOCKS server failure" "2 connection not allowed by ruleset" \
    "3 network unreachable" "4 host unreachable" "5 connection refused" \
    "6 TTL expired" "7 command not supported" "8 address type not supported" \
    "9 unknown reply code"; do
	code=${r%% *}
	case_begin "reply $code: exit 3 naming it"
	start_socks reply "$code"
	run_wsc --proxy "socks5h://$SOCKS" -x x "ws://example.invalid/"
	expect_rc 3
	expect_err_contains "wsc: could not connect through proxy $SOCKS: the proxy refused: ${r#* } (reply $code)"
	expect_err_lines 1
	case_end
done

case_begin "no_proxy bypasses a SOCKS proxy from all_proxy"
DEAD=$(free_port)
LOG=$ECHO_LOG
export all_proxy="socks5h://127.0.0.1:$DEAD" no_proxy=127.0.0.1
run_wsc -x bypassed -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
unset all_proxy no_proxy
expect_rc 0
expect_out_eq "bypassed"
case_end

case_begin "socks5:// with a name that does not resolve: exit 3"
start_socks relay
run_wsc --proxy "socks5://$SOCKS" -x x "ws://nonexistent.invalid/"
expect_rc 3
expect_err_contains "could not resolve host 'nonexistent.invalid'"
expect_file_lacks "$LOG" "connect "
case_end

t_done
