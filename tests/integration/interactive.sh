#!/bin/sh
# wsc's interactive mode driven through a real terminal: the binary runs in
# a tmux pane (80x24), keys go in with send-keys, the screen comes back with
# capture-pane, and the peers log what arrived on the wire. Every wait polls
# the screen or a file with a limit; no fixed sleeps.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

require_websockets
if ! command -v tmux >/dev/null 2>&1; then
	skip_all "tmux is not installed (scripts/deps installs it)"
fi

ESC=$(printf '\033')
# Run from inside tmux too: our server is our own, not a nested session.
unset TMUX
TM_SOCK=$T/tmux.sock
# A private tmux server, stopped whatever way the script ends.
# (set -e holds in a trap too: nothing in it may fail before cleanup,
# which takes the script's status from $?.)
trap 'rc=$?; set +e; tmux -S "$TM_SOCK" kill-server >/dev/null 2>&1; (exit $rc); cleanup' EXIT

# tm ARGS...: tmux on our own server and without our own configuration.
tm()
{
	tmux -S "$TM_SOCK" -f /dev/null "$@" 9>&-
}

# q WORD: WORD quoted for sh.
q()
{
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# The environment of every pane: history under $T, colours allowed, a
# UTF-8 locale. TTY_ENV adds to it (e.g. NO_COLOR=1).
TTY_ENV=

# pane_env: the env(1) words for a pane.
pane_env()
{
	printf 'env -u NO_COLOR XDG_STATE_HOME=%s HOME=%s LC_ALL=C.UTF-8 %s' \
	    "$(q "$T/state")" "$(q "$T/home")" "$TTY_ENV"
}

# tty_start ARGS...: runs wsc ARGS in a fresh 80x24 pane. The pane records
# stty -g before and after, wsc's pid (for the watchdog in tty_wait_exit)
# and its exit status in $T/rc.
tty_start()
{
	rm -f "$T/rc" "$T/rc.tmp" "$T/pid" "$T/stty.before" "$T/stty.after"
	cmd=$(q "$WSC")
	for a in "$@"; do
		cmd="$cmd $(q "$a")"
	done
	# The pane's shell gets the Ctrl+C too (one process group): it must
	# live on to record the status (a handler, not an ignored signal, so
	# that wsc does not inherit it).
	cat >"$T/pane.sh" <<EOF
trap : INT QUIT
ulimit -c 0
stty -g >$(q "$T/stty.before")
sh -c 'echo \$\$ >"\$0"; exec "\$@"' $(q "$T/pid") $(pane_env) $cmd
echo \$? >$(q "$T/rc.tmp")
stty -g >$(q "$T/stty.after")
mv $(q "$T/rc.tmp") $(q "$T/rc")
exec sleep 300
EOF
	tm kill-session -t w >/dev/null 2>&1 || :
	# exec: tmux runs this through the login shell's -c, and dash (a
	# user's /bin/sh) would stay there, in the pane's process group,
	# without pane.sh's traps: a Ctrl+\ would end it and close the pane.
	tm new-session -d -s w -x 80 -y 24 "exec sh $(q "$T/pane.sh")"
}

# tty_shell: a fresh pane with an interactive sh (job control, for
# Ctrl+Z), prompt "$ ".
tty_shell()
{
	tm kill-session -t w >/dev/null 2>&1 || :
	tm new-session -d -s w -x 80 -y 24 "env -u ENV PS1='$ ' sh -i"
}

# keys KEY...: tmux key names (Enter, C-c, Left...); type TEXT: literal text.
keys()
{
	tm send-keys -t w "$@"
}

type_text()
{
	tm send-keys -t w -l "$1"
}

# screen: the pane as text, wrapped lines joined; screen_raw: not joined;
# screen_esc: with the escape sequences of the attributes in use.
screen()
{
	tm capture-pane -p -J -t w 2>/dev/null
}

screen_raw()
{
	tm capture-pane -p -t w 2>/dev/null
}

screen_esc()
{
	tm capture-pane -p -e -t w 2>/dev/null
}

# wait_screen STRING [SECONDS]: polls (0.05 s steps, 30 s by default)
# until the screen shows STRING; records a failure when it never does (and
# returns 1, for loops; `set -e` does not apply to a function's status in
# an || list).
wait_screen()
{
	screen_poll "$@" || :
}

screen_poll()
{
	limit=$(( ${2:-30} * 20 ))
	i=0
	while ! screen | grep -qF -e "$1"; do
		i=$((i + 1))
		if [ "$i" -gt "$limit" ]; then
			fail "the screen never showed '$1'"
			return 1
		fi
		sleep 0.05
	done
	return 0
}

# wait_prompt: the last non-empty line of the screen is the bare prompt.
wait_prompt()
{
	i=0
	while [ "$(screen_raw | grep -v '^ *$' | tail -n 1)" != ">" ]; do
		i=$((i + 1))
		if [ "$i" -gt 200 ]; then
			fail "no empty '> ' prompt on the last line"
			return 0
		fi
		sleep 0.05
	done
	return 0
}

# wait_log STRING: the peer's log has STRING (fails the case otherwise).
wait_log()
{
	wait_file_contains "$LOG" "$1" 30 || fail "the server never logged '$1'"
}

# tty_wait_exit [SECONDS]: waits (30 s by default) for wsc to exit and sets
# RC; a wsc still running then is killed (RC=124, which expect_rc reports),
# so nothing hangs.
tty_wait_exit()
{
	limit=$(( ${1:-30} * 20 ))
	i=0
	while [ ! -f "$T/rc" ]; do
		i=$((i + 1))
		if [ "$i" -gt "$limit" ]; then
			[ ! -f "$T/pid" ] || kill -9 "$(cat "$T/pid")" 2>/dev/null || :
			RC=124
			return 0
		fi
		sleep 0.05
	done
	RC=$(cat "$T/rc")
}

# expect_stty_same: the terminal settings after wsc are those before it.
expect_stty_same()
{
	if [ ! -s "$T/stty.before" ] || [ ! -s "$T/stty.after" ]; then
		fail "stty -g was not recorded around wsc"
	elif ! cmp -s "$T/stty.before" "$T/stty.after"; then
		fail "terminal settings changed: $(cat "$T/stty.before") -> $(cat "$T/stty.after")"
	fi
}

# expect_screen_lacks STRING
expect_screen_lacks()
{
	! screen | grep -qF -e "$1" || fail "the screen shows '$1'"
}

# line_no STRING: the number of the first screen line holding STRING.
line_no()
{
	screen_raw | grep -nF -e "$1" | head -n 1 | cut -d: -f1
}

# tty_case_end: keeps the screen for the report (as "wsc stderr"), stops
# the pane (and a wsc still in it) and reports the case.
tty_case_end()
{
	screen_raw >"$T/err" 2>/dev/null || :
	if [ ! -f "$T/rc" ] && [ -f "$T/pid" ]; then
		kill -9 "$(cat "$T/pid")" 2>/dev/null || :
	fi
	tm kill-session -t w >/dev/null 2>&1 || :
	case_end
	: >"$T/err"
}

# expect_closed_by_ctrl_c LACKS: after Ctrl+C, wsc sent Close 1000 and
# nothing the peer logs as LACKS, exited 0 and left the terminal as it
# found it.
expect_closed_by_ctrl_c()
{
	tty_wait_exit
	expect_rc 0
	wait_log disconnect
	expect_close 1000
	expect_file_lacks "$LOG" "$1"
	expect_stty_same
}

# expect_ctrl_c_close: the same at the prompt, no text sent, and said so.
expect_ctrl_c_close()
{
	expect_closed_by_ctrl_c "text "
	wait_screen 'Disconnected (code: 1000 normal closure'
}

URL_OF() { printf 'ws://127.0.0.1:%s/' "$1"; }

# A build without readline (configure --without-readline) has no prompt:
# at a terminal it says so and reads lines as from a pipe.
if [ "${WSC_READLINE:-yes}" = no ]; then
	case_begin "without readline a terminal gets the line mode"
	start_peer echo_server
	tty_start -w 0.2 "$(URL_OF "$PORT")"
	wait_screen "no interactive prompt: wsc was built without readline"
	type_text "hello there"
	keys Enter
	wait_log "text hello there"
	keys C-d
	tty_wait_exit
	expect_rc 0
	wait_log disconnect
	expect_close 1000
	expect_stty_same
	tty_case_end
	t_done
fi

# --jsonl writes for programs, so a terminal on stdin gets the line mode
# too: the terminal edits the line, and Ctrl+C's flush takes the rest.
case_begin "--jsonl at a terminal: lines typed are sent, Ctrl+C closes with 1000"
start_peer echo_server
tty_start --jsonl "$(URL_OF "$PORT")"
type_text "hello there"
keys Enter
wait_log "text hello there"
wait_screen '"data":"hello there"'
type_text "half a line"
keys C-c
expect_closed_by_ctrl_c "text half"
tty_case_end

# --raw reads the terminal the same way: each line typed is one binary
# message, newline and all.
case_begin "--raw at a terminal: a typed line is one binary message, Ctrl+C closes with 1000"
start_peer echo_server
tty_start --raw "$(URL_OF "$PORT")"
type_text "hello there"
keys Enter
wait_log "binary 68656c6c6f2074686572650a"
type_text "half a line"
keys C-c
expect_closed_by_ctrl_c "binary 68616c66"
tty_case_end

# ------------------------------------------------------------ the basics

case_begin "prompt, a line sent and echoed, Ctrl+D ends like EOF"
start_peer echo_server
tty_start -w 0.2 "$(URL_OF "$PORT")"
wait_screen "Connected (press CTRL+C to quit)"
wait_prompt
type_text "hello there"
keys Enter
wait_log "text hello there"
wait_screen "< hello there"
wait_prompt
keys C-d
tty_wait_exit
expect_rc 0
wait_log disconnect
expect_close 1000
expect_log_texts "hello there"
wait_screen 'Disconnected (code: 1000 normal closure, reason: "")'
expect_stty_same
tty_case_end

case_begin "the Connected line names the negotiated subprotocol"
start_peer echo_server --subprotocols chat
tty_start -s other,chat "$(URL_OF "$PORT")"
wait_screen "Connected (press CTRL+C to quit); subprotocol: chat"
wait_prompt
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

case_begin "a message arriving while a wrapped line is half typed"
start_peer push_server --push "$T/push"
: >"$T/push"
tty_start "$(URL_OF "$PORT")"
wait_prompt
LONG="the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs; 0123456789"
type_text "$LONG"
keys Left Left Left Left Left
wait_screen "> $LONG"
printf '%s\n' 'text pushed while typing' >>"$T/push"
wait_screen "< pushed while typing"
# The line survived whole below the message, on the screen...
wait_screen "> $LONG"
a=$(line_no "< pushed while typing")
b=$(line_no "> the quick brown fox")
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] ||
    fail "the message is not above the prompt (lines $a and $b)"
