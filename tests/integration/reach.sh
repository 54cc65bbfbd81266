#!/bin/sh
# Every way wsc reaches a server besides a direct TCP connection: HTTP
# CONNECT proxies (a real tinyproxy, with and without authentication,
# chosen by --proxy or by the environment like curl), redirects with -L
# (tests/peers/redirect_server.py), Unix domain sockets, and the address
# family chosen with -4 and -6.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets
unset http_proxy https_proxy all_proxy no_proxy HTTPS_PROXY ALL_PROXY \
    NO_PROXY HTTP_PROXY SSL_CERT_FILE

HAVE_PKI=0
if command -v openssl >/dev/null 2>&1; then
	PKI=$T/pki
	mkdir "$PKI"
	sh "$TESTS_SRCDIR/peers/mkcerts.sh" "$PKI" || bail_out "mkcerts.sh failed"
	HAVE_PKI=1
else
	echo "# openssl missing: the wss cases are skipped"
fi

# A port with nothing behind it: a proxy there cannot be reached.
DEAD=$(free_port)

start_peer echo_server
ECHO_PORT=$PORT
ECHO_LOG=$LOG
if [ "$HAVE_PKI" = 1 ]; then
	start_peer tls_server --cert "$PKI/server.pem" --key "$PKI/server.key"
	TLS_PORT=$PORT
	TLS_LOG=$LOG
fi

# -------------------------------------------------------------- proxies

PROXY_N=0

# start_tinyproxy [config lines...]: a tinyproxy on a free port, logging
# every request; sets PROXY_PORT, PROXY_LOG.
start_tinyproxy()
{
	PROXY_N=$((PROXY_N + 1))
	PROXY_PORT=$(free_port)
	PROXY_LOG=$T/tinyproxy$PROXY_N.log
	conf=$T/tinyproxy$PROXY_N.conf
	printf '%s\n' "Port $PROXY_PORT" "Listen 127.0.0.1" "Timeout 30" \
	    "MaxClients 20" "Allow 127.0.0.1" "LogLevel Info" \
	    "LogFile \"$PROXY_LOG\"" "DisableViaHeader Yes" "$@" >"$conf"
	tinyproxy -d -c "$conf" >"$T/tinyproxy$PROXY_N.out" 2>&1 \
	    <"$T/peer-stdin" 9>&- &
	PEER_PIDS="$PEER_PIDS $!"
	wait_listening "$PROXY_PORT" tinyproxy
}

# tunnels TARGET: how many CONNECT requests for TARGET the proxy logged.
tunnels()
{
	grep -c "Request (file descriptor [0-9]*): CONNECT $1 HTTP/1.1" \
	    "$PROXY_LOG" || :
}

# expect_tunnels TARGET N: the proxy logged N tunnels to TARGET so far.
expect_tunnels()
{
	n=$(tunnels "$1")
	[ "$n" = "$2" ] || fail "the proxy tunnelled to $1 $n times, expected $2"
}

# start_stunnel: TLS (the test CA's localhost certificate) in front of
# the last tinyproxy; sets SECURE_PORT.
start_stunnel()
{
	SECURE_PORT=$(free_port)
	printf '%s\n' "foreground = yes" "pid =" "debug = 5" \
	    "output = $T/stunnel.log" "[proxy]" "accept = 127.0.0.1:$SECURE_PORT" \
	    "connect = 127.0.0.1:$PROXY_PORT" "cert = $PKI/server.pem" \
	    "key = $PKI/server.key" >"$T/stunnel.conf"
	stunnel4 "$T/stunnel.conf" >"$T/stunnel.out" 2>&1 <"$T/peer-stdin" 9>&- &
	PEER_PIDS="$PEER_PIDS $!"
	wait_listening "$SECURE_PORT" stunnel
}

