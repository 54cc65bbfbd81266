#!/bin/sh
# Output for scripts and logs (man wsc, --jsonl, --timestamps, --pretty):
# every --jsonl line is valid JSON with fields of the right types, whatever
# the messages hold and however large; --timestamps starts every line for
# people with the time and never touches raw binary; --pretty reindents
# JSON and leaves everything else alone.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"
require_websockets

# The checker: every line of FILE is one JSON object (Python's strict
# json module) with a UTC "time" and an "event"; then the Python
# expression EXPR, over the list `evs`, must hold. Prints "ok" or why not.
cat >"$T/jl.py" <<'EOF'
import base64, json, re, sys
evs = []
with open(sys.argv[1], "rb") as f:
    data = f.read()
lines = data.split(b"\n")
if lines[-1] != b"":
    sys.exit(print("the last line has no newline"))
for n, raw in enumerate(lines[:-1], 1):
    try:
        ev = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        sys.exit(print("line %d is not JSON: %s" % (n, e)))
    if not isinstance(ev, dict) or not isinstance(ev.get("event"), str) or \
       not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",
                        str(ev.get("time"))):
        sys.exit(print("line %d lacks a time or an event" % n))
    evs.append(ev)
def of(kind, **kw):
    return [e for e in evs if e["event"] == kind and
            all(e.get(k) == v for k, v in kw.items())]
def close():
    c = of("close")
    return c[0] if len(c) == 1 and type(c[0]["code"]) is int and \
        type(c[0]["clean"]) is bool and isinstance(c[0]["reason"], str) \
        else {}
b64 = base64.b64decode
if eval("(" + sys.argv[2] + ")"):
    print("ok")
else:
    print("false: %s over %s" % (sys.argv[2], [{k: str(v)[:40]
          for k, v in e.items() if k != "time"} for e in evs[:8]]))
EOF

# check_jsonl EXPR: see jl.py above.
check_jsonl()
{
	r=$("$PYTHON" "$T/jl.py" "$T/out" "$1" 2>&1) || :
	[ "$r" = ok ] || fail "jsonl: $r"
}

# Lines with every kind of character JSON must escape or keep: quotes,
# backslashes, tab, SOH, DEL, U+2028, an emoji.
printf 'plain\nq"b\\s\tt\001c\177d\n\342\200\250\360\237\230\200\n' >"$T/tricky"
TRICKY="['plain', 'q\"b\\\\s\\tt\\x01c\\x7fd', '\\u2028\\U0001F600']"

case_begin "--jsonl -v: open, each message sent and echoed, close; every line JSON"
start_peer echo_server
run_wsc --jsonl -v -w 0.3 "ws://127.0.0.1:$PORT/" <"$T/tricky"
expect_rc 0
check_jsonl "evs[0]['event'] == 'open' and
    evs[0]['url'] == 'ws://127.0.0.1:$PORT/' and
    evs[0]['subprotocol'] is None and evs[0]['extensions'] is None and
    [e['data'] for e in of('message', dir='out', type='text')] == $TRICKY and
    [e['data'] for e in of('message', dir='in', type='text')] == $TRICKY and
    close() == dict(close(), code=1000, reason='', clean=True, by='client') and
    evs[-1]['event'] == 'close'"
# escaped on the wire, not raw
expect_out_contains '\u0001c\u007fd'
expect_out_contains '"\u2028'
expect_err_contains "Connected to ws://127.0.0.1:$PORT/"
expect_err_contains 'Disconnected (code: 1000'
expect_file_contains "$LOG" "text plain"
expect_close 1000
case_end

case_begin "--jsonl without -v: no messages sent; binary as base64; the subprotocol"
start_peer echo_server --subprotocols chat
printf '\000\001\377binary' >"$T/bin"
run_wsc --jsonl -b -s chat -w 0.3 "ws://127.0.0.1:$PORT/" <"$T/bin"
expect_rc 0
check_jsonl "evs[0]['subprotocol'] == 'chat' and not of('message', dir='out') and
    [b64(e['base64']) for e in of('message', dir='in', type='binary')] ==
    [b'\\x00\\x01\\xffbinary'] and 'data' not in of('message')[0]"
case_end

