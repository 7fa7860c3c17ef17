#!/usr/bin/env bash
# Builds and runs the C checksum reference (benchmarks/native/checksum.c) with the system compiler
# at -O3 -march=native, so docs/benchmarks.md can state the machine's limit beside the Java figures.
# Output goes to target/native/. Single-threaded; about 10 s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cc="${CC:-}"
if [ -z "$cc" ]; then
  for candidate in gcc cc clang; do
    if command -v "$candidate" >/dev/null 2>&1; then cc="$candidate"; break; fi
  done
fi
if [ -z "$cc" ]; then
  echo "native/run.sh: no C compiler found — install gcc (apt-get install gcc) to run the C reference" >&2
  exit 2
fi
out="$root/target/native"
mkdir -p "$out"
cflags="-O3 -march=native -std=c11 -Wall -Wextra"
# shellcheck disable=SC2086
"$cc" $cflags -o "$out/checksum" "$root/benchmarks/native/checksum.c"
echo "# $("$cc" --version | head -1); flags: $cflags"
"$out/checksum"