# https:// proxies: stunnel's TLS in front of tinyproxy (with BasicAuth
# alice s3cret), so CONNECT runs inside TLS to the proxy, and for wss://
# the server's TLS inside that.
https_proxy_cases()
{
	start_stunnel
	SP="https://alice:s3cret@localhost:$SECURE_PORT"

	case_begin "https:// proxy: ws:// through TLS to the proxy"
	LOG=$ECHO_LOG
	run_wsc -v --proxy "$SP" --proxy-ca "$PKI/ca.pem" -x over-tls -w 0.3 \
	    "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "over-tls"
	expect_err_contains "* TLS: subject: CN=localhost"
	expect_err_contains "> CONNECT 127.0.0.1:$ECHO_PORT HTTP/1.1"
	expect_err_contains "> Proxy-Authorization: Basic YWxpY2U6czNjcmV0"
	expect_file_line "$LOG" "text over-tls"
	expect_file_contains "$T/stunnel.log" "accepted connection"
	case_end

	case_begin "https:// proxy: wss:// is TLS inside TLS"
	LOG=$TLS_LOG
	run_wsc --proxy "$SP" --proxy-ca "$PKI/ca.pem" --ca "$PKI/ca.pem" \
	    -x nested -w 0.3 "wss://localhost:$TLS_PORT/"
	expect_rc 0
	expect_out_eq "nested"
	expect_file_line "$LOG" "text nested"
	case_end

	case_begin "https:// proxy from https_proxy"
	LOG=$TLS_LOG
	export https_proxy="$SP"
	run_wsc --proxy-ca "$PKI/ca.pem" --ca "$PKI/ca.pem" -x env-nested \
	    -w 0.3 "wss://localhost:$TLS_PORT/"
	unset https_proxy
	expect_rc 0
	expect_out_eq "env-nested"
	case_end

	case_begin "https:// proxy not trusted: exit 4, --ca is the server's"
	run_wsc --proxy "$SP" --ca "$PKI/ca.pem" -x x "wss://localhost:$TLS_PORT/"
	expect_rc 4
	expect_err_contains "wsc: TLS to the proxy localhost:$SECURE_PORT failed: certificate not trusted (unknown CA: CN=wsc test CA); --proxy-ca FILE trusts it, --proxy-insecure skips the check"
	expect_err_lines 1
	case_end

	case_begin "--proxy-insecure skips the proxy's check, not the server's"
	run_wsc --proxy "$SP" --proxy-insecure -x x "wss://localhost:$TLS_PORT/"
	expect_rc 4
	expect_err_contains "wsc: TLS failed: certificate not trusted"
	run_wsc --proxy "$SP" --proxy-insecure -x skipped -w 0.3 \
	    "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "skipped"
	case_end

	case_begin "https:// proxy without credentials: 407 over TLS, exit 3"
	run_wsc --proxy "https://localhost:$SECURE_PORT" --proxy-ca "$PKI/ca.pem" \
	    -x x "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 3
	expect_err_contains "the proxy answered 407 Proxy Authentication Required"
	case_end

	case_begin "https:// to a proxy that does not answer TLS: connect timeout"
	run_wsc --connect-timeout 0.5 --proxy "https://localhost:$PROXY_PORT" \
	    --proxy-ca "$PKI/ca.pem" -x x "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 3
	expect_err_contains "wsc: connect timeout after 0.5 s"
	case_end
}

if ! command -v tinyproxy >/dev/null 2>&1; then
	echo "# tinyproxy missing: the proxy cases are skipped"
