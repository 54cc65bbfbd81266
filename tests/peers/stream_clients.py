#!/usr/bin/python3
"""The other end of wsc's byte streams (--raw, --tunnel), for the tests.

    proxycmd --bytes N -- CMD ARG...
        Runs CMD as ssh runs a ProxyCommand: writes N random bytes to its
        stdin while reading its stdout, closes stdin only once N bytes
        came back (a conversation, not a dump), then reads to end of file
        and waits for CMD. Prints "match" when the bytes came back exactly
        (sha256) with nothing after them, else what differed; then
        "status RC".
    echo --port P --conns N --bytes B
        N TCP connections at once, each sends its own B random bytes and
        reads B back, then shuts down its writing half and reads to end of
        file. Prints "ok N" when every one got its bytes back, else one
        line per failure.
    hold --port P --conns N
        N TCP connections, each sends one byte and reads it back (the
        tunnel is up); prints "ready", then waits until every one reads
        end of file and prints "eof N".
    send --port P --bytes B
        One TCP connection sends B pseudo-random bytes (generated a MiB at a
        time: B may be large), shuts down its writing half and reads to end
        of file; prints "sent B SHA256".
    halfclose --port P --bytes B
        One TCP connection sends B random bytes, shuts down its writing
        half, reads to end of file; prints "eof after K bytes".
    slowread [--port P] --bytes N --go FIFO
        Reads N bytes slowly (64 KiB, then 2 ms) from a TCP connection, or
        without --port from stdin; halfway it prints "half" and waits for
        a line on FIFO (the test looks at wsc's memory meanwhile), then
        reads the rest to end of file. Prints "read K bytes".
    limit --port P
        Connection A sends a byte and reads it back; connection B then
        connects and sends its byte, and gets nothing back for a second;
        A half-closes and reads to end of file; then B must get its byte
        back. Prints "ok" or what failed.
    refused --port P
        One TCP connection that sends a byte and reads: prints "eof" when
        the other side closes without a byte, else "got K bytes".
"""

import argparse
import errno
import hashlib
import os
import random
import socket
import subprocess
import sys
import threading
import time

TIMEOUT = 60


