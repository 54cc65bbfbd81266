#!/usr/bin/python3
"""WebSocket clients (python3-websockets) for wsc -l --forward's and
--run's tests: each sends --bytes N pseudo-random bytes (client I's seed
is --seed + I) as binary messages of --chunk bytes, and checks what comes
back.

--mode echo: sends while reading, until its N bytes have come back; logs
"ok I" when they are the bytes sent, else "bad I WHY", then closes with
1000. --mode recv: sends its bytes (if any), then reads until the server
closes (after --stall S seconds of not reading); logs "received I BYTES
SHA256". --mode send: sends its bytes, logs "sent I N SHA256" and closes
with 1000 at once. --mode lines: sends each --send TEXT as a text message
("{I}" in it becomes the client's number), logs "msg I TEXT" for each
message until --expect N have come, then closes with 1000. Every client
logs "close I CODE REASON" at the end (1006: no Close came).

--clients K runs K at once (I from 1); --start-after FILE: they connect
once FILE exists. --url is the server's; the path /I is added. Reading
is not buffered ahead (a small read limit and queue), so a client that
does not read stops its TCP window soon.
"""

import argparse
import asyncio
import hashlib
import os
import random

import websockets

import peerlib


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--mode", default="echo",
                   choices=["echo", "recv", "send", "lines"])
    p.add_argument("--send", action="append", default=[])
    p.add_argument("--expect", type=int, default=0)
    p.add_argument("--bytes", type=int, default=0)
    p.add_argument("--chunk", type=int, default=65536)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--start-after")
    p.add_argument("--stall", type=float, default=0)
    return p.parse_args()


async def send_all(ws, data, chunk):
    for i in range(0, len(data), chunk):
        await ws.send(data[i:i + chunk])


async def echo(ws, i, data, a, log):
    sender = asyncio.create_task(send_all(ws, data, a.chunk))
    got = bytearray()
    while len(got) < len(data):
        m = await ws.recv()
        if isinstance(m, str):
            log("bad %d a text message" % i)
            return
        got += m
    await sender
    log(("ok %d" % i) if got == data else ("bad %d %d bytes differ" %
                                            (i, len(got))))
    await ws.close(1000)


async def recv(ws, i, data, a, log):
    await send_all(ws, data, a.chunk)
    await asyncio.sleep(a.stall)
    h = hashlib.sha256()
    n = 0
    try:
        async for m in ws:
            b = m.encode() if isinstance(m, str) else m
            h.update(b)
            n += len(b)
    except websockets.ConnectionClosed:
        pass
    log("received %d %d %s" % (i, n, h.hexdigest()))


async def send(ws, i, data, a, log):
    await send_all(ws, data, a.chunk)
    log("sent %d %d %s" % (i, len(data), hashlib.sha256(data).hexdigest()))
    await ws.close(1000)


async def lines(ws, i, data, a, log):
    del data
    for t in a.send:
        await ws.send(t.replace("{I}", str(i)))
    for _ in range(a.expect):
        m = await ws.recv()
        log("msg %d %s" % (i, m if isinstance(m, str) else m.hex()))
    await ws.close(1000)


async def client(i, a, log):
    data = random.Random(a.seed + i).randbytes(a.bytes)
    try:
        async with websockets.connect("%s/%d" % (a.url, i), max_size=None,
                                      compression=None, max_queue=1,
                                      read_limit=65536) as ws:
            await {"echo": echo, "recv": recv, "send": send,
                   "lines": lines}[a.mode](
                ws, i, data, a, log)
        log(("close %d %s %s" % (i, ws.close_code, ws.close_reason or ""))
            .rstrip())
    except Exception as e:  # pylint: disable=broad-except
        log("error %d %s" % (i, e))


async def main():
    a = parse_args()
    log = peerlib.Log(a.log)
    while a.start_after and not os.path.exists(a.start_after):
        await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(*(client(i, a, log) for i in
                                            range(1, a.clients + 1))),
                           a.timeout)


if __name__ == "__main__":
    asyncio.run(main())
