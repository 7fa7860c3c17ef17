#!/usr/bin/env bash
# serve --queues N (issue 9, IFF_MULTI_QUEUE): aggregate iperf3 throughput with parallel streams,
# one queue against two, at one MTU, with and without --offload. For each mode × queue count a fresh
# `tuntcp serve` in its own namespace (tt-mq-<random>-…); for each stream count iperf3 -P runs
# kernel → stack (forward) and stack → kernel (-R) for MQ_SECONDS each, after a 2 s warm-up.
# Beside each rate: the stack's CPU time per GB moved (utime+stime of the serve process over the
# run, from /proc/PID/stat), which says more than a rate on a loaded machine, and the connections
# each queue's loop accepted (stats' Queue.qN.PassiveOpens), so a run whose streams all landed on
# one loop is visible. The load average is printed before and after.
#
# Network safety (DESIGN §8): the namespaces are made here and deleted on every way out; the only
# link is the TUN device inside each; every iperf3 has a time budget.
#
# usage: benchmarks/e2e/multiqueue.sh [--quick]
#   --quick   2 s runs, one stream count (CI smoke)
# environment: MQ_SECONDS (10), MQ_QUEUES ("1 2"), MQ_STREAMS ("2 4"), MQ_MODES ("plain offload"),
#   MQ_MTU (1500), TUNTCP / TUNTCP_JAVA_OPTS / JAVA_HOME as for e2e.sh.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" multiqueue

seconds="${MQ_SECONDS:-10}"; queues="${MQ_QUEUES:-1 2}"; streams="${MQ_STREAMS:-2 4}"
modes="${MQ_MODES:-plain offload}"; mtu="${MQ_MTU:-1500}"
case "${1:-}" in
  --quick) seconds="${MQ_SECONDS:-2}"; streams="${MQ_STREAMS:-2}" ;;
  "") ;;
  *) echo "usage: benchmarks/e2e/multiqueue.sh [--quick]" >&2; exit 2 ;;
esac
e2e_need ip iperf3 timeout
tuntcp=$(e2e_tuntcp_cmd)
ticks=$(getconf CLK_TCK)

# cpu_seconds PID: utime + stime of the process so far (all its threads), in seconds.
cpu_seconds() { awk -v hz="$ticks" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# run_iperf NS PID STREAMS [-R]: "Gbit/s CPU-s/GB" of one run, or fails with iperf3's reason.
run_iperf() {
  local ns="$1" pid="$2" p="$3"; shift 3
  local before after rate bytes
  before=$(cpu_seconds "$pid")
  ip netns exec "$ns" timeout $(( seconds + 30 )) iperf3 -c 10.13.0.2 -P "$p" -t "$seconds" -J "$@" \
      > "$out/iperf.json" 2>&1 || true
  after=$(cpu_seconds "$pid")
  rate=$("$py" "$here/iperf_rate.py" < "$out/iperf.json") \
      || e2e_fail "iperf3 -P $p $* failed (output in $out/iperf.json)"
  bytes=$("$py" -c 'import json,sys; t=sys.stdin.read(); print(json.loads(t[t.index("{"):])["end"]["sum_received"]["bytes"])' \
      < "$out/iperf.json")
  awk -v r="$rate" -v b="$before" -v a="$after" -v n="$bytes" 'BEGIN { printf "%s %.2f", r, (a - b) / (n / 1e9) }'
}

table="$out/table.txt"
{
  machine_line
  java_line
  echo "mtu $mtu, iperf3 -P N for ${seconds} s each way; rate = aggregate Gbit/s, cpu = serve CPU seconds per GB moved"
  printf "%-8s %-6s %-3s %10s %8s %10s %8s  %s\n" mode queues -P "fwd Gbit/s" "fwd cpu" "rev Gbit/s" "rev cpu" "connections per queue"
} | tee "$table"
for mode in $modes; do
  extra=""
  [ "$mode" = offload ] && extra="--offload"
  for q in $queues; do
    ns="tt-mq-$tag-$mode-$q"
    e2e_netns "$ns"
    sock="$out/stats-$tag-$mode-$q.sock"
    # shellcheck disable=SC2086
    ip netns exec "$ns" $tuntcp serve --tun ttmq0 --addr 10.13.0.2 --peer 10.13.0.1/24 --mtu "$mtu" \
        --queues "$q" --stats-socket "$sock" $extra > "$out/serve-$mode-$q.log" 2>&1 &
    pid=$!; e2e_track "$pid"
    await_line "$out/serve-$mode-$q.log" "tuntcp: serving"
    ip netns exec "$ns" timeout 30 iperf3 -c 10.13.0.2 -P 2 -t 2 > /dev/null 2>&1 || e2e_fail "warm-up iperf3 failed ($mode, $q queues)"
    for p in $streams; do
      fwd=$(run_iperf "$ns" "$pid" "$p")
      rev=$(run_iperf "$ns" "$pid" "$p" -R)
      spread=$($tuntcp stats --socket "$sock" --json | "$py" -c '
import json, sys
d = json.load(sys.stdin)
q = d.get("queues", {})
rows = sorted((k, v) for k, v in q.items() if k.endswith(".PassiveOpens"))
print(" ".join("%s=%d" % (k.split(".")[0], v) for k, v in rows) or "q0=%d" % d["tcp"]["PassiveOpens"])')
      # shellcheck disable=SC2086
      printf "%-8s %-6s %-3s %10s %8s %10s %8s  %s\n" "$mode" "$q" "$p" $fwd $rev "$spread" | tee -a "$table"
    done
    e2e_stop "$pid"
    ip netns del "$ns"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$table"
echo "table: $table"
