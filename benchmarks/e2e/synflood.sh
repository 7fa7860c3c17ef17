#!/usr/bin/env bash
# SYN-flood speed (issue 8 "Speed"): tuntcp `serve` on a TUN device under an hping3 SYN flood from a
# spoofed source (10.13.0.77, an address nobody in the namespace owns, so no RST ever answers the
# stack's SYN/ACKs) to port 80, while the kernel's legitimate clients keep connecting to port 80 too.
# Measures, for each flood rate:
#   * SYN/ACKs per second the stack sent (SYNCOOKIES_SENT from `tuntcp stats`: once the backlog of
#     128 half-open connections is full every further SYN is answered with a cookie);
#   * SYNs hping3 sent, and how many the kernel dropped at the TUN queue (the stack fell behind);
#   * legitimate connections completed during the flood (open, GET /, read to FIN, close; each
#     with a 1 s budget) and how many failed.
# docs/benchmarks.md records results ("issue 8").
#
# Everything lives in one network namespace this script creates and always deletes (DESIGN §8):
# TUN tt0, kernel side 10.13.0.1/24, stack 10.13.0.2. Every flood is bounded by `timeout`, every
# connection by a timeout. Needs root, hping3 and curl.
#
# usage: benchmarks/e2e/synflood.sh [SECONDS=10] [RATES="2000 flood"]   (a rate is SYNs/s or "flood")
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh" synflood-bench
seconds="${1:-10}"
rates="${2:-2000 flood}"
e2e_need hping3 ip
tuntcp=$(e2e_tuntcp_cmd)

ns="tt-sec-bench-$tag"
sock="$out/stats-$tag.sock"
e2e_netns "$ns"

rm -f "$out/serve.log"
# shellcheck disable=SC2086
ip netns exec "$ns" timeout $(( 60 + 3 * seconds * $(echo "$rates" | wc -w) )) $tuntcp \
    serve --tun tt0 --addr 10.13.0.2 --peer 10.13.0.1/24 \
    --stats-socket "$sock" > "$out/serve.log" 2>&1 &
serve_pid=$!; e2e_track "$serve_pid"
await_line "$out/serve.log" "tuntcp: serving"

stat() {  # stat NAME: one counter of the running serve
  # shellcheck disable=SC2086
  $tuntcp stats --socket "$sock" | awk -v k="$1" '$1 == k { print $2; exit }'
}
tun_drops() { ip -n "$ns" -s link show tt0 | awk '/TX:/ { getline; print $4; exit }'; }

# Legitimate clients: sequential HTTP connections for SECONDS, each with a 1 s budget.
legit() {
  ip netns exec "$ns" timeout $(( seconds + 10 )) "$py" - "$seconds" <<'PY'
import socket, sys, time
end = time.time() + float(sys.argv[1])
ok = failed = 0
worst = 0.0
while time.time() < end:
    t = time.time()
    try:
        s = socket.create_connection(("10.13.0.2", 80), timeout=1)
        s.settimeout(1)
        s.sendall(b"GET / HTTP/1.1\r\nHost: flood\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        if data.startswith(b"HTTP/1.1 200") and time.time() - t <= 1.0:
            ok += 1
        else:
            failed += 1
    except OSError:
        failed += 1
    worst = max(worst, time.time() - t)
print(ok, failed, "%.3f" % worst)
PY
}

echo "warming up (JIT) ..."
ip netns exec "$ns" timeout 20 hping3 -q -S -p 80 -a 10.13.0.77 -i u1000 -c 3000 10.13.0.2 > /dev/null 2>&1 || true
sleep 1

printf '\n%-8s %12s %12s %14s %14s %10s %10s %10s\n' "rate" "SYNs sent" "TUN drops" "SYN/ACKs/s" "cookies/s" "legit ok" "legit fail" "worst s"
for rate in $rates; do
  if [ "$rate" = flood ]; then pace=(--flood); else pace=(-i "u$(( 1000000 / rate ))"); fi
  c0=$(stat SYNCOOKIES_SENT); o0=$(stat PASSIVE_OPENS); d0=$(tun_drops)
  ip netns exec "$ns" timeout "$seconds" hping3 -S -p 80 -a 10.13.0.77 "${pace[@]}" 10.13.0.2 \
      > "$out/hping-$rate.log" 2>&1 &
  hping=$!
  result=$(legit)
  wait "$hping" || true
  sleep 0.5
  c1=$(stat SYNCOOKIES_SENT); o1=$(stat PASSIVE_OPENS); d1=$(tun_drops)
  sent=$(awk '/packets transmitted/ { print $1 }' "$out/hping-$rate.log")
  sent=${sent:-?}
  synacks=$(( (c1 - c0) + (o1 - o0) ))
  read -r ok failed worst <<< "$result"
  printf '%-8s %12s %12s %14s %14s %10s %10s %10s\n' "$rate" "$sent" "$(( d1 - d0 ))" \
      "$(( synacks / seconds ))" "$(( (c1 - c0) / seconds ))" "$ok" "$failed" "$worst"
done
echo
machine_line
java_line
echo "(SYN/ACKs/s counts cookies and the stateful SYN/ACKs of new half-open connections; hping3 --flood never reads replies)"
e2e_stop "$serve_pid"
rm -f "$sock"
