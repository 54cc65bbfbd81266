#!/usr/bin/python3
"""An HTTP server that answers WebSocket requests with redirects, for the
-L tests. Each --rule PATH=STATUS:LOCATION answers requests for PATH with
STATUS and that Location (which may be relative; empty: no Location
header); other paths get 404. --cert/--key serve it over TLS.

It listens on 127.0.0.1 (--port 0: a free port), prints the port on stdout
as its first line, logs "request PATH" per request to --log FILE, and
exits when stdin reaches end of file or on SIGTERM.
"""
import asyncio, ssl

import peerlib

REASONS = {301: "Moved Permanently", 302: "Found", 303: "See Other",
           307: "Temporary Redirect", 308: "Permanent Redirect", 404: "Not Found"}


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--rule", action="append", default=[])
    p.add_argument("--cert")
    p.add_argument("--key")
    return p.parse_args()


ARGS = parse_args()
log = peerlib.Log(ARGS.log)
RULES = {}
for r in ARGS.rule:
    path, rest = r.split("=", 1)
    status, location = rest.split(":", 1)
    RULES[path] = (int(status), location)


async def handle(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split(b" ")[1].decode()
        log("request %s" % path)
        status, location = RULES.get(path, (404, ""))
        resp = "HTTP/1.1 %d %s\r\n" % (status, REASONS.get(status, "Redirect"))
        if location:
            resp += "Location: %s\r\n" % location
        resp += "Content-Length: 0\r\nConnection: close\r\n\r\n"
        writer.write(resp.encode())
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError,
            ConnectionError, IndexError):
        pass
    writer.close()


async def main():
    ctx = None
    if ARGS.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.cert, ARGS.key)
    server = await asyncio.start_server(handle, "127.0.0.1", ARGS.port, ssl=ctx)
    await peerlib.serve_until_stdin_closes(server)


peerlib.run(main)