# ...and the cursor too: text typed now lands five characters from the end.
printf '%s\n' 'text two\nlines' >>"$T/push"
wait_screen "< two"
wait_screen "  lines"
type_text "XY"
keys Enter
wait_log "text the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs; 01234XY56789"
keys C-c
tty_wait_exit
expect_rc 0
expect_stty_same
tty_case_end

case_begin "Ctrl+C sends Close 1000, waits for the answer, exits 0"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "half a line"
keys C-c
expect_ctrl_c_close
tty_case_end

case_begin "a second Ctrl+C exits at once when the server does not answer"
start_peer raw_server --scenario no-close-reply
tty_start "$(URL_OF "$PORT")"
wait_prompt
keys C-c
wait_file_contains "$LOG" "close 1000" 30 || fail "no Close 1000 on the wire"
keys C-c
# Well before the 5 s the first Ctrl+C would wait.
tty_wait_exit 3
[ "$RC" != 124 ] || fail "wsc was still running 3 s after the second Ctrl+C"
expect_stty_same
tty_case_end

case_begin "the server closes while a line is typed: status, terminal restored"
start_peer push_server --push "$T/push"
: >"$T/push"
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "never sent"
printf '%s\n' 'close 1001 going down' >>"$T/push"
tty_wait_exit
expect_rc 0
wait_screen 'Disconnected (code: 1001 going away, reason: "going down")'
expect_screen_lacks "> never sent"
expect_stty_same
tty_case_end

