#!/usr/bin/env python3
"""The kernel-side reference for tcp-core.sh: a minimal HTTP/1.1 server on a kernel socket that
answers the two requests the benchmark makes exactly as tuntcp's HttpService does — GET / (a small
page) and GET /bytes/N (N bytes of the same repeating 64-byte line, streamed) — with Content-Length
and keep-alive. Kept deliberately cheap so that the kernel's TCP, not the Python code, is what the
benchmark compares against: connections are served one after another on the accepting thread (the
benchmark's clients are sequential; no thread is started per connection), and the body goes out in
256 KiB sendall() calls from one pre-built buffer.

usage: kernel_http.py ADDRESS PORT SECONDS   (exits by itself after SECONDS: bounded)
"""
import os
import socket
import sys
import threading

LINE = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n"
CHUNK = LINE * 4096  # 256 KiB, a whole number of lines so every chunk starts on a line
PAGE = b"<!DOCTYPE html>\n<html><head><title>kernel</title></head><body>kernel reference</body></html>\n"


def respond(conn, status, body_len, close):
    head = "HTTP/1.1 %s\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n" % (
        status, body_len, "Connection: close\r\n" if close else "")
    conn.sendall(head.encode("ascii"))


def serve(conn):
    buf = b""
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            head, _, buf = buf.partition(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            method, path, version = lines[0].split(b" ", 2)
            headers = {k.strip().lower(): v.strip().lower() for k, _, v in (l.partition(b":") for l in lines[1:])}
            close = headers.get(b"connection") == b"close" or version == b"HTTP/1.0"
            if method == b"GET" and path.startswith(b"/bytes/"):
                n = int(path[len(b"/bytes/"):])
                respond(conn, "200 OK", n, close)
                left = n
                while left > 0:
                    take = min(left, len(CHUNK))
                    conn.sendall(CHUNK if take == len(CHUNK) else memoryview(CHUNK)[:take])
                    left -= take
            elif method == b"GET" and path == b"/":
                respond(conn, "200 OK", len(PAGE), close)
                conn.sendall(PAGE)
            else:
                respond(conn, "404 Not Found", 0, True)
                return
            if close:
                return
    except (OSError, ValueError):
        pass
    finally:
        conn.close()


def main():
    address, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(128)
    print("ready", flush=True)
    timer = threading.Timer(seconds, lambda: (print("time is up", flush=True), os._exit(0)))
    timer.daemon = True
    timer.start()
    while True:
        conn, _ = listener.accept()
        serve(conn)


if __name__ == "__main__":
    main()
