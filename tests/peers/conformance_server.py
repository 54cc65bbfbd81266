#!/usr/bin/python3
"""A scripted conformance peer for wsc --echo.

Runs case after case of the client-side requirements of RFC 6455 sections
5-7 and RFC 7692 against the real binary: for each case it starts
`wsc --echo ws://127.0.0.1:PORT/CASE-ID` (one connection per case), speaks
raw WebSocket framing itself (no WebSocket library: it must be able to
break every rule), and asserts the exact echo, the exact close behaviour
(who closes first, with which code) and wsc's exit status.

    conformance_server.py --wsc PATH [--filter REGEX] [--list] [-v]

WSC_WRAPPER (e.g. "valgrind -q --error-exitcode=99") is put in front of
the wsc command line. Prints one line per case ("ok - ID desc" or
"not ok - ID desc: why"), a summary "# N passed, N failed" and the TAP
plan "1..N"; exits 1 when a case failed.
"""

import argparse
import base64
import os
import random
import re
import select
import shlex
import socket
import struct
import subprocess
import sys
import time
import zlib

import peerlib
from peerlib import close_payload, frame, xor_mask

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
RSV1, RSV2, RSV3 = 4, 2, 1
TAIL = b"\x00\x00\xff\xff"
MiB = 1 << 20


class Fail(Exception):
    """A case's assertion failed."""


def fragments(op, data, size, rsv_first=0):
    """data as frames of `size` bytes (an empty message: one frame)."""
    out = []
    chunks = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
    for i, ch in enumerate(chunks):
        out.append(frame(op if i == 0 else CONT, ch, fin=i == len(chunks) - 1,
                         rsv=rsv_first if i == 0 else 0))
    return b"".join(out)


class Pmd:
    """The peer's side of permessage-deflate (RFC 7692)."""

    def __init__(self, server_bits=15, client_bits=15, snct=False, cnct=False):
        self.server_bits, self.client_bits = server_bits, client_bits
        self.snct, self.cnct = snct, cnct
        self.comp = None
        self.decomp = None

    def compress(self, data):
        # zlib refuses raw deflate with 8 bits; 9 stays within 250 bytes.
        if self.comp is None or self.snct:
            self.comp = zlib.compressobj(6, zlib.DEFLATED, -max(9, self.server_bits))
        out = self.comp.compress(data) + self.comp.flush(zlib.Z_SYNC_FLUSH)
        assert out.endswith(TAIL)
        return out[:-4]

    def decompress(self, data, bytewise=False):
        """Inflates a message from the client; bytewise feeds one byte per
        call so that every match must come from the window (catches a
        client exceeding client_max_window_bits)."""
        if self.decomp is None or self.cnct:
            self.decomp = zlib.decompressobj(-self.client_bits)
        data = data + TAIL
        try:
            if not bytewise:
                return self.decomp.decompress(data)
            return b"".join(self.decomp.decompress(data[i:i + 1])
                            for i in range(len(data)))
        except zlib.error as e:
            raise Fail("cannot inflate the client's message: %s" % e)


