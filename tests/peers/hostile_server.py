#!/usr/bin/env python3
"""A raw-socket server whose every word is meant to attack the terminal.

It accepts the opening handshake (adding --header lines to its 101, and
permessage-deflate when the client offers it), or answers with --status
LINE and the --header lines instead (then ends the connection); then sends, in this order:
a ping with --ping DATA, each --text MSG, a binary message of
--binary-size N bytes, a text message of --bad-text N bytes that ends in
a byte that is not UTF-8, a compressed text message of
--newline-flood N newlines, and a Close with --close CODE [REASON]. It
then echoes pings' pongs away, answers the client's Close and ends the
connection. DATA, MSG, REASON and the header lines take Python escapes,
decoded to bytes ("\\x1b[2J", "\\xe2\\x80\\xae"), so control characters
and invalid UTF-8 can be sent. Logs `connect`, `sent WHAT`, `close CODE`
and `eof`.
"""

import codecs
import zlib

import peerlib
from peerlib import OP_BINARY, OP_CLOSE, OP_PING, OP_TEXT, close_payload, frame


def unescape(s):
    """The bytes that a string with Python escapes stands for."""
    return codecs.escape_decode(s.encode("utf-8"))[0]


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--header", action="append", default=[],
                   help="an extra header line in the 101 answer")
    p.add_argument("--status", help="answer with this status (e.g. "
                   "'302 Found') instead of 101")
    p.add_argument("--ping", help="send a ping with this payload")
    p.add_argument("--text", action="append", default=[],
                   help="send a text message (repeatable)")
    p.add_argument("--binary-size", type=int, default=0,
                   help="send a binary message of N bytes")
    p.add_argument("--bad-text", type=int, default=0,
                   help="send a text message of N 'x' and a byte that is "
                   "not UTF-8")
    p.add_argument("--newline-flood", type=int, default=0,
                   help="send one compressed text message of N newlines")
    p.add_argument("--close", nargs="+", metavar="CODE [REASON]",
                   help="then send a Close")
    return p.parse_args()


def deflated(data):
    """RFC 7692 section 7.2.1: raw deflate, the final empty block's
    00 00 ff ff taken off."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH)
    return out[:-4]


def answer(c, args, log):
    """The 101, with the extra headers; True when deflate was agreed."""
    _, headers = c.read_head()
    log("connect")
    accept = peerlib.accept_key(peerlib.header(headers, "sec-websocket-key"))
    pmd = "permessage-deflate" in peerlib.header(
        headers, "sec-websocket-extensions")
    extra = b"".join(unescape(h) + b"\r\n" for h in args.header)
    if args.status:
        c.send(b"HTTP/1.1 " + unescape(args.status) + b"\r\n" + extra +
               b"Content-Length: 0\r\n\r\n")
        raise peerlib.Closed()
    if pmd:
        extra += b"Sec-WebSocket-Extensions: permessage-deflate\r\n"
    head = peerlib.switching_protocols(accept).rstrip(b"\r\n") + b"\r\n"
    c.send(head + extra + b"\r\n")
    return pmd


def send_all(c, args, pmd, log):
    """Everything the options ask for, in order."""
    if args.ping is not None:
        c.send(frame(OP_PING, unescape(args.ping)))
        log("sent ping")
    for t in args.text:
        c.send(frame(OP_TEXT, unescape(t)))
        log("sent text")
    if args.binary_size:
        c.send(frame(OP_BINARY, bytes(i % 256 for i in range(args.binary_size))))
        log("sent binary %d" % args.binary_size)
    if args.bad_text:
        c.send(frame(OP_TEXT, b"x" * args.bad_text + b"\xff"))
        log("sent bad text %d" % args.bad_text)
    if args.newline_flood:
        data = b"\n" * args.newline_flood
        if pmd:
            c.send(frame(OP_TEXT, deflated(data), rsv=4))
        else:
            c.send(frame(OP_TEXT, data))
        log("sent flood %d" % args.newline_flood)
    if args.close:
        reason = unescape(args.close[1]) if len(args.close) > 1 else b""
        c.send(frame(OP_CLOSE, close_payload(int(args.close[0]), reason)))
        log("sent close")


def serve(sock, num, args, log):
    c = peerlib.Stream(sock)
    try:
        pmd = answer(c, args, log)
        send_all(c, args, pmd, log)
        while True:
            f = c.read_frame()
            if f.opcode == OP_CLOSE:
                code = int.from_bytes(f.payload[:2], "big") if f.payload else 1005
                log("close %d" % code)
                if not args.close:
                    c.send(frame(OP_CLOSE, f.payload[:2]))
                break
    except peerlib.Closed:
        pass
    log("eof")
    sock.close()


def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    srv = peerlib.listen(args.port)
    peerlib.accept_forever(srv, lambda s, n: serve(s, n, args, log))


if __name__ == "__main__":
    peerlib.run(main)
