#!/usr/bin/python3
"""A WebSocket client on a plain socket that breaks the rules on purpose,
for wsc's listen mode tests. Every byte on the wire is written here.

--scenario:
  unmasked      a valid handshake, then an unmasked text frame "hi"
                (RFC 6455 section 5.1: the server must fail with 1002)
  early         a valid request and a masked text frame "early" in one
                send(); then, once a text frame has come back (an echo),
                a Close 1000
  version N     Sec-WebSocket-Version: N instead of 13
  no-key        no Sec-WebSocket-Key
  short-key     a key that is the base64 of 15 bytes
  post          the POST method
  target T      T as the request target instead of /
  no-upgrade    no Upgrade header (a plain HTTP GET)
  silent        connect and send nothing at all
  half          send half a request and stop
  no-pong       a valid handshake, then read and log every frame, answering
                nothing: pings go unanswered (a client that looks dead)
  slow-read BPS N
                a valid handshake, then read at most BPS bytes per second
                through a small receive buffer, answering each ping with a
                pong when the reading reaches it (a live client slowed down
                by a flood); after N messages, Close 1000

--log FILE gets one line per event:
    status CODE                 (the server's HTTP status)
    header name: value          (response headers, names in lowercase)
    frame OPCODE HEXPAYLOAD     (frames from the server)
    close CODE                  (a Close frame's code; 1005 when none)
    eof SECONDS                 (the server closed TCP, after SECONDS)
    ping DATA                   (slow-read: a ping, when read)
    stats texts=N bytes=M pings=P   (slow-read: at the end)
    timeout                     (nothing more within --timeout)
"""

import argparse
import base64
import os
import socket
import struct
import time

import peerlib
from peerlib import OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, close_payload, frame

MASK = b"\x01\x02\x03\x04"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--scenario", nargs="+", required=True)
    p.add_argument("--timeout", type=float, default=10)
    return p.parse_args()


def request(scenario, arg):
    key = base64.b64encode(os.urandom(15 if scenario == "short-key" else 16))
    lines = ["%s %s HTTP/1.1" % ("POST" if scenario == "post" else "GET",
                                 arg if scenario == "target" else "/"),
             "Host: 127.0.0.1"]
    if scenario != "no-upgrade":
        lines += ["Upgrade: websocket", "Connection: Upgrade"]
    if scenario != "no-key":
        lines.append("Sec-WebSocket-Key: " + key.decode())
    lines.append("Sec-WebSocket-Version: " +
                 (arg if scenario == "version" else "13"))
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Slow(peerlib.Stream):
    """A stream read at most bps bytes per second, in small reads."""

    def __init__(self, sock, bps):
        super().__init__(sock, max(1024, bps // 50))
        self.bps = bps

    def fill(self):
        before = len(self.buf)
        super().fill()
        time.sleep((len(self.buf) - before) / self.bps)


def slow_read(s, st, say, want):
    """slow-read: counts messages, answers pings, closes after want."""
    texts = nbytes = pings = 0
    try:
        while True:
            f = st.read_frame()
            if f.opcode == OP_PING:
                pings += 1
                say("ping " + f.payload.decode("utf-8", "replace"))
                s.sendall(frame(OP_PONG, f.payload, mask=MASK))
            elif f.opcode == OP_CLOSE:
                say("close %d" % (struct.unpack("!H", f.payload[:2])[0]
                                  if len(f.payload) >= 2 else 1005))
                break
            elif f.opcode < OP_CLOSE:
                texts += f.fin
                nbytes += len(f.payload)
                if texts == want and f.fin:
                    s.sendall(frame(OP_CLOSE, close_payload(1000), mask=MASK))
    finally:
        say("stats texts=%d bytes=%d pings=%d" % (texts, nbytes, pings))


def connect(port, scenario):
    """The TCP connection; slow-read's with a small receive buffer, so
    that what the server sends waits on its side, not in our kernel."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if scenario == "slow-read":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.connect(("127.0.0.1", port))
    return s


def main():
    a = parse_args()
    scenario = a.scenario[0]
    arg = a.scenario[1] if len(a.scenario) > 1 else None
    say = peerlib.Log(a.log)
    s = connect(a.port, scenario)
    start = time.monotonic()
    if scenario == "half":
        s.sendall(request("ok", None)[:20])
    elif scenario == "early":
        s.sendall(request(scenario, arg) +
                  frame(OP_TEXT, b"early", mask=b"\x01\x02\x03\x04"))
    elif scenario != "silent":
        s.sendall(request(scenario, arg))
    s.settimeout(a.timeout)
    st = Slow(s, int(arg)) if scenario == "slow-read" else peerlib.Stream(s)
    try:
        if scenario not in ("silent", "half"):
            status, headers = st.read_head()
            say("status " + status.split(" ")[1])
            for name, value in headers:
                say("header %s: %s" % (name.lower(), value))
        if scenario == "unmasked":
            s.sendall(frame(OP_TEXT, b"hi"))
        if scenario == "slow-read":
            slow_read(s, st, say, int(a.scenario[2]))
        while True:
            f = st.read_frame()
            say("frame %d %s" % (f.opcode, f.payload.hex()))
            if scenario == "early" and f.opcode == OP_TEXT:
                s.sendall(frame(OP_CLOSE, close_payload(1000), mask=b"\0" * 4))
            if f.opcode == OP_CLOSE:
                say("close %d" % (struct.unpack("!H", f.payload[:2])[0]
                                  if len(f.payload) >= 2 else 1005))
    except peerlib.Closed as e:
        say(("eof %.1f %s" % (time.monotonic() - start, e)).rstrip())
    except ConnectionResetError:        # while sending
        say("eof %.1f reset" % (time.monotonic() - start))
    except socket.timeout:
        say("timeout")
    s.close()


if __name__ == "__main__":
    main()
