#!/usr/bin/env bash
# End-to-end speed side by side (issue 9 item 2): one run, one table. For each MTU (1500 and 65520):
#   * single-stream throughput, iperf3 -c (kernel → user-space side) and iperf3 -R (the other way),
#     E2E_SECONDS each;
#   * connections per second: open, send 32 bytes, read their echo, close (tcpbench conns);
#   * echo round trip p50/p99 of 64-byte messages on one connection (tcpbench rtt);
#   * RSS of the user-space process holding E2E_IDLE idle connections (VmRSS from /proc/PID/status);
# through
#   tuntcp       `tuntcp serve` on a TUN device (iperf3 service 5201, echo 7), the kernel client in
#                the same namespace;
#   kernel       two kernel TCPs over a veth pair between two namespaces (iperf3 -s, tcpbench server):
#                the reference every ratio is taken against;
#   pasta        pasta (package passt) attached to an inner namespace whose "outside" is another
#                namespace this script made: the client in the inner one reaches iperf3 -s / tcpbench
#                server on the outer namespace's loopback through pasta's gateway mapping;
#   slirp4netns  the same with slirp4netns (10.0.2.2 is the outer namespace's loopback).
# A tool that is missing or cannot be confined that way is skipped with the reason; a figure from a
# failed transfer is never printed (the script fails with the reason instead).
#
# Network safety (DESIGN §8): every namespace is made here (tt-e2e-<random>-…) and deleted on every way
# out (end, failure, Ctrl-C); pasta and slirp4netns run inside the outer namespaces made here, whose
# only non-loopback link is a veth pair with both ends in that same namespace, so nothing they open
# can leave. Every client has a time budget and the whole run a deadline.
#
# usage: benchmarks/e2e.sh [--quick] [--out DIR]
#   --quick       1 s iperf3 runs, 50 connections, 100 idle connections, 500 round trips (CI smoke)
#   --out DIR     where e2e.json, e2e-table.txt and e2e-ratios.svg go (default target/e2e-bench)
# environment:
#   E2E_SECONDS (10), E2E_CONNS (2000), E2E_IDLE (1000), E2E_RTT_COUNT (20000), E2E_MTUS ("1500 65520"),
#   E2E_SYSTEMS ("tuntcp kernel pasta slirp4netns"; kernel is always measured),
#   E2E_ROWS ("iperf conns rtt idle": which measurements, with their warm-ups; e.g. E2E_ROWS=conns),
#   TUNTCP_SERVE_ARGS   extra flags for `tuntcp serve` (e.g. offload or fast-path switches),
#   TUNTCP_JAVA_OPTS    JVM options for the stack's JVM (e.g. "-Xmx64m"; not with TUNTCP),
#   TUNTCP              the command that runs tuntcp (default: target/tuntcp.jar on $JAVA_HOME's java),
#   JAVA_HOME           the JDK that runs the stack.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/e2e" && pwd)"
# shellcheck source=e2e/lib.sh
source "$here/lib.sh" e2e-bench

seconds="${E2E_SECONDS:-10}"; conns="${E2E_CONNS:-2000}"; idle="${E2E_IDLE:-1000}"
rtt_count="${E2E_RTT_COUNT:-20000}"; mtus="${E2E_MTUS:-1500 65520}"
systems=" ${E2E_SYSTEMS:-tuntcp kernel pasta slirp4netns} kernel "
rows=" ${E2E_ROWS:-iperf conns rtt idle} "
report_dir="$out"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) seconds="${E2E_SECONDS:-1}"; conns="${E2E_CONNS:-50}"; idle="${E2E_IDLE:-100}"; rtt_count="${E2E_RTT_COUNT:-500}"; shift ;;
    --out) report_dir="${2:?--out DIR}"; shift 2 ;;
    *) echo "usage: benchmarks/e2e.sh [--quick] [--out DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "$report_dir"
e2e_need ip iperf3 gcc timeout
cc_flags="-O2 -std=c11 -Wall -Wextra"
# shellcheck disable=SC2086
gcc $cc_flags -o "$out/tcpbench" "$here/tcpbench.c" || e2e_fail "cannot build tcpbench.c"
bench="$out/tcpbench"
serve_args="${TUNTCP_SERVE_ARGS:-}"
wants() { [[ "$systems" == *" $1 "* ]]; }
row() { [[ "$rows" == *" $1 "* ]]; }
if wants tuntcp; then tuntcp=$(e2e_tuntcp_cmd); fi

