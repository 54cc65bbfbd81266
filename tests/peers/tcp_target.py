#!/usr/bin/python3
"""A plain stream-socket peer: the TCP (or Unix) target wsc -l --forward
bridges WebSocket clients to.

--mode echo (default): sends back every byte it reads; when the client
shuts its write half, logs "eof NUM BYTES SHA256" (NUM counts
connections from 1; what it read) and closes once it has echoed it all;
with --bytes N, it closes after echoing N bytes (logs "done NUM N SHA256").
--mode source N: sends N pseudo-random bytes (--seed), logs
"sent NUM N SHA256" and closes. --mode reset: reads a byte, then resets
the connection (RST; logs "reset NUM"). --mode full: accepts nothing, its
queue full, so that a connect to it never finishes. --mode sink: reads until end of file,
--stall S seconds first (a slow reader), then logs "eof NUM BYTES SHA256";
with --slow N --go FIFO it reads its first N bytes slowly (64 KiB, then
2 ms), logs "half NUM" and waits for a line on FIFO (the test looks at
memory meanwhile), then reads the rest at full speed. --mode linger:
reads until end of file as sink does, then writes a byte every 0.2 s
until a write fails: logs "closed NUM SECONDS" (from its end of file to
the failure; the peer had shut down its write half only, until it closed
the socket), or "open NUM" after 15 s.
Every connection logs "conn NUM" first. --unix PATH: listen on a Unix
socket instead (the port printed is 0). --rcvbuf N: a small receive
buffer, so that little waits in the kernel. Only the standard library.
"""

import hashlib
import os
import random
import socket
import struct
import threading
import time

import peerlib


def parse_args():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--mode", default="echo",
                   choices=["echo", "source", "sink", "reset", "full",
                            "linger"])
    p.add_argument("--bytes", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--stall", type=float, default=0)
    p.add_argument("--unix")
    p.add_argument("--rcvbuf", type=int, default=0)
    p.add_argument("--slow", type=int, default=0)
    p.add_argument("--go")
    return p.parse_args()


def read_slowly(sock, num, log, h, slow, go):
    """Reads slow bytes (fewer at end of file) in small steps into h, logs
    "half NUM" and waits for a line on the FIFO go. Returns the count."""
    n = 0
    while n < slow:
        d = sock.recv(min(65536, slow - n))
        if not d:
            break
        h.update(d)
        n += len(d)
        time.sleep(0.002)
    log("half %d" % num)
    with open(go) as f:
        f.readline()
    return n


def read_all(sock, num, log, echo, upto=0, slow=0, go=None):
    """Reads until EOF (echoing when asked), or until upto bytes (when not
    0); logs the eof line. With slow and go, the first slow bytes are read
    slowly, then the FIFO go is waited on (read_slowly)."""
    h = hashlib.sha256()
    n = read_slowly(sock, num, log, h, slow, go) if go else 0
    while not upto or n < upto:
        d = sock.recv(65536 if not upto else min(65536, upto - n))
        if not d:
            break
        h.update(d)
        n += len(d)
        if echo:
            sock.sendall(d)
    log("%s %d %d %s" % ("eof" if not upto or n < upto else "done", num, n,
                         h.hexdigest()))


def write_until_closed(sock, num, log):
    """After end of file: a byte every 0.2 s until a write fails; logs
    how long the peer let the connection stay (see --mode linger)."""
    start = time.monotonic()
    while time.monotonic() - start < 15:
        time.sleep(0.2)
        try:
            sock.send(b"x")
        except OSError:
            log("closed %d %.1f" % (num, time.monotonic() - start))
            return
    log("open %d" % num)


def main():
    a = parse_args()
    log = peerlib.Log(a.log)
    if a.unix:
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(a.unix)
        srv.listen(64)
    else:
        srv = peerlib.listen(a.port, a.rcvbuf)
        srv.listen(128)
    if a.mode == "full":
        # The accept queue holds one connection (backlog 0), which this
        # one takes: the kernel drops the next one's SYN, and its
        # connect stays in progress.
        srv.listen(0)
        held = socket.create_connection(srv.getsockname())
        peerlib.print_port(srv.getsockname()[1])
        peerlib._on_stdin_eof(lambda: os._exit(0))
        del held
        while True:
            time.sleep(3600)

    def handle(sock, num):
        log("conn %d" % num)
        try:
            if a.mode == "reset":
                sock.recv(1)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                struct.pack("ii", 1, 0))
                log("reset %d" % num)
            elif a.mode == "source":
                data = random.Random(a.seed).randbytes(a.bytes)
                sock.sendall(data)
                log("sent %d %d %s" % (num, len(data),
                                       hashlib.sha256(data).hexdigest()))
            else:
                if a.stall:
                    time.sleep(a.stall)
                read_all(sock, num, log, a.mode == "echo",
                         a.bytes if a.mode == "echo" else 0, a.slow, a.go)
                if a.mode == "linger":
                    write_until_closed(sock, num, log)
        except OSError as e:
            log("error %d %s" % (num, e))
        sock.close()

    if a.unix:
        peerlib.print_port(0)
        peerlib._on_stdin_eof(lambda: os._exit(0))
        num = 0
        while True:
            sock, _ = srv.accept()
            num += 1
            threading.Thread(target=handle, args=(sock, num),
                                     daemon=True).start()
    peerlib.accept_forever(srv, handle)


if __name__ == "__main__":
    main()
