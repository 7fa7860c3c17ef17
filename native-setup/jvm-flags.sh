#!/usr/bin/env bash
# JVM flags tuntcp needs on a given java binary. Sourced by ./tuntcp and benchmarks/jmh.sh.
#  - JDK 9+: Netty reads direct buffers through sun.misc.Unsafe and needs DirectByteBuffer's
#    private constructor and cleaner; open java.nio and jdk.internal.misc to it.
#  - JDK 22+: JNA's native calls are "restricted methods"; allow them without a warning.
#  - JDK 24+: sun.misc.Unsafe memory access is deprecated for removal (JEP 471/498) and warns by
#    default. Netty 4.1.138 still uses Unsafe when the option is left unset (with that warning on
#    stderr) but falls back to ByteBuffer access — costing InternetChecksum its address path — as
#    soon as the option says anything but "allow" (warn, deny). "allow" keeps the fast path, quietly.

# The major version of the given java binary (17, 25, …).
tuntcp_java_major() {
  local java_bin="${1:-java}" major
  major=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  major=${major%%.*}
  echo "${major:-17}"
}

# Every flag the given JDK needs, including Netty's Unsafe fast path.
tuntcp_jvm_flags() {
  local java_bin="${1:-java}" major flags
  major=$(tuntcp_java_major "$java_bin")
  flags="$(tuntcp_jvm_flags_without_unsafe "$java_bin")"
  if [ "$major" -ge 24 ]; then flags="$flags --sun-misc-unsafe-memory-access=allow"; fi
  echo "$flags"
}

# The same without re-enabling sun.misc.Unsafe memory access on JDK 24+ (for measuring the fallback).
tuntcp_jvm_flags_without_unsafe() {
  local java_bin="${1:-java}" major flags
  major=$(tuntcp_java_major "$java_bin")
  flags="-Dio.netty.tryReflectionSetAccessible=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"
  if [ "$major" -ge 22 ]; then flags="$flags --enable-native-access=ALL-UNNAMED"; fi
  echo "$flags"
}

# The heap tuntcp runs with when nobody sized it. Without a cap G1 on this 24 GiB machine starts at
# 1/64 of RAM (384 MiB) and grew to 300-600 MiB RSS during throughput runs, although the stack's live
# data is a few MiB per busy connection and 1000 idle connections add ~1 MiB (docs/benchmarks.md,
# issue 9 "launcher heap"). Nothing is printed when the user's own options (JAVA_OPTS,
# TUNTCP_JAVA_OPTS, or JDK_JAVA_OPTIONS, which the java launcher reads itself) size the heap: then they
# decide. TUNTCP_DEFAULT_HEAP overrides the default; empty means the JVM's own.
# Netty's direct memory (packet buffers) is capped by the max heap too unless -XX:MaxDirectMemorySize
# says otherwise.
tuntcp_default_heap="-Xms16m -Xmx256m"
tuntcp_heap_flags() {
  local given=" ${JAVA_OPTS:-} ${TUNTCP_JAVA_OPTS:-} ${JDK_JAVA_OPTIONS:-} "
  case "$given" in
    *" -Xmx"* | *" -Xms"* | *"-XX:MaxHeapSize="* | *"-XX:InitialHeapSize="* | *"-XX:MinHeapSize="* \
      | *"-XX:MaxRAMPercentage="* | *"-XX:MaxRAM="* | *"-XX:MaxRAMFraction="*) ;;
    *) echo "${TUNTCP_DEFAULT_HEAP-$tuntcp_default_heap}" ;;
  esac
}