n_mtus=$(echo "$mtus" | wc -w)
deadline=$(( 120 + n_mtus * (10 * (seconds + 20) + 15 * conns / 100 + rtt_count / 200 + idle / 20 + 180) ))
# The whole run is bounded: past the deadline the script stops itself (and cleans up).
# (Its own output goes nowhere, so a pipe reading ours ends with us; SIGTERM ends it and its sleep.)
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  sleep "$deadline" & nap=$!
  wait "$nap" && echo "e2e.sh: deadline of ${deadline}s passed — stopping" > "$out/deadline.log" && kill -TERM $$
) > /dev/null 2>&1 &
e2e_track $!

results="$out/results-$tag"
: > "$results"
record() { echo "$*" >> "$results"; }          # record MTU METRIC SYSTEM VALUE
skip() { local m="$1" s="$2"; shift 2; echo "$m skip $s $*" >> "$results"; echo "  skipped $s: $*"; }

# iperf NS HOST [-R]: one single-stream run; prints Gbit/s received, or fails with iperf3's reason.
iperf() {
  local ns="$1" host="$2"; shift 2
  ip netns exec "$ns" timeout $(( seconds + 30 )) iperf3 -c "$host" -t "$seconds" -J "$@" > "$out/iperf.json" 2>&1 || true
  "$py" "$here/iperf_rate.py" < "$out/iperf.json" || e2e_fail "iperf3 -c $host $* in $ns failed (output in $out/iperf.json)"
}
# conns NS HOST: connections per second against HOST:7.
conns_per_second() {
  ip netns exec "$1" "$bench" conns "$2" 7 "$conns" | awk '{ print $6 }' | grep . || e2e_fail "tcpbench conns $2 in $1 failed"
}
# loop_thread_usage PID: "CPU-ticks voluntary-switches" of serve's event-loop thread (tuntcp-serve) in
# the JVM that PID is or started; loop_per_connection BEFORE AFTER prints them per connection of the
# conns row: CPU per connection is a figure the load hardly moves, and the voluntary switches say how
# often the loop slept in poll(2) and had to be woken (issue 9, "connections per second").
loop_thread_usage() {
  local jvm t
  jvm=$(pgrep -P "$1" java || echo "$1")
  for t in /proc/"$jvm"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = tuntcp-serve ] || continue
    echo "$(awk '{ print $14 + $15 }' "$t/stat") $(awk '/^voluntary_ctxt_switches/ { print $2 }' "$t/status") $(awk '{ print $14 + $15 }' "/proc/$jvm/stat")"
    return
  done
  echo "0 0 0"
}
loop_per_connection() {
  local t0 s0 j0 t1 s1 j1
  read -r t0 s0 j0 <<< "$1"; read -r t1 s1 j1 <<< "$2"
  awk -v t=$((t1 - t0)) -v s=$((s1 - s0)) -v j=$((j1 - j0)) -v hz="$(getconf CLK_TCK)" -v n="$conns" \
      'BEGIN { printf "             tuntcp per connection: loop thread %.1f µs CPU, %.2f sleeps in poll(2); whole JVM %.1f µs CPU\n", t / hz / n * 1e6, s / n, j / hz / n * 1e6 }'
}
# jit_ticks PID: CPU ticks the JIT compiler threads of the JVM that PID is (or started) have used.
jit_ticks() {
  local jvm t sum=0
  jvm=$(pgrep -P "$1" java || echo "$1")
  for t in /proc/"$jvm"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      "C1 CompilerThre"* | "C2 CompilerThre"*) sum=$((sum + $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null || echo 0))) ;;
    esac
  done
  echo "$sum"
}
# warm_connections NS PID: tuntcp's warm-up for the conns row, run right before it: batches of
# connections until a batch leaves the JIT compilers idle (at most 1 tick, 10 ms, of their CPU), at
# least 3 and at most 12 batches of min(E2E_CONNS, 2000). A connection runs its set-up and teardown
# code once, so C2 compiles those paths only after thousands of connections, and on two loaded vCPUs
# it was still compiling after a fixed 6000: the measured row then cost the JVM 75–130 µs of CPU per
# connection against the loop thread's 50–60 — the compiler beside the loop, competing for the two
# cores with the client (docs/benchmarks.md, issue 9, session 5 "wake"). The kernel has nothing to
# warm; this measures the stack in its steady state, as the throughput rows do after their warm-up.
warm_connections() {
  local batch=$(( conns < 2000 ? conns : 2000 )) n=0 c0 c1
  while :; do
    c0=$(jit_ticks "$2")
    ip netns exec "$1" "$bench" conns 10.13.0.2 7 "$batch" > /dev/null || e2e_fail "warm-up connections failed"
    c1=$(jit_ticks "$2"); n=$((n + 1))
    if [ "$n" -ge 3 ] && [ $((c1 - c0)) -le 1 ]; then break; fi
    if [ "$n" -ge 12 ]; then echo "  (the JIT was still compiling after 12 batches of $batch connections)"; break; fi
  done
  echo "  warmed up with $n × $batch connections"
}
# rtt NS HOST: "p50 p99" in µs against HOST:7.
round_trip() {
  ip netns exec "$1" "$bench" rtt "$2" 7 "$rtt_count" 64 | awk '{ print $3, $5 }' | grep . || e2e_fail "tcpbench rtt $2 in $1 failed"
}
# idle_rss MTU SYSTEM NS HOST PID: opens $idle idle connections to HOST:7 from NS and records the
# VmRSS of PID (the user-space side) before and while they are held.
idle_rss() {
  local mtu="$1" sys="$2" ns="$3" host="$4" pid="$5" before held
  before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  ip netns exec "$ns" "$bench" hold "$host" 7 "$idle" 120 > "$out/hold.log" 2>&1 &
  local holder=$!; e2e_track "$holder"
  await_line "$out/hold.log" "open $idle" 600 || e2e_fail "$sys: could not open $idle idle connections"
  sleep 1   # the last handshakes' ACKs are in; the stack has settled
  held=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  [ -n "$held" ] || e2e_fail "$sys: no VmRSS for PID $pid"
  e2e_stop "$holder"
  record "$mtu rss $sys $(awk -v k="$held" 'BEGIN { printf "%.1f", k / 1024 }')"
  record "$mtu rss_before $sys $(awk -v k="$before" 'BEGIN { printf "%.1f", k / 1024 }')"
}
# await_addr NS DEV: waits (10 s) until DEV in NS has an IPv4 address.
await_addr() {
  local i
  for i in $(seq 1 100); do ip -n "$1" -4 addr show dev "$2" 2>/dev/null | grep -q inet && return 0; sleep 0.1; done
  return 1
}
# An outer namespace for pasta or slirp4netns: loopback for the servers, plus a veth pair with both
# ends inside it (pasta copies the address and default route of an interface into the inner
# namespace; nothing routed there can leave the namespace).
outer_ns() {
  e2e_netns "$1"
  ip -n "$1" link add ve0 type veth peer name ve1
  ip -n "$1" addr add 10.20.0.1/24 dev ve0
  ip -n "$1" link set ve0 up; ip -n "$1" link set ve1 up
  ip -n "$1" route add default via 10.20.0.254 dev ve0
  ip netns exec "$1" timeout "$deadline" iperf3 -s -B 127.0.0.1 > "$out/iperf-s-$1.log" 2>&1 &
  e2e_track $!
  ip netns exec "$1" "$bench" server 127.0.0.1 7 "$deadline" > "$out/echo-$1.log" 2>&1 &
  e2e_track $!
  await_line "$out/echo-$1.log" ready
}

