"""A scripted SOCKS5 proxy (RFC 1928, RFC 1929) for the error paths.

It logs what the client asked for (`method ...`, `auth USER PASS`,
`connect ATYP HOST PORT`) and then either relays to the target for real
or answers as --mode says:
  relay        accept, connect to the target, relay both ways (default)
  reply N      answer CONNECT with reply code N (1-255)
  no-method    accept none of the offered methods (0xff)
  auth U P     require username/password U:P, then relay
  not-socks    answer the greeting with an HTTP status line
"""

import socket
import struct
import sys
import threading

import peerlib

ATYP = {1: "ipv4", 3: "domain", 4: "ipv6"}


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_target(sock):
    """The CONNECT request after its 4-byte head: (atyp, host, port)."""
    ver, cmd, _, atyp = recv_exact(sock, 4)
    if atyp == 1:
        host = socket.inet_ntop(socket.AF_INET, recv_exact(sock, 4))
    elif atyp == 4:
        host = socket.inet_ntop(socket.AF_INET6, recv_exact(sock, 16))
    else:
        host = recv_exact(sock, recv_exact(sock, 1)[0]).decode()
    port = struct.unpack("!H", recv_exact(sock, 2))[0]
    return atyp, host, port


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def relay(client, host, port, log):
    try:
        target = socket.create_connection((host, port), 5)
    except OSError:
        client.sendall(b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
        log("refused")
        return
    client.sendall(b"\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00")
    t = threading.Thread(target=pump, args=(target, client), daemon=True)
    t.start()
    pump(client, target)
    t.join()
    target.close()


def authenticate(sock, want, log):
    ver, ulen = recv_exact(sock, 2)
    user = recv_exact(sock, ulen).decode()
    plen = recv_exact(sock, 1)[0]
    pw = recv_exact(sock, plen).decode()
    log("auth %s %s" % (user, pw))
    ok = [user, pw] == want
    sock.sendall(b"\x01" + (b"\x00" if ok else b"\x01"))
    return ok


def handle(sock, mode, log):
    ver, n = recv_exact(sock, 2)
    methods = recv_exact(sock, n)
    log("method " + " ".join("%d" % m for m in methods))
    if mode[0] == "not-socks":
        sock.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        return
    if mode[0] == "no-method":
        sock.sendall(b"\x05\xff")
        return
    if mode[0] == "auth":
        sock.sendall(b"\x05\x02")
        if not authenticate(sock, mode[1:3], log):
            return
    else:
        sock.sendall(b"\x05\x00")
    atyp, host, port = read_target(sock)
    log("connect %s %s %d" % (ATYP.get(atyp, atyp), host, port))
    if mode[0] == "reply":
        sock.sendall(bytes([5, int(mode[1]), 0, 1, 0, 0, 0, 0, 0, 0]))
        return
    relay(sock, host, port, log)


def main():
    p = peerlib.arg_parser(__doc__)
    p.add_argument("--mode", nargs="+", default=["relay"])
    args = p.parse_args()
    log = peerlib.Log(args.log)

    def serve(sock, num):
        try:
            handle(sock, args.mode, log)
        except (EOFError, OSError):
            log("eof")
        finally:
            sock.close()

    peerlib.accept_forever(peerlib.listen(args.port), serve)


if __name__ == "__main__":
    sys.exit(main())
