#!/usr/bin/python3
"""A WebSocket server for the reach tests (TLS, proxies, Unix sockets),
built on python3-websockets 10.x and Python's ssl module.

It listens on 127.0.0.1 (--bind ADDR for another; --port 0: a free port) over TLS with --cert and
--key, or plain TCP without them, or on the Unix socket --unix PATH; prints
the port on stdout as its first line (0 for a Unix socket); and logs to
--log FILE, one line each:

    connect PATH                the request
    host HOST                   its Host header
    cert SUBJECT                the client certificate's subject, or "-"
    sni NAME                    the server name the client's TLS hello
                                asked for (SNI), or "-" when it sent none
    text MESSAGE                a text message received (echoed back)
    binary LENGTH               a binary message received (echoed back)
    disconnect

--mode echo (default) echoes every message; --mode flood sends --count
messages of --size bytes (binary with --binary, filled with the message
number modulo 251; text "%08d:" then 'x's otherwise), then closes with
1000 "done". Without the WebSocket library: --mode hangup closes each TCP
connection after its first bytes ("hangup"); --mode silent reads and never
answers; --mode notify (with --cert) answers the Upgrade, echoes the
client's Close, then waits for its TLS close_notify and logs "close_notify"
or "no close_notify: WHY". --client-ca FILE requires a client certificate
from that CA;
--tls12 caps the version at TLS 1.2; --keylog FILE appends the TLS secrets
to FILE in the NSS key log format (Python's SSLContext.keylog_filename). It exits when stdin reaches end of
file or on SIGTERM.
"""
import asyncio, ssl, threading

import websockets

import peerlib


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca")
    p.add_argument("--tls12", action="store_true")
    p.add_argument("--keylog")
    p.add_argument("--unix")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--mode", default="echo",
                   choices=("echo", "flood", "hangup", "silent", "notify"))
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--size", type=int, default=16)
    p.add_argument("--binary", action="store_true")
    return p.parse_args()


ARGS = parse_args()
log = peerlib.Log(ARGS.log)


def peer_subject(ws):
    cert = ws.transport.get_extra_info("peercert")
    if not cert:
        return "-"
    return ",".join("%s=%s" % kv for rdn in cert.get("subject", ()) for kv in rdn)


async def flood(ws):
    for i in range(ARGS.count):
        if ARGS.binary:
            await ws.send(bytes([i % 251]) * ARGS.size)
        else:
            head = "%08d:" % i
            await ws.send(head + "x" * max(0, ARGS.size - len(head)))
    await ws.close(1000, "done")


async def handler(ws, path=None):
    log("connect %s" % ws.path)
    log("host %s" % ws.request_headers.get("Host"))
    log("cert %s" % peer_subject(ws))
    try:
        if ARGS.mode == "flood":
            await flood(ws)
        else:
            async for msg in ws:
                if isinstance(msg, str):
                    log("text " + msg[:200])
                else:
                    log("binary %d" % len(msg))
                await ws.send(msg)
    except websockets.ConnectionClosed:
        pass
    log("disconnect")


def context():
    if not ARGS.cert:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    ctx.set_alpn_protocols(["http/1.1"])
    ctx.sni_callback = lambda sock, name, c: log("sni %s" % (name or "-"))
    if ARGS.tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if ARGS.keylog:
        ctx.keylog_filename = ARGS.keylog
    if ARGS.client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(ARGS.client_ca)
    return ctx


async def raw_handler(reader, writer):
    """--mode hangup / silent: TCP only, never TLS nor HTTP."""
    data = await reader.read(4096)
    if ARGS.mode == "hangup":
        log("hangup")
        writer.close()
        return
    while data:
        data = await reader.read(4096)
    writer.close()


def notify_conn(conn, ctx):
    """--mode notify: one connection, blocking, in its own thread."""
    try:
        s = ctx.wrap_socket(conn, server_side=True)
        s.settimeout(5)
        st = peerlib.Stream(s)
        try:
            _, headers = st.read_head()
        except peerlib.Closed:
            return
        key = peerlib.header(headers, "sec-websocket-key")
        s.sendall(peerlib.switching_protocols(peerlib.accept_key(key)))
        log("connect")
        try:
            while st.read_frame().opcode != peerlib.OP_CLOSE:
                pass
        except peerlib.Closed:
            log("no close_notify: end of stream before the Close")
            return
        s.sendall(peerlib.frame(peerlib.OP_CLOSE, peerlib.close_payload(1000)))
        s.unwrap()
        log("close_notify")
    except Exception as e:
        log("no close_notify: %s" % e)


def notify_serve(lsock, ctx):
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=notify_conn, args=(conn, ctx), daemon=True).start()


async def main():
    kw = dict(max_size=None, compression=None, ping_interval=None)
    port = None         # the server's own
    if ARGS.mode == "notify":
        lsock = peerlib.listen(ARGS.port)
        threading.Thread(target=notify_serve, args=(lsock, context()),
                         daemon=True).start()
        server, port = None, lsock.getsockname()[1]
    elif ARGS.mode in ("hangup", "silent"):
        server = await asyncio.start_server(raw_handler, "127.0.0.1", ARGS.port)
    elif ARGS.unix:
        server = await websockets.unix_serve(handler, ARGS.unix, ssl=context(), **kw)
        port = 0
    else:
        server = await websockets.serve(handler, ARGS.bind, ARGS.port,
                                        ssl=context(), **kw)
    await peerlib.serve_until_stdin_closes(server, port)


peerlib.run(main)
