#!/usr/bin/python3
"""A misbehaving WebSocket server on plain sockets, for wsc's error paths.

It listens on 127.0.0.1 (port 0 by default), prints the chosen port on
stdout as its first line, and serves every connection with the --scenario
given (see SCENARIOS below). No WebSocket library is used: every byte on
the wire is the one written here, so broken servers can be imitated.

--log FILE gets one line per event:
    request GET /path HTTP/1.1
    header Name: value                  (each request header, in order)
    frame OPCODE len=N masked=1 payload=HEX [fin=0] [rsv=N]
                                        (each frame the client sent)
    close CODE REASON                   (a client Close; 1005 when empty)
    pong TEXT                           (a client Pong)
    eof                                 (the client closed TCP)
    hangup                              (we closed TCP: scenario hangup)
    timeout                             (the client did neither in time)

After sending something that breaks the protocol, the server keeps reading
what the client sends (answering its Close) until EOF or 5 s.
It exits when its stdin reaches end of file or on SIGTERM.
"""

import base64
import struct
import time

import peerlib
from peerlib import (OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG,
                     Closed, close_payload, frame, switching_protocols)

OPNAMES = {OP_CONT: "CONT", OP_TEXT: "TEXT", OP_BINARY: "BINARY",
           OP_CLOSE: "CLOSE", OP_PING: "PING", OP_PONG: "PONG"}

# name: (number of optional arguments, what it does)
SCENARIOS = {
    "echo": (0, "a correct minimal echo server"),
    "status401": (0, "answer HTTP 401 Unauthorized"),
    "redirect302": (0, "answer 302 to /redirected, which echoes"),
    "garbage": (0, "answer SSH-2.0-OpenSSH"),
    "binary-garbage": (0, "answer binary bytes"),
    "hangup": (0, "read the request, close without answering"),
    "hang": (0, "read the request, never answer"),
    "huge-headers": (0, "101 with 100 KiB of headers"),
    "bad-accept": (0, "101 with a wrong Sec-WebSocket-Accept"),
    "no-upgrade": (0, "101 without the Upgrade header"),
    "unoffered-protocol": (0, "101 choosing a subprotocol not offered"),
    "unoffered-extension": (0, "101 with an extension not offered"),
    "frames-with-101": (0, "101 and a text frame 'early' in one send()"),
    "masked-frame": (0, "send a masked frame"),
    "rsv-bits": (1, "send a frame with RSV bit N set (default 1)"),
    "reserved-opcode": (1, "send a frame with opcode N (default 3)"),
    "big-control": (0, "send a ping of 126 bytes"),
    "fragmented-close": (0, "send a Close with FIN=0"),
    "fragmented-ping": (0, "send a ping with FIN=0"),
    "bad-utf8": (0, "send a text frame with invalid UTF-8"),
    "bad-utf8-split": (0, "invalid UTF-8 split across two fragments"),
    "close-invalid-code": (1, "send a Close with code N (default 999)"),
    "close-1byte": (0, "send a Close with a 1-byte payload"),
    "close-bad-reason": (0, "send a Close 1000 with a non-UTF-8 reason"),
    "close-1011": (0, "send a Close 1011"),
    "drop": (0, "send a text message, then close TCP without Close"),
    "ping": (1, "send a ping 'hello' (or the bytes of HEX), log the pong, "
             "then echo"),
    "fragmented": (0, "a text message in 3 fragments, a ping between"),
    "big-message": (1, "send a binary message of N bytes (default 65536)"),
    "big-bad-text": (1, "send a text message of N bytes (default 300000) "
                     "whose last byte is not UTF-8"),
    "no-close-reply": (0, "never answer the client's Close"),
    "late-close-reply": (1, "answer the client's Close after N s unless "
                         "it hangs up first (logs eof or timeout)"),
    "refused-body": (0, "503 with explaining headers and a 700-byte body "
                     "with control characters"),
    "refused-slow-body": (0, "403 announcing 100 body bytes, sending 10 and "
                          "keeping the connection open"),
    "close-1009": (0, "send a Close 1009 'too big' after the handshake"),
    "burst": (1, "send text messages m1..mN (default 5) with the 101, in "
              "one send(), then echo"),
    "refused-utf8": (0, "401 whose WWW-Authenticate and body hold UTF-8, "
                     "a C1 control, a BIDI override and a stray byte"),
}