case_begin "connection refused: one error, no prompt, terminal untouched"
tty_start "$(URL_OF "$(free_port)")"
tty_wait_exit
expect_rc 3
wait_screen "wsc: could not connect to 127.0.0.1:"
expect_screen_lacks ">"
expect_stty_same
tty_case_end

case_begin "a protocol error: error line, status, terminal restored"
start_peer raw_server --scenario masked-frame
tty_start "$(URL_OF "$PORT")"
tty_wait_exit
expect_rc 1
expect_close 1002
wait_screen "< before"
wait_screen "wsc: protocol error: "
wait_screen "Disconnected (code: 1002 protocol error"
expect_stty_same
tty_case_end

case_begin "SIGTERM closes with 1000 and restores the terminal"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "typed"
kill -TERM "$(cat "$T/pid")"
tty_wait_exit
expect_rc 0
wait_log disconnect
expect_close 1000
expect_stty_same
tty_case_end

case_begin "Ctrl+\\ (SIGQUIT) restores the terminal"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
tm send-keys -t w -H 1c
tty_wait_exit
expect_rc 131
expect_stty_same
tty_case_end
case_begin "SIGHUP restores the terminal"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
kill -HUP "$(cat "$T/pid")"
tty_wait_exit
expect_rc 129
expect_stty_same
tty_case_end