# The kernel reference: client namespace c, server namespace k, one veth pair (MTU set per section).
ns_c="tt-e2e-$tag-c"; ns_k="tt-e2e-$tag-k"
e2e_netns "$ns_c"; e2e_netns "$ns_k"
# Every connection of the conns rows (and their warm-up, up to 24 000) leaves a TIME-WAIT socket in
# the client's namespace for 60 s; once they hold most of the default range's even ports, connect(2)
# spends milliseconds searching (measured over veth: 3000 connections took 0.1 s of system time with
# up to 12 000 TIME-WAITs, 5.3 s with 21 000). Both client namespaces get the widest range.
wide_ports() { ip netns exec "$1" sysctl -q -w net.ipv4.ip_local_port_range="1024 65535"; }
wide_ports "$ns_c"
e2e_veth "$ns_c" ve-c 10.14.0.1/24 "$ns_k" ve-k 10.14.0.2/24
ip netns exec "$ns_k" timeout "$deadline" iperf3 -s -B 10.14.0.2 > "$out/iperf-s-kernel.log" 2>&1 &
e2e_track $!
ip netns exec "$ns_k" "$bench" server 10.14.0.2 7 "$deadline" > "$out/echo-kernel.log" 2>&1 &
e2e_track $!
await_line "$out/echo-kernel.log" ready

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for mtu in $mtus; do
  echo "MTU $mtu:"
  ip -n "$ns_c" link set ve-c mtu "$mtu"; ip -n "$ns_k" link set ve-k mtu "$mtu"
  declare -A client=() host=() pid=()
  client[kernel]="$ns_c"; host[kernel]=10.14.0.2

  if wants tuntcp; then
    ns_s="tt-e2e-$tag-s$mtu"; e2e_netns "$ns_s"; wide_ports "$ns_s"
    rm -f "$out/serve-$mtu.log"
    # shellcheck disable=SC2086
    ip netns exec "$ns_s" $tuntcp serve --tun tt0 --addr 10.13.0.2 --peer 10.13.0.1/24 --mtu "$mtu" \
        --stats-socket "$out/stats-$tag.sock" $serve_args > "$out/serve-$mtu.log" 2>&1 &
    pid[tuntcp]=$!; e2e_track "${pid[tuntcp]}"
    await_line "$out/serve-$mtu.log" "tuntcp: serving"
    client[tuntcp]="$ns_s"; host[tuntcp]=10.13.0.2
  fi
  if wants pasta; then
    if ! command -v pasta >/dev/null; then skip "$mtu" pasta "not installed (apt-get install passt)"
    else
      po="tt-e2e-$tag-po$mtu"; pi="tt-e2e-$tag-pi$mtu"; outer_ns "$po"; e2e_netns "$pi"
      # --runas 0: this pasta (2023-03) cannot join a namespace it was given by path after dropping to
      # "nobody"; -t/-u/-T/-U none: no port forwarding at all; -4: IPv4 only.
      ip netns exec "$po" pasta -f -q -4 --runas 0 -m "$mtu" -I tap0 --config-net --netns "/run/netns/$pi" \
          -t none -u none -T none -U none > "$out/pasta-$mtu.log" 2>&1 &
      pid[pasta]=$!; e2e_track "${pid[pasta]}"
      if await_addr "$pi" tap0; then client[pasta]="$pi"; host[pasta]=10.20.0.254
      else skip "$mtu" pasta "did not configure its tap in the inner namespace: $(grep -v syslog "$out/pasta-$mtu.log" | tail -1)"; fi
    fi
  fi
  if wants slirp4netns; then
    if ! command -v slirp4netns >/dev/null; then skip "$mtu" slirp4netns "not installed (apt-get install slirp4netns)"
    elif [ "$mtu" -gt 65521 ]; then skip "$mtu" slirp4netns "its MTU is at most 65521"
    else
      so="tt-e2e-$tag-so$mtu"; si="tt-e2e-$tag-si$mtu"; outer_ns "$so"; e2e_netns "$si"
      ip netns exec "$so" slirp4netns --configure --mtu="$mtu" --disable-dns --netns-type=path "/run/netns/$si" tap0 \
          > "$out/slirp-$mtu.log" 2>&1 &
      pid[slirp4netns]=$!; e2e_track "${pid[slirp4netns]}"
      if await_addr "$si" tap0; then client[slirp4netns]="$si"; host[slirp4netns]=10.0.2.2
      else skip "$mtu" slirp4netns "did not configure tap0: $(tail -1 "$out/slirp-$mtu.log")"; fi
    fi
  fi
  order=()
  for s in tuntcp kernel pasta slirp4netns; do [ -n "${client[$s]:-}" ] && order+=("$s"); done
  iperf_order=("${order[@]}")
  # The stack's iperf3 service (issue 9 item 1) may be missing from an older build: say so.
  if [ -n "${client[tuntcp]:-}" ] && ! ip netns exec "$ns_s" timeout 5 bash -c 'exec 3<>/dev/tcp/10.13.0.2/5201' 2>/dev/null; then
    skip "$mtu" tuntcp-iperf "no iperf3 service on 10.13.0.2:5201 in this build"
    iperf_order=("${order[@]:1}")
  fi

  if [ -n "${client[tuntcp]:-}" ]; then
    echo "  warming up tuntcp (JIT) ..."
    if row iperf && [ "${iperf_order[0]}" = tuntcp ]; then
      ( seconds=$(( seconds < 3 ? seconds : 3 )); iperf "$ns_s" 10.13.0.2 > /dev/null; iperf "$ns_s" 10.13.0.2 -R > /dev/null )
    fi
    # (The connections' warm-up comes right before their row: warm_connections.)
    if row rtt; then
      ip netns exec "$ns_s" "$bench" rtt 10.13.0.2 7 "$(( rtt_count < 5000 ? rtt_count : 5000 ))" 64 > /dev/null || e2e_fail "warm-up round trips failed"
    fi
  fi
  # Each figure for every system back to back, so that ratios compare the same minute.
  # (v=$(…) first: a failure inside the substitution then stops the script, set -e.)
  if row iperf; then
    for s in "${iperf_order[@]}"; do echo "  iperf3 -c  $s"; v=$(iperf "${client[$s]}" "${host[$s]}"); record "$mtu up $s $v"; done
    for s in "${iperf_order[@]}"; do echo "  iperf3 -R  $s"; v=$(iperf "${client[$s]}" "${host[$s]}" -R); record "$mtu down $s $v"; done
  fi
  if row conns; then
    [ -n "${client[tuntcp]:-}" ] && warm_connections "$ns_s" "${pid[tuntcp]}"
    for s in "${order[@]}"; do
      echo "  conns      $s"
      [ "$s" = tuntcp ] && loop_before=$(loop_thread_usage "${pid[tuntcp]}")
      v=$(conns_per_second "${client[$s]}" "${host[$s]}"); record "$mtu cps $s $v"
      [ "$s" = tuntcp ] && loop_per_connection "$loop_before" "$(loop_thread_usage "${pid[tuntcp]}")"
    done
  fi
  row rtt && for s in "${order[@]}"; do
    echo "  rtt        $s"
    v=$(round_trip "${client[$s]}" "${host[$s]}")
    read -r p50 p99 <<< "$v"
    record "$mtu rtt50 $s $p50"; record "$mtu rtt99 $s $p99"
  done
  row idle && for s in "${order[@]}"; do
    [ "$s" = kernel ] && continue
    echo "  $idle idle  $s"
    idle_rss "$mtu" "$s" "${client[$s]}" "${host[$s]}" "${pid[$s]}"
  done
  for s in tuntcp pasta slirp4netns; do [ -n "${pid[$s]:-}" ] && e2e_stop "${pid[$s]}"; done
  [ -n "${pid[tuntcp]:-}" ] && tail -n +2 "$out/serve-$mtu.log" | grep -E 'TcpStat|TcpDrop|Link' > "$out/counters-$mtu.txt" || true
  unset client host pid
done

java_version=""
if wants tuntcp; then java_version="$("$java_bin" -version 2>&1 | head -1)"; [ -n "${TUNTCP:-}" ] && java_version="TUNTCP=$TUNTCP"; fi
"$py" "$here/report.py" "$results" "$report_dir/e2e.json" \
    --machine="$(nproc) vCPU, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
    --kernel="$(uname -r)" --java="$java_version" --serve-args="$serve_args${TUNTCP_JAVA_OPTS:+; JVM options $TUNTCP_JAVA_OPTS}" \
    --load="$load_start → $(cut -d' ' -f1-3 /proc/loadavg)" --date="$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --settings="iperf3 ${seconds}s single stream; $conns connections; $rtt_count round trips of 64 B; $idle idle connections" \
    | tee "$report_dir/e2e-table.txt"
"$py" "$here/chart.py" "$report_dir/e2e.json" "$report_dir/e2e-ratios.svg"
echo "(json: $report_dir/e2e.json, markdown: $report_dir/e2e-table.md, chart: $report_dir/e2e-ratios.svg, raw: $results)"
