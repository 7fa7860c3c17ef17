#!/usr/bin/env bash
# Goodput under loss (issue 7 "Speed"): curl fetching MIB MiB (GET /bytes/N) from
#   (1) tuntcp `serve` on a TUN device, clean link;
#   (2) the same, with LOSS% of packets dropped at random in each direction by nftables rules in
#       a router namespace between curl and the TUN device (loss made by the kernel, independent
#       of our code and invisible to both TCPs);
#   (3) tuntcp `serve --impair loss=…,dup=0.01,reorder=0.02,corrupt=0.01,seed=SEED` (its own
#       impairment, both directions), no nftables loss;
#   (4) the reference: two kernel TCPs (a kernel-socket HTTP server, kernel_http.py) through the
#       same kind of lossy router namespace;
#   (5) the kernel reference on the clean veth.
# Prints the median goodput of ROUNDS runs of each, the ratio (2)/(4) (goal ≥ 0.8) and the longest
# stall of the first lossy run of (2), (3) and (4), read from a header-only capture by tshark
# (stall.py: the longest time the receiver's cumulative ACK stood still; goal: never more than two
# RTOs). docs/benchmarks.md records results.
#
# Everything lives in network namespaces this script creates (prefix tt-txf-) and always deletes
# (DESIGN §8); nothing touches the host namespace. Every transfer has a timeout; the kernel server
# exits by itself after a deadline. Needs root, nftables, tcpdump, tshark, curl.
#
# usage: [CC=newreno|cubic] benchmarks/e2e/loss.sh [MIB=64] [LOSS_PERCENT=3] [ROUNDS=3] [SEED=7]
# (CC: serve's --cc; unset, serve's default. The kernel reference keeps the kernel's own, CUBIC.)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" loss-bench
mib="${1:-64}"
loss="${2:-3}"
rounds="${3:-3}"
seed="${4:-7}"
bytes=$((mib * 1024 * 1024))
e2e_need curl ip nft tcpdump tshark
tuntcp=$(e2e_tuntcp_cmd)
cc_args=()
[ -n "${CC:-}" ] && cc_args=(--cc "$CC")
impair="loss=$(awk -v l="$loss" 'BEGIN { printf "%.4f", l / 100 }'),dup=0.01,reorder=0.02,corrupt=0.01,seed=$seed"

# Loss must be made where neither TCP can see it: a random drop in the sending host's own output
# path is reported back to its TCP (the segment is simply sent again later, no loss at all), so
# every path has a router namespace in the middle whose FORWARD chain drops LOSS% of the packets
# each way, as a lossy network would.
#   tuntcp:    c1 (curl) 10.15.0.1 —veth— 10.15.0.2 r1 (forwarding, serve's tt0 10.13.0.1) → stack 10.13.0.2
#   --impair:  c2 (curl) 10.15.0.1 —veth— 10.15.0.2 r2 (forwarding, serve --impair, no nftables loss)
#   kernel:    c3 (curl) 10.16.0.1 —veth— r3 (forwarding) —veth— 10.17.0.2 k (kernel_http.py)
ns_c1="tt-txf-$tag-c1"; ns_r1="tt-txf-$tag-r1"
ns_c2="tt-txf-$tag-c2"; ns_r2="tt-txf-$tag-r2"
ns_c3="tt-txf-$tag-c3"; ns_r3="tt-txf-$tag-r3"; ns_k="tt-txf-$tag-k"
all_ns=("$ns_c1" "$ns_r1" "$ns_c2" "$ns_r2" "$ns_c3" "$ns_r3" "$ns_k")
for n in "${all_ns[@]}"; do e2e_netns "$n"; done
link() { e2e_veth "$@"; }   # a veth pair created inside NS1 (never on the host)
link "$ns_c1" ve-c 10.15.0.1/24 "$ns_r1" ve-r 10.15.0.2/24
link "$ns_c2" ve-c 10.15.0.1/24 "$ns_r2" ve-r 10.15.0.2/24
link "$ns_c3" ve-c 10.16.0.1/24 "$ns_r3" ve-r 10.16.0.2/24
link "$ns_r3" ve-s 10.17.0.1/24 "$ns_k" ve-k 10.17.0.2/24
ip -n "$ns_c1" route add 10.13.0.0/24 via 10.15.0.2
ip -n "$ns_c2" route add 10.13.0.0/24 via 10.15.0.2
ip -n "$ns_c3" route add 10.17.0.0/24 via 10.16.0.2
ip -n "$ns_k" route add 10.16.0.0/24 via 10.17.0.1
for n in "$ns_r1" "$ns_r2" "$ns_r3"; do ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1; done
# The TUN device carries one MTU-sized segment per packet; so must the kernel path, or the router's
# 3% would hit 64 KiB GSO super-packets (a twentieth of the losses per byte): no segmentation offload.
for d in "$ns_c3 ve-c" "$ns_r3 ve-r" "$ns_r3 ve-s" "$ns_k ve-k"; do
  set -- $d; ip -n "$1" link set dev "$2" gso_max_segs 1 gso_max_size 1500