# ------------------------------------------------------- what is printed

case_begin "control characters from the server are shown escaped"
start_peer push_server --push "$T/push"
: >"$T/push"
tty_start "$(URL_OF "$PORT")"
wait_prompt
printf '%s\n' 'text A\x1b[2J\x1b]2;pwned\x07B\rC\x9bD\x7fE' >>"$T/push"
wait_screen '< A\x1b[2J\x1b]2;pwned\x07B\x0dC\u009bD\x7fE'
# Nothing was obeyed: the screen was not cleared, the title not set.
wait_screen "Connected (press CTRL+C to quit)"
[ "$(tm display-message -p -t w '#{pane_title}')" != pwned ] ||
    fail "the server set the window title"
printf '%s\n' 'close 4000 bye\x1b[2J\x07' >>"$T/push"
tty_wait_exit
expect_rc 1
wait_screen 'Disconnected (code: 4000 private (4000-4999), reason: "bye\x1b[2J\x07")'
tty_case_end

case_begin "binary messages as a hex dump"
start_peer echo_server --mode binary
tty_start "$(URL_OF "$PORT")"
wait_screen "< [binary 256 bytes]"
wait_screen "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|"
wait_screen "00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  |@ABCDEFGHIJKLMNO|"
wait_screen "00000100"
wait_prompt
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

case_begin "colours on a colour terminal"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "colourful"
keys Enter
wait_screen "< colourful"
screen_esc | grep -F "< colourful" | grep -qF "$ESC[" ||
    fail "the received message is not coloured"
screen_esc | grep -F "Connected" | grep -qF "$ESC[" ||
    fail "the status line is not coloured"
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

for how in "--no-color" "NO_COLOR=1" "TERM=dumb"; do
	case_begin "no escape sequences at all with $how"
	start_peer echo_server
	case $how in
	--*) TTY_ENV=; tty_start "$how" --slash "$(URL_OF "$PORT")" ;;
	*) TTY_ENV=$how; tty_start --slash "$(URL_OF "$PORT")" ;;
	esac
	wait_prompt
	type_text "plain"
	keys Enter
	wait_screen "< plain"
	type_text "/nope"
	keys Enter
	wait_screen "wsc: unknown command '/nope'"
	if screen_esc | grep -qF "$ESC"; then
		fail "escape sequences on the screen"
	fi
	keys C-c
	tty_wait_exit
	expect_rc 0
	wait_screen "Disconnected (code: 1000"
	if screen_esc | grep -qF "$ESC"; then
		fail "escape sequences on the screen at the end"
	fi
	TTY_ENV=
	tty_case_end
