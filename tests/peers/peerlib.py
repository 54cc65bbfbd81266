"""What the test peers in tests/peers have in common.

Every peer prints its port as its first line on stdout, appends one line
per event to --log FILE, and exits when its stdin reaches end of file (the
test script holds the other end of a FIFO; when the script goes away, so
do its peers) or on SIGTERM. These helpers do that once, for the asyncio
peers (python3-websockets) and for the threaded raw-socket ones, and give
the raw-socket peers (which write every byte themselves) one copy of the
RFC 6455 pieces: Sec-WebSocket-Accept, frame encoding, a buffered reader
of request heads and frames. Only the standard library is used here.

The peers run as scripts from this directory, so `import peerlib` finds
this file (sys.path[0] is the script's directory).
"""

import argparse
import asyncio
import base64
import collections
import hashlib
import os
import socket
import struct
import sys
import threading

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA


def arg_parser(doc, **kw):
    """An ArgumentParser with a server peer's --port and --log; its
    description is the first line of doc (the peer's __doc__)."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0], **kw)
    p.add_argument("--port", type=int, default=0,
                   help="port on 127.0.0.1 (default 0: a free one)")
    p.add_argument("--log", help="append one line per event to this file")
    return p


class Log:
    """One line per event, flushed at once so tests can poll the file;
    does nothing without a path. Safe to call from several threads."""

    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8", errors="surrogateescape") \
            if path else None
        self.lock = threading.Lock()

    def __call__(self, line):
        if self.f:
            with self.lock:
                self.f.write(line + "\n")
                self.f.flush()

    def message(self, msg):
        """A python3-websockets message: `text MSG` or `binary HEX`."""
        if isinstance(msg, bytes):
            self("binary " + msg.hex())
        else:
            self("text " + msg)

    def closed(self, ws):
        """How a python3-websockets connection ended: `close CODE REASON`
        (1006 when no Close frame arrived)."""
        self(("close %s %s" % (ws.close_code, ws.close_reason or "")).rstrip())


def print_port(port):
    """The first line on stdout, which tests/setup's start_peer waits for."""
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()


def _on_stdin_eof(then):
    """Calls then() in a daemon thread once stdin reaches end of file."""
    def watch():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        then()
    threading.Thread(target=watch, daemon=True).start()


async def serve_until_stdin_closes(server, port=None):
    """Prints the port (by default the asyncio server's), waits until
    stdin closes (the test script went away), then closes server (if
    any)."""
    if port is None:
        port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    print_port(port)
    _on_stdin_eof(lambda: loop.call_soon_threadsafe(stop.set_result, None))
    await stop
    if server is not None:
        server.close()


def listen(port, rcvbuf=0):
    """A TCP socket listening on 127.0.0.1:port; rcvbuf, when not 0, is
    the receive buffer size that accepted sockets inherit."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    return srv


def accept_forever(srv, handle):
    """Prints srv's port, then runs handle(sock, num) in a thread per
    connection (num counts from 1); the process exits when stdin closes."""
    print_port(srv.getsockname()[1])
    _on_stdin_eof(lambda: os._exit(0))
    num = 0
    while True:
        sock, _ = srv.accept()
        num += 1
        threading.Thread(target=handle, args=(sock, num), daemon=True).start()


def accept_key(key):
    """The Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455
    section 4.2.2), both str."""
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


def switching_protocols(accept, extra=""):
    """A 101 answer with that Sec-WebSocket-Accept and the extra header
    lines (each ending in CRLF), as bytes."""
    return ("HTTP/1.1 101 Switching Protocols\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Accept: %s\r\n%s\r\n" % (accept, extra)).encode()


def parse_head(head):
    """An HTTP head (bytes, without its blank line): its first line and
    its [(name, value)] headers, in order, as sent."""
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return lines[0], headers


def header(headers, name):
    """The value of the last header called name (any case), or ""."""
    value = ""
    for n, v in headers:
        if n.lower() == name.lower():
            value = v
    return value


def xor_mask(data, key):
    """RFC 6455 section 5.3 masking (and unmasking), a whole buffer at a
    time."""
    n = len(data)
    k = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(k, "big")).to_bytes(n, "big")


def frame(op, payload=b"", fin=True, rsv=0, mask=None, lenform=None):
    """One frame as bytes (RFC 6455 section 5.2), masked with the 4 bytes
    mask if given; lenform 7/16/64 forces a length encoding."""
    n = len(payload)
    if lenform is None:
        lenform = 7 if n < 126 else 16 if n < 65536 else 64
    b0 = (0x80 if fin else 0) | (rsv << 4) | op
    mb = 0x80 if mask is not None else 0
    if lenform == 7:
        head = struct.pack("!BB", b0, mb | n)
    elif lenform == 16:
        head = struct.pack("!BBH", b0, mb | 126, n)
    else:
        head = struct.pack("!BBQ", b0, mb | 127, n)
    if mask is not None:
        return head + mask + xor_mask(payload, mask)
    return head + payload


def close_payload(code=None, reason=b""):
    """A Close frame's payload: code and reason, or empty without code."""
    if code is None:
        return b""
    return struct.pack("!H", code) + reason


class Closed(Exception):
    """The other side closed TCP ("reset" when it reset it)."""


Frame = collections.namedtuple("Frame", "fin rsv opcode masked payload")


class Stream:
    """Buffered blocking reads from a socket: exact byte counts, an HTTP
    head, whole frames. Subclasses override fill() to add a deadline or a
    throttle."""

    def __init__(self, sock, chunk=65536):
        self.sock = sock
        self.chunk = chunk
        self.buf = b""

    def fill(self):
        """Reads what has come (at most chunk bytes); Closed at the end."""
        try:
            data = self.sock.recv(self.chunk)
        except ConnectionResetError:
            raise Closed("reset")
        except BrokenPipeError:
            data = b""
        if not data:
            raise Closed()
        self.buf += data

    def take(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_head(self):
        """The HTTP head: (first line, [(name, value)]), see parse_head();
        Closed when 64 KiB came without its end."""
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > 65536:
                raise Closed()
            self.fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        return parse_head(head)

    def read_frame(self):
        """The next frame, unmasked: a Frame."""
        b0, b1 = self.take(2)
        masked, n = b1 >> 7, b1 & 127
        if n == 126:
            n = struct.unpack("!H", self.take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.take(8))[0]
        key = self.take(4) if masked else b"\0\0\0\0"
        payload = xor_mask(self.take(n), key)
        return Frame(b0 >> 7, (b0 >> 4) & 7, b0 & 15, masked, payload)

    def send(self, data):
        """Writes all of data; a peer that went away is not an error here."""
        try:
            self.sock.sendall(data)
        except OSError:
            pass

    def shutdown(self):
        """Ends our direction of TCP: the other side reads end of file."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def run(main):
    """Runs main (under asyncio when it is a coroutine function); Ctrl-C
    ends it quietly."""
    try:
        if asyncio.iscoroutinefunction(main):
            asyncio.run(main())
        else:
            main()
    except KeyboardInterrupt:
        pass