else
	start_tinyproxy
	E=127.0.0.1:$ECHO_PORT

	case_begin "ws:// through --proxy"
	LOG=$ECHO_LOG
	run_wsc -v --proxy "http://127.0.0.1:$PROXY_PORT" -x via-proxy -w 0.3 \
	    "ws://127.0.0.1:$ECHO_PORT/proxied"
	expect_rc 0
	expect_out_eq "via-proxy"
	expect_err_contains "> CONNECT $E HTTP/1.1"
	expect_err_matches '^< HTTP/1\.[01] 200 '
	expect_file_line "$LOG" "connect /proxied"
	expect_file_line "$LOG" "text via-proxy"
	expect_tunnels "$E" 1
	case_end

	if [ "$HAVE_PKI" = 1 ]; then
		case_begin "wss:// through --proxy: TLS end to end"
		LOG=$TLS_LOG
		run_wsc --proxy "127.0.0.1:$PROXY_PORT" --ca "$PKI/ca.pem" \
		    -x secret -w 0.3 "wss://localhost:$TLS_PORT/"
		expect_rc 0
		expect_out_eq "secret"
		expect_file_line "$LOG" "text secret"
		expect_tunnels "localhost:$TLS_PORT" 1
		case_end

		case_begin "https_proxy for wss://, not http_proxy"
		export https_proxy="http://127.0.0.1:$PROXY_PORT" \
		    http_proxy="http://127.0.0.1:$DEAD"
		run_wsc --ca "$PKI/ca.pem" -x env-secure -w 0.3 \
		    "wss://localhost:$TLS_PORT/"
		unset https_proxy http_proxy
		expect_rc 0
		expect_out_eq "env-secure"
		expect_tunnels "localhost:$TLS_PORT" 2
		case_end
	fi

	case_begin "http_proxy for ws://, not https_proxy"
	export http_proxy="http://127.0.0.1:$PROXY_PORT" \
	    https_proxy="http://127.0.0.1:$DEAD"
	run_wsc -x env-plain -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	unset https_proxy http_proxy
	expect_rc 0
	expect_out_eq "env-plain"
	expect_tunnels "$E" 2
	case_end

	case_begin "all_proxy when the scheme's variable is unset"
	export all_proxy="http://127.0.0.1:$PROXY_PORT"
	run_wsc -x env-all -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	unset all_proxy
	expect_rc 0
	expect_out_eq "env-all"
	expect_tunnels "$E" 3
	case_end

	case_begin "HTTP_PROXY in capitals is ignored, like curl"
	export HTTP_PROXY="http://127.0.0.1:$DEAD"
	run_wsc -x direct -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	unset HTTP_PROXY
	expect_rc 0
	expect_out_eq "direct"
	case_end

	case_begin "no_proxy bypasses the environment's proxy"
	export http_proxy="http://127.0.0.1:$DEAD" no_proxy="example.org, 127.0.0.1"
	run_wsc -x bypassed -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	unset http_proxy no_proxy
	expect_rc 0
	expect_out_eq "bypassed"
	case_end

	case_begin "no_proxy with an address range (CIDR), like curl"
	export http_proxy="http://127.0.0.1:$DEAD" no_proxy="10.0.0.0/8,127.0.0.0/8"
	run_wsc -x ranged -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "ranged"
	export no_proxy="10.0.0.0/8"
	run_wsc -x kept "ws://127.0.0.1:$ECHO_PORT/"
	unset http_proxy no_proxy
	expect_rc 3
	expect_err_contains "wsc: could not reach the proxy: could not connect to 127.0.0.1:$DEAD"
	case_end

	case_begin "--noproxy '*' bypasses --proxy"
	run_wsc --proxy "http://127.0.0.1:$DEAD" --noproxy '*' -x star -w 0.3 \
	    "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "star"
	expect_tunnels "$E" 3
	case_end

	case_begin "--noproxy for another host keeps the proxy"
	run_wsc --proxy "http://127.0.0.1:$PROXY_PORT" --noproxy example.org \
	    -x kept -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "kept"
	expect_tunnels "$E" 4
	case_end

	case_begin "--proxy '' turns the environment's proxy off"
	export http_proxy="http://127.0.0.1:$DEAD"
	run_wsc --proxy '' -x off -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	unset http_proxy
	expect_rc 0
	expect_out_eq "off"
	case_end

	case_begin "a proxy nobody listens on: exit 3"
	run_wsc --proxy "http://127.0.0.1:$DEAD" -x x "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 3
	expect_err_contains "wsc: could not reach the proxy: could not connect to 127.0.0.1:$DEAD: Connection refused"
	expect_err_lines 1
	case_end

	case_begin "a proxy scheme wsc does not speak: exit 2"
	run_wsc --proxy "socks4://127.0.0.1:$DEAD" -x x "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 2
	expect_err_contains "unsupported proxy scheme 'socks4'"
	case_end

	# A proxy with a password that tunnels to 443 and the echo server only.
	start_tinyproxy "BasicAuth alice s3cret" "ConnectPort 443" \
	    "ConnectPort $ECHO_PORT" "ConnectPort ${TLS_PORT:-$ECHO_PORT}"

	case_begin "proxy authentication required: exit 3 naming 407"
	run_wsc --proxy "http://127.0.0.1:$PROXY_PORT" -x x "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 3
	expect_err_contains "wsc: could not connect through proxy 127.0.0.1:$PROXY_PORT: the proxy answered 407 Proxy Authentication Required"
	expect_err_lines 1
	case_end

	case_begin "proxy credentials from the URL: Proxy-Authorization"
	LOG=$ECHO_LOG
	run_wsc -v --proxy "http://alice:s3cret@127.0.0.1:$PROXY_PORT" \
	    -x authenticated -w 0.3 "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 0
	expect_out_eq "authenticated"
	expect_err_contains "> Proxy-Authorization: Basic YWxpY2U6czNjcmV0"
	expect_file_line "$LOG" "text authenticated"
	# The proxy's credentials are not the server's.
	expect_file_lacks "$LOG" "header Proxy-Authorization"
	expect_file_lacks "$LOG" "header Authorization"
	case_end

	case_begin "wrong proxy credentials: exit 3 naming the status"
	run_wsc --proxy "http://alice:wrong@127.0.0.1:$PROXY_PORT" -x x \
	    "ws://127.0.0.1:$ECHO_PORT/"
	expect_rc 3
	expect_err_matches "^wsc: could not connect through proxy 127\.0\.0\.1:$PROXY_PORT: the proxy answered 40[137] "
	case_end

	case_begin "a proxy that refuses the port: exit 3 naming 403"
	run_wsc --proxy "http://alice:s3cret@127.0.0.1:$PROXY_PORT" -x x \
	    "ws://127.0.0.1:$DEAD/"
	expect_rc 3
	expect_err_contains "the proxy answered 403"
	case_end

	if [ "$HAVE_PKI" = 1 ] && command -v stunnel4 >/dev/null 2>&1; then
		https_proxy_cases
	else
		echo "# stunnel4 or openssl missing: the https:// proxy cases are skipped"
	fi
