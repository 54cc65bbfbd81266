#!/bin/sh
# tests/timebox, the harness's time limit on each integration script: a
# script that hangs is stopped at the limit with everything it started, and
# its log says so; a script that ends passes its status through, and what
# it left running is ended (it would hold the harness's pipe); a signal
# from outside (scripts/check's own budget) stops it too and leaves the
# mark that names it. The scripts it runs here are small shell loops, not
# wsc.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

TIMEBOX=$TESTS_SRCDIR/timebox
mkdir -p "$T/run/tests/integration"
# hang.sh: one TAP line, a child that would outlive it, then no end.
cat >"$T/hang.sh" <<EOF
echo "ok 1 - first"
sleep 300 &
echo \$! >"$T/child"
sleep 300
EOF
printf 'echo "ok 1 - done"\nexit 3\n' >"$T/ends.sh"
# leaves.sh: ends, leaving a child that holds its stdout open.
printf 'sleep 300 &\necho $! >"%s"\necho "ok 1 - left"\n' "$T/child" \
    >"$T/leaves.sh"

# timebox SCRIPT [LIMIT]: runs it through tests/timebox from a build
# directory of its own; RC, output in $T/out.
timebox()
{
	if (cd "$T/run" && WSC_SCRIPT_TIMEOUT=${2:-900} \
	    sh "$TIMEBOX" sh "$1" >"$T/out" 2>"$T/err" 9>&-); then
		RC=0
	else
		RC=$?
	fi
}

# expect_child_gone: the script's background child has ended (2 s at most
# after the script: it got the same signal).
expect_child_gone()
{
	i=0
	while kill -0 "$(cat "$T/child")" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -le 40 ] || { fail "the script's child outlived it"; return; }
		sleep 0.05
	done
}

case_begin "a script that hangs: stopped at the limit with its children, a Bail out line, no mark left"
timebox "$T/hang.sh" 1
[ "$RC" -eq 124 ] || fail "status $RC, expected 124"
expect_file_line "$T/out" "ok 1 - first"
expect_file_line "$T/out" "Bail out! still running after 1 s (WSC_SCRIPT_TIMEOUT): stopped"
expect_file_matches "$T/out" '^# hang\.sh: [0-9]+ s$'
expect_child_gone
[ ! -e "$T/run/tests/integration/hang.running" ] || fail "mark left behind"
case_end

case_begin "a script that ends: its status and output pass through, its time is the last line"
timebox "$T/ends.sh"
[ "$RC" -eq 3 ] || fail "status $RC, expected 3"
expect_file_line "$T/out" "ok 1 - done"
tail -n 1 "$T/out" | grep -qE '^# ends\.sh: [0-9]+ s$' ||
    fail "last line: $(tail -n 1 "$T/out")"
expect_file_lacks "$T/out" "Bail out!"
[ ! -e "$T/run/tests/integration/ends.running" ] || fail "mark left behind"
case_end

case_begin "a script that ends leaving a child: the child is ended, and the log says so"
timebox "$T/leaves.sh"
[ "$RC" -eq 0 ] || fail "status $RC, expected 0"
expect_file_line "$T/out" "# timebox: processes left running by leaves.sh: killed"
expect_child_gone
case_end

case_begin "a signal from outside: the script and its children stop, the mark stays"
rm -f "$T/child"
(cd "$T/run" && exec sh "$TIMEBOX" sh "$T/hang.sh" >"$T/out" 2>&1 9>&-) &
BPID=$!
i=0
until [ -s "$T/child" ] || [ "$i" -ge 400 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill -TERM "$BPID"
if wait "$BPID"; then RC=0; else RC=$?; fi
[ "$RC" -ne 0 ] || fail "status 0 after TERM"
expect_child_gone
[ -s "$T/run/tests/integration/hang.running" ] || fail "no mark left"
expect_file_lacks "$T/out" "Bail out!"
case_end

t_done