done

case_begin "-P: heartbeat pongs with their round-trip time"
start_peer echo_server
tty_start -P --ping-interval 0.2 "$(URL_OF "$PORT")"
wait_screen "< [pong] 1 (round trip "
wait_screen "< [pong] 2 (round trip "
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

# ------------------------------------------------------- slash commands

case_begin "--slash: each command as the server sees it"
start_peer raw_server --scenario echo
printf 'file\000bytes\377' >"$T/f.bin"
tty_start --slash -P "$(URL_OF "$PORT")"
wait_prompt
type_text "/ping hello"
keys Enter
wait_log "frame PING len=5 masked=1 payload=68656c6c6f"
wait_screen "< [pong] hello (round trip "
type_text "/ping"
keys Enter
wait_log "frame PING len=0 masked=1 payload="
type_text "/pong unasked"
keys Enter
wait_log "pong unasked"
type_text "/binary 48 65 6c6c 6f"
keys Enter
wait_log "frame BINARY len=5 masked=1 payload=48656c6c6f"
wait_screen "< [binary 5 bytes]"
wait_screen "00000000  48 65 6c 6c 6f"
type_text "/file $T/f.bin"
keys Enter
wait_log "frame BINARY len=11 masked=1 payload=66696c65006279746573ff"
type_text "//not a command"
keys Enter
wait_log "frame TEXT len=14 masked=1 payload=$(printf '/not a command' | od -An -v -tx1 | tr -d ' \n')"
# Local errors: a line on the screen, nothing on the wire.
n=$(grep -c '^frame' "$LOG" || :)
A126=$(printf '%0126d' 0 | tr 0 a)
for bad in "/nope" "/close abc" "/close 1005" "/close 999" "/close 70000" \
    "/binary 4" "/binary zz" "/ping $A126" "/pong $A126" "/file $T/missing"; do
	type_text "$bad"
	keys Enter
done
wait_screen "wsc: /file: $T/missing: No such file or directory; not sent"
wait_screen "wsc: unknown command '/nope' (see /help); not sent"
wait_screen "wsc: invalid close code 'abc'"
wait_screen "wsc: invalid close code '1005'"
wait_screen "wsc: invalid close code '999'"
wait_screen "wsc: invalid close code '70000'"
wait_screen "wsc: /binary: expected hex bytes"
wait_screen "wsc: /ping: data too long (126 bytes, 125 at most); not sent"
wait_screen "wsc: /pong: data too long (126 bytes, 125 at most); not sent"
type_text "/help"
keys Enter
wait_screen "/quit"
wait_screen "/close [CODE [REASON]]"
[ "$(grep -c '^frame' "$LOG")" = "$n" ] ||
    fail "a command that failed sent something"
expect_file_lacks "$LOG" "close "
type_text "/close 4000 done here"
keys Enter
wait_log "close 4000 done here"
tty_wait_exit
expect_rc 1
expect_stty_same
tty_case_end

case_begin "/quit closes with 1000"
start_peer echo_server
tty_start --slash "$(URL_OF "$PORT")"
wait_prompt
type_text "/quit"
keys Enter
tty_wait_exit
expect_rc 0
wait_log disconnect
expect_close 1000
expect_file_lacks "$LOG" "text "
expect_stty_same
tty_case_end

case_begin "without --slash a line starting with / is a message"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "/ping x"
keys Enter
wait_log "text /ping x"
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

# ------------------------------------------------------ paste and history

case_begin "a bracketed paste of three lines sends three messages"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
tm set-buffer -b wsc "$(printf 'p1\np2\np3')"
tm paste-buffer -p -b wsc -t w
wait_screen "p3"
keys Enter
wait_log "text p3"
keys C-c
tty_wait_exit
expect_rc 0
expect_log_texts p1 p2 p3
tty_case_end

