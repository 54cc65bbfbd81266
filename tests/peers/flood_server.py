#!/usr/bin/python3
"""A WebSocket server on plain sockets that floods its client and reads as
little as it can, for the tests that wsc's memory stays bounded whatever
the peer does.

It listens on 127.0.0.1 (port 0 by default), prints the chosen port on
stdout as its first line, answers the opening handshake, then sends
--bytes N bytes (default 200 MiB) of one kind of frame:

  --what ping      pings of 125 bytes (each asks for a pong)
  --what message   binary messages of 64 KiB (an --echo client sends each
                   back)
  --what text      short text messages, without end, reading what comes
                   meanwhile, until the client's Close: logged and
                   answered (a client whose output went away must say so)

With ping or message it reads nothing until the socket has taken nothing
for --patience SECS (default 1): a client that keeps reading while its
answers pile up holds them all in its memory. Once that happens (the
client stopped reading, as it should: logged) it reads, but only while
the socket takes nothing, so the flood goes on. After the last byte it sends Close 1000 "done"
and reads (discards) everything until the client closes TCP.

--log FILE gets one line per event, flushed at once:
    connection I            (a client completed the handshake)
    stalled I after BYTES   (the client stopped reading)
    pushed I BYTES read=R   (the flood is out; R bytes were read meanwhile)
    close CODE              (--what text: the client's Close)
    eof I                   (connection I ended)

It exits when its stdin reaches end of file or on SIGTERM.
"""

import select
import struct

import peerlib
from peerlib import OP_BINARY, OP_CLOSE, OP_PING, OP_TEXT, Closed, frame


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--what", choices=("ping", "message", "text"),
                   default="ping")
    p.add_argument("--bytes", type=int, default=200 << 20, metavar="N")
    p.add_argument("--patience", type=float, default=1.0, metavar="SECS")
    return p.parse_args()


def block_of(what):
    """About 1 MiB of whole frames of the kind asked for."""
    if what == "ping":
        one = frame(OP_PING, b"p" * 125)
    else:
        one = frame(OP_BINARY, b"m" * 65536)
    return one * max(1, (1 << 20) // len(one))


def flood(sock, block, total, patience, log, num):
    """Sends at least total bytes of whole blocks; returns the bytes sent
    and read. Nothing is read until the socket has taken nothing for
    patience seconds (the client stopped reading: logged), then only
    while it takes nothing."""
    view, off, sent, nread, stalled = memoryview(block), 0, 0, 0, False
    sock.setblocking(False)
    while sent < total or off != 0:
        rset = [sock] if stalled else []
        readable, writable, _ = select.select(rset, [sock], [],
                                              None if stalled else patience)
        if writable:
            try:
                n = sock.send(view[off:])
            except BlockingIOError:
                continue
            off, sent = (off + n) % len(block), sent + n
        elif readable:
            data = sock.recv(65536)
            if not data:
                raise Closed()
            nread += len(data)
        else:
            stalled = True
            log("stalled %d after %d" % (num, sent))
    sock.setblocking(True)
    return sent, nread


def close_code(buf):
    """The code of the client's Close if buf (what the client sent) holds
    one, else None; other frames are skipped."""
    while len(buf) >= 6:
        op, n = buf[0] & 15, buf[1] & 127
        if n > 125 or len(buf) < 6 + n:
            return None  # wsc sends nothing but control frames here
        payload = peerlib.xor_mask(buf[6:6 + n], buf[2:6])
        if op == OP_CLOSE:
            return struct.unpack("!H", payload[:2])[0] if n >= 2 else 1005
        buf = buf[6 + n:]
    return None


def flood_until_close(sock, log):
    """Sends text messages until the client's Close comes, then answers
    it (after finishing the frame being sent); the caller then closes TCP
    first, as a server does (RFC 6455 section 7.1.1)."""
    block = frame(OP_TEXT, b"flood") * 20000
    view, off, got = memoryview(block), 0, b""
    sock.setblocking(False)
    while True:
        readable, writable, _ = select.select([sock], [sock], [])
        if readable:
            data = sock.recv(65536)
            if not data:
                raise Closed()
            got += data
            code = close_code(got)
            if code is not None:
                break
        if writable:
            try:
                off = (off + sock.send(view[off:])) % len(block)
            except BlockingIOError:
                pass
    sock.setblocking(True)
    log("close %d" % code)
    sock.sendall(view[off:] if off else b"")
    sock.sendall(frame(OP_CLOSE, peerlib.close_payload(code)))


def handle(sock, args, log, num):
    c = peerlib.Stream(sock)
    try:
        _, headers = c.read_head()
        key = peerlib.header(headers, "sec-websocket-key")
        c.send(peerlib.switching_protocols(peerlib.accept_key(key)))
        log("connection %d" % num)
        if args.what == "text":
            flood_until_close(sock, log)
        else:
            sent, nread = flood(sock, block_of(args.what), args.bytes,
                                args.patience, log, num)
            log("pushed %d %d read=%d" % (num, sent, nread))
            c.send(frame(OP_CLOSE, peerlib.close_payload(1000, b"done")))
            while sock.recv(65536):
                pass
    except (Closed, OSError):
        pass
    sock.close()
    log("eof %d" % num)


def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    srv = peerlib.listen(args.port)
    peerlib.accept_forever(srv, lambda sock, num: handle(sock, args, log, num))


if __name__ == "__main__":
    peerlib.run(main)
