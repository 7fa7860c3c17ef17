#!/usr/bin/env python3
"""Turns a JMH JSON result file (jmh.sh ... -rf json -rff FILE) into Markdown tables for
docs/benchmarks.md: ChecksumBench with GB/s derived from ops/s x size, ParseBench in ns/op, and
the B/op that -prof gc measured (gc.alloc.rate.norm) beside each.

usage: benchmarks/jmh-table.py RESULT.json [RESULT.json ...]
"""
import json
import sys


def number(value):
    """JMH writes "NaN" (a string) for the error of a single iteration."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def alloc_norm(result):
    metric = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return "—" if metric is None else f"{metric['score']:.3g}"


def main(paths):
    checksum, parse = {}, []
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                name = r["benchmark"].rsplit(".", 2)[-2:]
                bench = ".".join(name)
                m = r["primaryMetric"]
                if name[0] == "ChecksumBench":
                    size = int(r["params"]["size"])
                    gbps = m["score"] * size / 1e9
                    err = number(m["scoreError"]) * size / 1e9
                    checksum.setdefault(size, {})[name[1]] = (gbps, err, m["score"], alloc_norm(r))
                elif name[0] == "ParseBench":
                    parse.append((bench, m["score"], number(m["scoreError"]), m["scoreUnit"], alloc_norm(r)))
    if checksum:
        impls = sorted({impl for row in checksum.values() for impl in row},
                       key=lambda i: ["tuntcp", "naive", "pcap4j"].index(i) if i in ("tuntcp", "naive", "pcap4j") else 9)
        print("| size (B) | " + " | ".join(f"{i} GB/s" for i in impls) + " | " + " | ".join(f"{i} B/op" for i in impls) + " | tuntcp ÷ pcap4j |")
        print("|---:|" + "---:|" * (2 * len(impls) + 1))
        for size in sorted(checksum):
            row = checksum[size]
            cells = [f"{row[i][0]:.2f} ± {row[i][1]:.2f}" if i in row else "—" for i in impls]
            allocs = [row[i][3] if i in row else "—" for i in impls]
            ratio = f"{row['tuntcp'][0] / row['pcap4j'][0]:.0f}×" if "tuntcp" in row and "pcap4j" in row else "—"
            print(f"| {size} | " + " | ".join(cells) + " | " + " | ".join(allocs) + f" | {ratio} |")
        print()
    if parse:
        print("| benchmark | score | unit | B/op |")
        print("|---|---:|---|---:|")
        for bench, score, err, unit, alloc in parse:
            print(f"| {bench} | {score:.1f} ± {err:.1f} | {unit} | {alloc} |")
        scores = {b: s for b, s, *_ in parse}
        if "ParseBench.linuxSyn" in scores and "ParseBench.pcap4jLinuxSyn" in scores:
            print(f"\npcap4jLinuxSyn ÷ linuxSyn = {scores['ParseBench.pcap4jLinuxSyn'] / scores['ParseBench.linuxSyn']:.0f}×")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