# Within a paste readline asks for one key after another: they are read
# for it, waited for when the rest is not there yet (keys.c).
case_begin "a bracketed paste arriving in two parts is one line"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "${ESC}[200~first half"
type_text ", second half${ESC}[201~"
wait_screen "first half, second half"
keys Enter
wait_log "text first half, second half"
keys C-c
tty_wait_exit
expect_rc 0
expect_log_texts "first half, second half"
tty_case_end

# A paste cut short by Ctrl+C (which also drops the keys still queued):
# its end never comes. readline's own reader waited for it, deaf to
# Ctrl+C, until the next key.
case_begin "Ctrl+C halfway through a bracketed paste: Close 1000, exit 0"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "${ESC}[200~half a paste"
keys C-c
expect_ctrl_c_close
tty_case_end

case_begin "history: kept in XDG_STATE_HOME, mode 0600, no leading-space lines"
start_peer echo_server
rm -rf "$T/state" "$T/home"
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "first"
keys Enter
type_text " secret"
keys Enter
type_text "second"
keys Enter
wait_log "text second"
keys C-c
tty_wait_exit
expect_rc 0
H=$T/state/wsc/history
if [ ! -f "$H" ]; then
	fail "no history file $H"
else
	[ "$(stat -c %a "$H")" = 600 ] || fail "history file mode $(stat -c %a "$H")"
	printf 'first\nsecond\n' | cmp -s - "$H" || fail "history file: $(cat "$H")"
fi
[ ! -e "$T/home/.local" ] || fail "history written under HOME too"
tty_case_end

case_begin "history: Up recalls the last session's line"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
keys Up
wait_screen "> second"
keys Up
wait_screen "> first"
keys Enter
wait_log "text first"
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

case_begin "history: the file is cut to its last 1000 lines"
start_peer echo_server
seq 1 1500 >"$T/state/wsc/history"
tty_start "$(URL_OF "$PORT")"
wait_prompt
keys Up
wait_screen "> 1500"
keys C-u
type_text "newest"
keys Enter
wait_log "text newest"
keys C-c
tty_wait_exit
expect_rc 0
H=$T/state/wsc/history
[ "$(wc -l <"$H")" -eq 1000 ] || fail "history has $(wc -l <"$H") lines, not 1000"
[ "$(tail -n 1 "$H")" = newest ] || fail "the last history line is $(tail -n 1 "$H")"
[ "$(head -n 1 "$H")" = 502 ] || fail "the first history line is $(head -n 1 "$H")"
tty_case_end

case_begin "history: without XDG_STATE_HOME it goes to ~/.local/state"
start_peer echo_server
rm -rf "$T/home"
TTY_ENV="XDG_STATE_HOME="
tty_start "$(URL_OF "$PORT")"
TTY_ENV=
wait_prompt
type_text "via home"
keys Enter
wait_log "text via home"
keys C-c
tty_wait_exit
expect_rc 0
H=$T/home/.local/state/wsc/history
[ -f "$H" ] && [ "$(cat "$H")" = "via home" ] || fail "no $H with the line"
[ "$(stat -c %a "$H" 2>/dev/null)" = 600 ] || fail "history file mode is not 0600"
tty_case_end

# ----------------------------------------------------- Ctrl+Z and resize

case_begin "Ctrl+Z gives the terminal back, fg brings line editing back"
start_peer echo_server
rm -f "$T/stty.before" "$T/stty.stopped" "$T/stty.after"
tty_shell
wait_screen "$ "
keys "stty -g >$(q "$T/stty.before")" Enter
keys "$(pane_env) $(q "$WSC") $(URL_OF "$PORT")" Enter
wait_prompt
type_text "abc"
# Read by wsc before the stop (keys still in the terminal's queue at ^Z
# may go to the shell instead).
wait_screen "> abc"
keys C-z
wait_screen "Stopped"
keys "stty -g >$(q "$T/stty.stopped"); echo stopped-ok" Enter
wait_screen "stopped-ok"
cmp -s "$T/stty.before" "$T/stty.stopped" ||
    fail "the terminal was not restored while stopped"
