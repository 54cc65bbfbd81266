#!/bin/sh
# The module graph has no cycle (doc/architecture.md, Layers): no module
# uses a function of a module that uses one of its own, directly or around
# a loop. Read from the objects of the build under test (nm), so a call
# added anywhere counts, whatever the includes say.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

objs=$(dirname "$WSC")
command -v nm >/dev/null 2>&1 || skip_all "nm is not installed"
ls "$objs"/*.o >/dev/null 2>&1 || skip_all "no object files beside $WSC"

case_begin "no cycle among the modules"
if ! "$PYTHON" "$TESTS_SRCDIR/modgraph.py" "$objs" >"$T/cycles" 2>&1; then
	fail "$(head -c 600 "$T/cycles" | tr '\n' ' ')"
fi
case_end

t_done
