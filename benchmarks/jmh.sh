#!/usr/bin/env bash
# Builds the JMH benchmarks (compiled as test sources, see pom.xml) and runs them on the JDK in
# JAVA_HOME (or the `java` on PATH) with the flags that JDK needs for Netty's Unsafe fast path
# (native-setup/jvm-flags.sh). All arguments go to JMH, e.g.
#   benchmarks/jmh.sh ChecksumBench -p size=1500 -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
#   benchmarks/jmh.sh -l                      # list benchmarks
# Environment: TUNTCP_JMH_NO_UNSAFE=1 runs Netty without sun.misc.Unsafe (-Dio.netty.noUnsafe=true,
# the path Netty takes on JDK 24+ when Unsafe memory access is not allowed), to measure that path.
# On JDK 25+ the checksum's Vector API kernel (META-INF/versions/25 of the multi-release build, see
# pom.xml) is put on the class path and its module added; TUNTCP_JMH_NO_VECTOR=1 leaves both out
# to measure the scalar loop on that JDK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cd "$root"
mvn -q -B test-compile >&2
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >&2
# shellcheck source=/dev/null
source "$root/native-setup/jvm-flags.sh"
flags="$(tuntcp_jvm_flags "$java_bin")"
if [ "${TUNTCP_JMH_NO_UNSAFE:-0}" = 1 ]; then
  flags="$(tuntcp_jvm_flags_without_unsafe "$java_bin") -Dio.netty.noUnsafe=true"
fi
classes="target/classes"
if [ "$(tuntcp_java_major "$java_bin")" -ge 25 ] && [ "${TUNTCP_JMH_NO_VECTOR:-0}" != 1 ] \
    && [ -d target/classes/META-INF/versions/25 ]; then
  flags="$flags --add-modules jdk.incubator.vector"
  classes="target/classes/META-INF/versions/25:$classes"
fi
echo "jmh.sh: $("$java_bin" -version 2>&1 | head -1); JVM flags: $flags" >&2
# JMH forks inherit these flags (the host VM's input arguments).
# shellcheck disable=SC2086
exec "$java_bin" $flags -cp "target/test-classes:$classes:$(cat target/jmh.classpath)" \
  org.openjdk.jmh.Main "$@"
