#!/bin/sh
# The conformance suite: tests/peers/conformance_server.py runs every case
# (RFC 6455 sections 5-7, RFC 7692; one connection each) against
# `wsc --echo` and prints one line per case and a summary.
# CONFORMANCE_FILTER=REGEX runs only the matching case ids.

. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup"

set -- --wsc "$WSC" --tmp "$T"
if [ -n "${CONFORMANCE_FILTER:-}" ]; then
	set -- "$@" --filter "$CONFORMANCE_FILTER"
fi
# Not exec: tests/setup's EXIT trap removes $T afterwards.
"$PYTHON" "$TESTS_SRCDIR/peers/conformance_server.py" "$@" 9>&-