done

# loss_on NS: the router NS drops LOSS% of forwarded packets at random, each way (nftables numgen).
loss_on() {
  ip netns exec "$1" nft -f - <<NFT
table inet tt_txf_loss {
  chain lossy { type filter hook forward priority 0; numgen random mod 100 < $loss counter drop; }
}
NFT
}
loss_off() { ip netns exec "$1" nft delete table inet tt_txf_loss 2>/dev/null || true; }

rm -f "$out"/*.log "$out"/*.pcap
deadline=$(( 300 + rounds * 5 * 200 ))
# shellcheck disable=SC2086
ip netns exec "$ns_r1" $tuntcp serve --tun tt0 \
    --addr 10.13.0.2 --peer 10.13.0.1/24 "${cc_args[@]}" > "$out/serve.log" 2>&1 &
e2e_track $!; serve_pid=$!
# shellcheck disable=SC2086
ip netns exec "$ns_r2" $tuntcp serve --tun tt0 \
    --addr 10.13.0.2 --peer 10.13.0.1/24 --impair "$impair" "${cc_args[@]}" > "$out/serve-impair.log" 2>&1 &
e2e_track $!; serve_i_pid=$!
ip netns exec "$ns_k" timeout "$deadline" "$py" "$here/kernel_http.py" 10.17.0.2 80 "$deadline" > "$out/kernel.log" 2>&1 &
e2e_track $!
await_line "$out/serve.log" "tuntcp: serving"
await_line "$out/serve-impair.log" "tuntcp: serving"
await_line "$out/kernel.log" "ready"

# fetch NS HOST N: curl GET /bytes/N (bounded); prints "seconds MB/s", or "0 0" if it failed.
fetch() {
  local line
  line=$(ip netns exec "$1" curl -sS --max-time 600 -o /dev/null \
      -w '%{time_total} %{speed_download} %{size_download}' "http://$2/bytes/$3" 2>/dev/null) || true
  # shellcheck disable=SC2086
  set -- $line "$3"
  [ "${3:-0}" = "$4" ] || { echo "loss.sh: fetch of $4 bytes from $2 failed: '$line'" >&2; echo "0 0"; return; }
  awk -v t="$1" -v s="$2" 'BEGIN { printf "%.3f %.1f\n", t, s / 1e6 }'
}

# captured NS DEV NAME CMD...: runs CMD with a header-only tcpdump on DEV, keeps NAME.pcap.
captured() {
  local ns="$1" dev="$2" name="$3"; shift 3
  ip netns exec "$ns" tcpdump -q --immediate-mode -U -i "$dev" -s 96 -B 16384 -w "$out/$name.pcap" tcp port 80 2>"$out/$name.tcpdump.log" &
  local cap=$!
  e2e_track $cap
  await_line "$out/$name.tcpdump.log" "listening on"
  "$@"
  sleep 1
  kill -INT "$cap" 2>/dev/null || true; wait "$cap" 2>/dev/null || true
}

stall() {  # stall NAME RECEIVER
  tshark -r "$out/$1.pcap" -T fields -e frame.time_relative -e ip.src -e tcp.ack -e tcp.len 2>/dev/null \
    | "$py" "$here/stall.py" "$2"
}

echo "warming up (JIT) ..."
fetch "$ns_c1" 10.13.0.2 $((32 * 1024 * 1024)) > /dev/null
fetch "$ns_c2" 10.13.0.2 $((8 * 1024 * 1024)) > /dev/null
fetch "$ns_c3" 10.17.0.2 $((32 * 1024 * 1024)) > /dev/null

: > "$out/results"
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds ..."
  loss_off "$ns_r1"; loss_off "$ns_r3"
  echo "clean tuntcp $(fetch "$ns_c1" 10.13.0.2 "$bytes")" >> "$out/results"
  echo "clean kernel $(fetch "$ns_c3" 10.17.0.2 "$bytes")" >> "$out/results"
  loss_on "$ns_r1"; loss_on "$ns_r3"
  if [ "$r" = 1 ]; then
    captured "$ns_c1" ve-c nft-tuntcp eval 'echo "nft tuntcp $(fetch "$ns_c1" 10.13.0.2 "$bytes")" >> "$out/results"'
    captured "$ns_c3" ve-c nft-kernel eval 'echo "nft kernel $(fetch "$ns_c3" 10.17.0.2 "$bytes")" >> "$out/results"'
    captured "$ns_c2" ve-c impair-tuntcp eval 'echo "impair tuntcp $(fetch "$ns_c2" 10.13.0.2 "$bytes")" >> "$out/results"'
    dropped=$(ip netns exec "$ns_r1" nft list table inet tt_txf_loss | awk '/counter packets/ { for (i = 1; i <= NF; i++) if ($i == "packets") print $(i + 1) }')
  else
    echo "nft tuntcp $(fetch "$ns_c1" 10.13.0.2 "$bytes")" >> "$out/results"
    echo "nft kernel $(fetch "$ns_c3" 10.17.0.2 "$bytes")" >> "$out/results"
    echo "impair tuntcp $(fetch "$ns_c2" 10.13.0.2 "$bytes")" >> "$out/results"
  fi
done
loss_off "$ns_r1"; loss_off "$ns_r3"

pick() { awk -v k="$1" -v w="$2" -v c="$3" '$1 == k && $2 == w { print $c }' "$out/results" | median; }
c_t=$(pick clean tuntcp 4); c_k=$(pick clean kernel 4)
n_t=$(pick nft tuntcp 4); n_k=$(pick nft kernel 4); i_t=$(pick impair tuntcp 4)
s_nt=$(stall nft-tuntcp 10.15.0.1); s_nk=$(stall nft-kernel 10.16.0.1); s_it=$(stall impair-tuntcp 10.15.0.1)

kill -TERM "$serve_pid" "$serve_i_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true; wait "$serve_i_pid" 2>/dev/null || true
counter() { awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$1"; }

echo
machine_line
java_line
echo "curl GET /bytes/$bytes, medians of $rounds rounds (MB/s):"
printf '%-52s %12s %14s %8s\n' "" "tuntcp (TUN)" "kernel (veth)" "ratio"
printf '%-52s %12s %14s %8s\n' "clean link" "$c_t" "$c_k" "$(ratio "$c_t" "$c_k")"
printf '%-52s %12s %14s %8s\n' "nftables ${loss}% random loss each way" "$n_t" "$n_k" "$(ratio "$n_t" "$n_k")"
printf '%-52s %12s %14s %8s\n' "serve --impair $impair" "$i_t" "" "$(ratio "$i_t" "$n_k")"
echo "packets the router dropped in the first lossy tuntcp run: $dropped"
echo "longest stall (first lossy round, from the capture):"
echo "  tuntcp, nftables loss:  $s_nt"
echo "  kernel, nftables loss:  $s_nk"
echo "  tuntcp, --impair:       $s_it"
echo "serve counters (all rounds, nftables loss / --impair):"
for k in TcpStat.RETRANSMITS TcpStat.RETRANSMIT_TIMEOUTS TcpStat.FAST_RETRANSMITS TcpStat.SACK_RECOVERIES \
    TcpStat.RACK_LOSSES TcpStat.LOST_RETRANSMITS TcpStat.RACK_REORDER_TIMEOUTS TcpStat.TLP_PROBES TcpStat.TLP_RECOVERIES \
    TcpStat.DSACKS_RECEIVED TcpStat.SPURIOUS_UNDOS TcpStat.SPURIOUS_RTOS TcpStat.ZERO_WINDOW_PROBES TcpDrop.BAD_CHECKSUM; do
  printf "  %-40s %10s %10s\n" "$k" "$(counter "$out/serve.log" "$k")" "$(counter "$out/serve-impair.log" "$k")"
done
echo "(ratio = tuntcp / kernel under the same loss; raw rounds in $out/results)"
