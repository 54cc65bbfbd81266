#!/usr/bin/python3
"""Many well-behaved WebSocket clients at once (python3-websockets), for
listen mode's admission tests.

--count N clients connect to --url together (asyncio: every connection is
opened before any is waited for), each sends one text message "hello I"
and waits for it to come back (an echo server, `wsc -l PORT --echo`), then
closes with 1000. One line per client that fails to --log FILE:

    failed I WHAT

and at the end one line:

    served K of N

Exits 0 when every client was served, 1 otherwise. Gives up on a client
after --timeout seconds (a hang protection, not a measure).
"""

import argparse
import asyncio

import websockets


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--count", type=int, default=500)
    p.add_argument("--timeout", type=float, default=60)
    return p.parse_args()


async def one(a, i, log):
    """One client: handshake, a message, its echo, a clean close."""
    want = "hello %d" % i
    try:
        async with websockets.connect(a.url, compression=None,
                                      ping_interval=None, open_timeout=None,
                                      close_timeout=a.timeout) as ws:
            await ws.send(want)
            got = await ws.recv()
            if got != want:
                log.append("failed %d echo %r" % (i, got))
                return False
            return True
    except Exception as e:  # every way of failing is one log line
        log.append("failed %d %s: %s" % (i, type(e).__name__, e))
        return False


async def main():
    a = parse_args()
    log = []
    tasks = [asyncio.wait_for(one(a, i, log), a.timeout)
             for i in range(1, a.count + 1)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    served = sum(1 for r in results if r is True)
    for i, r in enumerate(results, 1):
        if isinstance(r, BaseException):
            log.append("failed %d %s" % (i, type(r).__name__))
    with open(a.log, "a", encoding="utf-8") as f:
        for line in log:
            f.write(line + "\n")
        f.write("served %d of %d\n" % (served, a.count))
    return 0 if served == a.count else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