case_begin "--jsonl: 300 KiB messages stream into valid lines, characters cut between pieces"
start_peer echo_server
# one long line: multibyte characters, U+2028, quotes, at odd offsets
"$PYTHON" -c 'import sys
sys.stdout.buffer.write(("a\u00e9\u2028\U0001F600\"\\z" * 30000).encode() + b"\n")' >"$T/long"
run_wsc --jsonl -w 0.5 "ws://127.0.0.1:$PORT/" <"$T/long"
expect_rc 0
check_jsonl "of('message', dir='in')[0]['data'] == 'a\\u00e9\\u2028\\U0001F600\"\\\\z' * 30000"
start_peer raw_server --scenario big-message 300001
run_wsc --jsonl -w 0.5 "ws://127.0.0.1:$PORT/" </dev/null
expect_rc 0
check_jsonl "b64(of('message', type='binary')[0]['base64']) ==
    bytes(i % 256 for i in range(300001))"
case_end

case_begin "--jsonl: a streamed message cut off by an error ends its line, marked truncated"
start_peer raw_server --scenario big-bad-text 300000
run_wsc --jsonl -w 2 "ws://127.0.0.1:$PORT/" </dev/null
expect_rc 1
check_jsonl "len(of('message')) == 1 and of('message')[0]['truncated'] is True and
    set(of('message')[0]['data']) == {'x'} and
    close() == dict(close(), code=1007, clean=False, by='client')"
expect_file_contains "$LOG" "close 1007"
expect_err_contains "wsc: protocol error"
case_end

case_begin "--jsonl: a 48 MiB binary message streams through with flat memory"
# Peak RSS of a pipeline, from the bench peer's launcher.
rss_of()
{
	start_peer bench --mode flood --count 1 --size "$1" --binary
	"$BENCH_PEER" --time "timeout 120 '$WSC' -q -w -1 --jsonl --max-message 100M ws://127.0.0.1:$PORT/ </dev/null | wc -c >'$T/count'" >"$T/time" 2>/dev/null || return 1
	stop_peer
	cut -d' ' -f2 "$T/time"
}
if small=$(rss_of 1048576) && big=$(rss_of 50331648); then
	# the base64 of 48 MiB, and the object around it
	[ "$(cat "$T/count")" -gt 67108864 ] ||
		fail "$(cat "$T/count") bytes written"
	[ "$big" -lt $((small + 16384)) ] ||
		fail "peak RSS $big KiB for 48 MiB, $small KiB for 1 MiB"
else
	fail "the pipeline failed: $(cat "$T/time")"
fi
case_end

case_begin "--jsonl: the server's error close is clean, by the server, with its reason"
start_peer echo_server --mode close 1011 it broke
run_wsc --jsonl -x hi -w 2 "ws://127.0.0.1:$PORT/"
expect_rc 1
expect_file_contains "$LOG" "text hi"
check_jsonl "close() == dict(close(), code=1011, reason='it broke', clean=True,
    by='server')"
case_end

case_begin "--jsonl: a drop without a Close is 1006, not clean, by the server"
start_peer raw_server --scenario drop
run_wsc --jsonl -w 2 "ws://127.0.0.1:$PORT/" </dev/null
expect_rc 1
check_jsonl "of('message')[0]['data'] == 'bye-bye' and
    close() == dict(close(), code=1006, clean=False, by='server')"
case_end

case_begin "--jsonl -P: a ping with invalid UTF-8 is valid JSON; pongs carry rtt_ms"
start_peer raw_server --scenario ping 61ff62c3
run_wsc --jsonl -P -w 0.3 "ws://127.0.0.1:$PORT/" </dev/null
expect_rc 0
check_jsonl "[e['data'] for e in of('ping', dir='in')] == ['a\\ufffdb\\ufffd']"
expect_err_lacks '[ping]'
start_peer echo_server
run_wsc --jsonl -P --ping-interval 0.05 -x hi -w 2 "ws://127.0.0.1:$PORT/"
expect_rc 0
check_jsonl "of('pong') and all(e['dir'] == 'in' and e['data'].isdigit() and
    type(e['rtt_ms']) in (int, float) and e['rtt_ms'] >= 0 for e in of('pong'))"
case_end

STAMP='[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9][0-9][0-9] '

case_begin "--timestamps: status lines, text messages and every hex dump line start with the time"
start_peer echo_server --mode binary
run_wsc --timestamps -x hello -w 0.5 "ws://127.0.0.1:$PORT/"
expect_rc 0
# 256 bytes: 16 dump lines and the length line; then the echo
[ "$(grep -c "^$STAMP" "$T/out")" -eq 18 ] && [ "$(wc -l <"$T/out")" -eq 18 ] ||
	fail "not every stdout line has the time"
grep -q "^${STAMP}00000000  00 01 02" "$T/out" || fail "no stamped dump line"
grep -q "^${STAMP}hello\$" "$T/out" || fail "no stamped text message"
grep -q "^${STAMP}Connected to " "$T/err" || fail "no stamped Connected line"
grep -q "^${STAMP}Disconnected (code: 1000" "$T/err" ||
	fail "no stamped Disconnected line"
