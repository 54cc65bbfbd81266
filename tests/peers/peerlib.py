"""What the test peers in tests/peers have in common.

Every peer prints its port as its first line on stdout, appends one line
per event to --log FILE, and exits when its stdin reaches end of file (the
test script holds the other end of a FIFO; when the script goes away, so
do its peers) or on SIGTERM. These helpers do that once, for the asyncio
peers (python3-websockets) and for the threaded raw-socket ones. Only the
standard library is used here, so the raw-socket peers need nothing else.

The peers run as scripts from this directory, so `import peerlib` finds
this file (sys.path[0] is the script's directory).
"""

import argparse
import asyncio
import os
import socket
import sys
import threading


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