fi

# -------------------------------------------------------------- redirects

R=""
# redirector [--cert ...]: a redirect server whose rules point at itself
# (PORT in a rule), at the echo server (ECHO) and at the TLS server (TLS).
redirector()
{
	rp=$(free_port)
	set -- "$@" \
	    --rule "/a=301:/b" \
	    --rule "/b=302:b2" \
	    --rule "/b2=303://127.0.0.1:$rp/c" \
	    --rule "/c=307:http://127.0.0.1:$ECHO_PORT/final" \
	    --rule "/to-wss=308:https://localhost:${TLS_PORT:-1}/secure" \
	    --rule "/to-ws=302:ws://127.0.0.1:$ECHO_PORT/plain" \
	    --rule "/loop1=302:/loop2" \
	    --rule "/loop2=308:ws://127.0.0.1:$rp/loop1" \
	    --rule "/nowhere=302:" \
	    --rule "/other-origin=302:ws://127.0.0.1:$ECHO_PORT/moved"
	start_peer redirect_server --port "$rp" "$@"
}

redirector
RED_PORT=$PORT
RED_LOG=$LOG
RED=127.0.0.1:$RED_PORT

case_begin "-L follows 301, 302, 303 and 307 with relative and absolute Locations"
LOG=$ECHO_LOG
run_wsc -L -x followed -w 0.3 "ws://$RED/a"
expect_rc 0
expect_out_eq "followed"
expect_err_contains "Redirected to ws://$RED/b"
expect_err_contains "Redirected to ws://$RED/b2"
expect_err_contains "Redirected to ws://$RED/c"
expect_err_contains "Redirected to ws://127.0.0.1:$ECHO_PORT/final"
[ "$(grep -c '^Redirected to ' "$T/err")" = 4 ] || fail "not one line per hop"
expect_file_line "$LOG" "connect /final"
expect_file_line "$LOG" "text followed"
expect_file_line "$RED_LOG" "request /c"
case_end

case_begin "-q: no Redirected lines"
run_wsc -q -L -x quiet -w 0.3 "ws://$RED/c"
expect_rc 0
expect_out_eq "quiet"
expect_err_lacks "Redirected"
case_end

