#!/usr/bin/python3
"""A well-behaved WebSocket server for wsc's integration tests.

Built on python3-websockets (10.x, asyncio legacy API). It listens on
127.0.0.1 (--bind ADDR: elsewhere, e.g. ::1), prints the chosen port on
stdout as its first line, and logs
every event it sees, one line each, to --log FILE:

    connect PATH
    header Name: value          (every request header, in order)
    subprotocol NAME            (when one was selected)
    text MESSAGE
    binary HEX
    close CODE REASON           (the Close frame received from the client;
                                 1006 when none arrived)
    disconnect

--mode: echo (default) sends every message back; `close CODE [REASON]`
closes after the first message; `send N` sends "msg-1".."msg-N" on
connect, then echoes; `binary` sends one binary message of the bytes
0..255 on connect, then echoes; `silent` never answers.
--no-echo stops echoing in any mode; --close-after N closes with 1000
"done" once N messages have arrived (so `--mode send 3 --no-echo
--close-after 3` drives a client's --echo without an endless loop).

It exits when its stdin reaches end of file or on SIGTERM.
"""

import websockets

import peerlib


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--mode", nargs="+", default=["echo"],
                   help="echo | close CODE [REASON] | send N | binary | silent")
    p.add_argument("--subprotocols", default="",
                   help="comma-separated subprotocols to accept")
    p.add_argument("--compression", action="store_true",
                   help="allow permessage-deflate (default: none)")
    p.add_argument("--no-echo", action="store_true",
                   help="never send received messages back (with send N)")
    p.add_argument("--close-after", type=int, default=0, metavar="N",
                   help="close with 1000 'done' after the Nth message received")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                   help="the address to listen on (default 127.0.0.1)")
    a = p.parse_args()
    mode = a.mode[0]
    if mode not in ("echo", "close", "send", "binary", "silent"):
        p.error("unknown mode %r" % mode)
    if mode in ("close", "send") and len(a.mode) < 2:
        p.error("mode %s needs an argument" % mode)
    return a


def first_client_match(client_protocols, server_protocols):
    """The first subprotocol in the client's order that we accept."""
    for proto in client_protocols:
        if proto in server_protocols:
            return proto
    return None


def make_handler(args, log):
    mode = args.mode[0]

    async def handler(ws, path=None):
        if ws.subprotocol:
            log("subprotocol " + ws.subprotocol)
        try:
            if mode == "send":
                for i in range(1, int(args.mode[1]) + 1):
                    await ws.send("msg-%d" % i)
            elif mode == "binary":
                await ws.send(bytes(range(256)))
            received = 0
            async for msg in ws:
                log.message(msg)
                received += 1
                if received == args.close_after:
                    await ws.close(1000, "done")
                    break
                if mode == "silent" or args.no_echo:
                    continue
                if mode == "close":
                    code = int(args.mode[1])
                    reason = " ".join(args.mode[2:])
                    await ws.close(code, reason)
                    break
                await ws.send(msg)
        except websockets.ConnectionClosed:
            pass
        await ws.wait_closed()
        log.closed(ws)
        log("disconnect")

    return handler


def make_process_request(log):
    async def process_request(path, headers):
        log("connect " + path)
        for name, value in headers.raw_items():
            log("header %s: %s" % (name, value))
        return None

    return process_request


async def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    protocols = [p for p in args.subprotocols.split(",") if p]
    server = await websockets.serve(
        make_handler(args, log), args.bind, args.port,
        process_request=make_process_request(log),
        subprotocols=protocols or None,
        select_subprotocol=first_client_match,
        compression="deflate" if args.compression else None,
        ping_interval=None, max_size=None, close_timeout=5)
    await peerlib.serve_until_stdin_closes(server)


if __name__ == "__main__":
    peerlib.run(main)
