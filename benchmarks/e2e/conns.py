#!/usr/bin/env python3
"""Sequential connections for tcp-core.sh: N times open a TCP connection, send one request
(GET / with Connection: close), read the response to the server's FIN, check it is a 200 with the
whole Content-Length body, and close. Prints the elapsed seconds and connections per second.

usage: conns.py HOST PORT N   (each connection has a 10 s timeout: bounded)
"""
import socket
import sys
import time


def one(host, port):
    s = socket.create_connection((host, port), timeout=10)
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise SystemExit("bad response: %r" % head[:80])
    length = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
    if not length or int(length[0].split(b":")[1]) != len(body):
        raise SystemExit("short body: %d bytes, head %r" % (len(body), head))


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start = time.monotonic()
    for _ in range(n):
        one(host, port)
    elapsed = time.monotonic() - start
    print("connections %d seconds %.3f per_second %.0f" % (n, elapsed, n / elapsed))


if __name__ == "__main__":
    main()
