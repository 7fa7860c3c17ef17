#!/usr/bin/env bash
# TCP-core speed (issue 5 "Speed"): the kernel's curl and a kernel-socket client against
#   (1) tuntcp `serve` behind a TUN device, and
#   (2) a kernel-socket HTTP server (kernel_http.py, same responses) over a veth pair between two
#       namespaces,
# in the same run, alternately: curl fetching MIB MiB from /bytes/N, and CONNS sequential connections
# (open, one request, read to the server's FIN, close; conns.py). Prints both, and tuntcp/kernel.
# docs/benchmarks.md records results.
#
# Everything lives in three network namespaces this script creates and always deletes (DESIGN §8):
# tuntcp's (TUN tt0, kernel side 10.13.0.1/24, stack 10.13.0.2), and a veth pair 10.14.0.1/24 ⇄
# 10.14.0.2/24 between a client and a server namespace. Nothing touches the host namespace. Every
# transfer has a timeout and the servers exit by themselves after a deadline. Needs root.
#
# usage: benchmarks/e2e/tcp-core.sh [MIB=100] [CONNS=1000] [ROUNDS=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/benchmarks/e2e"
mib="${1:-100}"
conns="${2:-1000}"
rounds="${3:-3}"
bytes=$((mib * 1024 * 1024))
out="$root/target/tcp-core-bench"
mkdir -p "$out"
for tool in curl ip; do
  command -v "$tool" >/dev/null || { echo "tcp-core.sh: needs $tool" >&2; exit 2; }
done
py=/usr/bin/python3
[ -x "$py" ] || py=python3
jar="$root/target/tuntcp.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
# shellcheck source=/dev/null
source "$root/native-setup/jvm-flags.sh"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

tag="$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
ns_s="tt-e2ebench-$tag-s"   # tuntcp and its kernel-side client
ns_c="tt-e2ebench-$tag-c"   # the kernel server's client
ns_k="tt-e2ebench-$tag-k"   # the kernel server
serve_pid=""
kernel_pid=""
cleanup() {
  for p in $serve_pid $kernel_pid; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
  done
  for n in "$ns_s" "$ns_c" "$ns_k"; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT
for n in "$ns_s" "$ns_c" "$ns_k"; do ip netns add "$n"; ip -n "$n" link set lo up; done
# The veth pair is created inside the client namespace with its peer in the server's: never on the host.
ip -n "$ns_c" link add ve-c type veth peer name ve-k netns "$ns_k"
ip -n "$ns_c" addr add 10.14.0.1/24 dev ve-c
ip -n "$ns_k" addr add 10.14.0.2/24 dev ve-k
ip -n "$ns_c" link set ve-c up
ip -n "$ns_k" link set ve-k up

# Waits (20 s at most) until FILE contains TEXT.
await_line() {
  for _ in $(seq 1 400); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "tcp-core.sh: no '$2' in $1:" >&2; cat "$1" >&2; return 1
}

rm -f "$out/serve.log" "$out/kernel.log"   # a stale readiness line must not count
deadline=$(( 120 + rounds * (mib / 2 + conns / 50 + 60) ))   # servers exit by themselves after this
# shellcheck disable=SC2046
ip netns exec "$ns_s" "$java_bin" $(tuntcp_jvm_flags "$java_bin") -jar "$jar" serve --tun tt0 \
    --addr 10.13.0.2 --peer 10.13.0.1/24 > "$out/serve.log" 2>&1 &
serve_pid=$!
ip netns exec "$ns_k" timeout "$deadline" "$py" "$here/kernel_http.py" 10.14.0.2 80 "$deadline" > "$out/kernel.log" 2>&1 &
kernel_pid=$!
await_line "$out/serve.log" "tuntcp: serving"
await_line "$out/kernel.log" "ready"

# fetch NS HOST N: curl GET /bytes/N; prints "seconds MB/s" and checks the size.
fetch() {
  local line
  line=$(ip netns exec "$1" curl -sS --max-time 300 -o /dev/null \
      -w '%{time_total} %{speed_download} %{size_download}' "http://$2/bytes/$3")
  set -- $line "$3"
  [ "$3" = "$4" ] || { echo "tcp-core.sh: got $3 of $4 bytes" >&2; exit 1; }
  awk -v t="$1" -v s="$2" 'BEGIN { printf "%.3f %.1f\n", t, s / 1e6 }'
}

# connections NS HOST N: prints "seconds per_second".
connections() {
  ip netns exec "$1" timeout 600 "$py" "$here/conns.py" "$2" 80 "$3" | awk '{ print $4, $6 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "warming up (JIT, caches) ..."
fetch "$ns_s" 10.13.0.2 $((20 * 1024 * 1024)) > /dev/null
fetch "$ns_c" 10.14.0.2 $((20 * 1024 * 1024)) > /dev/null
connections "$ns_s" 10.13.0.2 200 > /dev/null
connections "$ns_c" 10.14.0.2 200 > /dev/null

: > "$out/results"
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds ..."
  echo "fetch tuntcp $(fetch "$ns_s" 10.13.0.2 "$bytes")" >> "$out/results"
  echo "fetch kernel $(fetch "$ns_c" 10.14.0.2 "$bytes")" >> "$out/results"
  echo "conns tuntcp $(connections "$ns_s" 10.13.0.2 "$conns")" >> "$out/results"
  echo "conns kernel $(connections "$ns_c" 10.14.0.2 "$conns")" >> "$out/results"
done

pick() { awk -v k="$1" -v w="$2" -v c="$3" '$1 == k && $2 == w { print $c }' "$out/results" | median; }
f_t=$(pick fetch tuntcp 4); f_k=$(pick fetch kernel 4)
c_t=$(pick conns tuntcp 4); c_k=$(pick conns kernel 4)
ft_s=$(pick fetch tuntcp 3); fk_s=$(pick fetch kernel 3)
ct_s=$(pick conns tuntcp 3); ck_s=$(pick conns kernel 3)

echo
echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:    $("$java_bin" -version 2>&1 | head -1)"
echo "medians of $rounds rounds:"
printf '%-40s %14s %14s %8s\n' "" "tuntcp (TUN)" "kernel (veth)" "ratio"
printf '%-40s %14s %14s %8s\n' "curl GET /bytes/$bytes: MB/s" "$f_t" "$f_k" "$(awk -v a="$f_t" -v b="$f_k" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %14s %14s\n' "  (seconds)" "$ft_s" "$fk_s"
printf '%-40s %14s %14s %8s\n' "$conns sequential connections: per second" "$c_t" "$c_k" "$(awk -v a="$c_t" -v b="$c_k" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %14s %14s\n' "  (seconds)" "$ct_s" "$ck_s"
echo "(ratio = tuntcp / kernel; raw rounds in $out/results)"
kill -TERM "$serve_pid" && wait "$serve_pid" || { echo "tcp-core.sh: serve did not stop cleanly" >&2; exit 1; }
serve_pid=""