case_begin "without -L a redirect is exit 5 naming status and Location"
run_wsc -x x "ws://$RED/a"
expect_rc 5
expect_err_contains "wsc: handshake failed: server answered 301 Moved Permanently (redirect to /b; use -L to follow)"
expect_err_contains "  Location: /b"
expect_err_lines 2
case_end

case_begin "a redirect loop ends with a clear error"
run_wsc -L -x x "ws://$RED/loop1"
expect_rc 5
expect_err_contains "wsc: handshake failed: redirect loop: ws://$RED/loop1 was already visited"
case_end

case_begin "--max-redirects 2 stops a longer chain"
run_wsc -L --max-redirects 2 -x x "ws://$RED/a"
expect_rc 5
expect_err_contains "wsc: handshake failed: too many redirects (more than 2; see --max-redirects)"
[ "$(grep -c '^Redirected to ' "$T/err")" = 2 ] || fail "expected 2 hops"
case_end

case_begin "--max-redirects 0 follows none"
run_wsc -L --max-redirects 0 -x x "ws://$RED/c"
expect_rc 5
expect_err_contains "too many redirects (more than 0"
case_end

case_begin "-L and a redirect without Location: exit 5"
run_wsc -L -x x "ws://$RED/nowhere"
expect_rc 5
expect_err_contains "server answered 302 Found without a Location to follow"
case_end

case_begin "--auth is not sent to another origin after a redirect"
LOG=$ECHO_LOG
run_wsc -L --auth user:pw -H 'Cookie: c=1' -H 'X-Kept: yes' -x moved -w 0.3 \
    "ws://$RED/other-origin"
expect_rc 0
expect_file_line "$LOG" "connect /moved"
expect_file_line "$LOG" "text moved"
expect_file_line "$LOG" "header X-Kept: yes"
expect_file_lacks "$LOG" "header Authorization"
expect_file_lacks "$LOG" "header Cookie"
case_end

if [ "$HAVE_PKI" = 1 ]; then
	case_begin "-L from ws:// to wss:// (an https:// Location)"
	LOG=$TLS_LOG
	run_wsc -L --ca "$PKI/ca.pem" -x upgraded -w 0.3 "ws://$RED/to-wss"
	expect_rc 0
	expect_out_eq "upgraded"
	expect_err_contains "Redirected to wss://localhost:$TLS_PORT/secure"
	expect_file_line "$LOG" "connect /secure"
	case_end

	redirector --cert "$PKI/server.pem" --key "$PKI/server.key"
	case_begin "-L from wss:// to ws://"
	LOG=$ECHO_LOG
	run_wsc -L --ca "$PKI/ca.pem" -x downgraded -w 0.3 "wss://localhost:$PORT/to-ws"
	expect_rc 0
	expect_out_eq "downgraded"
	expect_err_contains "Redirected to ws://127.0.0.1:$ECHO_PORT/plain"
	expect_file_line "$LOG" "connect /plain"
	case_end
fi

# -------------------------------------------------------------- Unix sockets

case_begin "--unix-socket: the URL still gives Host and path"
SOCK=$T/ws.sock
start_peer tls_server --unix "$SOCK"
run_wsc --unix-socket "$SOCK" -x over-unix -w 0.3 "ws://example.invalid:8080/u/path?x=1"
expect_rc 0
expect_out_eq "over-unix"
expect_file_line "$LOG" "connect /u/path?x=1"
expect_file_line "$LOG" "host example.invalid:8080"
expect_file_line "$LOG" "text over-unix"
stop_peer
case_end

case_begin "--unix-socket ignores the proxy variables"
SOCK=$T/ws2.sock
start_peer tls_server --unix "$SOCK"
export http_proxy="http://127.0.0.1:$DEAD"
run_wsc --unix-socket "$SOCK" -x no-proxy -w 0.3 "ws://localhost/"
unset http_proxy
expect_rc 0
expect_out_eq "no-proxy"
stop_peer
case_end

