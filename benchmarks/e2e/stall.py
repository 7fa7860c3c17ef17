#!/usr/bin/env python3
"""Reads `tshark -T fields -e frame.time_relative -e ip.src -e tcp.ack -e tcp.len` lines of one
bulk transfer and prints, for the receiver RECEIVER (the address that sends the ACKs), the longest
time its cumulative acknowledgment stood still while the transfer was under way — the longest
stall, from the first ACK that acknowledges data to the last one — plus how many times the ACK
advanced. Used by loss.sh; the goal of issue 7 is that no stall lasts longer than two RTOs.

usage: tshark ... | stall.py RECEIVER
"""
import sys


def main():
    receiver = sys.argv[1]
    last_ack = None
    last_time = None
    longest = 0.0
    longest_at = 0.0
    advances = 0
    for line in sys.stdin:
        parts = line.split("\t")
        if len(parts) < 3 or parts[1] != receiver or not parts[2].strip():
            continue
        t = float(parts[0])
        ack = int(parts[2].strip().split(",")[0])
        if last_ack is None:
            last_ack, last_time = ack, t
            continue
        if ack > last_ack:
            gap = t - last_time
            if gap > longest:
                longest, longest_at = gap, last_time
            last_ack, last_time = ack, t
            advances += 1
    print("longest_stall_ms %.1f at_s %.3f advances %d" % (longest * 1000, longest_at, advances))


if __name__ == "__main__":
    main()
