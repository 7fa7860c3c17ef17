#!/usr/bin/env bash
# A/B of single-stream iperf3 throughput through `tuntcp serve` (issue 9, "≥ 3 Gbit/s at MTU 1500
# without offloads"): for each round, each JAR in turn is started in a namespace this script makes
# (tt-ab-<random>, deleted on every way out, DESIGN §8), warmed up, then measured with
# `iperf3 -c` (kernel → stack) and `iperf3 -R` (stack → kernel). Alternating the jars round by round
# puts each pair in the same minutes, which is the only fair comparison on a shared 2-core machine.
# Per run it prints Gbit/s (the receiver's rate) and the CPU the stack's JVM used per GB moved
# (utime+stime from /proc, all threads, and without the JIT compiler threads, which under load are
# still compiling after the warm-up; robust against load where Gbit/s is not), the sender's
# retransmissions (iperf3's count; -R: the stack's, not reported), and the load average.
#
# usage: benchmarks/e2e/iperf-ab.sh [ROUNDS=3] [SECONDS=5] JAR...   (as root)
#   MTU (1500), TUN (tt0), SERVE_ARGS (extra serve flags for every jar, e.g. --offload), JAVA_OPTS.
# A jar given as PATH::FLAGS runs with extra serve FLAGS (e.g. target/tuntcp.jar::--offload).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" iperf-ab
rounds="${1:-3}"; seconds="${2:-5}"; shift 2 || true
[ $# -gt 0 ] || { echo "usage: iperf-ab.sh ROUNDS SECONDS JAR..." >&2; exit 2; }
mtu="${MTU:-1500}"
e2e_need ip iperf3 timeout
hz=$(getconf CLK_TCK)
run=0

jvm_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The JVM's CPU without the JIT compiler threads (which may still be busy under load): the stack's
# own work, loop and any other thread.
# The kernel's loss-recovery counters in the namespace (absolute; -s: no history file is touched).
kernel_losses() {
  ip netns exec "$1" nstat -asz TcpExtTCPLossProbes TcpExtTCPTimeouts 2>/dev/null \
    | awk '$1 == "TcpExtTCPLossProbes" { p = $2 } $1 == "TcpExtTCPTimeouts" { t = $2 } END { print p + 0, t + 0 }'
}
work_ticks() {
  local t v sum=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in "C1 CompilerThre"|"C2 CompilerThre") continue ;; esac
    v=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')   # (a thread may just have ended)
    sum=$((sum + ${v:-0}))
  done
  echo "$sum"
}

# one JAR_SPEC LABEL: start serve, warm up, measure both directions, stop.
one() {
  local spec="$1" label="$2" jarfile flags log pid java_pid dir args t0 t1 rate bytes
  jarfile="${spec%%::*}"; flags=""; [[ "$spec" == *::* ]] && flags="${spec#*::}"
  log="$out/serve-$tag.log"; rm -f "$log"
  run=$((run + 1)); ns="tt-ab-$tag-$run"   # a fresh namespace per run: no device left from the last
  e2e_netns "$ns"
  # shellcheck disable=SC2086
  ip netns exec "$ns" timeout $((seconds * 4 + 60)) "$java_bin" $(tuntcp_jvm_flags "$java_bin") ${JAVA_OPTS:-} \
      -jar "$jarfile" serve --tun "${TUN:-tt0}" --addr 10.13.0.2 --peer 10.13.0.1/24 --mtu "$mtu" ${SERVE_ARGS:-} $flags \
      > "$log" 2>&1 &
  pid=$!; e2e_track "$pid"
  for _ in $(seq 1 400); do grep -q "tuntcp: serving" "$log" 2>/dev/null && break; sleep 0.05; done
  grep -q "tuntcp: serving" "$log" || { cat "$log" >&2; e2e_fail "serve did not start"; }
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  ip netns exec "$ns" timeout 30 iperf3 -c 10.13.0.2 -t 3 > /dev/null 2>&1 || true
  ip netns exec "$ns" timeout 30 iperf3 -c 10.13.0.2 -t 3 -R > /dev/null 2>&1 || true
  for dir in in out; do
    args=(); [ "$dir" = out ] && args=(-R)
    read -r tlp0 rto0 < <(kernel_losses "$ns")
    t0=$(jvm_ticks "$java_pid"); w0=$(work_ticks "$java_pid")
    ip netns exec "$ns" timeout $((seconds + 30)) iperf3 -c 10.13.0.2 -t "$seconds" -J "${args[@]}" \
        > "$out/iperf-$tag.json" 2>&1 || true
    t1=$(jvm_ticks "$java_pid"); w1=$(work_ticks "$java_pid")
    read -r tlp1 rto1 < <(kernel_losses "$ns")
    rate=$("$py" "$here/iperf_rate.py" < "$out/iperf-$tag.json") || e2e_fail "iperf3 $dir failed with $spec"
    bytes=$("$py" -c 'import json,sys; t=sys.stdin.read(); r=json.loads(t[t.index("{"):]); print(r["end"]["sum_received"]["bytes"])' \
        < "$out/iperf-$tag.json")
    retr=$("$py" -c 'import json,sys; t=sys.stdin.read(); r=json.loads(t[t.index("{"):]); print(r["end"].get("sum_sent",{}).get("retransmits","-"))' \
        < "$out/iperf-$tag.json")
    [ "$dir" = in ] && retr="$retr (kernel TLP $((tlp1 - tlp0)) RTO $((rto1 - rto0)))"
    awk -v l="$label" -v rt="$retr" -v d="$dir" -v r="$rate" -v c=$((t1 - t0)) -v w=$((w1 - w0)) -v hz="$hz" -v b="$bytes" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "%-10s %-3s %6.2f Gbit/s  JVM %5.2f cpu-s/GB (without JIT %5.2f)  retr %s  load %s\n", l, d, r, c / hz / (b / 1e9), w / hz / (b / 1e9), rt, la }'
  done
  e2e_stop "$pid"; cp "$log" "$out/serve-$run.log"
  ip netns del "$ns" 2>/dev/null || true
}

echo "# $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) mtu $mtu seconds $seconds"
for r in $(seq 1 "$rounds"); do
  i=0
  for spec in "$@"; do
    i=$((i + 1))
    one "$spec" "$(basename "${spec%%::*}" .jar)${spec#"${spec%%::*}"}"
  done
done
