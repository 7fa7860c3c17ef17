#!/usr/bin/env bash
# Prints the JVM flags tuntcp needs on the given java binary. Sourced by ./tuntcp and benchmarks/jmh.sh.
#  - JDK 22+: JNA's native calls are "restricted methods"; allow them without a warning.
#  - JDK 9+: Netty's direct buffers use Unsafe and DirectByteBuffer's cleaner; open what it needs.
#  - JDK 24+: sun.misc.Unsafe memory access warns (JEP 498) and Netty falls back to ByteBuffer
#    access unless it is explicitly allowed.
tuntcp_jvm_flags() {
  local java_bin="${1:-java}" major
  major=$("$java_bin" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  major=${major%%.*}
  local flags="-Dio.netty.tryReflectionSetAccessible=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"
  if [ "${major:-17}" -ge 22 ]; then flags="$flags --enable-native-access=ALL-UNNAMED"; fi
  if [ "${major:-17}" -ge 24 ]; then flags="$flags --sun-misc-unsafe-memory-access=allow"; fi
  echo "$flags"
}
