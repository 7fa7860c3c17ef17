#!/usr/bin/env python3
"""Turns the raw lines e2e.sh recorded ("MTU METRIC SYSTEM VALUE", or "MTU skip SYSTEM REASON…")
into its one table (stdout, and as Markdown next to the JSON: OUT-table.md) and a JSON file for the chart and docs/benchmarks.md: every figure with
its ratio to the kernel-over-veth figure of the same MTU in the same run, and each goal of issue 9
marked met or not met with the figure that decides it.

usage: report.py RESULTS OUT.json --machine M --kernel K --java J --serve-args A --load L --date D --settings S
"""
import argparse
import json
import sys

SYSTEMS = ["tuntcp", "kernel", "pasta", "slirp4netns"]
HEADINGS = {"tuntcp": "tuntcp (TUN)", "kernel": "kernel (veth)", "pasta": "pasta", "slirp4netns": "slirp4netns"}
# key: (row label, unit, which way is better)
METRICS = {
    "up": ("kernel → stack, iperf3 -c", "Gbit/s", "higher"),
    "down": ("stack → kernel, iperf3 -R", "Gbit/s", "higher"),
    "cps": ("connections/s (open, 32 B echo, close)", "1/s", "higher"),
    "rtt50": ("echo round trip p50, 64 B", "µs", "lower"),
    "rtt99": ("echo round trip p99, 64 B", "µs", "lower"),
    "rss_before": ("RSS at rest, after the runs above", "MiB", "lower"),
    "rss": ("RSS with the idle connections", "MiB", "lower"),
}


def load(path):
    figures, skipped = {}, []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4:
                continue
            mtu, metric, system = parts[0], parts[1], parts[2]
            if metric == "skip":
                skipped.append({"mtu": int(mtu), "system": system, "reason": " ".join(parts[3:])})
                continue
            figures.setdefault(mtu, {}).setdefault(metric, {})[system] = float(parts[3])
    return figures, skipped


def with_ratios(figures):
    """{mtu: {metric: {system: {"value": v, "ratio": v / kernel or None}}}}"""
    out = {}
    for mtu, metrics in figures.items():
        for metric, by_system in metrics.items():
            reference = by_system.get("kernel")
            for system, value in by_system.items():
                ratio = value / reference if reference else None
                out.setdefault(mtu, {}).setdefault(metric, {})[system] = {"value": value, "ratio": ratio}
    return out


def fig(table, mtu, metric, system):
    return table.get(mtu, {}).get(metric, {}).get(system)