# Sent, in the same send(), before each protocol violation: a strict
# client delivers it before failing the connection.
BEFORE = b"before"


def parse_args():
    p = peerlib.arg_parser(__doc__, epilog="scenarios: " + ", ".join(SCENARIOS))
    p.add_argument("--scenario", nargs="+", default=["echo"],
                   metavar=("NAME", "ARG"))
    a = p.parse_args()
    name = a.scenario[0]
    if name not in SCENARIOS:
        p.error("unknown scenario %r" % name)
    if len(a.scenario) - 1 > SCENARIOS[name][0]:
        p.error("too many arguments for scenario %s" % name)
    return a


class Conn(peerlib.Stream):
    """A client connection: buffered reads with a deadline, logged."""

    def __init__(self, sock, log, port):
        super().__init__(sock)
        self.log = log
        self.port = port
        self.deadline = time.monotonic() + 30
        self.close_sent = False

    def fill(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError()
        self.sock.settimeout(left)
        super().fill()

    def read_head(self):
        """Reads and logs the request head; returns (path, headers)."""
        request, headers = super().read_head()
        self.log("request " + request)
        for name, value in headers:
            self.log("header %s: %s" % (name, value))
        parts = request.split(" ")
        return (parts[1] if len(parts) > 1 else "/"), headers

    def read_frame(self):
        """Reads and logs one client frame; returns it (a peerlib.Frame)."""
        f = super().read_frame()
        fin, rsv, opcode, masked, data = f
        extra = (" fin=0" if not fin else "") + (" rsv=%d" % rsv if rsv else "")
        self.log("frame %s len=%d masked=%d payload=%s%s" % (
            OPNAMES.get(opcode, str(opcode)), len(data), masked, data.hex(), extra))
        if opcode == OP_CLOSE:
            if len(data) >= 2:
                code = struct.unpack("!H", data[:2])[0]
                reason = data[2:].decode("utf-8", "replace")
                self.log(("close %d %s" % (code, reason)).rstrip())
            else:
                self.log("close 1005")
        elif opcode == OP_PONG:
            self.log(("pong " + data.decode("utf-8", "replace")).rstrip())
        return f

    def send_close(self, payload):
        if not self.close_sent:
            self.close_sent = True
            self.send(frame(OP_CLOSE, payload))

    def wait_eof(self, seconds):
        """Reads (and logs frames) until the client closes TCP or time is
        up; True when the client closed."""
        self.deadline = time.monotonic() + seconds
        try:
            while True:
                self.read_frame()
        except Closed:
            self.log("eof")
            return True
        except (TimeoutError, OSError):
            self.log("timeout")
        return False

    def serve(self, seconds, answer_close=True, echo=True, close_after=0):
        """The frame loop: echoes messages, answers pings and the client's
        Close (then closes TCP; close_after: only after waiting that long
        for the client to hang up), logs everything, for at most seconds."""
        self.deadline = time.monotonic() + seconds
        msg_op, msg = None, b""
        try:
            while True:
                fin, _, op, _, data = self.read_frame()
                if op == OP_PING:
                    self.send(frame(OP_PONG, data))
                elif op == OP_CLOSE:
                    if not answer_close:
                        continue
                    if close_after and self.wait_eof(close_after):
                        return
                    self.send_close(data[:2])
                    self.shutdown()
                    self.wait_eof(5)
                    return
                elif op in (OP_TEXT, OP_BINARY, OP_CONT):
                    if op != OP_CONT:
                        msg_op, msg = op, b""
                    msg += data
                    if fin and echo and msg_op is not None:
                        self.send(frame(msg_op, msg))
                        msg_op, msg = None, b""
        except Closed:
            self.log("eof")
        except (TimeoutError, OSError):
            self.log("timeout")


def http_response(status, extra=""):
    return ("HTTP/1.1 %s\r\nContent-Length: 0\r\n%s\r\n" % (status, extra)).encode()


def handshake_phase(c, name, accept):
    """Scenarios that break the opening handshake. Returns True if handled."""
    if name == "status401":
        c.send(http_response("401 Unauthorized",
                             'WWW-Authenticate: Basic realm="wsc"\r\n'))
    elif name == "redirect302":
        c.send(http_response("302 Found",
                             "Location: ws://127.0.0.1:%d/redirected\r\n" % c.port))
    elif name == "garbage":
        # then stay: the client must fail on the answer, not on a hang-up
        c.send(b"SSH-2.0-OpenSSH\r\n")
        c.wait_eof(60)
    elif name == "binary-garbage":
        c.send(bytes([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1,
                      0x00, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x0d, 0x0a]))
    elif name == "refused-body":
        body = (b"<h1>Down</h1>\r\nback \x1b[31msoon\x1b[0m\tok\r\n"
                + b"z" * 700)[:700]
        c.send(b"HTTP/1.1 503 Service Unavailable\r\n"
               b"Retry-After: 120\r\nContent-Type: text/html\r\n"
               b"X-Not-Shown: 1\r\nSec-WebSocket-Version: 13\r\n"
               b"Content-Length: 700\r\n\r\n" + body)
    elif name == "refused-utf8":
        body = "café \u009b2J \u202eevil\n".encode() + b"\xff!"
        c.send(b"HTTP/1.1 401 Unauthorized\r\n"
               + "WWW-Authenticate: Basic realm=\"Zürich\"\r\n".encode()
               + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    elif name == "refused-slow-body":
        c.send(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 100\r\n\r\n"
               b"0123456789")
    elif name == "hangup":
        pass
    elif name == "hang":
        c.wait_eof(30)
        return True
    elif name == "huge-headers":
        filler = "".join("X-Filler-%03d: %s\r\n" % (i, "x" * 1000)
                         for i in range(100))
        c.send(switching_protocols(accept, filler))
    elif name == "bad-accept":
        c.send(switching_protocols(base64.b64encode(b"\0" * 20).decode()))
    elif name == "no-upgrade":
        c.send(("HTTP/1.1 101 Switching Protocols\r\n"
                "Connection: Upgrade\r\n"
                "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
    elif name == "unoffered-protocol":
        c.send(switching_protocols(accept, "Sec-WebSocket-Protocol: bogus\r\n"))
    elif name == "unoffered-extension":
        c.send(switching_protocols(accept, "Sec-WebSocket-Extensions: x-bogus\r\n"))
    else:
        return False
    if name == "hangup":
        c.sock.close()
        c.log("hangup")
        return True
    c.wait_eof(5)
    return True


def text_before(payload_frame):
    return frame(OP_TEXT, BEFORE) + payload_frame


def violation(name, arg):
    """The bytes of a protocol-violation scenario, or None."""
    if name == "masked-frame":
        return text_before(frame(OP_TEXT, b"masked", mask=b"\x12\x34\x56\x78"))
    if name == "rsv-bits":
        bit = int(arg) if arg else 1
        return text_before(frame(OP_TEXT, b"rsv", rsv=1 << (3 - bit)))
    if name == "reserved-opcode":
        return text_before(frame(int(arg) if arg else 3, b"op"))
    if name == "big-control":
        return text_before(frame(OP_PING, b"p" * 126))
    if name == "fragmented-close":
        return text_before(frame(OP_CLOSE, close_payload(1000), fin=False))
    if name == "fragmented-ping":
        return text_before(frame(OP_PING, b"hi", fin=False))
    if name == "bad-utf8":
        return text_before(frame(OP_TEXT, "κόσμε".encode() + b"\xed\xa0\x80edited"))
    if name == "bad-utf8-split":
        # \xed opens a 3-byte sequence, \xa0 after it would be a UTF-16
        # surrogate: invalid only once the second fragment arrives. No
        # final fragment follows, so only a fail-fast check catches it.
        return text_before(frame(OP_TEXT, "κόσμε".encode() + b"\xed", fin=False)
                           + frame(OP_CONT, b"\xa0\x80edited", fin=False))
    if name == "close-invalid-code":
        return text_before(frame(OP_CLOSE, close_payload(int(arg) if arg else 999)))
    if name == "close-1byte":
        return text_before(frame(OP_CLOSE, b"\x03"))
    if name == "close-bad-reason":
        return text_before(frame(OP_CLOSE, close_payload(1000, b"bad\xff\xfe")))
    return None


def handle(sock, args, log, port):
    c = Conn(sock, log, port)
    name = args.scenario[0]
    arg = args.scenario[1] if len(args.scenario) > 1 else None
    try:
        path, headers = c.read_head()
    except (Closed, TimeoutError, OSError):
        log("eof")
        sock.close()
        return
    accept = peerlib.accept_key(peerlib.header(headers, "sec-websocket-key"))
    if name == "redirect302" and path.startswith("/redirected"):
        name = "echo"
    if handshake_phase(c, name, accept):
        sock.close()
        return
    hs = switching_protocols(accept)
    bad = violation(name, arg)
    if bad is not None:
        if name.startswith("close-"):
            c.close_sent = True
        c.send(hs + bad)
        c.serve(5)
    elif name == "frames-with-101":
        c.send(hs + frame(OP_TEXT, b"early"))
        c.serve(30)
    elif name == "burst":
        c.send(hs + b"".join(frame(OP_TEXT, b"m%d" % i)
                             for i in range(1, (int(arg) if arg else 5) + 1)))
        c.serve(30)
    elif name in ("close-1011", "close-1009"):
        c.send(hs)
        c.send_close(close_payload(1011, b"internal error")
                     if name == "close-1011" else
                     close_payload(1009, b"too big"))
        c.serve(5)
    elif name == "drop":
        c.send(hs + frame(OP_TEXT, b"bye-bye"))
        c.shutdown()
        c.wait_eof(5)
    elif name == "ping":
        c.send(hs + frame(OP_PING, bytes.fromhex(arg) if arg else b"hello"))
        c.serve(30)
    elif name == "fragmented":
        c.send(hs)
        c.send(frame(OP_TEXT, b"frag1-", fin=False)
               + frame(OP_PING, b"between")
               + frame(OP_CONT, b"frag2-", fin=False)
               + frame(OP_CONT, b"frag3"))
        c.serve(30)
    elif name == "big-message":
        n = int(arg) if arg else 65536
        c.send(hs + frame(OP_BINARY, bytes(i % 256 for i in range(n))))
        c.serve(10)
    elif name == "big-bad-text":
        n = int(arg) if arg else 300000
        c.send(hs + frame(OP_TEXT, b"x" * (n - 1) + b"\xff"))
        c.serve(10)
    elif name == "no-close-reply":
        c.send(hs)
        c.serve(30, answer_close=False)
    elif name == "late-close-reply":
        c.send(hs)
        c.serve(30, close_after=float(arg))
    else:
        c.send(hs)
        c.serve(30)
    sock.close()


def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    srv = peerlib.listen(args.port)
    port = srv.getsockname()[1]
    peerlib.accept_forever(srv, lambda sock, _: handle(sock, args, log, port))


if __name__ == "__main__":
    peerlib.run(main)
