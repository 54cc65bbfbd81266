#!/usr/bin/python3
"""Clients that attack listen mode's admission and memory (plain asyncio
sockets, no WebSocket library), for `wsc -l`'s hardening tests.

--scenario slowloris N
    N connections each send a partial request line ("GET /slow HTTP/1.1"
    and one header) and nothing more. Logs `ready N` once every one has
    written it, then per connection what came back: `status CODE` (the
    first line of an HTTP answer) and `eof`.
--scenario idle N
    The same, but nothing at all is sent (for a TLS port: the connections
    stay in the TLS handshake).
--scenario reopen N
    N slowloris connections, each opened again as soon as the server
    closes it (the attack that used to lock every client out). Logs
    `ready N` once all are open, then runs until it is killed.
--scenario share N
    One connection from 127.0.0.1 sends a partial request; then N partial
    ones come from --source (default 127.0.0.2). As soon as one of those
    is answered 503 (so the server has chosen whom to evict), the first
    finishes its request. Logs `status CODE` for the N, then
    `first status CODE` for the first (101: it was kept).
--scenario partial N DECLARED SEND
    N connections each complete the opening handshake, announce a binary
    message of DECLARED bytes in one frame, send SEND bytes of it and
    stop. Logs `sent I` when connection I has sent them (or was cut off
    first), `close I CODE` when a Close frame arrives (then it stops
    sending), and `eof I` when the server hangs up.

Every connection goes to 127.0.0.1:--port. Exits when every connection
has ended, or after --timeout seconds.
"""

import argparse
import asyncio
import base64
import os
import struct

PARTIAL = b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
REST = (b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n\r\n")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--scenario", nargs="+", required=True)
    p.add_argument("--source", default="127.0.0.2")
    p.add_argument("--timeout", type=float, default=30)
    return p.parse_args()


class Log:
    """One line per event, flushed at once so tests can poll the file."""

    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8")

    def __call__(self, line):
        self.f.write(line + "\n")
        self.f.flush()


def request_rest():
    key = base64.b64encode(os.urandom(16))
    return REST % key


async def status_of(reader):
    """The status code of the answer, or None at EOF (or a reset)."""
    try:
        line = await reader.readline()
    except ConnectionError:
        return None
    if not line.startswith(b"HTTP/"):
        return None
    return int(line.split()[1])


async def drain_to_eof(reader):
    try:
        while await reader.read(65536):
            pass
    except ConnectionError:
        pass


async def slowloris(a, log, n, payload=PARTIAL):
    conns = []
    for _ in range(n):
        r, w = await asyncio.open_connection("127.0.0.1", a.port)
        w.write(payload)
        await w.drain()
        conns.append((r, w))
    log("ready %d" % n)

    async def watch(r):
        code = await status_of(r)
        if code is not None:
            log("status %d" % code)
        await drain_to_eof(r)
        log("eof")
    await asyncio.gather(*(watch(r) for r, _ in conns))


async def reopen(a, log, n):
    ready = asyncio.Semaphore(0)

    async def one():
        first = True
        while True:
            try:
                r, w = await asyncio.open_connection("127.0.0.1", a.port)
                w.write(PARTIAL)
                await w.drain()
            except OSError:
                continue
            if first:
                ready.release()
                first = False
            await drain_to_eof(r)
            w.close()
    tasks = [asyncio.ensure_future(one()) for _ in range(n)]
    for _ in range(n):
        await ready.acquire()
    log("ready %d" % n)
    await asyncio.gather(*tasks)


async def idle(a, log, n):
    await slowloris(a, log, n, b"")


async def share(a, log, n):
    r1, w1 = await asyncio.open_connection("127.0.0.1", a.port)
    w1.write(PARTIAL)
    await w1.drain()
    evicted = asyncio.Event()

    async def one():
        r, w = await asyncio.open_connection(
            "127.0.0.1", a.port, local_addr=(a.source, 0))
        w.write(PARTIAL)
        await w.drain()
        code = await status_of(r)
        log("status %s" % code)
        if code == 503:
            evicted.set()
        await drain_to_eof(r)
    others = [asyncio.ensure_future(one()) for _ in range(n)]
    await evicted.wait()
    w1.write(request_rest())
    await w1.drain()
    log("first status %s" % await status_of(r1))
    w1.close()
    await asyncio.gather(*others)


def binary_header(declared):
    """A masked binary frame header (mask 0: the payload is sent as is)."""
    return struct.pack("!BBQ", 0x82, 0x80 | 127, declared) + b"\0\0\0\0"


async def read_frames(r, log, i, stop):
    """Logs the Close (or EOF) the server sends; sets stop."""
    try:
        await r.readuntil(b"\r\n\r\n")
        while True:
            head = await r.readexactly(2)
            n = head[1] & 0x7f
            if n == 126:
                n = struct.unpack("!H", await r.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", await r.readexactly(8))[0]
            payload = await r.readexactly(n)
            if head[0] & 0x0f == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if n >= 2 else 1005
                log("close %d %d" % (i, code))
                stop.set()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    stop.set()
    log("eof %d" % i)


async def send_partial(w, declared, size, stop):
    w.write(binary_header(declared))
    chunk = bytes(256 * 1024)
    left = size
    while left > 0 and not stop.is_set():
        w.write(chunk[:min(left, len(chunk))])
        left -= min(left, len(chunk))
        await w.drain()


async def partial(a, log, n, declared, size):
    async def one(i):
        r, w = await asyncio.open_connection("127.0.0.1", a.port)
        w.write(PARTIAL + request_rest())
        stop = asyncio.Event()
        reader = asyncio.ensure_future(read_frames(r, log, i, stop))
        try:
            await send_partial(w, declared, size, stop)
        except ConnectionError:
            pass
        log("sent %d" % i)
        await reader
        w.close()
    await asyncio.gather(*(one(i) for i in range(1, n + 1)))


async def main():
    a = parse_args()
    log = Log(a.log)
    name, args = a.scenario[0], [int(x) for x in a.scenario[1:]]
    run = {"slowloris": slowloris, "idle": idle, "reopen": reopen,
           "share": share, "partial": partial}[name]
    try:
        await asyncio.wait_for(run(a, log, *args), a.timeout)
    except asyncio.TimeoutError:
        log("timeout")


if __name__ == "__main__":
    asyncio.run(main())
