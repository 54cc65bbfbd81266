#!/usr/bin/python3
"""A well-behaved WebSocket client (python3-websockets) for wsc's listen
mode tests.

It connects to --url, offering --subprotocols, sends every --send message
(text) and --send-binary HEX message in order, then logs what arrives
until --expect N messages have come (it then closes with --close-code,
default 1000) or the server closes. One line per event to --log FILE:

    open SUBPROTOCOL            ("-" when none was selected)
    text MESSAGE
    binary HEX
    close CODE REASON           (the connection's close code at the end)
    refused STATUS              (the handshake got an HTTP error)
    error WHAT

--after-open FILE: the messages are sent only once FILE exists (so a test
can connect several clients first). --flood TEXT: then send TEXT again and
again until the server closes. --ca FILE: for wss://, trust the CA
certificates in FILE; --cert FILE and --key FILE (--passphrase P): show
that client certificate. --unix PATH: connect over the Unix domain socket
PATH (websockets.unix_connect); --url still gives the scheme, Host and
path. Gives up after --timeout seconds.
"""

import argparse
import asyncio
import os
import ssl
import sys
import urllib.parse

import websockets

import peerlib


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--subprotocols", default="")
    p.add_argument("--send", action="append", default=[])
    p.add_argument("--send-binary", action="append", default=[])
    p.add_argument("--expect", type=int, default=-1)
    p.add_argument("--close-code", type=int, default=1000)
    p.add_argument("--after-open")
    p.add_argument("--flood")
    p.add_argument("--ca")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--passphrase")
    p.add_argument("--unix")
    p.add_argument("--timeout", type=float, default=15)
    return p.parse_args()


async def wait_file(path):
    while not os.path.exists(path):
        await asyncio.sleep(0.02)


async def session(a, log):
    protos = [p for p in a.subprotocols.split(",") if p] or None
    ctx = ssl.create_default_context(cafile=a.ca) if a.ca else None
    if ctx and a.cert:
        ctx.load_cert_chain(a.cert, a.key, a.passphrase)
    opts = dict(subprotocols=protos, ssl=ctx, compression=None,
                ping_interval=None, max_size=None, close_timeout=5)
    try:
        if a.unix:
            if ctx:     # no host to take it from: the URL's
                opts["server_hostname"] = urllib.parse.urlsplit(a.url).hostname
            ws = await websockets.unix_connect(a.unix, a.url, **opts)
        else:
            ws = await websockets.connect(a.url, **opts)
    except websockets.InvalidStatusCode as e:
        log("refused %d" % e.status_code)
        return
    log("open " + (ws.subprotocol or "-"))
    if a.after_open:
        await wait_file(a.after_open)
    for m in a.send:
        await ws.send(m)
    for h in a.send_binary:
        await ws.send(bytes.fromhex(h))
    got = 0
    try:
        while a.flood is not None:
            await ws.send(a.flood)
            await asyncio.sleep(0)      # let the Close be read meanwhile
        while got != a.expect:
            msg = await ws.recv()
            got += 1
            log.message(msg)
        await ws.close(a.close_code)
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    log.closed(ws)


def main():
    a = parse_args()
    log = peerlib.Log(a.log)
    try:
        asyncio.run(asyncio.wait_for(session(a, log), a.timeout))
    except asyncio.TimeoutError:
        log("error timeout")
        sys.exit(1)
    except Exception as e:      # reported in the log, for the test to show
        log("error %s: %s" % (type(e).__name__, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
