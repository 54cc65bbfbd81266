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
  --drop-late I SECS   connection I (one of the dropped ones) lives SECS
                       seconds after the handshake before it is dropped
  --close-first CODE   send Close CODE on connection 1 right after the
                       handshake (then wait for the client's Close)
  --close-after K      (any connection that is not dropped) send Close
                       1000 "done" after K messages
  --flood N            also send N binary messages of 64 KiB, as fast as
                       the client takes them, in writes of 3 MiB with pongs
                       and Close between them (with --slow-read: a busy
                       server flooding an --echo client and reading its
                       echoes slowly; each pong waits behind megabytes)

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

import socket
import struct
import threading
import time

import peerlib
from peerlib import (OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG,
                     Closed, frame)


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--no-pong", action="store_true")
    p.add_argument("--slow-read", type=int, default=0, metavar="BPS")
    p.add_argument("--no-read", action="store_true")
    p.add_argument("--drop", type=int, default=0, metavar="N")
    p.add_argument("--drop-after", type=int, default=0, metavar="K")
    p.add_argument("--drop-late", nargs=2, type=float, default=(0, 0),
                   metavar=("I", "SECS"))
    p.add_argument("--close-first", type=int, default=0, metavar="CODE")
    p.add_argument("--close-after", type=int, default=0, metavar="K")
    p.add_argument("--flood", type=int, default=0, metavar="N")
    return p.parse_args()


class Writer(threading.Thread):
    """--flood: the one thread that writes, so that control frames go out
    between the flood's messages, and the reader never waits for a flood
    that waits for the client, which waits for the reader."""

    def __init__(self, conn, count):
        super().__init__(daemon=True)
        self.conn, self.left = conn, count
        self.frames, self.cond = [], threading.Condition()
        self.msg = frame(OP_BINARY, b"f" * 65536)

    def put(self, data):
        """Queues a frame; None: send what is queued, then stop."""
        with self.cond:
            self.frames.append(data)
            self.cond.notify()

    def idle(self):
        return self.left == 0 or self.conn.close_sent

    def run(self):
        try:
            while True:
                with self.cond:
                    while not self.frames and self.idle():
                        self.cond.wait()
                    out, self.frames = self.frames, []
                if None in out:
                    self.conn.sock.sendall(b"".join(out[:out.index(None)]))
                    return
                if not out:
                    n = min(self.left, 48)
                    self.left -= n
                    out = [self.msg] * n
                self.conn.sock.sendall(b"".join(out))
        except OSError:
            pass


class Conn(peerlib.Stream):
    """One client: buffered reads, optionally throttled."""

    def __init__(self, sock, args, log, num):
        # --slow-read: small reads, spaced out: BPS bytes per second.
        chunk = max(1024, args.slow_read // 50) if args.slow_read else 65536
        super().__init__(sock, chunk)
        self.args, self.log, self.num = args, log, num
        self.texts = self.nbytes = self.pings = 0
        self.close_sent = False
        self.writer = None

    def send(self, data):
        if self.writer is None:
            super().send(data)
        else:
            self.writer.put(data)

    def flush_writer(self):
        """Sends what the writer holds and stops it."""
        if self.writer is not None:
            self.writer.put(None)
            self.writer.join(10)
            self.writer = None

    def fill(self):
        before = len(self.buf)
        super().fill()
        if self.args.slow_read:
            time.sleep((len(self.buf) - before) / self.args.slow_read)

    def handshake(self):
        _, headers = self.read_head()
        key = peerlib.header(headers, "sec-websocket-key")
        self.send(peerlib.switching_protocols(peerlib.accept_key(key)))

    def send_close(self, code, reason=b""):
        if not self.close_sent:
            self.close_sent = True
            self.send(frame(OP_CLOSE, peerlib.close_payload(code, reason)))


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
    if dropping and c.num == int(a.drop_late[0]):
        time.sleep(a.drop_late[1])
        return "drop"
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
        fin, _, op, _, data = c.read_frame()
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
        if args.flood:
            c.writer = Writer(c, args.flood)
            c.writer.start()
        how = serve(c)
    except (Closed, OSError):
        how = "eof"
    c.flush_writer()
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


def main():
    args = parse_args()
    log = peerlib.Log(args.log)
    # A small receive buffer, inherited by the accepted sockets: little
    # room in the kernel, so the flood really waits in the client.
    slow = args.slow_read or args.no_read
    srv = peerlib.listen(args.port, rcvbuf=16384 if slow else 0)
    peerlib.accept_forever(srv, lambda sock, num: handle(sock, args, log, num))


if __name__ == "__main__":
    peerlib.run(main)
