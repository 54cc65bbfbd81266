#!/usr/bin/python3
"""A WebSocket server on plain sockets that misbehaves over a session's
lifetime, for wsc's heartbeat and reconnect tests.

It listens on 127.0.0.1 (port 0 by default), prints the chosen port on
stdout as its first line, and numbers its connections from 1. Every
connection gets the opening handshake answered, then the behaviour the
options ask for:

  --no-pong            never answer pings (the peer looks dead)
  --slow-read BPS      read at most BPS bytes per second, through a small
                       receive buffer, answering pings when it reaches them
                       (a server slowed down behind a flood)
  --no-read            after the handshake, read nothing more (a stuck
                       server: once its small receive buffer is full, the
                       client's data, pings included, goes nowhere)
  --drop N             close TCP without a Close frame on connections
                       1..N, after --drop-after K messages (default 0:
                       right after the handshake)
  --close-first CODE   send Close CODE on connection 1 right after the
                       handshake (then wait for the client's Close)
  --close-after K      (any connection that is not dropped) send Close
                       1000 "done" after K messages

Otherwise it echoes nothing and answers pings and the client's Close.

--log FILE gets one line per event, flushed at once:
    connection I            (a client completed the handshake)
    text MESSAGE            (every text message, on any connection)
    binary HEX
    ping DATA               (every ping received)
    close CODE REASON       (the client's Close)
    dropped I               (we closed connection I without a Close)
    eof I                   (connection I ended)
    stats I texts=N bytes=M pings=P   (at the end of each connection)

It exits when its stdin reaches end of file or on SIGTERM.
"""

import argparse
import base64
import hashlib
import os
import socket
import struct
import sys
import threading
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    p.add_argument("--no-pong", action="store_true")
    p.add_argument("--slow-read", type=int, default=0, metavar="BPS")
    p.add_argument("--no-read", action="store_true")
    p.add_argument("--drop", type=int, default=0, metavar="N")
    p.add_argument("--drop-after", type=int, default=0, metavar="K")
    p.add_argument("--close-first", type=int, default=0, metavar="CODE")
    p.add_argument("--close-after", type=int, default=0, metavar="K")
    return p.parse_args()


class Log:
    """One line per event, flushed at once so tests can poll the file."""

    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8", errors="surrogateescape") \
            if path else None
        self.lock = threading.Lock()

    def __call__(self, line):
        if self.f:
            with self.lock:
                self.f.write(line + "\n")
                self.f.flush()


def frame(opcode, payload=b""):
    """An unmasked server frame (RFC 6455 section 5.2)."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


class Closed(Exception):
    """The client closed TCP."""


class Conn:
    """One client: buffered reads, optionally throttled."""

    def __init__(self, sock, args, log, num):
        self.sock, self.args, self.log, self.num = sock, args, log, num
        self.buf = b""
        self.texts = self.nbytes = self.pings = 0
        self.close_sent = False
        self.chunk = 65536
        if args.slow_read:
            # Small reads, spaced out: BPS bytes per second.
            self.chunk = max(1024, args.slow_read // 50)

    def fill(self):
        try:
            data = self.sock.recv(self.chunk)
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data:
            raise Closed()
        if self.args.slow_read:
            time.sleep(len(data) / self.args.slow_read)
        self.buf += data

    def take(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def handshake(self):
        while b"\r\n\r\n" not in self.buf:
            self.fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        key = ""
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "sec-websocket-key":
                key = value.strip()
        accept = base64.b64encode(
            hashlib.sha1(key.encode() + GUID).digest()).decode()
        self.send(("HTTP/1.1 101 Switching Protocols\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())

    def read_frame(self):
        b0, b1 = self.take(2)
        opcode, n = b0 & 15, b1 & 127
        if n == 126:
            n = struct.unpack("!H", self.take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.take(8))[0]
        key = self.take(4) if b1 & 0x80 else b"\0\0\0\0"
        data = self.take(n)
        data = bytes(c ^ key[i % 4] for i, c in enumerate(data)) \
            if n < 4096 else unmask(data, key)
        return b0 >> 7, opcode, data

    def send_close(self, code, reason=b""):
        if not self.close_sent:
            self.close_sent = True
            self.send(frame(OP_CLOSE, struct.pack("!H", code) + reason))

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            pass


def unmask(data, key):
    """Fast unmasking of a long payload."""
    k = (key * ((len(data) + 3) // 4))[:len(data)]
    return (int.from_bytes(data, "big") ^
            int.from_bytes(k, "big")).to_bytes(len(data), "big")


def on_message(c, op, msg):
    c.texts += 1
    c.nbytes += len(msg)
    if op == OP_TEXT:
        # Long floods are counted, not logged line by line.
        if len(msg) <= 200 and not c.args.slow_read:
            c.log("text " + msg.decode("utf-8", "replace"))
    elif not c.args.slow_read:
        c.log("binary " + msg.hex())


def serve(c):
    """The frame loop; returns how the connection should end."""
    a = c.args
    dropping = c.num <= a.drop
    if dropping and a.drop_after == 0:
        return "drop"
    if a.no_read:
        c.log("stuck %d" % c.num)
        time.sleep(30)
        return "drop"
    if c.num == 1 and a.close_first:
        c.send_close(a.close_first, b"bye")
    msg_op, msg = None, b""
    while True:
        fin, op, data = c.read_frame()
        if op == OP_PING:
            c.pings += 1
            c.log("ping " + data.decode("utf-8", "replace"))
            if not a.no_pong:
                c.send(frame(OP_PONG, data))
        elif op == OP_CLOSE:
            code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
            c.log(("close %d %s" % (code, data[2:].decode("utf-8",
                                                          "replace"))).rstrip())
            if len(data) >= 2:
                c.send_close(code)
            elif not c.close_sent:
                c.close_sent = True
                c.send(frame(OP_CLOSE))
            return "closed"
        elif op in (OP_TEXT, OP_BINARY, OP_CONT):
            if op != OP_CONT:
                msg_op, msg = op, b""
            msg += data
            if fin:
                on_message(c, msg_op, msg)
                if dropping and c.texts >= a.drop_after:
                    return "drop"
                if not dropping and a.close_after and \
                        c.texts >= a.close_after:
                    c.send_close(1000, b"done")


def handle(sock, args, log, num):
    c = Conn(sock, args, log, num)
    try:
        c.handshake()
        log("connection %d" % num)
        how = serve(c)
    except (Closed, OSError):
        how = "eof"
    if how == "drop":
        # No Close frame: the client sees an abnormal end (1006).
        sock.close()
        log("dropped %d" % num)
    else:
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(2)
            while sock.recv(65536):
                pass
        except OSError:
            pass
        sock.close()
    log("stats %d texts=%d bytes=%d pings=%d" % (num, c.texts, c.nbytes,
                                                 c.pings))
    log("eof %d" % num)


def watch_stdin():
    """Ends the server when stdin closes (the test script went away)."""
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os._exit(0)


def main():
    args = parse_args()
    log = Log(args.log)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if args.slow_read or args.no_read:
        # Accepted sockets inherit it: little room in the kernel, so the
        # flood really waits in the client.
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(16)
    sys.stdout.write("%d\n" % srv.getsockname()[1])
    sys.stdout.flush()
    threading.Thread(target=watch_stdin, daemon=True).start()
    num = 0
    while True:
        sock, _ = srv.accept()
        num += 1
        threading.Thread(target=handle, args=(sock, args, log, num),
                         daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
