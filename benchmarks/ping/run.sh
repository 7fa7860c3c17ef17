#!/usr/bin/env bash
# Ping-reflector benchmark (issue 4 "Speed"): echo requests per second through the TUN device,
# answered (1) by a minimal C reflector (reflector.c, the physical limit of one read + one write per
# packet) and (2) by tuntcp itself (`serve`: TunDevice poll -> Ipv4Input -> echo in place ->
# Ipv4Output -> TunDevice write), with the same load (pinger.c: raw-socket echo requests, a window
# in flight) in the same run. Prints both and the ratio; docs/benchmarks.md records results.
#
# Everything runs in a network namespace this script creates and always deletes (DESIGN §8); every
# load is bounded in time (SECONDS per run). Needs root (namespaces, TUN), gcc, and the jar.
#
# usage: benchmarks/ping/run.sh [SECONDS=5] [WINDOW=64] [IP_BYTES=64] [ROUNDS=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-5}"
window="${2:-64}"
bytes="${3:-64}"
rounds="${4:-3}"
out="$root/target/ping-bench"
mkdir -p "$out"
cc="${CC:-gcc}"
command -v "$cc" >/dev/null || { echo "ping/run.sh: needs a C compiler (apt-get install gcc)" >&2; exit 2; }
"$cc" -O2 -Wall -Wextra -o "$out/reflector" "$root/benchmarks/ping/reflector.c"
"$cc" -O2 -Wall -Wextra -o "$out/pinger" "$root/benchmarks/ping/pinger.c"
jar="$root/target/tuntcp.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
# shellcheck source=/dev/null
source "$root/native-setup/jvm-flags.sh"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

ns="tt-pingbench-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up

# Waits (10 s at most) until FILE contains TEXT: the reflector's readiness line.
await_line() {
  for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "ping/run.sh: no '$2' in $1:" >&2; cat "$1" >&2; return 1
}

# CPU time (user + system, in clock ticks) the process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
tick_hz=$(getconf CLK_TCK)

# Runs the measured load against the reflector $pid; prints the pinger's line plus the reflector's
# CPU cost per answered packet, which stays meaningful when the load generator is the bottleneck.
measure() {
  local before after line
  before=$(cpu_ticks "$pid")
  line=$(ip netns exec "$ns" "$out/pinger" 10.13.0.2 "$seconds" "$window" "$bytes")
  after=$(cpu_ticks "$pid")
  echo "$line" | awk -v t=$((after - before)) -v hz="$tick_hz" \
    '{ for (i = 1; i < NF; i++) if ($i == "received") r = $(i + 1); printf "%s cpu_ns_per_packet %.0f\n", $0, (r > 0 ? t / hz * 1e9 / r : 0) }'
}

run_c() {
  rm -f "$out/reflector.log"
  ip netns exec "$ns" "$out/reflector" tt0 10.13.0.2 $((seconds * 3 + 30)) > "$out/reflector.log" 2>&1 &
  pid=$!
  await_line "$out/reflector.log" "ready"
  ip netns exec "$ns" ip addr add 10.13.0.1/24 dev tt0
  ip netns exec "$ns" ip link set tt0 up
  ip netns exec "$ns" "$out/pinger" 10.13.0.2 1 "$window" "$bytes" > /dev/null   # warm-up
  measure
  kill -TERM "$pid"; wait "$pid" || true; pid=""
}

run_java() {
  rm -f "$out/serve.log"
  # shellcheck disable=SC2046
  ip netns exec "$ns" "$java_bin" $(tuntcp_jvm_flags "$java_bin") -jar "$jar" serve --tun tt0 \
      --addr 10.13.0.2 --peer 10.13.0.1/24 > "$out/serve.log" 2>&1 &
  pid=$!
  await_line "$out/serve.log" "tuntcp: serving"
  ip netns exec "$ns" "$out/pinger" 10.13.0.2 3 "$window" "$bytes" > /dev/null     # warm-up: JIT
  measure
  kill -TERM "$pid"; wait "$pid" || true; pid=""
}

field() { sed -n "s/.* $1 \([0-9]*\).*/\1/p"; }
echo "# ping reflector: ${bytes}-byte IP packets, window $window, ${seconds}s per run, $rounds rounds; $(nproc) CPUs; $("$java_bin" -version 2>&1 | head -1)"
best_c=0; best_j=0; cpu_c=0; cpu_j=0
for r in $(seq 1 "$rounds"); do
  lc=$(run_c); lj=$(run_java)
  echo "round $r: C reflector: $lc"
  echo "round $r: tuntcp:      $lj"
  c=$(echo "$lc" | field pps); j=$(echo "$lj" | field pps)
  if [ "${c:-0}" -gt "$best_c" ]; then best_c=$c; cpu_c=$(echo "$lc" | field cpu_ns_per_packet); fi
  if [ "${j:-0}" -gt "$best_j" ]; then best_j=$j; cpu_j=$(echo "$lj" | field cpu_ns_per_packet); fi
done
ratio=$(awk -v j="$best_j" -v c="$best_c" 'BEGIN { printf "%.2f", (c > 0 ? j / c : 0) }')
echo "best: C reflector $best_c pps ($cpu_c ns CPU/packet), tuntcp $best_j pps ($cpu_j ns CPU/packet), pps ratio $ratio"