class Conn:
    """One accepted connection, as the server side."""

    def __init__(self, sock, case):
        self.s = sock
        self.case = case
        self.buf = bytearray()
        self.pmd = None
        self.request = None
        self.closed_by_client = False

    # -------------------------------------------------------- bytes
    def fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise Fail("timed out waiting for the client")
        r, _, _ = select.select([self.s], [], [], left)
        if not r:
            raise Fail("timed out waiting for the client")
        try:
            d = self.s.recv(1 << 20)
        except ConnectionResetError:
            d = b""
        if not d:
            raise EOFError
        self.buf += d

    def take(self, n, deadline):
        while len(self.buf) < n:
            self.fill(deadline)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def send(self, data):
        try:
            self.s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_slowly(self, data, step):
        """Writes data in pieces (partial headers, split payloads)."""
        for i in range(0, len(data), step):
            self.send(data[i:i + step])
            time.sleep(0.0005)

    # ---------------------------------------------------- handshake
    def handshake(self, extensions=None, deadline=None):
        deadline = deadline or time.monotonic() + 10
        while b"\r\n\r\n" not in self.buf:
            self.fill(deadline)
        head, _, rest = bytes(self.buf).partition(b"\r\n\r\n")
        self.buf = bytearray(rest)
        request, headers = peerlib.parse_head(head)
        method, path, _ = request.split(" ", 2)
        hdrs = {}
        for k, v in headers:
            hdrs.setdefault(k.lower(), []).append(v)
        self.request = (method, path, hdrs)
        if method != "GET":
            raise Fail("request method %s" % method)
        if hdrs.get("sec-websocket-version") != ["13"]:
            raise Fail("bad Sec-WebSocket-Version")
        key = hdrs.get("sec-websocket-key", [""])[0]
        if len(base64.b64decode(key)) != 16:
            raise Fail("bad Sec-WebSocket-Key")
        extra = "" if extensions is None else \
            "Sec-WebSocket-Extensions: %s\r\n" % extensions
        self.send(peerlib.switching_protocols(peerlib.accept_key(key), extra))
        return hdrs

    def offer(self):
        return ", ".join(self.request[2].get("sec-websocket-extensions", []))

    # ------------------------------------------------------- frames
    def next_frame(self, timeout=10):
        """The client's next frame: (fin, rsv, opcode, payload)."""
        deadline = time.monotonic() + timeout
        try:
            h = self.take(2, deadline)
        except EOFError:
            raise Fail("the client closed TCP without a close frame"
                       if not self.closed_by_client else "unexpected EOF")
        fin, rsv, op = h[0] >> 7, (h[0] >> 4) & 7, h[0] & 15
        if not h[1] & 0x80:
            raise Fail("unmasked frame from the client (RFC 6455 5.1)")
        n = h[1] & 0x7F
        if n == 126:
            n = struct.unpack(">H", self.take(2, deadline))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.take(8, deadline))[0]
        key = self.take(4, deadline)
        payload = xor_mask(self.take(n, deadline), key)
        if rsv & (RSV2 | RSV3) or (rsv & RSV1 and (self.pmd is None or op == CONT or op >= CLOSE)):
            raise Fail("client set reserved bits %d on opcode %d" % (rsv, op))
        if op not in (CONT, TEXT, BINARY, CLOSE, PING, PONG):
            raise Fail("client sent opcode %d" % op)
        if op >= CLOSE and (not fin or n > 125):
            raise Fail("client sent a bad control frame")
        return fin, rsv, op, payload

    def next_event(self, timeout=10, bytewise=False):
        """The next control frame or whole message: (opcode, payload)."""
        msg_op, parts, compressed = None, [], False
        while True:
            fin, rsv, op, payload = self.next_frame(timeout)
            if op >= CLOSE:
                if op == CLOSE:
                    self.closed_by_client = True
                return op, payload
            if op == CONT and msg_op is None:
                raise Fail("client sent a continuation without a message")
            if op != CONT and msg_op is not None:
                raise Fail("client started a message inside another")
            if op != CONT:
                msg_op, compressed = op, bool(rsv & RSV1)
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                if compressed:
                    data = self.pmd.decompress(data, bytewise)
                if msg_op == TEXT:
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        raise Fail("client sent invalid UTF-8 text")
                self.last_compressed = compressed
                return msg_op, data

    # --------------------------------------------------- assertions
    def expect(self, op, payload, timeout=20, bytewise=False):
        got_op, got = self.next_event(timeout, bytewise)
        if got_op == CLOSE:
            raise Fail("expected opcode %d, got Close %s" % (op, describe_close(got)))
        if got_op != op:
            raise Fail("expected opcode %d, got %d" % (op, got_op))
        if got != payload:
            raise Fail("wrong payload: %d bytes, expected %d (first difference at %s)" % (
                len(got), len(payload), first_diff(got, payload)))

    def expect_close(self, codes, timeout=10):
        """The client's next frame is a Close with one of codes (None: no
        status). Data or pings before it fail the case."""
        op, p = self.next_event(timeout)
        if op != CLOSE:
            raise Fail("expected a Close, got opcode %d (%d bytes)" % (op, len(p)))
        code = struct.unpack(">H", p[:2])[0] if len(p) >= 2 else None
        if len(p) == 1:
            raise Fail("client's Close has a 1-byte payload")
        try:
            p[2:].decode("utf-8")
        except UnicodeDecodeError:
            raise Fail("client's close reason is not UTF-8")
        if code not in codes:
            raise Fail("client closed with %s, expected %s" % (code, codes))
        return code

    def finish(self):
        """The server's part after the client's Close: answer, close TCP."""
        self.send(frame(CLOSE, self.last_close_reply()))
        self.shutdown()

    def last_close_reply(self):
        return close_payload(1000)

    def shutdown(self):
        try:
            self.s.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def expect_fail(self, code, timeout=10):
        """After a violation: the client closes first with code; then the
        server closes (RFC 6455 section 7.1.7)."""
        self.expect_close([code], timeout)
        self.finish()

    def close_normally(self, code=1000, reason=b""):
        """Server-initiated close: the client answers with the same code
        (or 1000), then the server closes TCP (section 7.1.1)."""
        self.send(frame(CLOSE, close_payload(code, reason)))
        if code is None:
            self.expect_close([None, 1000])
        else:
            self.expect_close([code, 1000])
        self.shutdown()

    def expect_eof(self, timeout=10):
        deadline = time.monotonic() + timeout
        try:
            while True:
                self.fill(deadline)
                if self.buf:
                    raise Fail("client sent %d bytes, expected none" % len(self.buf))
        except EOFError:
            pass

    def expect_silence(self, seconds):
        """Nothing arrives for a while (nothing the client should send)."""
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                try:
                    self.fill(deadline)
                except Fail:
                    return
                if self.buf:
                    raise Fail("client sent something unexpected: %r" % bytes(self.buf[:20]))
        except EOFError:
            raise Fail("client closed TCP early")


def describe_close(p):
    if len(p) >= 2:
        return "(code %d)" % struct.unpack(">H", p[:2])[0]
    return "(no code)"


def first_diff(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b))


# ====================================================================== cases
#
# A case: id, description, a function(conn), and what wsc must do: the
# response's Sec-WebSocket-Extensions (None: compression off), extra wsc
# arguments, the exit status and a pattern its stderr must match.

CASES = []


def case(cid, desc, ext=None, args=(), exit=0, stderr=None, timeout=60):
    def deco(fn):
        CASES.append(dict(id=cid, desc=desc, fn=fn, ext=ext, args=list(args),
                          exit=exit, stderr=stderr, timeout=timeout))
        return fn
    return deco


def add(cid, desc, fn, **kw):
    case(cid, desc, **kw)(fn)


def echo_then_close(msgs, sender=None, step=None):
    """A case body: send msgs [(op, payload, wire)], expect each echoed."""
    def run(c):
        wire = b"".join(w for _, _, w in msgs)
        if step:
            c.send_slowly(wire, step)
        else:
            c.send(wire)
        for op, p, _ in msgs:
            c.expect(op, p)
        c.close_normally()
    return run


def msg(op, payload, size=None, **kw):
    """A message and its wire form (fragmented into `size` bytes)."""
    if size is None:
        return (op, payload, frame(op, payload, **kw))
    return (op, payload, fragments(op, payload, size))