def goals(table, idle, serve_args=""):
    """Each goal of issue 9 that e2e.sh measures: {goal, met (True/False/None), figure}."""
    out = []
    mtus = sorted(table, key=int)

    def both(mtu, metric):  # tuntcp's figure and ratio each way at one MTU, or None
        up, down = fig(table, mtu, "up", "tuntcp"), fig(table, mtu, "down", "tuntcp")
        return (up, down) if up and down else None

    def each_mtu(test, describe):
        seen = [(m, test(m)) for m in mtus if test(m) is not None]
        text = "; ".join("MTU %s: %s" % (m, describe(m)) for m, _ in seen) or "not measured"
        return (any(ok for _, ok in seen) if seen else None), text

    def throughput(m, floor=None, ratio=None, against=None):
        b = both(m, "up")
        if not b:
            return None
        if floor is not None:
            return all(x["value"] >= floor for x in b)
        if ratio is not None:
            return all(x["ratio"] is not None and x["ratio"] >= ratio for x in b)
        others = [fig(table, m, d, a) for d in ("up", "down") for a in against]
        if any(o is None for o in others):
            return None
        return all(fig(table, m, d, "tuntcp")["value"] >= fig(table, m, d, a)["value"] for d in ("up", "down") for a in against)

    def updown(m, key="value", fmt="%.2f"):
        return "→ %s, ← %s" % (fmt % fig(table, m, "up", "tuntcp")[key], fmt % fig(table, m, "down", "tuntcp")[key])

    met, text = each_mtu(lambda m: throughput(m, floor=10), lambda m: updown(m) + " Gbit/s")
    out.append({"goal": "single-stream throughput ≥ 10 Gbit/s each way (at some MTU)", "met": met, "figure": text})
    met, text = each_mtu(lambda m: throughput(m, ratio=0.7), lambda m: updown(m, "ratio") + " × kernel")
    out.append({"goal": "≥ 0.7× two kernel TCPs over veth, each way (at some MTU)", "met": met, "figure": text})
    vs = lambda m: "tuntcp %s; pasta %s; slirp4netns %s Gbit/s" % tuple(
        "/".join("%.2f" % fig(table, m, d, s)["value"] if fig(table, m, d, s) else "—" for d in ("up", "down"))
        for s in ("tuntcp", "pasta", "slirp4netns"))
    met, text = each_mtu(lambda m: throughput(m, against=("pasta", "slirp4netns")), vs)
    out.append({"goal": "≥ 1.0× pasta and slirp4netns, each way (at some MTU)", "met": met, "figure": text})
    if "--offload" in serve_args:
        out.append({"goal": "MTU 1500, no offloads, ≥ 3 Gbit/s each way", "met": None, "figure": "not this run (serve --offload)"})
    elif "1500" in table and both("1500", "up"):
        ok = throughput("1500", floor=3)
        out.append({"goal": "MTU 1500, no offloads, ≥ 3 Gbit/s each way", "met": ok, "figure": updown("1500") + " Gbit/s"})
    else:
        out.append({"goal": "MTU 1500, no offloads, ≥ 3 Gbit/s each way", "met": None, "figure": "not measured"})

    def every(metric, test, describe, goal):
        seen = [m for m in mtus if fig(table, m, metric, "tuntcp") and fig(table, m, metric, "kernel")]
        if not seen:
            out.append({"goal": goal, "met": None, "figure": "not measured"})
            return
        out.append({"goal": goal, "met": all(test(m) for m in seen),
                    "figure": "; ".join("MTU %s: %s" % (m, describe(m)) for m in seen)})

    every("cps", lambda m: fig(table, m, "cps", "tuntcp")["ratio"] >= 0.5,
          lambda m: "%.0f/s vs %.0f/s, %.2f×" % (fig(table, m, "cps", "tuntcp")["value"],
                                                 fig(table, m, "cps", "kernel")["value"], fig(table, m, "cps", "tuntcp")["ratio"]),
          "connections/s ≥ 0.5× the kernel's (every MTU)")
    every("rtt50", lambda m: fig(table, m, "rtt50", "tuntcp")["ratio"] <= 1.5,
          lambda m: "%.1f µs vs %.1f µs, %.2f×" % (fig(table, m, "rtt50", "tuntcp")["value"],
                                                   fig(table, m, "rtt50", "kernel")["value"], fig(table, m, "rtt50", "tuntcp")["ratio"]),
          "echo p50 round trip ≤ 1.5× the kernel's (every MTU)")
    rss = [(m, fig(table, m, "rss", "tuntcp")) for m in mtus if fig(table, m, "rss", "tuntcp")]
    goal = "1000 idle connections under 256 MiB RSS (every MTU)"
    if not rss:
        out.append({"goal": goal, "met": None, "figure": "not measured"})
    elif idle < 1000:
        out.append({"goal": goal, "met": None, "figure": "only %d idle connections in this run: %s" % (
            idle, "; ".join("MTU %s: %.1f MiB" % (m, r["value"]) for m, r in rss))})
    else:
        out.append({"goal": goal, "met": all(r["value"] < 256 for _, r in rss),
                    "figure": "; ".join("MTU %s: %.1f MiB" % (m, r["value"]) for m, r in rss)})
    return out


def cell(entry, metric):
    if entry is None:
        return "—"
    value = entry["value"]
    text = ("%.2f" if metric in ("up", "down") else "%.0f" if metric == "cps" else "%.1f") % value
    if entry["ratio"] is not None:
        text += " (%.2f)" % entry["ratio"]
    return text


