#!/usr/bin/env bash
# A/B of connections per second and echo round trips through `tuntcp serve` (issue 9, "connections
# per second ≥ 0.5× the kernel"): every variant runs side by side, each `serve` in a namespace of its
# own (tt-cab-<random>-N, deleted on every way out, DESIGN §8), next to the kernel reference (two
# namespaces joined by a veth pair, tcpbench's echo server). After a warm-up (6000 connections and
# 5000 round trips each), each round measures every variant and the kernel one after the other, so a
# pair compares the same minute on a shared 2-core machine. Per measurement it prints the rate, the
# CPU the stack's loop thread and the whole JVM used per connection (utime+stime from /proc: robust
# against the load where the rate is not), and the load average; for round trips p50/p99.
#
# usage: benchmarks/e2e/conns-ab.sh [ROUNDS=5] [CONNS=2000] VARIANT...   (as root)
#   VARIANT is LABEL=JAR, optionally LABEL=JAR::SERVE_FLAGS::JVM_FLAGS, e.g.
#   base=/tmp/a.jar  spin=target/tuntcp.jar::--busy-poll=50
# Each client namespace gets the widest ephemeral port range: the client closes first, so every
# connection leaves a TIME-WAIT socket there for 60 s, and once they hold most of the even ports
# connect(2)'s port search costs milliseconds of system time (measured: 3000 connections over veth
# took 0.1 s of system time with up to 12 000 TIME-WAITs, 5.3 s with 21 000).
#   MTU (1500), WARMUP (6000 connections), RTT_COUNT (5000; 0: no round trips), IDLE_SECONDS (0: after the rounds, the CPU each
#   JVM uses while nothing happens, over that many seconds).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" conns-ab
rounds="${1:-5}"; conns="${2:-2000}"; shift 2 || true
[ $# -gt 0 ] || { echo "usage: conns-ab.sh ROUNDS CONNS LABEL=JAR[::SERVE_FLAGS[::JVM_FLAGS]]..." >&2; exit 2; }
mtu="${MTU:-1500}"; rtt_count="${RTT_COUNT:-5000}"; idle_seconds="${IDLE_SECONDS:-0}"
e2e_need ip gcc timeout
gcc -O2 -std=c11 -Wall -Wextra -o "$out/tcpbench" "$here/tcpbench.c" || e2e_fail "cannot build tcpbench.c"
bench="$out/tcpbench"
budget=$(( 600 + rounds * (${#@} + 1) * (conns / 200 + rtt_count / 500 + 10) + idle_seconds ))
hz=$(getconf CLK_TCK)

ns_c="tt-cab-$tag-c"; ns_k="tt-cab-$tag-k"
e2e_netns "$ns_c"; e2e_netns "$ns_k"
e2e_veth "$ns_c" ve-c 10.14.0.1/24 "$ns_k" ve-k 10.14.0.2/24
ip -n "$ns_c" link set ve-c mtu "$mtu"; ip -n "$ns_k" link set ve-k mtu "$mtu"
wide_ports() { ip netns exec "$1" sysctl -q -w net.ipv4.ip_local_port_range="1024 65535"; }
wide_ports "$ns_c"
ip netns exec "$ns_k" "$bench" server 10.14.0.2 7 "$budget" > "$out/echo-kernel-$tag.log" 2>&1 &
e2e_track $!
await_line "$out/echo-kernel-$tag.log" ready

labels=(); nss=(); jpids=(); tids=()
i=0
for spec in "$@"; do
  i=$((i + 1))
  label="${spec%%=*}"; rest="${spec#*=}"
  jarfile="${rest%%::*}"; serve_flags=""; jvm_flags=""
  if [[ "$rest" == *::* ]]; then rest="${rest#*::}"; serve_flags="${rest%%::*}"; [[ "$rest" == *::* ]] && jvm_flags="${rest#*::}"; fi
  ns="tt-cab-$tag-$i"; e2e_netns "$ns"; wide_ports "$ns"
  log="$out/serve-$tag-$i.log"
  # shellcheck disable=SC2086
  ip netns exec "$ns" timeout "$budget" "$java_bin" $(tuntcp_jvm_flags "$java_bin") $(tuntcp_heap_flags) $jvm_flags \
      -jar "$jarfile" serve --tun tt0 --addr 10.13.0.2 --peer 10.13.0.1/24 --mtu "$mtu" $serve_flags > "$log" 2>&1 &
  pid=$!; e2e_track "$pid"
  await_line "$log" "tuntcp: serving" || e2e_fail "$label did not start"
  jpid=$(pgrep -P "$pid" java || echo "$pid")
  tid=""
  for _ in $(seq 1 100); do   # the loop thread starts right after the "serving" line
    for t in /proc/"$jpid"/task/*; do [ "$(cat "$t/comm" 2>/dev/null)" = tuntcp-serve ] && tid="${t##*/}"; done
    [ -n "$tid" ] && break; sleep 0.05
  done
  [ -n "$tid" ] || e2e_fail "$label: no tuntcp-serve thread in $jpid"
  labels+=("$label"); nss+=("$ns"); jpids+=("$jpid"); tids+=("$tid")
  echo "# $label: $jarfile serve $serve_flags JVM $jvm_flags (pid $jpid, loop thread $tid)"
done

# The loop thread's voluntary context switches: how often it slept (in poll(2)) and was woken.
sleeps() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/task/$2/status"; }
ticks() { awk '{ print $14 + $15 }' "$1"; }   # utime + stime of a /proc stat file (no spaces in comm)
for k in "${!labels[@]}"; do
  ip netns exec "${nss[$k]}" "$bench" conns 10.13.0.2 7 "${WARMUP:-6000}" > /dev/null || e2e_fail "${labels[$k]}: warm-up failed"
  [ "$rtt_count" -gt 0 ] && { ip netns exec "${nss[$k]}" "$bench" rtt 10.13.0.2 7 5000 64 > /dev/null || e2e_fail "${labels[$k]}: warm-up rtt failed"; }
done

echo "# $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg), mtu $mtu, $rounds rounds of $conns connections"
for r in $(seq 1 "$rounds"); do
  for k in "${!labels[@]}"; do
    l0=$(ticks "/proc/${jpids[$k]}/task/${tids[$k]}/stat"); p0=$(ticks "/proc/${jpids[$k]}/stat"); s0=$(sleeps "${jpids[$k]}" "${tids[$k]}")
    rate=$(ip netns exec "${nss[$k]}" timeout 120 "$bench" conns 10.13.0.2 7 "$conns" | awk '{ print $6 }')
    [ -n "$rate" ] || e2e_fail "${labels[$k]}: tcpbench conns failed"
    l1=$(ticks "/proc/${jpids[$k]}/task/${tids[$k]}/stat"); p1=$(ticks "/proc/${jpids[$k]}/stat"); s1=$(sleeps "${jpids[$k]}" "${tids[$k]}")
    awk -v r="$r" -v l="${labels[$k]}" -v rate="$rate" -v lc=$((l1 - l0)) -v pc=$((p1 - p0)) -v hz="$hz" -v n="$conns" -v sl=$((s1 - s0)) \
        -v la="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "round %d %-12s conns %6d/s  loop %5.1f µs/conn  jvm %5.1f µs/conn  loop sleeps %4.2f/conn  load %s\n", r, l, rate, lc / hz / n * 1e6, pc / hz / n * 1e6, sl / n, la }'
    if [ "$rtt_count" -gt 0 ]; then
      v=$(ip netns exec "${nss[$k]}" timeout 120 "$bench" rtt 10.13.0.2 7 "$rtt_count" 64 | awk '{ print $3, $5 }')
      echo "round $r $(printf '%-12s' "${labels[$k]}") rtt p50/p99 $v µs"
    fi
  done
  rate=$(ip netns exec "$ns_c" timeout 120 "$bench" conns 10.14.0.2 7 "$conns" | awk '{ print $6 }')
  echo "round $r $(printf '%-12s' kernel) conns $(printf '%6d' "$rate")/s  load $(cut -d' ' -f1 /proc/loadavg)"
  if [ "$rtt_count" -gt 0 ]; then
    echo "round $r $(printf '%-12s' kernel) rtt p50/p99 $(ip netns exec "$ns_c" timeout 120 "$bench" rtt 10.14.0.2 7 "$rtt_count" 64 | awk '{ print $3, $5 }') µs"
  fi
done
if [ "$idle_seconds" -gt 0 ]; then
  sleep 1
  declare -a i0=()
  for k in "${!labels[@]}"; do i0[$k]=$(ticks "/proc/${jpids[$k]}/stat"); done
  sleep "$idle_seconds"
  for k in "${!labels[@]}"; do
    i1=$(ticks "/proc/${jpids[$k]}/stat")
    awk -v l="${labels[$k]}" -v c=$((i1 - i0[k])) -v hz="$hz" -v s="$idle_seconds" \
        'BEGIN { printf "idle %-12s jvm %.1f %% of a CPU over %d s\n", l, c / hz / s * 100, s }'
  done
fi