def pattern(n, seed=0):
    """n bytes of varied printable text (valid UTF-8)."""
    base = (b"The quick brown fox jumps over the lazy dog %d. " % seed) * 4
    base += bytes(range(0x20, 0x7F))
    return (base * (n // len(base) + 1))[:n]


def noise(n, seed=1):
    """n incompressible bytes."""
    return random.Random(seed).randbytes(n)


# ------------------------------------------------------ 1 framing, lengths
for n in (0, 1, 125, 126, 127, 128, 65535, 65536, 65537, MiB):
    add("1.1.%d" % n, "text message of %d bytes (length class %s)" % (
        n, "7-bit" if n < 126 else "16-bit" if n < 65536 else "64-bit"),
        echo_then_close([msg(TEXT, pattern(n))]))
    add("1.2.%d" % n, "binary message of %d bytes" % n,
        echo_then_close([msg(BINARY, noise(n, n))]))

for form in (16, 64):
    add("1.3.%d" % form, "non-minimal %d-bit length for a 5-byte message" % form,
        echo_then_close([(TEXT, b"hello", frame(TEXT, b"hello", lenform=form))]))

add("1.4.1", "a 2 KiB message written a byte at a time",
    echo_then_close([msg(BINARY, noise(2048, 4))], step=1))
add("1.4.2", "several messages in one write",
    echo_then_close([msg(TEXT, b"one"), msg(BINARY, b"\x00two"), msg(TEXT, b""),
                     msg(TEXT, pattern(300))]))
add("1.4.3", "100 small messages in one write",
    echo_then_close([msg(TEXT if i % 2 else BINARY, pattern(i, i)) for i in range(100)]))


def big_message(n, size, op=BINARY):
    def run(c):
        data = noise(n, n + size) if op == BINARY else pattern(n)
        c.send(fragments(op, data, size))
        c.expect(op, data, timeout=120)
        c.close_normally()
    return run


add("1.5.1", "16 MiB binary message in one frame", big_message(16 * MiB, 16 * MiB), timeout=180)
add("1.5.2", "16 MiB text message in one frame", big_message(16 * MiB, 16 * MiB, TEXT), timeout=180)
add("1.5.3", "16 MiB binary message in frames of 1 MiB", big_message(16 * MiB, MiB), timeout=180)
add("1.5.4", "4 MiB + 64 B message as 65,537 frames of 64 bytes (no fragment limit)",
    big_message(4 * MiB + 64, 64), timeout=180)
for n, size in ((64 * 1024, 1), (100000, 7), (MiB, 1000), (MiB, 65535), (MiB, 65536),
                (8 * MiB, 131072)):
    add("1.6.%d.%d" % (n, size), "%d-byte message in frames of %d bytes" % (n, size),
        big_message(n, size), timeout=180)
add("1.6.text", "256 KiB text in frames of 3 bytes (UTF-8 split everywhere)",
    big_message(MiB // 4, 3, TEXT), timeout=180)


def len64_msb(c):
    c.send(bytes([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 5]) + b"hello")
    c.expect_fail(1002)


add("1.7.1", "64-bit length with the most significant bit set", len64_msb, exit=1,
    stderr="protocol error")


def masked_from_server(c):
    c.send(frame(TEXT, b"hello", mask=b"\x01\x02\x03\x04"))
    c.expect_fail(1002)


add("1.7.2", "masked frame from the server", masked_from_server, exit=1,
    stderr="masked frame")


def huge_header(c):
    """A header announcing 2^40 bytes: refused at once, nothing buffered."""
    c.send(bytes([0x82, 127]) + struct.pack(">Q", 1 << 40) + b"start of it")
    c.expect_fail(1009, timeout=5)


add("1.8.1", "frame header announcing 2^40 bytes: 1009 at once", huge_header, exit=1,
    stderr="limit")


def limit_case(n, limit, frag):
    def run(c):
        ok = pattern(limit)
        c.send(fragments(TEXT, ok, frag))
        c.expect(TEXT, ok)
        c.send(fragments(BINARY, noise(n), frag))
        c.expect_fail(1009, timeout=10)
    return run


add("1.8.2", "message exactly at --max-message passes, one byte more closes 1009",
    limit_case(65537, 65536, 65537), args=["--max-message", "64K"], exit=1, stderr="limit")
add("1.8.3", "fragments adding up past --max-message close 1009",
    limit_case(70000, 65536, 1000), args=["--max-message", "64K"], exit=1, stderr="limit")


def pings_during_big_message(c):
    """Pings between the 1 MiB fragments of a 16 MiB message: each pong
    comes back before the message ends (section 5.4)."""
    data = noise(16 * MiB, 16)
    for i in range(16):
        c.send(frame(BINARY if i == 0 else CONT, data[i * MiB:(i + 1) * MiB], fin=i == 15))
        if i < 15:
            c.send(frame(PING, b"%d" % i))
    for i in range(15):
        c.expect(PONG, b"%d" % i, timeout=60)
    c.expect(BINARY, data, timeout=120)
    c.close_normally()


add("1.8.4", "16 MiB message in 1 MiB fragments with a ping after each", pings_during_big_message,
    timeout=180)

# --------------------------------------------------------- 2 fragmentation


def frag_case(parts, op=TEXT):
    def run(c):
        wire = b""
        for i, p in enumerate(parts):
            wire += frame(op if i == 0 else CONT, p, fin=i == len(parts) - 1)
        c.send(wire)
        c.expect(op, b"".join(parts))
        c.close_normally()
    return run


add("2.1.1", "text in two fragments", frag_case([b"frag", b"ments"]))
add("2.1.2", "binary in three fragments", frag_case([b"\x00\x01", b"\x02", b"\x03\xff"], BINARY))
add("2.1.3", "empty first and last fragments", frag_case([b"", b"middle", b""]))
add("2.1.4", "all fragments empty", frag_case([b"", b"", b""]))
add("2.1.5", "one hundred one-byte fragments", frag_case([b"x"] * 100))


def ping_between(n_pings, payloads=None):
    def run(c):
        pls = payloads or [b"ping %d" % i for i in range(n_pings)]
        wire = frame(TEXT, b"Hello, ", fin=False)
        for p in pls:
            wire += frame(PING, p)
        wire += frame(CONT, b"world", fin=False) + frame(PONG, b"unsolicited")
        wire += frame(CONT, b"!", fin=True)
        c.send(wire)
        for p in pls:
            c.expect(PONG, p)
        c.expect(TEXT, b"Hello, world!")
        c.close_normally()
    return run


add("2.2.1", "ping between fragments answered before the message ends", ping_between(1))
add("2.2.2", "ten pings between fragments: ten pongs in order", ping_between(10))
add("2.2.3", "pings with 0 and 125-byte payloads between fragments",
    ping_between(2, [b"", bytes(range(125))]))


def ten_pings(c):
    pls = [b"%d" % i for i in range(10)]
    c.send(b"".join(frame(PING, p) for p in pls))
    for p in pls:
        c.expect(PONG, p)
    c.close_normally()


add("2.3.1", "ten pings: ten pongs with the same payloads, in order", ten_pings)


def ping_sizes(c):
    for n in (0, 1, 124, 125):
        p = bytes((i * 7) & 0xFF for i in range(n))
        c.send(frame(PING, p))
        c.expect(PONG, p)
    c.close_normally()


add("2.3.2", "pings of 0, 1, 124 and 125 bytes answered with the same payload", ping_sizes)


def ping_binary_payload(c):
    c.send(frame(PING, b"\xff\xfe\x00\x80 not utf-8"))
    c.expect(PONG, b"\xff\xfe\x00\x80 not utf-8")
    c.close_normally()


add("2.3.3", "a ping payload that is not UTF-8 is echoed as is", ping_binary_payload)


def unsolicited_pong(c):
    c.send(frame(PONG, b"nobody asked") + frame(TEXT, b"after the pong"))
    c.expect(TEXT, b"after the pong")
    c.close_normally()


add("2.3.4", "unsolicited pong is ignored", unsolicited_pong)


def violation(wire, code=1002, before=()):
    """Sends the valid messages `before`, then the violating bytes, all in
    one write: the valid ones are echoed first, then the client fails the
    connection with code."""
    def run(c):
        c.send(b"".join(w for _, _, w in before) + wire)
        for op, p, _ in before:
            c.expect(op, p)
        c.expect_fail(code)
    return run


V = dict(exit=1, stderr="protocol error")
add("2.4.1", "continuation frame without a message",
    violation(frame(CONT, b"orphan")), **V)
add("2.4.2", "continuation after a finished message",
    violation(frame(CONT, b"more"), before=[msg(TEXT, b"done")]), **V)
add("2.4.3", "new text message inside a fragmented one",
    violation(frame(TEXT, b"a", fin=False) + frame(TEXT, b"b")), **V)
add("2.4.4", "new binary message inside a fragmented one",
    violation(frame(BINARY, b"a", fin=False) + frame(BINARY, b"b")), **V)
add("2.4.5", "fragmented ping", violation(frame(PING, b"x", fin=False)), **V)
add("2.4.6", "fragmented pong", violation(frame(PONG, b"x", fin=False)), **V)
add("2.4.7", "fragmented close", violation(frame(CLOSE, close_payload(1000), fin=False)), **V)
add("2.4.8", "ping with a 126-byte payload", violation(frame(PING, b"x" * 126)), **V)
add("2.4.9", "pong with a 126-byte payload", violation(frame(PONG, b"x" * 126)), **V)
add("2.4.10", "valid message, then a fragmented ping: echo first, then 1002",
    violation(frame(PING, b"x", fin=False), before=[msg(TEXT, b"valid first")]), **V)

# ------------------------------------------------- 3 reserved bits / opcodes
for rsv, name in ((RSV1, "RSV1"), (RSV2, "RSV2"), (RSV3, "RSV3"), (RSV1 | RSV2, "RSV1+RSV2"),
                  (RSV2 | RSV3, "RSV2+RSV3"), (7, "all RSV bits")):
    for op, opn in ((TEXT, "text"), (BINARY, "binary"), (PING, "ping"), (CLOSE, "close")):
        add("3.1.%d.%s" % (rsv, opn), "%s set on a %s frame (not negotiated)" % (name, opn),
            violation(frame(op, b"" if op == CLOSE else b"rsv", rsv=rsv),
                      before=[msg(TEXT, b"valid first")]), **V)
    add("3.1.%d.cont" % rsv, "%s set on a continuation frame" % name,
        violation(frame(TEXT, b"a", fin=False) + frame(CONT, b"b", rsv=rsv)), **V)

for op in (3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF):
    add("3.2.%d" % op, "reserved opcode %d, after a valid message" % op,
        violation(frame(op, b"reserved"), before=[msg(TEXT, b"valid first")]), **V)
    add("3.3.%d" % op, "reserved opcode %d between fragments" % op,
        violation(frame(TEXT, b"a", fin=False) + frame(op, b"") + frame(CONT, b"b")), **V)
    add("3.4.%d" % op, "reserved opcode %d with no payload" % op,
        violation(frame(op, b"")), **V)

# ----------------------------------------------------------------- 4 UTF-8
VALID_TEXTS = [
    ("ascii", b"Hello, world"),
    ("2-byte", "\u03ba\u1f79\u03c3\u03bc\u03b5 caf\u00e9".encode()),
    ("3-byte", "\u20ac \u2603 \uffff \ufeff".encode()),
    ("4-byte", "\U0001F600 \U00010000 \U0010FFFF".encode()),
    ("boundaries", "\u007f\u0080\u07ff\u0800\ud7ff\ue000\ufffd".encode()),
    ("nul", b"a\x00b"),
]
for name, t in VALID_TEXTS:
    add("4.1.%s" % name, "valid UTF-8 text (%s)" % name, echo_then_close([msg(TEXT, t)]))
    add("4.2.%s" % name, "valid UTF-8 (%s) split into 1-byte fragments" % name,
        echo_then_close([msg(TEXT, t, size=1)]))

# A valid text split into two fragments at every byte position.
SPLIT = "\u03ba\u1f79\u03c3\u03bc\u03b5\U0001F600\u20ac".encode()
for i in range(len(SPLIT) + 1):
    add("4.3.%d" % i, "valid UTF-8 split into two fragments at byte %d" % i,
        frag_case([SPLIT[:i], SPLIT[i:]]))

INVALID = [
    ("ff", b"\xff"), ("fe", b"\xfe"), ("f5", b"\xf5\x80\x80\x80"),
    ("cont", b"\x80"), ("cont2", b"\xbf\xbf"),
    ("overlong2", b"\xc0\xaf"), ("overlong2b", b"\xc1\xbf"),
    ("overlong3", b"\xe0\x80\xaf"), ("overlong4", b"\xf0\x80\x80\xaf"),
    ("surrogate-hi", b"\xed\xa0\x80"), ("surrogate-lo", b"\xed\xbf\xbf"),
    ("above-10ffff", b"\xf4\x90\x80\x80"), ("5-byte", b"\xf8\x88\x80\x80\x80"),
    ("6-byte", b"\xfc\x84\x80\x80\x80\x80"), ("lead-then-ascii", b"\xc3A"),
    ("3-byte-cut", b"\xe2\x82A"), ("4-byte-cut", b"\xf0\x9f\x98A"),
]


def utf8_fail_fast(head, bad, tail):
    """Sends the message up to and including the first bad byte as a
    fragment, waits for the client's 1007, and only then sends the rest."""
    def run(c):
        c.send(frame(TEXT, head + bad, fin=False))
        c.expect_close([1007], timeout=5)
        c.send(frame(CONT, tail, fin=True))
        c.finish()
    return run


for name, bad in INVALID:
    add("4.4.%s" % name, "invalid UTF-8 (%s) in a single-frame message" % name,
        violation(frame(TEXT, b"ok " + bad + b" end"), 1007, before=[msg(TEXT, b"valid first")]),
        exit=1, stderr="UTF-8")
    add("4.5.%s" % name, "invalid UTF-8 (%s), fail fast in its own fragment" % name,
        utf8_fail_fast(b"fragment ", bad, b" and the rest"), exit=1, stderr="UTF-8")
    add("4.6.%s" % name, "invalid UTF-8 (%s) split byte by byte across fragments" % name,
        violation(fragments(TEXT, b"ab" + bad + b"cd", 1), 1007), exit=1, stderr="UTF-8")

# The bad byte at every position of a longer text: replace byte i by 0xFF.
BASE = "h\u00e9llo \u20ac w\U0001F600rld".encode()
for i in range(len(BASE)):
    bad = BASE[:i] + b"\xff" + BASE[i + 1:]
    add("4.7.%d" % i, "0xFF at byte %d of a text, fail fast in its fragment" % i,
        utf8_fail_fast(BASE[:i], b"\xff", BASE[i + 1:]), exit=1, stderr="UTF-8")
    add("4.8.%d" % i, "0xFF at byte %d of a single-frame text" % i,
        violation(frame(TEXT, bad), 1007), exit=1, stderr="UTF-8")



def utf8_fail_fast_in_frame(c):
    """Invalid UTF-8 early in a 1 MiB single frame: the client closes with
    1007 before the frame's payload has all arrived."""
    data = b"ok \xc0\xaf" + pattern(MiB)
    wire = frame(TEXT, data)
    c.send(wire[:5000])
    c.expect_close([1007], timeout=5)
    c.send(wire[5000:])
    c.finish()


add("4.12", "invalid UTF-8 at the start of a 1 MiB frame: 1007 before the frame ends",
    utf8_fail_fast_in_frame, exit=1, stderr="UTF-8")

for name, cut in (("2-byte", b"\xc3"), ("3-byte", b"\xe2\x82"), ("4-byte", b"\xf0\x9f\x98")):
    add("4.9.%s" % name, "text ending inside a %s sequence" % name,
        violation(frame(TEXT, b"abc" + cut), 1007), exit=1, stderr="UTF-8")
    add("4.10.%s" % name, "fragmented text ending inside a %s sequence" % name,
        violation(frame(TEXT, b"abc", fin=False) + frame(CONT, cut), 1007), exit=1,
        stderr="UTF-8")
add("4.11", "binary messages are not checked for UTF-8",
    echo_then_close([msg(BINARY, b"\xff\xfe\xc0\xaf\xed\xa0\x80")]))

# ----------------------------------------------------------------- 5 close
VALID_CODES = (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013,
               1014, 3000, 3999, 4000, 4999)
for code in VALID_CODES:
    add("5.1.%d" % code, "server closes with %d: the client answers with the same code" % code,
        lambda c, code=code: c.close_normally(code, b"reason"),
        exit=0 if code in (1000, 1001) else 1)


def close_no_status(c):
    c.close_normally(None)


add("5.2.1", "close without a status code (empty payload)", close_no_status)
add("5.2.2", "close with a code and no reason", lambda c: c.close_normally(1000))
add("5.2.3", "close with a 123-byte reason (125-byte payload)",
    lambda c: c.close_normally(1000, b"r" * 123))
add("5.2.4", "close with a multi-byte UTF-8 reason",
    lambda c: c.close_normally(1000, "\u03ba\u1f79\u03c3\u03bc\u03b5 \U0001F600".encode()))

for code in (0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535):
    add("5.3.%d" % code, "server closes with invalid code %d: the client fails with 1002" % code,
        violation(frame(CLOSE, close_payload(code))), exit=1, stderr="close code")
add("5.4.1", "close with a 1-byte payload", violation(frame(CLOSE, b"\x03")), **V)
add("5.4.2", "close with a 126-byte payload", violation(frame(CLOSE, close_payload(1000, b"r" * 124))),
    **V)
add("5.4.3", "close reason that is not UTF-8",
    violation(frame(CLOSE, close_payload(1000, b"bad \xff reason")), 1007), exit=1, stderr="UTF-8")
add("5.4.4", "close reason with a truncated UTF-8 sequence",
    violation(frame(CLOSE, close_payload(1000, b"bad \xe2\x82")), 1007), exit=1, stderr="UTF-8")


def data_after_close(c):
    """After the close handshake starts, later data and pings are ignored."""
    c.send(frame(CLOSE, close_payload(1000)) + frame(TEXT, b"late") + frame(PING, b"late"))
    c.expect_close([1000])
    c.expect_silence(0.3)
    c.shutdown()


add("5.5.1", "data and ping after the server's Close are ignored", data_after_close)


def close_between_fragments(c):
    c.send(frame(TEXT, b"never ", fin=False) + frame(CLOSE, close_payload(1000)))
    c.expect_close([1000])
    c.shutdown()


add("5.5.2", "close between the fragments of a message", close_between_fragments)


def close_then_wait(c):
    """The server answers nothing after the client's Close and keeps TCP
    open: the client must close TCP itself within a few seconds."""
    c.send(frame(CLOSE, close_payload(1000)))
    c.expect_close([1000])
    c.expect_eof(timeout=8)


add("5.5.3", "the server never closes TCP: the client does", close_then_wait)


def echo_then_close_in_one_write(c):
    c.send(frame(TEXT, b"last words") + frame(CLOSE, close_payload(1001, b"bye")))
    c.expect(TEXT, b"last words")
    c.expect_close([1001, 1000])
    c.shutdown()


add("5.5.4", "message and close in one write: echo, then close", echo_then_close_in_one_write)


def tcp_drop(c):
    c.send(frame(TEXT, b"one"))
    c.expect(TEXT, b"one")
    c.s.close()


add("5.6.1", "the server drops TCP without a close: exit 1 (1006)", tcp_drop, exit=1,
    stderr="1006")

# ------------------------------------------------------ 6 strict ordering


def valid_then_violation(c):
    c.send(frame(TEXT, b"first") + frame(BINARY, b"second") + frame(5, b"bad") +
           frame(TEXT, b"never echoed"))
    c.expect(TEXT, b"first")
    c.expect(BINARY, b"second")
    c.expect_fail(1002)


add("6.1", "two valid messages, a violation, another message: two echoes, then 1002",
    valid_then_violation, **V)


def ping_then_violation(c):
    c.send(frame(PING, b"p") + frame(TEXT, b"m") + frame(PING, b"x" * 126))
    c.expect(PONG, b"p")
    c.expect(TEXT, b"m")
    c.expect_fail(1002)


add("6.2", "ping, message, oversized ping: pong and echo, then 1002", ping_then_violation, **V)

# ------------------------------------------------------ 7 permessage-deflate
PMD = "permessage-deflate"


def pmd_case(cid, desc, fn, ext=PMD, pmd=None, **kw):
    def run(c):
        offer = c.offer()
        if offer != "permessage-deflate; client_max_window_bits":
            raise Fail("unexpected offer %r" % offer)
        c.pmd = pmd() if pmd else Pmd()
        fn(c)
    add(cid, desc, run, ext=ext, **kw)


def z_echo(msgs, size=None, bytewise=False):
    """Sends each (op, data) compressed (fragments of `size`), expects the
    echo; the client may answer compressed or not."""
    def run(c):
        for op, data in msgs:
            comp = c.pmd.compress(data)
            if size:
                c.send(fragments(op, comp, size, rsv_first=RSV1))
            else:
                c.send(frame(op, comp, rsv=RSV1))
            c.expect(op, data, timeout=120, bytewise=bytewise)
        c.close_normally()
    return run


for n in (0, 1, 100, 1000, 65536, MiB):
    pmd_case("7.1.%d" % n, "compressed text of %d bytes" % n, z_echo([(TEXT, pattern(n))]))
    pmd_case("7.2.%d" % n, "compressed binary of %d bytes (incompressible)" % n,
             z_echo([(BINARY, noise(n, 9))]))
pmd_case("7.1.16M", "compressed 16 MiB text", z_echo([(TEXT, pattern(16 * MiB))]), timeout=180)
for size in (1, 7, 100, 4096):
    pmd_case("7.3.%d" % size, "compressed message in fragments of %d bytes (RSV1 on the first)" % size,
             z_echo([(TEXT, pattern(20000, size))], size=size))


def client_compresses(c):
    """A compressible message comes back compressed, and a plain one
    (RSV1 clear) in a compressed session is fine too."""
    data = pattern(5000)
    c.send(frame(TEXT, c.pmd.compress(data), rsv=RSV1))
    c.expect(TEXT, data)
    if not c.last_compressed:
        raise Fail("the client did not compress a 5000-byte compressible echo")
    c.send(frame(TEXT, b"plain in a compressed session"))
    c.expect(TEXT, b"plain in a compressed session")
    c.close_normally()


pmd_case("7.4.1", "compressible echo is compressed; uncompressed messages still work",
         client_compresses)

MSGS = [(TEXT, pattern(3000, i % 3)) for i in range(8)] + [(BINARY, noise(2000, 5)),
                                                           (TEXT, pattern(3000, 0))]
pmd_case("7.5.1", "ten messages with context takeover both ways", z_echo(MSGS))
pmd_case("7.5.2", "server_no_context_takeover", z_echo(MSGS),
         ext=PMD + "; server_no_context_takeover", pmd=lambda: Pmd(snct=True))
pmd_case("7.5.3", "client_no_context_takeover: the client resets its context per message",
         z_echo(MSGS), ext=PMD + "; client_no_context_takeover", pmd=lambda: Pmd(cnct=True))
pmd_case("7.5.4", "no context takeover either way", z_echo(MSGS),
         ext=PMD + "; server_no_context_takeover; client_no_context_takeover",
         pmd=lambda: Pmd(snct=True, cnct=True))
for bits in range(8, 16):
    pmd_case("7.6.%d" % bits, "client_max_window_bits=%d: client's matches stay in the window" % bits,
             z_echo(MSGS[:4], bytewise=True), ext=PMD + "; client_max_window_bits=%d" % bits,
             pmd=lambda b=bits: Pmd(client_bits=b))
    pmd_case("7.7.%d" % bits, "server_max_window_bits=%d" % bits, z_echo(MSGS[:4]),
             ext=PMD + "; server_max_window_bits=%d" % bits, pmd=lambda b=bits: Pmd(server_bits=b))
pmd_case("7.6.strict", "strictest: 8-bit windows and no context takeover either way",
         z_echo(MSGS, bytewise=True),
         ext=PMD + "; server_no_context_takeover; client_no_context_takeover; "
         "server_max_window_bits=8; client_max_window_bits=8",
         pmd=lambda: Pmd(8, 8, True, True))


def bfinal_messages(c):
    """Messages each ended with a BFINAL block (RFC 7692 section 7.2.3)
    with context takeover: the next stream's dictionary is the window."""
    hist = b""
    for i in range(4):
        data = pattern(2000, i % 2)
        co = zlib.compressobj(6, zlib.DEFLATED, -15, zdict=hist[-32768:]) if hist else \
            zlib.compressobj(6, zlib.DEFLATED, -15)
        c.send(frame(TEXT, co.compress(data) + co.flush(zlib.Z_FINISH), rsv=RSV1))
        hist += data
        c.expect(TEXT, data)
    c.close_normally()


pmd_case("7.8.1", "messages ended with BFINAL blocks, context takeover", bfinal_messages)

ZV = dict(exit=1, stderr="protocol error")


def z_violation(build, code, before=True):
    def run(c):
        wire = b""
        if before:
            wire += frame(TEXT, c.pmd.compress(b"valid compressed first"), rsv=RSV1)
        wire += build(c)
        c.send(wire)
        if before:
            c.expect(TEXT, b"valid compressed first")
        c.expect_fail(code)
    return run


pmd_case("7.9.1", "RSV1 on a continuation frame",
         z_violation(lambda c: frame(TEXT, b"", fin=False, rsv=RSV1) +
                     frame(CONT, c.pmd.compress(b"x"), rsv=RSV1), 1002, before=False), **ZV)
pmd_case("7.9.2", "RSV1 on a ping", z_violation(lambda c: frame(PING, b"", rsv=RSV1), 1002), **ZV)
pmd_case("7.9.3", "RSV1 on a close",
         z_violation(lambda c: frame(CLOSE, close_payload(1000), rsv=RSV1), 1002), **ZV)
pmd_case("7.9.4", "RSV2 on a compressed message",
         z_violation(lambda c: frame(TEXT, b"x", rsv=RSV1 | RSV2), 1002), **ZV)
pmd_case("7.9.5", "corrupt compressed data",
         z_violation(lambda c: frame(BINARY, b"\x07\x00\xff", rsv=RSV1), 1007), exit=1,
         stderr="compressed")
pmd_case("7.9.6", "compressed text that inflates to invalid UTF-8",
         z_violation(lambda c: frame(TEXT, c.pmd.compress(b"bad \xff utf-8"), rsv=RSV1), 1007),
         exit=1, stderr="UTF-8")


def z_utf8_fail_fast(c):
    """Invalid UTF-8 early in a long compressed message: the client closes
    with 1007 in the fragment where it inflates, before the message ends."""
    data = b"abc\xc0\xaf" + pattern(100000)
    comp = c.pmd.compress(data)
    c.send(frame(TEXT, comp[:len(comp) // 2], fin=False, rsv=RSV1))
    c.expect_close([1007], timeout=5)
    c.send(frame(CONT, comp[len(comp) // 2:], fin=True))
    c.finish()


pmd_case("7.9.7", "compressed invalid UTF-8 fails fast", z_utf8_fail_fast, exit=1, stderr="UTF-8")


def z_bomb(c):
    """64 MiB of zeros in ~64 KiB: closes 1009 at the 1 MiB limit."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    comp = co.compress(bytes(64 * MiB)) + co.flush(zlib.Z_SYNC_FLUSH)
    c.send(frame(BINARY, comp[:-4], rsv=RSV1))
    c.expect_fail(1009)


pmd_case("7.9.8", "decompression bomb: 64 MiB of zeros against --max-message 1M", z_bomb,
         args=["--max-message", "1M"], exit=1, stderr="1009|limit")


def z_at_limit(c):
    data = pattern(MiB)
    c.send(frame(BINARY, c.pmd.compress(data), rsv=RSV1))
    c.expect(BINARY, data)
    data = pattern(MiB + 1)
    c.send(frame(BINARY, c.pmd.compress(data), rsv=RSV1))
    c.expect_fail(1009)


pmd_case("7.9.9", "inflated size exactly at --max-message passes, one byte more closes 1009",
         z_at_limit, args=["--max-message", "1M"], exit=1, stderr="limit")


def z_trailing(c):
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    comp = co.compress(b"ended") + co.flush(zlib.Z_FINISH)
    c.send(frame(TEXT, comp + b"\x00garbage", rsv=RSV1))
    c.expect_fail(1007)


pmd_case("7.9.10", "data after a BFINAL block", z_trailing, exit=1, stderr="compressed")


def handshake_fail(ext, why):
    def run(c):
        c.expect_eof()
    add("7.10.%d" % (len([k for k in CASES if k["id"].startswith("7.10.")]) + 1),
        "handshake fails (exit 5): %s" % why, run, ext=ext, exit=5,
        stderr="handshake failed: .*" + re.escape(why.split(":")[0]))


handshake_fail(PMD + "; foo", "unknown parameter")
handshake_fail(PMD + "; server_no_context_takeover; server_no_context_takeover", "given twice")
handshake_fail(PMD + "; client_max_window_bits=16", "client_max_window_bits")
handshake_fail(PMD + "; server_max_window_bits=7", "server_max_window_bits")
handshake_fail(PMD + "; server_max_window_bits", "without a value")
handshake_fail(PMD + "; client_max_window_bits", "without a value")
handshake_fail(PMD + "; client_no_context_takeover=1", "takes no value")
handshake_fail(PMD + ", " + PMD, "more than once")
handshake_fail("x-webkit-deflate-frame", "not offered")


def no_compression(c):
    if c.offer():
        raise Fail("--no-compression still offered %r" % c.offer())
    c.send(frame(TEXT, b"plain"))
    c.expect(TEXT, b"plain")
    c.close_normally()


add("7.11.1", "--no-compression: nothing offered", no_compression, args=["--no-compression"])


def rsv1_when_declined(c):
    if not c.offer().startswith(PMD):
        raise Fail("permessage-deflate not offered by default")
    c.send(frame(TEXT, b"x", rsv=RSV1))
    c.expect_fail(1002)


add("7.11.2", "offered but declined: RSV1 is a protocol error", rsv1_when_declined, **V)


# ====================================================================== runner

def run_case(idx, k, lsock, args):
    url = "ws://127.0.0.1:%d/%s" % (lsock.getsockname()[1], k["id"])
    wrapper = shlex.split(os.environ.get("WSC_WRAPPER", ""))
    cmd = wrapper + [args.wsc, "--echo"] + k["args"] + [url]
    errf = open(os.path.join(args.tmp, "stderr.txt"), "w+b")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=errf)
    why = None
    conn = None
    try:
        lsock.settimeout(30 if wrapper else 10)
        try:
            s, _ = lsock.accept()
        except socket.timeout:
            raise Fail("wsc did not connect")
        s.settimeout(None)
        conn = Conn(s, k)
        conn.handshake(k["ext"])
        if conn.request[1] != "/" + k["id"]:
            raise Fail("request path %s" % conn.request[1])
        k["fn"](conn)
    except Fail as e:
        why = str(e)
    try:
        st = proc.wait(timeout=k["timeout"] if not wrapper else k["timeout"] * 10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        st = None
        why = why or "wsc did not exit"
    if conn:
        conn.s.close()
    errf.seek(0)
    err = errf.read().decode("utf-8", "replace")
    errf.close()
    if why is None and st != k["exit"]:
        why = "wsc exited %s, expected %d" % (st, k["exit"])
    if why is None and k["stderr"] and not re.search(k["stderr"], err):
        why = "stderr does not match /%s/" % k["stderr"]
    if why is None and wrapper and re.search(r"==\d+== (Invalid|Conditional|.*definitely lost)",
                                             err):
        why = "valgrind reported errors"
    if why:
        last = err.strip().splitlines()[-3:]
        print("not ok - %s %s: %s%s" % (k["id"], k["desc"], why,
                                           "".join("\n#   " + l for l in last)), flush=True)
        return False
    print("ok - %s %s" % (k["id"], k["desc"]), flush=True)
    if args.verbose and err:
        print("#   " + err.strip().replace("\n", "\n#   "))
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wsc", default=os.environ.get("WSC"))
    ap.add_argument("--filter", default=None, help="regex on case ids")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--tmp", default=os.environ.get("TMPDIR", "/tmp"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    cases = [k for k in CASES if not args.filter or re.search(args.filter, k["id"])]
    if args.list:
        for k in cases:
            print(k["id"], k["desc"])
        return 0
    if not args.wsc:
        ap.error("--wsc PATH (or $WSC) is required")
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(4)
    t0 = time.monotonic()
    passed = failed = 0
    for i, k in enumerate(cases, 1):
        if run_case(i, k, lsock, args):
            passed += 1
        else:
            failed += 1
    print("# %d cases in %.1f s" % (len(cases), time.monotonic() - t0))
    print("# %d passed, %d failed" % (passed, failed))
    print("1..%d" % (passed + failed))  # the TAP plan (tests/setup)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
