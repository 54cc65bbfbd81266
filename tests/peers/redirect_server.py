#!/usr/bin/python3
"""An HTTP server that answers WebSocket requests with redirects, for the
-L tests. Each --rule PATH=STATUS:LOCATION answers requests for PATH with
STATUS and that Location (LOCATION may be relative); other paths get 404.
--cert/--key serve it over TLS. Logs "path=PATH" per request on stdout and
writes its port to --port-file once listening."""
import argparse, asyncio, os, ssl, sys

REASONS = {301: "Moved Permanently", 302: "Found", 303: "See Other",
           307: "Temporary Redirect", 308: "Permanent Redirect", 404: "Not Found"}


async def handle(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        writer.close()
        return
    path = head.split(b" ")[1].decode()
    sys.stdout.write("path=%s\n" % path)
    sys.stdout.flush()
    status, location = RULES.get(path, (404, None))
    resp = "HTTP/1.1 %d %s\r\n" % (status, REASONS.get(status, "Redirect"))
    if location is not None:
        resp += "Location: %s\r\n" % location
    resp += "Content-Length: 0\r\nConnection: close\r\n\r\n"
    writer.write(resp.encode())
    await writer.drain()
    writer.close()


async def main():
    ctx = None
    if ARGS.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.cert, ARGS.key)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
    port = server.sockets[0].getsockname()[1]
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    async with server:
        await server.serve_forever()


p = argparse.ArgumentParser()
p.add_argument("--rule", action="append", default=[])
p.add_argument("--cert")
p.add_argument("--key")
p.add_argument("--port-file", required=True)
ARGS = p.parse_args()
RULES = {}
for r in ARGS.rule:
    path, rest = r.split("=", 1)
    status, location = rest.split(":", 1)
    RULES[path] = (int(status), location)
try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass
