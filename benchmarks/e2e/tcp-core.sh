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
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" tcp-core-bench
mib="${1:-100}"
conns="${2:-1000}"
rounds="${3:-3}"
bytes=$((mib * 1024 * 1024))
e2e_need curl ip
tuntcp=$(e2e_tuntcp_cmd)

ns_s="tt-e2ebench-$tag-s"   # tuntcp and its kernel-side client
ns_c="tt-e2ebench-$tag-c"   # the kernel server's client
ns_k="tt-e2ebench-$tag-k"   # the kernel server
for n in "$ns_s" "$ns_c" "$ns_k"; do e2e_netns "$n"; done
# The veth pair is created inside the client namespace with its peer in the server's: never on the host.
e2e_veth "$ns_c" ve-c 10.14.0.1/24 "$ns_k" ve-k 10.14.0.2/24

rm -f "$out/serve.log" "$out/kernel.log"   # a stale readiness line must not count
deadline=$(( 120 + rounds * (mib / 2 + conns / 50 + 60) ))   # servers exit by themselves after this
# shellcheck disable=SC2086
ip netns exec "$ns_s" $tuntcp serve --tun tt0 --addr 10.13.0.2 --peer 10.13.0.1/24 \
    --stats-socket "$out/stats-$tag.sock" > "$out/serve.log" 2>&1 &
serve_pid=$!; e2e_track "$serve_pid"
ip netns exec "$ns_k" timeout "$deadline" "$py" "$here/kernel_http.py" 10.14.0.2 80 "$deadline" > "$out/kernel.log" 2>&1 &
e2e_track $!
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
machine_line
java_line
echo "medians of $rounds rounds:"
printf '%-40s %14s %14s %8s\n' "" "tuntcp (TUN)" "kernel (veth)" "ratio"
printf '%-40s %14s %14s %8s\n' "curl GET /bytes/$bytes: MB/s" "$f_t" "$f_k" "$(awk -v a="$f_t" -v b="$f_k" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %14s %14s\n' "  (seconds)" "$ft_s" "$fk_s"
printf '%-40s %14s %14s %8s\n' "$conns sequential connections: per second" "$c_t" "$c_k" "$(awk -v a="$c_t" -v b="$c_k" 'BEGIN { printf "%.2f", a / b }')"
printf '%-40s %14s %14s\n' "  (seconds)" "$ct_s" "$ck_s"
echo "(ratio = tuntcp / kernel; raw rounds in $out/results)"
kill -TERM "$serve_pid" && wait "$serve_pid" || { echo "tcp-core.sh: serve did not stop cleanly" >&2; exit 1; }
