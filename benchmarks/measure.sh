#!/usr/bin/env bash
# The measurement behind docs/benchmarks.md: every JMH benchmark on JDK 17 and JDK 25 (Netty's
# Unsafe path; on 25 with the Vector API checksum kernel), the checksum on JDK 25 without the
# kernel (scalar loop), the checksum and parse on JDK 25 without Unsafe (Netty's ByteBuffer
# fallback), linuxSyn's steps (ParseStepsBench), the issue-3 goal run (linuxSyn, pcap4jLinuxSyn and
# the 1500-byte checksums side by side with two forks) on both JDKs, and the C reference. The load
# average is logged before and after each part (OUTDIR/measure.log): the machine is shared. About
# 25 minutes on one core.
#   benchmarks/measure.sh [OUTDIR]        (default target/jmh; then benchmarks/jmh-table.py OUTDIR/*.json)
# Environment: JDK17_HOME, JDK25_HOME (defaults: the Debian JDK 17 and /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target/jmh}"
jdk17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mkdir -p "$out"
profilers=(-prof gc -prof dev.tuntcp.bench.CpuTimeProfiler)
settings=(-f 1 -wi 3 -w 1s -i 5 -r 1s "${profilers[@]}")
goal_settings=(-p size=1500 -f 2 -wi 5 -w 1s -i 10 -r 1s "${profilers[@]}")
goal='ParseBench.linuxSyn|ParseBench.pcap4jLinuxSyn|ChecksumBench.tuntcp|ChecksumBench.pcap4j'
log() { echo "$(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$out/measure.log"; }
# run NAME JAVA_HOME [VAR=value ...] -- JMH args
run() {
  local name=$1 home=$2 envs=()
  shift 2
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  log "$name start"
  env JAVA_HOME="$home" "${envs[@]}" "$root/benchmarks/jmh.sh" "$@" -rf json -rff "$out/$name.json" \
    > "$out/$name.txt" 2>&1
  log "$name done"
}

run goal-jdk17 "$jdk17" -- "$goal" "${goal_settings[@]}"
run goal-jdk25 "$jdk25" -- "$goal" "${goal_settings[@]}"
run jdk17 "$jdk17" -- 'ChecksumBench|ParseBench' "${settings[@]}"
run jdk25 "$jdk25" -- 'ChecksumBench|ParseBench' "${settings[@]}"
run jdk25-scalar "$jdk25" TUNTCP_JMH_NO_VECTOR=1 -- 'ChecksumBench.tuntcp' "${settings[@]}"
run jdk25-nounsafe "$jdk25" TUNTCP_JMH_NO_UNSAFE=1 -- 'ChecksumBench.tuntcp|ParseBench.(linuxSyn|dataSegment1500)' "${settings[@]}"
run steps-jdk17 "$jdk17" -- 'ParseStepsBench' "${settings[@]}"
log "native start"
"$root/benchmarks/native/run.sh" > "$out/native.txt" 2>&1
log "native done"
