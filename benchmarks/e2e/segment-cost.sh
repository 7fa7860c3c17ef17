#!/usr/bin/env bash
# Per-segment CPU cost of `serve` (issue 9 item 3): curl GETs /bytes/N from tuntcp on a TUN device in
# a namespace this script creates and always deletes (DESIGN §8), ROUNDS times after a warm-up, and
# prints for each round the throughput and the CPU time serve used (utime+stime of the whole JVM
# from /proc, all threads) per 1460-byte segment. Optional JFR: JFR=FILE records the measured rounds.
#
# usage: sudo benchmarks/e2e/segment-cost.sh [MIB=100] [ROUNDS=5] [JAR=target/tuntcp.jar] [MTU=1500]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mib="${1:-100}"
rounds="${2:-5}"
jar="${3:-$root/target/tuntcp.jar}"
mtu="${4:-1500}"
bytes=$((mib * 1024 * 1024))
for tool in curl ip; do
  command -v "$tool" >/dev/null || { echo "segment-cost.sh: needs $tool" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "segment-cost.sh: no $jar — build it with mvn -q -B -DskipTests package" >&2; exit 2; }
# shellcheck source=/dev/null
source "$root/native-setup/jvm-flags.sh"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ns="tt-fp-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
log="$(mktemp)"
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
jfr_flags=""
[ -n "${JFR:-}" ] && jfr_flags="-XX:StartFlightRecording=filename=$JFR,settings=${JFC:-profile}"
# shellcheck disable=SC2046,SC2086
ip netns exec "$ns" timeout 600 "$java_bin" $(tuntcp_jvm_flags "$java_bin") $jfr_flags ${JAVA_OPTS:-} -jar "$jar" serve \
    --tun tt0 --addr 10.13.0.2 --peer 10.13.0.1/24 --mtu "$mtu" > "$log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 400); do grep -q "tuntcp: serving" "$log" 2>/dev/null && break; sleep 0.05; done
grep -q "tuntcp: serving" "$log" || { echo "segment-cost.sh: serve did not start:" >&2; cat "$log" >&2; exit 1; }
# The JVM is the child of `timeout`: its CPU times are in /proc/<java pid>/stat.
java_pid=$(pgrep -P "$(pgrep -P "$serve_pid" || echo "$serve_pid")" java 2>/dev/null || pgrep -P "$serve_pid" || echo "$serve_pid")
# The event loop runs on the JVM's main thread: the task other than the launcher's whose comm is
# still "java".
loop_tid=""
for t in /proc/"$java_pid"/task/*; do
  if [ "${t##*/}" != "$java_pid" ] && [ "$(cat "$t/comm")" = java ]; then loop_tid="${t##*/}"; break; fi
done
[ -n "$loop_tid" ] || { echo "segment-cost.sh: no main thread in $java_pid" >&2; exit 1; }
cpu_ticks() {
  awk '{printf "%d ", $14 + $15}' "/proc/$java_pid/stat"
  awk '{print $14, $15}' "/proc/$java_pid/task/$loop_tid/stat"
}
hz=$(getconf CLK_TCK)
mss=$((mtu - 40))
fetch() {
  ip netns exec "$ns" curl -sS --max-time 120 -o /dev/null -w '%{time_total} %{speed_download} %{size_download}' \
      "http://10.13.0.2/bytes/$1"
}
for _ in 1 2 3; do fetch "$bytes" >/dev/null; done   # warm-up: JIT
perf_pid=""
if [ -n "${PERF:-}" ]; then   # PERF=FILE: perf record -g of serve over the measured rounds
  perf record -q -g -o "$PERF" -p "$java_pid" >/dev/null 2>&1 &
  perf_pid=$!
  sleep 0.5
fi
echo "# $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) jar $(basename "$jar") mtu $mtu"
for r in $(seq 1 "$rounds"); do
  read -r before ubefore sbefore < <(cpu_ticks)
  set -- $(fetch "$bytes")
  read -r after uafter safter < <(cpu_ticks)
  [ "$3" = "$bytes" ] || { echo "segment-cost.sh: got $3 of $bytes bytes" >&2; exit 1; }
  segs=$(( (bytes + mss - 1) / mss ))
  awk -v t="$1" -v s="$2" -v c=$((after - before)) -v u=$((uafter - ubefore)) -v k=$((safter - sbefore)) -v hz="$hz" -v n="$segs" 'BEGIN {
      printf "round %.3f s %7.1f MB/s %5.2f Gbit/s | JVM cpu %.2f s %5.2f us/seg | loop thread user %5.2f + sys %5.2f us/seg\n",
          t, s / 1e6, s * 8 / 1e9, c / hz, c / hz / n * 1e6, u / hz / n * 1e6, k / hz / n * 1e6 }'
done
if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; echo "# perf data in $PERF"; fi
if [ -n "${JFR:-}" ]; then
  jcmd "$java_pid" JFR.dump filename="$JFR" >/dev/null && echo "# JFR recording in $JFR"
fi
