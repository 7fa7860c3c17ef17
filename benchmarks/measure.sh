#!/usr/bin/env bash
# The measurement behind docs/benchmarks.md: every JMH benchmark on JDK 17 and JDK 25 (Netty's
# Unsafe path), the checksum and parse on JDK 25 without Unsafe (Netty's ByteBuffer fallback), and
# the C reference. Moderate settings (one fork, 3×1 s warm-up, 5×1 s measurement) so a shared
# machine is not taken for long: about ten minutes on one core.
#   benchmarks/measure.sh [OUTDIR]        (default target/jmh; then benchmarks/jmh-table.py OUTDIR/*.json)
# Environment: JDK17_HOME, JDK25_HOME (defaults: the Debian JDK 17 and /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/jmh}"
jdk17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mkdir -p "$out"
settings=(-f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -prof dev.tuntcp.bench.CpuTimeProfiler)
log() { echo "$(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$out/measure.log"; }

log "start"
JAVA_HOME="$jdk17" "$root/benchmarks/jmh.sh" 'ChecksumBench|ParseBench' "${settings[@]}" \
  -rf json -rff "$out/jdk17.json" > "$out/jdk17.txt" 2>&1
log "jdk17 done"
JAVA_HOME="$jdk25" "$root/benchmarks/jmh.sh" 'ChecksumBench|ParseBench' "${settings[@]}" \
  -rf json -rff "$out/jdk25.json" > "$out/jdk25.txt" 2>&1
log "jdk25 done"
JAVA_HOME="$jdk25" TUNTCP_JMH_NO_UNSAFE=1 "$root/benchmarks/jmh.sh" 'ChecksumBench.tuntcp|ParseBench.(linuxSyn|dataSegment1500)' \
  "${settings[@]}" -rf json -rff "$out/jdk25-nounsafe.json" > "$out/jdk25-nounsafe.txt" 2>&1
log "jdk25 without Unsafe done"
"$root/benchmarks/native/run.sh" > "$out/native.txt" 2>&1
log "native done"