keys "fg" Enter
wait_screen "> abc"
# Line editing works again: keys are not echoed raw, Left moves the cursor.
type_text "def"
keys Left Left Left
type_text "-"
keys Enter
wait_log "text abc-def"
wait_screen "< abc-def"
keys C-c
wait_screen "Disconnected (code: 1000"
keys "echo \"rc=\$?\"; stty -g >$(q "$T/stty.after")" Enter
wait_screen "rc=0"
wait_file_contains "$T/stty.after" "" 5 || :
expect_stty_same
tty_case_end

case_begin "a window resize redraws the typed line, messages above kept"
start_peer echo_server
tty_start "$(URL_OF "$PORT")"
wait_prompt
type_text "earlier message"
keys Enter
wait_screen "< earlier message"
LONG="AAAAAAAAAABBBBBBBBBBCCCCCCCCCCDDDDDDDDDDEEEEEEEEEEFFFFFFFFFFGGGGGGGGGGHHHHHHHHHH"
type_text "$LONG"
wait_screen "> $LONG"
for w in 30 100 45 80; do
	tm resize-window -t w -x "$w" -y 24
	screen_poll "> $LONG" || break
	screen_poll "< earlier message" || break
	# Each part of the line once, no stale copy of the prompt.
	[ "$(screen | grep -c 'AAAAAAAAAA')" = 1 ] ||
	    fail "width $w: the typed line shows $(screen | grep -c 'AAAAAAAAAA') times"
done
type_text "Z"
keys Enter
wait_log "text ${LONG}Z"
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

if [ "${WSC_LAZY:-yes}" = yes ]; then
case_begin "the prompt loads readline when it starts, not before"
start_peer echo_server
TTY_ENV="LD_DEBUG=files LD_DEBUG_OUTPUT=$(q "$T/ld")"
tty_start "$(URL_OF "$PORT")"
TTY_ENV=
wait_prompt
keys C-d
tty_wait_exit
expect_rc 0
cat "$T"/ld.* >"$T/ld.all" 2>/dev/null || :
# Mapped by dlopen() ("dynamically loaded"), not as a library wsc needs.
expect_file_matches "$T/ld.all" 'file=libreadline[^ ]* \[0\];  dynamically loaded by'
tty_case_end
else
	t_skip "the prompt loads readline when it starts, not before" "built with --disable-lazy-load"
fi

case_begin "-v after a reconnect: the handshake trace goes above the prompt"
start_peer session_server --drop 1 --drop-after 1
tty_start -v --reconnect "$(URL_OF "$PORT")"
wait_prompt
type_text "first"
keys Enter
wait_log "dropped 1"
wait_log "connection 2"
wait_screen "< HTTP/1.1 101 Switching Protocols"
wait_prompt
type_text "second"
keys Enter
wait_log "text second"
# The whole scrollback: each request line on a line of its own, twice,
# and none written after a prompt.
tm capture-pane -p -J -S - -t w >"$T/all" 2>/dev/null || :
n=$(grep -c '^> GET / HTTP/1.1$' "$T/all" || :)
[ "$n" = 2 ] || fail "$n request lines of their own, expected 2"
! grep -q '^> >' "$T/all" || fail "a trace line follows a prompt"
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

# ------------------------------------------------------------ scripting

case_begin "-X at the prompt goes first; --count 2 ends the session"
start_peer echo_server
tty_start -X hi --count 2 "$(URL_OF "$PORT")"
wait_screen "< hi"
wait_prompt
type_text "there"
keys Enter
tty_wait_exit
expect_rc 0
wait_log disconnect
expect_log_texts hi there
expect_close 1000
expect_stty_same
tty_case_end

case_begin "--until at the prompt ends the session at the matching message"
start_peer echo_server
tty_start --until '^st[o]p$' "$(URL_OF "$PORT")"
wait_prompt
type_text "go"
keys Enter
wait_screen "< go"
wait_prompt
type_text "stop"
keys Enter
tty_wait_exit
expect_rc 0
wait_log disconnect
expect_log_texts go stop
expect_close 1000
expect_stty_same
tty_case_end

