#!/usr/bin/python3
"""A WebSocket echo server that also sends messages when a test says so.

For the interactive tests (tests/integration/interactive.sh): a message
must arrive while a line is being typed, at a moment the test chooses.
Built on python3-websockets (10.x), like echo_server.py; it listens on
127.0.0.1, prints the chosen port on stdout as its first line, echoes every
message, and logs one line per event to --log FILE, in echo_server.py's
format:

    connect PATH
    text MESSAGE
    binary HEX
    close CODE REASON           (the client's Close; 1006 when none)
    disconnect

--push FILE: every line appended to FILE is an order to every connected
client, read within 50 ms:

    text ESCAPED        send a text message; Python escapes are decoded
                        (\\x1b, \\n, \\u009b), so control characters can
                        be sent
    binary HEX          send a binary message
    close CODE REASON   close the connection (REASON escaped like text)

It exits when its stdin reaches end of file or on SIGTERM.
"""

import asyncio

import websockets

import peerlib


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--push", help="send what is appended to this file")
    return p.parse_args()


async def order(ws, line):
    """Carries out one line of the push file on one client."""
    verb, _, arg = line.partition(" ")
    if verb == "text":
        await ws.send(arg.encode("latin-1").decode("unicode_escape"))
    elif verb == "binary":
        await ws.send(bytes.fromhex(arg))
    elif verb == "close":
        code, _, reason = arg.partition(" ")
        await ws.close(int(code),
                       reason.encode("latin-1").decode("unicode_escape"))


async def pusher(path, clients):
    """Polls the push file and sends each new line's order."""
    done = 0
    while True:
        await asyncio.sleep(0.05)
        try:
            with open(path, encoding="latin-1") as f:
                lines = f.read().split("\n")[:-1]
        except FileNotFoundError:
            continue
        for line in lines[done:]:
            for ws in list(clients):
                try:
                    await order(ws, line)
                except websockets.ConnectionClosed:
                    pass
        done = len(lines)


def make_handler(log, clients):
    async def handler(ws, path=None):
        log("connect " + (path or ws.path))
        clients.add(ws)
        try:
            async for msg in ws:
                log.message(msg)
                await ws.send(msg)
        except websockets.ConnectionClosed:
            pass
        clients.discard(ws)
        await ws.wait_closed()
        log.closed(ws)
        log("disconnect")

    return handler


async def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    clients = set()
    server = await websockets.serve(
        make_handler(log, clients), "127.0.0.1", args.port,
        ping_interval=None, max_size=None, close_timeout=5)
    if args.push:
        asyncio.ensure_future(pusher(args.push, clients))
    await peerlib.serve_until_stdin_closes(server)


if __name__ == "__main__":
    peerlib.run(main)
