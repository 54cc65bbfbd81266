#!/usr/bin/python3
"""A python3-websockets echo server with permessage-deflate settings.

For the compression interop tests: like echo_server.py (prints its port,
logs to --log, exits when stdin closes) but with RFC 7692's parameters
chosen on the command line, so the tests cover websockets' defaults and
its strictest settings:

    --server-no-context-takeover --client-no-context-takeover
    --server-max-window-bits N   --client-max-window-bits N

Logs `extensions VALUE` (what the server answered; `none` when compression
was not agreed), `text len=N` / `binary len=N` per message, and `close CODE`. --close-after N
closes with 1000 after echoing the Nth message (scripts/soak).
"""

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

import peerlib


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--server-no-context-takeover", action="store_true")
    p.add_argument("--client-no-context-takeover", action="store_true")
    p.add_argument("--server-max-window-bits", type=int)
    p.add_argument("--client-max-window-bits", type=int)
    p.add_argument("--close-after", type=int, default=0, metavar="N",
                   help="close with 1000 after echoing the Nth message")
    return p.parse_args()


async def main():
    a = parse_args()
    log = peerlib.Log(a.log)

    async def handler(ws, path=None):
        log("extensions " + ws.response_headers.get("Sec-WebSocket-Extensions", "none"))
        n = 0
        try:
            async for m in ws:
                log("%s len=%d" % ("binary" if isinstance(m, bytes) else "text", len(m)))
                await ws.send(m)
                n += 1
                if n == a.close_after:
                    await ws.close(1000, "done")
        except websockets.ConnectionClosed:
            pass
        await ws.wait_closed()
        log("close %s" % ws.close_code)

    factory = ServerPerMessageDeflateFactory(
        server_no_context_takeover=a.server_no_context_takeover,
        client_no_context_takeover=a.client_no_context_takeover,
        server_max_window_bits=a.server_max_window_bits,
        client_max_window_bits=a.client_max_window_bits,
        require_client_max_window_bits=a.client_max_window_bits is not None)
    server = await websockets.serve(handler, "127.0.0.1", a.port, compression=None,
                                    extensions=[factory], ping_interval=None,
                                    max_size=None, close_timeout=5)
    await peerlib.serve_until_stdin_closes(server)


if __name__ == "__main__":
    peerlib.run(main)
