#!/usr/bin/env python3
"""Reads `iperf3 -J` output on stdin and prints the receiver's rate in Gbit/s (end.sum_received,
which is the server's for a normal run and the client's own for -R). Exits 1 with iperf3's reason
when the run failed or moved no data: e2e.sh never prints a figure from a broken run.

usage: iperf3 -c HOST -J ... | iperf_rate.py
"""
import json
import sys


def main():
    text = sys.stdin.read()
    try:
        start = text.index("{")
        result = json.loads(text[start:text.rindex("}") + 1])
    except ValueError:
        sys.exit("iperf_rate.py: no iperf3 JSON result: %r" % text[-300:])
    if "error" in result:
        sys.exit("iperf_rate.py: iperf3 failed: %s" % result["error"])
    received = result.get("end", {}).get("sum_received", {})
    bits, moved = received.get("bits_per_second", 0), received.get("bytes", 0)
    if not moved or not bits:
        sys.exit("iperf_rate.py: the run moved no data: %r" % received)
    print("%.3f" % (bits / 1e9))


if __name__ == "__main__":
    main()
