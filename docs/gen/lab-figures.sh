#!/usr/bin/env bash
# Regenerates the lab's figures from real runs against the kernel (DESIGN §6): for every scenario
# (or the ones named), docs/img/lab/NAME.svg (ladder), NAME.mmd (Mermaid) and NAME.txt (what the
# terminal shows), plus docs/img/handshake.svg and docs/img/teardown.svg for the README.
#
#   sudo docs/gen/lab-figures.sh [--no-build] [SCENARIO ...]
#
# Needs root (each scenario creates and deletes its own network namespace and TUN device). Builds
# target/tuntcp.jar first unless --no-build. Exits non-zero when a scenario fails three times, except
# fin-ack-combined, whose outcome depends on timing (its figure then shows the four-segment form).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/docs/img/lab"
build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
if [ "$build" = 1 ]; then
  (cd "$root" && mvn -q -B -DskipTests package)
fi
mkdir -p "$out"
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  mapfile -t scenarios < <("$root/tuntcp" lab --list | awk '{print $1}')
fi
for s in "${scenarios[@]}"; do
  ok=0
  for attempt in 1 2 3; do
    # Timing-dependent scenarios (fin-ack-combined) may need a second run on a busy machine.
    if "$root/tuntcp" lab "$s" --no-color --svg "$out/$s.svg" --mermaid "$out/$s.mmd" >"$out/$s.txt" 2>"$out/$s.err"; then
      ok=1
      break
    fi
    echo "lab-figures: $s attempt $attempt failed: $(tail -1 "$out/$s.err")" >&2
  done
  rm -f "$out/$s.err"
  if [ "$ok" != 1 ]; then
    if [ "$s" = fin-ack-combined ]; then
      echo "lab-figures: $s showed the separate ACK three times (timing-dependent); keeping that run" >&2
      continue
    fi
    echo "lab-figures: $s failed three times" >&2
    exit 1
  fi
  echo "lab-figures: $s -> docs/img/lab/$s.{svg,mmd,txt}"
done
if [ -f "$out/handshake-server.svg" ]; then
  cp "$out/handshake-server.svg" "$root/docs/img/handshake.svg"
fi
if [ -f "$out/close-by-kernel.svg" ]; then
  cp "$out/close-by-kernel.svg" "$root/docs/img/teardown.svg"
fi