case_begin "--timestamps and --pretty at the prompt: times, JSON reindented in colour"
start_peer echo_server
tty_start --timestamps --pretty "$(URL_OF "$PORT")"
wait_prompt
type_text '{"a":[1,{}],"b":"x"}'
keys Enter
wait_screen '    "b": "x"'
wait_prompt
type_text 'not {json'
keys Enter
wait_screen '< not {json'
STAMP='[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{3}'
screen_raw >"$T/screen"
for re in "^$STAMP Connected \\(press CTRL\\+C" "^$STAMP < \\{\$" \
    '^    "a": \[$' '^      1,$' '^      \{\}$' '^    \],$' '^  \}$' \
    "^$STAMP < not \\{json\$"; do
	grep -qE -e "$re" "$T/screen" || fail "no screen line matches /$re/"
done
# tmux writes bold cyan as two sequences
screen_esc | grep -F '"b"' | grep -qF "$ESC[1m$ESC[36m\"b\"" ||
	fail "keys not bold cyan"
screen_esc | grep -F '"b"' | grep -qF "$ESC[32m\"x\"" ||
	fail "strings not green"
keys C-c
tty_wait_exit
expect_rc 0
wait_screen 'Disconnected (code: 1000'
screen_raw | grep -qE "^$STAMP Disconnected" || fail "Disconnected has no time"
tty_case_end

case_begin "/status: readyState, protocol, bufferedAmount, traffic, round trip"
start_peer echo_server --subprotocols chat
tty_start --slash -P -s chat "$(URL_OF "$PORT")"
wait_prompt
type_text "/status"
keys Enter
wait_screen "readyState: 1 (OPEN); protocol: chat; extensions: (none)"
wait_screen "sent: 0 messages, 0 bytes; received: 0 messages, 0 bytes; last round trip: none yet"
type_text "hello"
keys Enter
wait_screen "< hello"
type_text "/ping x"
keys Enter
wait_screen "< [pong] x (round trip "
type_text "/status"
keys Enter
wait_screen "bufferedAmount: 0 bytes; sent: 1 messages, 5 bytes; received: 1 messages, 5 bytes; last round trip: "
screen | grep -qE "received: 1 messages, 5 bytes; last round trip: [0-9]+\.[0-9]{3} ms" ||
	fail "no round trip in /status"
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

# ------------------------------------------------ what a server may not do

case_begin "C0, C1 and BIDI controls in a message are shown escaped"
start_peer hostile_server --text 'a\xe2\x80\xaeb\x1b[2Jc\xc2\x9bd\xe2\x81\xa6e'
tty_start "$(URL_OF "$PORT")"
wait_screen '< a\u202eb\x1b[2Jc\u009bd\u2066e'
keys C-c
tty_wait_exit
expect_rc 0
tty_case_end

case_begin "a large binary message: the first 16 KiB dumped, the rest counted"
start_peer hostile_server --binary-size 20000 --close 1000
tty_start "$(URL_OF "$PORT")"
wait_screen "[... 3616 more bytes not shown; with stdout on a pipe or file"
wait_screen '00003ff0  f0 f1 f2 f3'
expect_screen_lacks '00004000  00 01'
wait_screen 'Disconnected (code: 1000 normal closure'
tty_wait_exit
expect_rc 0
tty_case_end

case_begin "a compressed flood of newlines: a capped part, and what was left out"
start_peer hostile_server --newline-flood 1000000 --close 1000
tty_start "$(URL_OF "$PORT")"
wait_screen "[... 998000 more bytes (998000 more newlines) not shown"
wait_screen 'Disconnected (code: 1000 normal closure'
tty_wait_exit
expect_rc 0
tm capture-pane -p -J -S - -t w >"$T/all" 2>/dev/null || :
n=$(grep -c '^  $' "$T/all" || :)
[ "$n" -le 2000 ] || fail "$n empty lines shown, expected 2000 at most"
tty_case_end

case_begin "a large text cut short by an error: the error line starts a line"
start_peer hostile_server --bad-text 300000
tty_start "$(URL_OF "$PORT")"
wait_screen "invalid UTF-8"
screen_raw | grep -q '^wsc: ' || fail "the error line does not start a line"
tty_wait_exit
expect_rc 1
tty_case_end

t_done
