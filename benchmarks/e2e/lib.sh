#!/usr/bin/env bash
# The preamble the end-to-end benchmarks share (sourced by e2e.sh, tcp-core.sh, loss.sh,
# synflood.sh): where things are, how tuntcp is started, the namespaces and processes a script made
# (and their removal on every way out: normal end, failure, Ctrl-C, SIGTERM), and small helpers.
#
# After `source lib.sh NAME` a script has: $root $here $py $java_bin $out (target/NAME, created),
# $tag (random, for unique namespace names), the functions below, and a trap that runs
# e2e_cleanup on exit. Network safety (DESIGN §8): every namespace a script makes goes through
# e2e_netns (so e2e_cleanup deletes it) and every background process through e2e_track (so it is
# stopped by PID, never by name).
#
# TUNTCP, if set, is the command that runs tuntcp (e.g. a test's `java … -cp … dev.tuntcp.cli.Main`);
# otherwise target/tuntcp.jar on $JAVA_HOME's java (built first if missing), with the launcher's
# default heap unless TUNTCP_JAVA_OPTS sizes it, and TUNTCP_JAVA_OPTS (e.g. -Xmx64m) before -jar.
set -euo pipefail
e2e_name="${1:?usage: source lib.sh NAME}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/benchmarks/e2e"
out="$root/target/$e2e_name"
mkdir -p "$out"
py=/usr/bin/python3
[ -x "$py" ] || py=python3
# shellcheck source=/dev/null
source "$root/native-setup/jvm-flags.sh"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
tag="${E2E_TAG:-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')}"   # E2E_TAG: a caller that checks the cleanup
jar="$root/target/tuntcp.jar"

e2e_fail() { echo "$e2e_name: $*" >&2; exit 1; }

# e2e_need TOOL…: exits 2 naming the first missing tool.
e2e_need() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "$e2e_name: needs $t (see .ci/run for the packages)" >&2; exit 2; }
  done
}

# The command (as words) that runs tuntcp: $TUNTCP, or the jar with the flags this JDK needs.
e2e_tuntcp_cmd() {
  if [ -n "${TUNTCP:-}" ]; then
    echo "$TUNTCP"
  else
    [ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package) >&2
    echo "$java_bin $(tuntcp_jvm_flags "$java_bin") $(tuntcp_heap_flags) ${TUNTCP_JAVA_OPTS:-} -jar $jar"
  fi
}

e2e_namespaces=()
e2e_pids=()
# e2e_netns NAME: creates the namespace with its loopback up; e2e_cleanup deletes it.
e2e_netns() {
  ip netns add "$1"
  e2e_namespaces+=("$1")
  ip -n "$1" link set lo up
}
# e2e_track PID: a background process e2e_cleanup stops (SIGTERM, then SIGKILL after 5 s).
e2e_track() { e2e_pids+=("$1"); }

# e2e_stop PID: SIGTERM, wait up to 5 s, then SIGKILL; never fails.
e2e_stop() {
  local p="$1" i
  kill -0 "$p" 2>/dev/null || { wait "$p" 2>/dev/null || true; return 0; }
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null || true
}

e2e_cleanup() {
  local p n
  for p in "${e2e_pids[@]}"; do e2e_stop "$p"; done
  for n in "${e2e_namespaces[@]}"; do ip netns del "$n" 2>/dev/null || true; done
}
trap e2e_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# e2e_veth NS1 DEV1 ADDR1/LEN NS2 DEV2 ADDR2/LEN: a veth pair created inside NS1 with its peer in
# NS2 (never on the host), addressed and up.
e2e_veth() {
  ip -n "$1" link add "$2" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"; ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up; ip -n "$4" link set "$5" up
}

# await_line FILE TEXT [TENTHS=400]: waits (40 s by default) until FILE contains TEXT, else fails
# showing FILE.
await_line() {
  local i
  for i in $(seq 1 "${3:-400}"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "$e2e_name: no '$2' in $1:" >&2; cat "$1" >&2; return 1
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# ratio A B: A/B with two decimals, n/a when B is not positive.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# One line each: the machine (CPUs, model, kernel, load) and the JVM.
machine_line() {
  echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
java_line() { echo "java:    $("$java_bin" -version 2>&1 | head -1)"; }