case_end

case_begin "--timestamps: raw binary is never prefixed; -v trace lines are"
start_peer echo_server --mode binary
run_wsc --timestamps -v --binary-output raw -x hello -w 0.5 "ws://127.0.0.1:$PORT/"
expect_rc 0
"$PYTHON" -c 'import re, sys
out = open(sys.argv[1], "rb").read()
sys.exit(not (out[:256] == bytes(range(256)) and
              re.fullmatch(rb"\d\d:\d\d:\d\d\.\d{3} hello\n", out[256:])))' \
    "$T/out" || fail "raw bytes changed or text not stamped"
grep -q "^${STAMP}> frame TEXT fin=1 len=5" "$T/err" || fail "trace not stamped"
[ "$(grep -vc "^$STAMP" "$T/err")" -eq 0 ] || fail "a stderr line has no time"
case_end

case_begin "--jsonl --timestamps: the objects unchanged, stderr stamped"
start_peer echo_server
run_wsc --jsonl --timestamps -x hi -w 0.3 "ws://127.0.0.1:$PORT/"
expect_rc 0
check_jsonl "[e['data'] for e in of('message')] == ['hi']"
grep -q "^${STAMP}Connected to " "$T/err" || fail "no stamped Connected line"
case_end

case_begin "--pretty: JSON objects and arrays reindented; anything else as it was"
start_peer echo_server
deep=$("$PYTHON" -c 'print("[" * 2000 + "]" * 2000)')
run_wsc --pretty -x '{"a":[1,{},[]],"b":{"c":null,"d":"x\"y"}}' \
    -x 'not json' -x '[1,' -x '42' -x "$deep" -x ' [ ] ' \
    -w 0.5 "ws://127.0.0.1:$PORT/"
expect_rc 0
cat >"$T/want" <<EOF
{
  "a": [
    1,
    {},
    []
  ],
  "b": {
    "c": null,
    "d": "x\"y"
  }
}
not json
[1,
42
$deep
[]
EOF
expect_out_eq "$T/want"
# the server got the messages as they were given
expect_file_contains "$LOG" 'text {"a":[1,{},[]],"b":{"c":null,"d":"x\"y"}}'
expect_close 1000
case_end

case_begin "listen mode: --jsonl message events, --timestamps on its status lines"
LPORT=$(free_port)
mkfifo "$T/listen-in"
timeout --foreground -k 5 "$WSC_TIMEOUT" "$WSC" -l "$LPORT" --jsonl \
    --timestamps <"$T/listen-in" >"$T/out" 2>"$T/err" 9>&- &
LPID=$!
exec 8>"$T/listen-in"
wait_file_contains "$T/err" "Listening on " 10 || fail "the server did not start"
timeout "$WSC_TIMEOUT" "$WSC" -q -x '{"a":1}' -x 'say "hi"' -w 0.3 \
    "ws://127.0.0.1:$LPORT/" >/dev/null 2>&1 || fail "the client failed"
wait_file_contains "$T/err" "disconnected (code: 1000" 10 ||
	fail "the client's Close was not reported"
kill_wsc INT "$LPID"
if wait "$LPID"; then RC=0; else RC=$?; fi
exec 8>&-
expect_rc 0
check_jsonl "[e['data'] for e in of('message', dir='in', type='text')] ==
    ['{\"a\":1}', 'say \"hi\"']"
grep -q "^${STAMP}Listening on " "$T/err" || fail "no stamped Listening line"
case_end

case_begin "--pretty: a 400 KiB message is held whole and laid out as json.dumps(indent=2) does"
start_peer echo_server
"$PYTHON" - "$T/big.json" "$T/want" <<'PYEOF2'
import json, sys
doc = {"items": [{"id": i, "name": "n\u00e9%d" % i, "tags": ["a", "b"],
                  "ok": i % 2 == 0, "none": None, "empty": {}} for i in range(4000)]}
open(sys.argv[1], "w").write(json.dumps(doc, separators=(",", ":"),
                                        ensure_ascii=False) + "\n")
open(sys.argv[2], "w").write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
PYEOF2
[ "$(wc -c <"$T/big.json")" -gt 262144 ] || fail "the test message is too small"
run_wsc --pretty -w 1 "ws://127.0.0.1:$PORT/" <"$T/big.json"
expect_rc 0
expect_out_eq "$T/want"
case_end

case_begin "--jsonl and --pretty exclude each other (usage error)"
run_wsc --jsonl --pretty ws://127.0.0.1:1/
expect_rc 2
expect_err_contains 'wsc: --jsonl and --pretty exclude each other'
case_end

t_done
