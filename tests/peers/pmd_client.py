"""permessage-deflate cases against an echo server (wsc -l --echo).

The client side of RFC 7692 conformance for a server: every window size
the client may ask the server for (server_max_window_bits 8-15) and may
announce for itself (client_max_window_bits 9-15; zlib in Python cannot
compress with 8), context takeover on and
off both ways, messages of many sizes and kinds, fragmented messages with
pings between the fragments, runs of 1,000 messages, and several offers
in one header of which only a later one is acceptable. Each case checks
what was agreed and that every echo is exact; it prints one line per case
(`ok NAME` or `FAIL NAME: why`) and exits 1 if any failed.

    pmd_client.py --url ws://127.0.0.1:PORT/ [--only SUBSTRING]
"""

import argparse
import asyncio
import random
import sys

import websockets
from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory, PerMessageDeflate)

RNG = random.Random(7692)
WORDS = ["alpha", "beta", "gamma", "delta", "\u03ba\u1f79\u03c3\u03bc\u03b5",
         "\U0001F600", "{\"id\":17}"]


def payloads():
    """Messages of many sizes and kinds: empty, tiny, repetitive, random
    (incompressible), UTF-8 of every width, and large ones."""
    text = [" ".join(RNG.choice(WORDS) for _ in range(n))
            for n in (0, 1, 10, 100, 1000, 30000)]
    text.append("x" * 70000)
    binary = [bytes(RNG.getrandbits(8) for _ in range(n))
              for n in (0, 1, 100, 5000)]
    binary.append(bytes(200000))
    return text + binary


def factory(snct=False, cnct=False, sbits=None, cbits=None):
    return ClientPerMessageDeflateFactory(
        server_no_context_takeover=snct, client_no_context_takeover=cnct,
        server_max_window_bits=sbits, client_max_window_bits=cbits)


async def echo_all(ws, messages):
    for m in messages:
        await ws.send(m)
        got = await ws.recv()
        if got != m:
            raise AssertionError("echo differs for a %d-byte %s message" % (
                len(m), type(m).__name__))


async def fragmented(ws):
    """A message in fragments with a ping after each: the server must
    answer the pings and echo the message whole."""
    parts = [" ".join(RNG.choice(WORDS) for _ in range(200)) for _ in range(5)]

    async def gen():
        for i, p in enumerate(parts):
            yield p
            await ws.ping(b"between %d" % i)

    await ws.send(gen())
    got = await ws.recv()
    if got != "".join(parts):
        raise AssertionError("fragmented echo differs")


def agreed(ws):
    exts = [e for e in ws.extensions if isinstance(e, PerMessageDeflate)]
    if len(exts) != 1:
        raise AssertionError("permessage-deflate not agreed")
    return exts[0]


async def one_case(url, name, fac, body, check=None, header=None):
    kw = {"extensions": [fac] if fac else None, "compression": None,
          "max_size": None}
    if header is not None:
        kw["extra_headers"] = {"Sec-WebSocket-Extensions": header}
    try:
        async with websockets.connect(url + name, **kw) as ws:
            if check:
                check(ws)
            await body(ws)
        return "ok " + name
    except Exception as e:  # every failure is reported, none stops the run
        return "FAIL %s: %s" % (name, e)


def cases(msgs):
    """(name, factory, body, check) for every case."""
    out = []
    for bits in range(8, 16):
        for snct in (False, True):
            def chk(ws, bits=bits, snct=snct):
                a = agreed(ws)
                if a.remote_max_window_bits > bits or \
                        a.remote_no_context_takeover != snct:
                    raise AssertionError("agreed %r" % a)
            out.append(("server-bits-%d-nct-%d" % (bits, snct),
                        factory(snct=snct, sbits=bits),
                        lambda ws: echo_all(ws, msgs), chk))
        # Python's zlib cannot deflate with an 8-bit window (raw
        # deflate): the client side of 8 is node's (deflate_client.js).
        for cnct in (False, True) if bits > 8 else ():
            out.append(("client-bits-%d-nct-%d" % (bits, cnct),
                        factory(cnct=cnct, cbits=bits),
                        lambda ws: echo_all(ws, msgs), lambda ws: agreed(ws)))
    run = [" ".join(RNG.choice(WORDS) for _ in range(RNG.randrange(1, 60)))
           for _ in range(1000)]
    for snct, cnct in ((False, False), (True, True)):
        out.append(("run-1000-nct-%d%d" % (snct, cnct),
                    factory(snct=snct, cnct=cnct),
                    lambda ws: echo_all(ws, run), lambda ws: agreed(ws)))
    out.append(("fragmented-with-pings", factory(),
                fragmented, lambda ws: agreed(ws)))
    out.append(("fragmented-no-context-takeover", factory(True, True, 9, 9),
                fragmented, lambda ws: agreed(ws)))
    return out


async def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--only", default="")
    args = p.parse_args()
    msgs = payloads()
    results = []
    for name, fac, body, check in cases(msgs):
        if args.only in name:
            results.append(await one_case(args.url, name, fac, body, check))
    # Several offers, the first declinable (an unknown parameter, RFC
    # 7692 section 5): the server must take the second.
    if args.only in "second-offer":
        fac = factory(snct=True)
        hdr = ("permessage-deflate; no_such_param, "
               "permessage-deflate; server_no_context_takeover")

        def second(ws):
            if not agreed(ws).remote_no_context_takeover:
                raise AssertionError("the second offer was not taken")
        results.append(await one_case(args.url, "second-offer", fac,
                                      lambda ws: echo_all(ws, msgs[:4]),
                                      second, hdr))
    for r in results:
        print(r)
    return 1 if any(r.startswith("FAIL") for r in results) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
