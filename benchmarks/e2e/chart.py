#!/usr/bin/env python3
"""Draws e2e.json (from report.py) as an SVG bar chart of the ratios to the kernel over veth: one
group of bars per MTU and measurement, one bar per user-space stack, the kernel as the line at 1.
Every bar means "higher is better": for round trips the ratio is inverted (kernel / figure). Plain
SVG written by hand, no dependencies.

usage: chart.py e2e.json OUT.svg
"""
import json
import sys
from xml.sax.saxutils import escape

BARS = [("tuntcp", "#1f77b4"), ("pasta", "#ff7f0e"), ("slirp4netns", "#2ca02c")]
SHOWN = [("up", "kernel → stack (iperf3 -c)"), ("down", "stack → kernel (iperf3 -R)"),
         ("cps", "connections/s"), ("rtt50", "echo round trip p50 (inverted)")]
LABEL_W, PLOT_W, BAR_H, GAP, TOP = 275, 520, 13, 12, 64


def speedup(metric, entry):
    if entry is None or entry.get("ratio") in (None, 0):
        return None
    return 1 / entry["ratio"] if metric.startswith("rtt") else entry["ratio"]


def main():
    doc = json.load(open(sys.argv[1]))
    groups = []
    for mtu in sorted(doc["mtus"], key=int):
        for metric, label in SHOWN:
            by_system = doc["mtus"][mtu].get(metric, {})
            bars = [(s, c, speedup(metric, by_system.get(s))) for s, c in BARS]
            if any(v is not None for _, _, v in bars):
                groups.append(("MTU %s · %s" % (mtu, label), bars))
    peak = max([1.2] + [v for _, bars in groups for _, _, v in bars if v is not None])
    scale = PLOT_W / (peak * 1.08)
    height = TOP + sum(len(b) * BAR_H + GAP for _, b in groups) + 40
    width = LABEL_W + PLOT_W + 70
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="11">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="18" font-size="14" font-weight="bold">%s</text>' % escape(
               "Relative to two kernel TCPs over a veth pair (= 1), higher is better"),
           '<text x="10" y="34" fill="#555">%s</text>' % escape(
               "%s · kernel %s · %s · %s" % (doc["machine"], doc["kernel"], doc.get("java") or "", doc["date"]))]
    x = LABEL_W
    for i, (name, color) in enumerate(BARS):
        svg.append('<rect x="%d" y="44" width="12" height="10" fill="%s"/>' % (x + i * 120, color))
        svg.append('<text x="%d" y="53">%s</text>' % (x + i * 120 + 16, escape(name)))
    y = TOP
    for label, bars in groups:
        svg.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (LABEL_W - 8, y + len(bars) * BAR_H / 2 + 4, escape(label)))
        for name, color, v in bars:
            if v is None:
                svg.append('<text x="%d" y="%d" fill="#999">%s: not run</text>' % (LABEL_W + 4, y + BAR_H - 3, escape(name)))
            else:
                svg.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (LABEL_W, y, v * scale, BAR_H - 2, color))
                svg.append('<text x="%.1f" y="%d">%.2f</text>' % (LABEL_W + v * scale + 4, y + BAR_H - 3, v))
            y += BAR_H
        y += GAP
    one = LABEL_W + scale
    svg.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-dasharray="4 3"/>' % (one, TOP - 6, one, y))
    svg.append('<text x="%.1f" y="%d" text-anchor="middle">kernel over veth = 1</text>' % (one, y + 14))
    svg.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>' % (LABEL_W, TOP - 6, LABEL_W, y))
    svg.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
