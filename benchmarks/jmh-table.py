#!/usr/bin/env python3
"""Turns JMH JSON result files (jmh.sh ... -rf json -rff FILE, as benchmarks/measure.sh writes them)
into Markdown tables for docs/benchmarks.md.

ChecksumBench: GB/s from the wall-clock score (ops/s x size / 1e9) and, when the run used
-prof dev.tuntcp.bench.CpuTimeProfiler, from the benchmark thread's CPU time (size / cpu ns per op);
ParseBench and ParseStepsBench: ns/op both ways. B/op is -prof gc's gc.alloc.rate.norm.

usage: benchmarks/jmh-table.py [--compact] RESULT.json
  --compact: one cell per implementation, "wall (CPU)", and one B/op column for all of them
"""
import json
import math
import sys

ORDER = ["tuntcp", "naive", "pcap4j"]


def number(value):
    """JMH writes "NaN" (a string) for the error of a single iteration."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def secondary(result, name):
    metric = result.get("secondaryMetrics", {}).get(name)
    return None if metric is None else (number(metric["score"]), number(metric["scoreError"]))


def bytes_per_op(result):
    metric = secondary(result, "gc.alloc.rate.norm")
    if metric is None:
        return "—"
    # JMH's own bookkeeping shows up as a small fraction of a byte per op; below one byte is zero.
    return "0" if metric[0] < 1 else f"{metric[0]:.0f}"


def pm(score, error, digits):
    return f"{score:.{digits}f}" if math.isnan(error) else f"{score:.{digits}f} ± {error:.{digits}f}"


def main(path, compact=False):
    with open(path) as f:
        results = json.load(f)
    checksum, parse = {}, []
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        m = r["primaryMetric"]
        cpu = secondary(r, "cpu.ns/op")
        if cls == "ChecksumBench":
            size = int(r["params"]["size"])
            wall = (m["score"] * size / 1e9, number(m["scoreError"]) * size / 1e9)
            cpu_gbps = None if cpu is None else size / cpu[0]
            checksum.setdefault(size, {})[method] = (wall, cpu_gbps, bytes_per_op(r))
        elif cls in ("ParseBench", "ParseStepsBench"):
            parse.append((f"{cls}.{method}", (m["score"], number(m["scoreError"])), cpu, bytes_per_op(r)))
    if checksum:
        impls = sorted({i for row in checksum.values() for i in row}, key=lambda i: ORDER.index(i) if i in ORDER else 9)
        if compact:
            print("| size (B) | " + " | ".join(f"{i} GB/s" for i in impls) + " | B/op (" + " / ".join(impls) + ") | tuntcp ÷ pcap4j |")
            print("|---:|" + "---:|" * len(impls) + "---:|---:|")
            for size in sorted(checksum):
                row = checksum[size]
                cells = []
                for i in impls:
                    wall, cpu_gbps, _ = row.get(i, ((float("nan"), float("nan")), None, "—"))
                    cells.append(f"{wall[0]:.2f}" + ("" if cpu_gbps is None else f" ({cpu_gbps:.2f})"))
                allocs = " / ".join(row[i][2] if i in row else "—" for i in impls)
                ratio = f"{row['tuntcp'][0][0] / row['pcap4j'][0][0]:.1f}×" if "tuntcp" in row and "pcap4j" in row else "—"
                print(f"| {size} | " + " | ".join(cells) + f" | {allocs} | {ratio} |")
            print()
            impls = []
        if impls:
            print("| size (B) | " + " | ".join(f"{i} GB/s (wall) | {i} GB/s (CPU) | {i} B/op" for i in impls)
              + " | tuntcp ÷ pcap4j (CPU) |")
            print("|---:|" + "---:|---:|---:|" * len(impls) + "---:|")
        for size in sorted(checksum) if impls else []:
            row = checksum[size]
            cells = []
            for i in impls:
                if i not in row:
                    cells += ["—", "—", "—"]
                    continue
                wall, cpu_gbps, alloc = row[i]
                cells += [pm(wall[0], wall[1], 2), "—" if cpu_gbps is None else f"{cpu_gbps:.2f}", alloc]
            ratio = "—"
            if "tuntcp" in row and "pcap4j" in row and row["tuntcp"][1] and row["pcap4j"][1]:
                ratio = f"{row['tuntcp'][1] / row['pcap4j'][1]:.0f}×"
            print(f"| {size} | " + " | ".join(cells) + f" | {ratio} |")
        print()
    if parse:
        print("| benchmark | ns/op (wall) | ns/op (CPU) | B/op |")
        print("|---|---:|---:|---:|")
        for method, wall, cpu, alloc in parse:
            cpu_cell = "—" if cpu is None else pm(cpu[0], cpu[1], 1)
            print(f"| {method} | {pm(wall[0], wall[1], 1)} | {cpu_cell} | {alloc} |")
        by = {method: (wall, cpu) for method, wall, cpu, _ in parse}
        ours, theirs = "ParseBench.linuxSyn", "ParseBench.pcap4jLinuxSyn"
        if ours in by and theirs in by:
            w = by[theirs][0][0] / by[ours][0][0]
            line = f"\npcap4jLinuxSyn ÷ linuxSyn: {w:.1f}× (wall)"
            if by[ours][1] and by[theirs][1]:
                line += f", {by[theirs][1][0] / by[ours][1][0]:.1f}× (CPU)"
            print(line)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--compact"]
    if len(args) != 1:
        sys.exit(__doc__)
    main(args[0], compact="--compact" in sys.argv[1:])
