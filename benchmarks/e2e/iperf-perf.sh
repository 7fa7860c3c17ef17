#!/usr/bin/env bash
# Where `tuntcp serve`'s CPU goes during a single-stream iperf3 (issue 9, "≥ 3 Gbit/s at MTU 1500
# without offloads"): serve in a namespace this script makes (tt-perf-<random>, deleted on every way
# out, DESIGN §8), with frame pointers and a perf map of the JIT's code, warmed up, then
# `perf record -g` of the JVM during `iperf3 -c` (DIR=in: kernel → stack) or `iperf3 -R` (DIR=out).
# Prints the rate, the share of samples per thread, and per thread the top symbols (self time);
# leaves perf.data in target/iperf-perf/ for `perf report -i … --no-children`.
#
# usage: benchmarks/e2e/iperf-perf.sh [DIR=out] [SECONDS=5] [JAR=target/tuntcp.jar]   (as root)
#   MTU (1500), SERVE_ARGS (extra serve flags), TOP (symbols per thread, 15).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" iperf-perf
dir="${1:-out}"; seconds="${2:-5}"; jarfile="${3:-$jar}"
[ "$dir" = in ] || [ "$dir" = out ] || { echo "usage: iperf-perf.sh [in|out] [SECONDS] [JAR]" >&2; exit 2; }
e2e_need ip iperf3 perf timeout
ns="tt-perf-$tag"
e2e_netns "$ns"
log="$out/serve.log"; data="$out/perf-$dir.data"
# shellcheck disable=SC2046,SC2086
ip netns exec "$ns" timeout $((seconds * 4 + 90)) "$java_bin" $(tuntcp_jvm_flags "$java_bin") ${JAVA_OPTS:-} \
    -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
    -jar "$jarfile" serve --tun tt0 --addr 10.13.0.2 --peer 10.13.0.1/24 --mtu "${MTU:-1500}" ${SERVE_ARGS:-} \
    > "$log" 2>&1 &
pid=$!; e2e_track "$pid"
for _ in $(seq 1 400); do grep -q "tuntcp: serving" "$log" 2>/dev/null && break; sleep 0.05; done
grep -q "tuntcp: serving" "$log" || { cat "$log" >&2; e2e_fail "serve did not start"; }
java_pid=$(pgrep -P "$pid" java || echo "$pid")
args=(); [ "$dir" = out ] && args=(-R)
ip netns exec "$ns" timeout 30 iperf3 -c 10.13.0.2 -t 4 "${args[@]}" > /dev/null 2>&1 || true   # JIT warm-up
perf record -q -g -o "$data" -p "$java_pid" -- sleep "$seconds" > /dev/null 2>&1 &
perf_pid=$!
ip netns exec "$ns" timeout $((seconds + 30)) iperf3 -c 10.13.0.2 -t "$seconds" -J "${args[@]}" > "$out/iperf.json" 2>&1 || true
wait "$perf_pid" || true
echo "# $(date -u +%H:%M:%S) $dir $("$py" "$here/iperf_rate.py" < "$out/iperf.json") Gbit/s  load $(cut -d' ' -f1-3 /proc/loadavg)  mtu ${MTU:-1500} ${SERVE_ARGS:-}"
e2e_stop "$pid"   # SIGTERM: the JVM writes /tmp/perf-PID.map for the JIT's code as it exits
echo "# samples per thread"
perf report -i "$data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -8
for comm in $(perf report -i "$data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' \
    | awk '$1 + 0 >= 5 { print $2 }' | head -4); do
  echo "# $comm: top symbols (share of all samples)"
  perf report -i "$data" --no-children -g none --comm "$comm" --sort dso,symbol --stdio 2>/dev/null \
    | grep -E '^ +[0-9]' | head -"${TOP:-15}"
done