def table_text(meta, table, skipped, goal_list, idle):
    lines = ["tuntcp end to end, %s" % meta["date"],
             "machine: %s, kernel %s; %s" % (meta["machine"], meta["kernel"], meta["java"] or "tuntcp not run"),
             "serve args: %s; load %s" % (meta["serve_args"] or "(none)", meta["load"]),
             meta["settings"], ""]
    width = 48
    header = "%-*s" % (width, "") + "".join("%18s" % HEADINGS[s] for s in SYSTEMS)
    for mtu in sorted(table, key=int):
        lines.append("MTU %s" % mtu + header[len("MTU %s" % mtu):])
        for metric, (label, unit, _) in METRICS.items():
            if metric not in table[mtu]:
                continue
            row_label = "  %s, %s" % (label.replace("the idle", "%d idle" % idle), unit)
            assert len(row_label) < width, row_label  # the columns are found by position
            lines.append("%-*s" % (width, row_label) + "".join(
                "%18s" % cell(table[mtu][metric].get(s), metric) for s in SYSTEMS))
    for s in skipped:
        lines.append("skipped at MTU %d: %s — %s" % (s["mtu"], s["system"], s["reason"]))
    lines.append("(x.xx) = figure / kernel-over-veth figure, same MTU, same run; for round trips and RSS lower is better."
                 " \"stack\" is tuntcp, pasta, slirp4netns, or the second kernel.")
    lines.append("")
    lines.append("issue 9 goals measured here:")
    for g in goal_list:
        verdict = {True: "met", False: "NOT met", None: "n/a"}[g["met"]]
        lines.append("  %-62s %-8s %s" % (g["goal"], verdict, g["figure"]))
    return "\n".join(lines)


def markdown(meta, table, skipped, goal_list, idle):
    """The same table for docs/benchmarks.md."""
    lines = ["| MTU | measurement | " + " | ".join(HEADINGS[s] for s in SYSTEMS) + " |",
             "|---|---|" + "---:|" * len(SYSTEMS)]
    for mtu in sorted(table, key=int):
        for metric, (label, unit, _) in METRICS.items():
            if metric in table[mtu]:
                name = "%s, %s" % (label.replace("the idle", "%d idle" % idle), unit)
                lines.append("| %s | %s | %s |" % (mtu, name, " | ".join(
                    cell(table[mtu][metric].get(s), metric) for s in SYSTEMS)))
    for s in skipped:
        lines.append("")
        lines.append("Skipped at MTU %d: %s — %s." % (s["mtu"], s["system"], s["reason"]))
    lines += ["", "| issue 9 goal | verdict | figure |", "|---|---|---|"]
    for g in goal_list:
        verdict = {True: "**met**", False: "**not met**", None: "n/a"}[g["met"]]
        lines.append("| %s | %s | %s |" % (g["goal"], verdict, g["figure"]))
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("json_out")
    for name in ("machine", "kernel", "java", "serve-args", "load", "date", "settings"):
        p.add_argument("--" + name, default="")
    a = p.parse_args()
    figures, skipped = load(a.results)
    if not figures:
        sys.exit("report.py: no figures in %s" % a.results)
    table = with_ratios(figures)
    idle = 0
    for word, nxt in zip(a.settings.split(), a.settings.split()[1:]):
        if nxt == "idle":
            idle = int(word)
    meta = {"date": a.date, "machine": a.machine, "kernel": a.kernel, "java": a.java,
            "serve_args": a.serve_args, "load": a.load, "settings": a.settings}
    goal_list = goals(table, idle, a.serve_args)
    print(table_text(meta, table, skipped, goal_list, idle))
    doc = dict(meta, idle_connections=idle, systems=SYSTEMS,
               metrics={k: {"label": v[0], "unit": v[1], "better": v[2]} for k, v in METRICS.items()},
               mtus=table, skipped=skipped, goals=goal_list)
    with open(a.json_out[:-len(".json")] + "-table.md" if a.json_out.endswith(".json") else a.json_out + ".md", "w") as f:
        f.write(markdown(meta, table, skipped, goal_list, idle))
    with open(a.json_out, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
