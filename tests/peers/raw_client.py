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
  no-upgrade    no Upgrade header (a plain HTTP GET)
  silent        connect and send nothing at all
  half          send half a request and stop

--log FILE gets one line per event:
    status CODE                 (the server's HTTP status)
    header name: value          (response headers, names in lowercase)
    frame OPCODE HEXPAYLOAD     (frames from the server)
    close CODE                  (a Close frame's code; 1005 when none)
    eof SECONDS                 (the server closed TCP, after SECONDS)
    timeout                     (nothing more within --timeout)
"""

import argparse
import base64
import os
import socket
import struct
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--scenario", nargs="+", required=True)
    p.add_argument("--timeout", type=float, default=10)
    return p.parse_args()


def request(scenario, arg):
    key = base64.b64encode(os.urandom(15 if scenario == "short-key" else 16))
    lines = ["%s / HTTP/1.1" % ("POST" if scenario == "post" else "GET"),
             "Host: 127.0.0.1"]
    if scenario != "no-upgrade":
        lines += ["Upgrade: websocket", "Connection: Upgrade"]
    if scenario != "no-key":
        lines.append("Sec-WebSocket-Key: " + key.decode())
    lines.append("Sec-WebSocket-Version: " +
                 (arg if scenario == "version" else "13"))
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def main():
    a = parse_args()
    scenario = a.scenario[0]
    arg = a.scenario[1] if len(a.scenario) > 1 else None
    log = open(a.log, "a")

    def say(line):
        log.write(line + "\n")
        log.flush()

    s = socket.create_connection(("127.0.0.1", a.port))
    start = time.monotonic()
    if scenario == "half":
        s.sendall(request("ok", None)[:20])
    elif scenario == "early":
        key = b"\x01\x02\x03\x04"
        body = bytes(c ^ key[i % 4] for i, c in enumerate(b"early"))
        s.sendall(request(scenario, arg) + struct.pack("!BB", 0x81, 0x85) +
                  key + body)
    elif scenario != "silent":
        s.sendall(request(scenario, arg))
    s.settimeout(a.timeout)
    buf = b""
    try:
        while scenario not in ("silent", "half") and b"\r\n\r\n" not in buf:
            d = s.recv(4096)
            if not d:
                break
            buf += d
        if b"\r\n\r\n" in buf:
            head, buf = buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            say("status " + lines[0].split(" ")[1])
            for line in lines[1:]:
                name, _, value = line.partition(":")
                say("header %s: %s" % (name.strip().lower(), value.strip()))
        if scenario == "unmasked":
            s.sendall(struct.pack("!BB", 0x81, 2) + b"hi")
        while True:
            while len(buf) >= 2 and len(buf) >= 2 + (buf[1] & 127):
                op, n = buf[0] & 15, buf[1] & 127
                payload, buf = buf[2:2 + n], buf[2 + n:]
                say("frame %d %s" % (op, payload.hex()))
                if scenario == "early" and op == 1:
                    s.sendall(struct.pack("!BB", 0x88, 0x82) + b"\0" * 4 +
                              struct.pack("!H", 1000))
                if op == 8:
                    say("close %d" % (struct.unpack("!H", payload[:2])[0]
                                      if n >= 2 else 1005))
            d = s.recv(4096)
            if not d:
                say("eof %.1f" % (time.monotonic() - start))
                break
            buf += d
    except socket.timeout:
        say("timeout")
    except ConnectionResetError:
        say("eof %.1f reset" % (time.monotonic() - start))
    s.close()


if __name__ == "__main__":
    main()
