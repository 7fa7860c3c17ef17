#!/usr/bin/env python3
"""Reads `iperf3 -J` output on stdin and prints the receiver's rate in Gbit/s (end.sum_received,
which is the server's for a normal run and the client's own for -R). Exits 1 with iperf3's reason
when the run failed or moved no data: e2e.sh never prints a figure from a broken run.

usage: iperf3 -c HOST -J ... | iperf_rate.py
"""
import json
import sys


def json_objects(text):
    """The JSON objects in text, in order, each parsed from a '{' up to where it ends; text that is
    not JSON (a stray brace, iperf3's plain-text warnings) is skipped."""
    decoder = json.JSONDecoder()
    found, at = [], text.find("{")
    while at >= 0:
        try:
            value, end = decoder.raw_decode(text, at)
        except ValueError:
            at = text.find("{", at + 1)
            continue
        found.append(value)
        at = text.find("{", end)
    return found


def main():
    text = sys.stdin.read()
    objects = json_objects(text)
    if not objects:
        sys.exit("iperf_rate.py: no iperf3 JSON result: %r" % text[-300:])
    # iperf3 has been seen to print stray closing braces after its result (a smoke run here): the
    # result is the first whole object; an error in it or in anything after it fails the run.
    for extra in objects:
        if isinstance(extra, dict) and "error" in extra:
            sys.exit("iperf_rate.py: iperf3 failed: %s" % extra["error"])
    result = objects[0]
    received = result.get("end", {}).get("sum_received", {})
    bits, moved = received.get("bits_per_second", 0), received.get("bytes", 0)
    if not moved or not bits:
        sys.exit("iperf_rate.py: the run moved no data: %r" % received)
    print("%.3f" % (bits / 1e9))


if __name__ == "__main__":
    main()