if [ "$HAVE_PKI" = 1 ]; then
	case_begin "--unix-socket with wss://: TLS checked against the URL's host"
	SOCK=$T/wss.sock
	start_peer tls_server --unix "$SOCK" --cert "$PKI/server.pem" --key "$PKI/server.key"
	run_wsc --unix-socket "$SOCK" --ca "$PKI/ca.pem" -x tls-unix -w 0.3 "wss://localhost/"
	expect_rc 0
	expect_out_eq "tls-unix"
	run_wsc --unix-socket "$SOCK" --ca "$PKI/ca.pem" -x x "wss://other.example/"
	expect_rc 4
	expect_err_contains "certificate is for another name (other.example is not among"
	stop_peer
	case_end
fi

case_begin "--unix-socket to a missing socket: exit 3"
run_wsc --unix-socket "$T/missing.sock" -x x "ws://localhost/"
expect_rc 3
expect_err_contains "wsc: could not connect to unix socket $T/missing.sock: No such file or directory"
case_end

# ------------------------------------------------------------ -4 and -6

case_begin "-4: localhost over IPv4"
start_peer echo_server
run_wsc -4 -x four -w 1 "ws://localhost:$PORT/v4"
expect_rc 0
expect_out_eq four
expect_file_line "$LOG" "connect /v4"
expect_file_line "$LOG" "header Host: localhost:$PORT"
case_end

case_begin "-6 with an IPv4 address: exit 3, one line, nothing sent"
start_peer echo_server
run_wsc -6 -x six "ws://127.0.0.1:$PORT/"
expect_rc 3
expect_err_lines 1
expect_err_contains "wsc: 127.0.0.1 is an IPv4 address, and -6 asks for IPv6"
expect_out_empty
expect_file_lacks "$LOG" "connect"
case_end

case_begin "-4 with an IPv6 address: exit 3, one line"
run_wsc -4 -x four "ws://[::1]:$DEAD/"
expect_rc 3
expect_err_lines 1
expect_err_contains "wsc: ::1 is an IPv6 address, and -4 asks for IPv4"
case_end

if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
    2>/dev/null; then
	case_begin "-6: a server on ::1, by address"
	start_peer echo_server --bind ::1
	run_wsc -6 -x six -w 1 "ws://[::1]:$PORT/v6"
	expect_rc 0
	expect_out_eq six
	expect_file_line "$LOG" "connect /v6"
	expect_file_line "$LOG" "header Host: [::1]:$PORT"
	case_end

	# Where localhost is both 127.0.0.1 and ::1 (most /etc/hosts), -6 and
	# -4 each pick theirs: the IPv6-only server is reached only with -6.
	# Where it is not, a private mount namespace (unshare, as root) can
	# give wsc such an /etc/hosts.
	DUAL=
	printf '127.0.0.1 localhost\n::1 localhost\n' >"$T/hosts"
	cat >"$T/dual.sh" <<EOF
exec unshare -m sh -c 'mount --bind "\$0" /etc/hosts && exec "\$@"' "$T/hosts" "\$@"
EOF
	if getent hosts localhost | grep -q '^::1 ' &&
	    getent ahostsv4 localhost >/dev/null 2>&1; then
		DUAL="$WSC_WRAPPER"
		HAVE_DUAL=1
	elif sh "$T/dual.sh" getent ahostsv6 localhost 2>/dev/null |
	    grep -q '^::1 '; then
		DUAL="sh $T/dual.sh $WSC_WRAPPER"
		HAVE_DUAL=1
	else
		HAVE_DUAL=0
	fi
	if [ "$HAVE_DUAL" = 1 ]; then
		case_begin "-4 and -6 choose among localhost's two addresses"
		start_peer echo_server --bind ::1
		saved_wrapper=$WSC_WRAPPER
		WSC_WRAPPER=$DUAL
		run_wsc -6 -x six -w 1 "ws://localhost:$PORT/"
		expect_rc 0
		expect_out_eq six
		run_wsc -4 -x four "ws://localhost:$PORT/"
		expect_rc 3
		expect_err_contains "wsc: could not connect to 127.0.0.1:$PORT: Connection refused"
		WSC_WRAPPER=$saved_wrapper
		case_end
	else
		t_skip "-4 and -6 choose among localhost's two addresses" "localhost is not ::1 here"
	fi
else
	t_skip "-6: a server on ::1, by address" "no IPv6 loopback"
	t_skip "-4 and -6 choose among localhost's two addresses" "no IPv6 loopback"
fi

t_done
