#!/usr/bin/python3
"""A WebSocket server for the reach tests (python3-websockets 10.4), over
TLS (--cert/--key), plain TCP, or a Unix socket (--unix PATH).

  --mode echo        echo every message (default)
  --mode flood       send --count messages of --size bytes (binary with
                     --binary; text otherwise, each one different), then close
  --client-ca FILE   require a client certificate signed by FILE's CA
  --tls12            offer TLS 1.2 only
  --port-file F      write the port there once listening (atomically)

It logs one line per connection on stdout: "path=/x host=H cert=SUBJECT",
then "msg=TEXT" per text message echoed, flushed at once.
"""
import argparse, asyncio, os, ssl, sys

import websockets


def log(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def peer_subject(ws):
    cert = ws.transport.get_extra_info("peercert")
    if not cert:
        return "-"
    return ",".join("%s=%s" % kv for rdn in cert.get("subject", ()) for kv in rdn)


async def handler(ws, path=None):
    log("path=%s host=%s cert=%s" % (ws.path, ws.request_headers.get("Host"),
                                     peer_subject(ws)))
    if ARGS.mode == "flood":
        for i in range(ARGS.count):
            if ARGS.binary:
                await ws.send(bytes([i % 251]) * ARGS.size)
            else:
                head = "%08d:" % i
                await ws.send(head + "x" * max(0, ARGS.size - len(head)))
        await ws.close(1000, "done")
        return
    async for msg in ws:
        if isinstance(msg, str) and len(msg) < 200:
            log("msg=" + msg)
        await ws.send(msg)


def context():
    if not ARGS.cert:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    ctx.set_alpn_protocols(["http/1.1"])
    if ARGS.tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if ARGS.client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(ARGS.client_ca)
    return ctx


async def main():
    kw = dict(max_size=None, compression=None, ping_interval=None)
    if ARGS.unix:
        server = await websockets.unix_serve(handler, ARGS.unix, **kw)
        port = 0
    else:
        server = await websockets.serve(handler, "127.0.0.1", 0, ssl=context(), **kw)
        port = server.sockets[0].getsockname()[1]
    if ARGS.port_file:
        with open(ARGS.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    await asyncio.Future()


p = argparse.ArgumentParser()
p.add_argument("--cert")
p.add_argument("--key")
p.add_argument("--client-ca")
p.add_argument("--tls12", action="store_true")
p.add_argument("--unix")
p.add_argument("--mode", default="echo")
p.add_argument("--count", type=int, default=10)
p.add_argument("--size", type=int, default=16)
p.add_argument("--binary", action="store_true")
p.add_argument("--port-file")
ARGS = p.parse_args()
try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass
