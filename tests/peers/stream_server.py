#!/usr/bin/python3
"""A WebSocket server for the byte-stream tests (--raw, --tunnel).

Built on python3-websockets (10.x). It listens on 127.0.0.1, prints its
port on stdout as its first line, and logs one line per event to --log
FILE, each connection numbered from 1 in the order of its handshake:

    connect N PATH
    authorization N VALUE      (when the request has that header)
    refused N 401              (--refuse-first K: the first K handshakes)
    closing N                  (a Close about to be written: first the
                                answer to the client's; logged before it
                                goes out)
    close N CODE BYTES         (the client's Close code, 1006 when none
                                came; BYTES: the payload bytes received)

--mode echo (default): every message is sent back as it came (with
--as-text: as a text message).
--mode sink: counts what arrives, answers nothing; with --slow MS it
sleeps MS milliseconds after each message (a slow reader), and with
--mark BYTES it logs `mark N` once BYTES have arrived on connection N.
--mode bridge: a WebSocket-to-TCP bridge (as websockify in front of sshd)
in front of a TCP echo service this peer runs itself on another port of
127.0.0.1: each WebSocket gets a TCP connection of its own, every
message's payload is written to it and every chunk read from it is sent
as a binary message; the TCP end of file closes the WebSocket (1000), the
WebSocket's end shuts down the TCP connection's writing half.

Payloads are counted, never logged: the tests move tens of MiB. No
compression is offered. --cert FILE --key FILE serve wss. It exits when
its stdin reaches end of file or on SIGTERM.
"""

import asyncio
import http
import ssl

import websockets

import peerlib


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--mode", choices=("echo", "sink", "bridge"),
                   default="echo")
    p.add_argument("--slow", type=float, default=0, metavar="MS",
                   help="sink: sleep MS milliseconds after each message")
    p.add_argument("--mark", type=int, default=0, metavar="BYTES",
                   help="sink: log `mark N` once BYTES have arrived")
    p.add_argument("--refuse-first", type=int, default=0, metavar="K",
                   help="answer the first K handshakes with 401")
    p.add_argument("--as-text", action="store_true",
                   help="echo: send every message back as text (UTF-8)")
    p.add_argument("--cert", help="serve wss with this certificate")
    p.add_argument("--key", help="the certificate's key")
    return p.parse_args()


async def tcp_echo(reader, writer):
    """The TCP echo service behind the bridge: bytes back until EOF."""
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def echo(ws, counted, as_text):
    """Every message back; after the client's Close (a TCP half-close
    behind a tunnel) echoes fail, but the messages that came before it are
    still counted."""
    echoing = True
    async for msg in ws:
        counted[0] += len(msg)
        if echoing:
            try:
                await ws.send(msg.decode() if as_text and
                              isinstance(msg, bytes) else msg)
            except websockets.ConnectionClosed:
                echoing = False


async def sink(ws, counted, args, log, num):
    marked = False
    async for msg in ws:
        counted[0] += len(msg)
        if args.mark and not marked and counted[0] >= args.mark:
            marked = True
            log("mark %d" % num)
        if args.slow:
            await asyncio.sleep(args.slow / 1000)


async def bridge(ws, counted, port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def ws_to_tcp():
        try:
            async for msg in ws:
                counted[0] += len(msg)
                writer.write(msg if isinstance(msg, bytes) else msg.encode())
                await writer.drain()
        finally:
            writer.write_eof()

    async def tcp_to_ws():
        while True:
            data = await reader.read(65536)
            if not data:
                break
            await ws.send(data)
        await ws.close(1000)

    await asyncio.gather(ws_to_tcp(), tcp_to_ws(), return_exceptions=True)
    writer.close()


def make_protocol(log):
    """The server protocol, logging a Close before answering it: whatever
    the client does after the answer comes after that line."""
    class Protocol(websockets.WebSocketServerProtocol):
        async def write_close_frame(self, close, data=None):
            log("closing %d" % getattr(self, "num", 0))
            await super().write_close_frame(close, data)

    return Protocol


def make_handler(args, log, numbers, echo_port):
    async def handler(ws, path=None):
        num = ws.num = numbers[id(ws.request_headers)]
        counted = [0]
        try:
            if args.mode == "echo":
                await echo(ws, counted, args.as_text)
            elif args.mode == "sink":
                await sink(ws, counted, args, log, num)
            else:
                await bridge(ws, counted, echo_port)
        except websockets.ConnectionClosed:
            pass
        await ws.wait_closed()
        log("close %d %s %d" % (num, ws.close_code, counted[0]))

    return handler


def make_process_request(args, log, numbers):
    seen = [0]

    async def process_request(path, headers):
        seen[0] += 1
        num = seen[0]
        numbers[id(headers)] = num
        log("connect %d %s" % (num, path))
        if "Authorization" in headers:
            log("authorization %d %s" % (num, headers["Authorization"]))
        if num <= args.refuse_first:
            log("refused %d 401" % num)
            return (http.HTTPStatus.UNAUTHORIZED,
                    [("WWW-Authenticate", 'Basic realm="test"')],
                    b"who are you?\n")
        return None

    return process_request


async def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    numbers = {}
    echo_port = 0
    if args.mode == "bridge":
        tcp = await asyncio.start_server(tcp_echo, "127.0.0.1", 0)
        echo_port = tcp.sockets[0].getsockname()[1]
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
    server = await websockets.serve(
        make_handler(args, log, numbers, echo_port), "127.0.0.1", args.port,
        process_request=make_process_request(args, log, numbers),
        create_protocol=make_protocol(log),
        compression=None, ping_interval=None, max_size=None, ssl=ctx,
        close_timeout=5)
    await peerlib.serve_until_stdin_closes(server)


if __name__ == "__main__":
    peerlib.run(main)