def proxycmd(a):
    data = os.urandom(a.bytes)
    p = subprocess.Popen(a.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed():
        try:
            p.stdin.write(data)
            p.stdin.flush()
        except BrokenPipeError:
            pass

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    got = hashlib.sha256()
    n = 0
    while n < a.bytes:
        chunk = p.stdout.read1(min(1 << 20, a.bytes - n))
        if not chunk:
            break
        got.update(chunk)
        n += len(chunk)
    t.join()
    p.stdin.close()
    extra = len(p.stdout.read())
    rc = p.wait()
    if n == a.bytes and got.digest() == hashlib.sha256(data).digest() \
            and extra == 0:
        print("match")
    else:
        print("mismatch: %d of %d bytes back, sha256 %s, %d bytes after"
              % (n, a.bytes, "equal" if got.digest() ==
                 hashlib.sha256(data[:n]).digest() else "differs", extra))
    print("status %d" % rc)


def connect(port):
    """A TCP connection to the port. A connect that a busy machine reports
    as EINTR, EAGAIN or EALREADY is tried again on a new socket (a few
    times): the listener is there, the error is the connect's own."""
    for attempt in range(5):
        try:
            return socket.create_connection(("127.0.0.1", port),
                                            timeout=TIMEOUT)
        except OSError as e:
            if e.errno not in (errno.EINTR, errno.EAGAIN, errno.EALREADY) \
                    or attempt == 4:
                raise
            time.sleep(0.1)


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(1 << 16, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def read_to_eof(s):
    n = 0
    while True:
        chunk = s.recv(1 << 16)
        if not chunk:
            return n
        n += len(chunk)


def echo(a):
    failures = []

    def one(i):
        try:
            s = connect(a.port)
            data = os.urandom(a.bytes)
            w = threading.Thread(target=s.sendall, args=(data,))
            w.start()
            back = recv_exact(s, a.bytes)
            w.join()
            s.shutdown(socket.SHUT_WR)
            extra = read_to_eof(s)
            s.close()
            if back != data or extra:
                failures.append("connection %d: %d of %d bytes back%s, "
                                "%d after" % (i, len(back), a.bytes,
                                              "" if back == data else
                                              " (differ)", extra))
        except OSError as e:
            failures.append("connection %d: %s" % (i, e))

    threads = [threading.Thread(target=one, args=(i,))
               for i in range(a.conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for f in failures:
        print(f)
    if not failures:
        print("ok %d" % a.conns)


def hold(a):
    socks = []
    for _ in range(a.conns):
        s = connect(a.port)
        s.sendall(b"x")
        if recv_exact(s, 1) != b"x":
            print("no echo")
            return
        socks.append(s)
    print("ready", flush=True)
    n = 0
    for s in socks:
        try:
            read_to_eof(s)
            n += 1
        except OSError as e:
            print("error: %s" % e)
        s.close()
    print("eof %d" % n)


def halfclose(a):
    s = connect(a.port)
    s.sendall(os.urandom(a.bytes))
    s.shutdown(socket.SHUT_WR)
    print("eof after %d bytes" % read_to_eof(s))
    s.close()


def send(a):
    s = connect(a.port)
    rng = random.Random(1)
    h = hashlib.sha256()
    left = a.bytes
    while left > 0:
        chunk = rng.randbytes(min(left, 1 << 20))
        h.update(chunk)
        s.sendall(chunk)
        left -= len(chunk)
    s.shutdown(socket.SHUT_WR)
    read_to_eof(s)
    s.close()
    print("sent %d %s" % (a.bytes, h.hexdigest()))


def slowread(a):
    if a.port:
        s = connect(a.port)
        read = s.recv
    else:
        s = None
        read = sys.stdin.buffer.raw.read
    n = 0
    halfway = False
    while True:
        chunk = read(1 << 16)
        if not chunk:
            break
        n += len(chunk)
        time.sleep(0.002)
        if not halfway and n >= a.bytes // 2:
            halfway = True
            print("half", flush=True)
            with open(a.go) as f:
                f.readline()
    print("read %d bytes" % n, flush=True)
    if s is not None:
        s.close()


def limit(a):
    first = connect(a.port)
    first.sendall(b"a")
    if recv_exact(first, 1) != b"a":
        print("A got no echo")
        return
    second = connect(a.port)
    second.sendall(b"b")
    # While A is open B's tunnel must not start: its echo must not come
    # (a second is what an unbounded tunnel needs at most to answer here;
    # a correct one is never failed by the wait).
    second.settimeout(1.0)
    try:
        if second.recv(1):
            print("B got its echo while A was open")
            return
    except socket.timeout:
        pass
    second.settimeout(TIMEOUT)
    first.shutdown(socket.SHUT_WR)
    read_to_eof(first)
    first.close()
    got = recv_exact(second, 1)
    second.close()
    print("ok" if got == b"b" else "B got %r" % got)


def refused(a):
    s = connect(a.port)
    try:
        s.sendall(b"x")
        n = read_to_eof(s)
    except ConnectionResetError:
        n = 0
    print("eof" if n == 0 else "got %d bytes" % n)
    s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=("proxycmd", "echo", "hold", "send", "halfclose",
                                    "slowread", "limit", "refused"))
    p.add_argument("--go", help="slowread: the FIFO to wait on halfway")
    p.add_argument("--port", type=int)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--bytes", type=int, default=1024)
    argv = sys.argv[1:]
    cmd = argv[argv.index("--") + 1:] if "--" in argv else []
    a = p.parse_args(argv[:len(argv) - len(cmd) - (1 if cmd else 0)])
    a.cmd = cmd
    globals()[a.what](a)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
