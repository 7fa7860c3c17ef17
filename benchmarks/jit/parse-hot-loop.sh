#!/usr/bin/env bash
# The instructions one ParseBench.linuxSyn operation executes, as compiled by C2 on the JDK in
# JAVA_HOME (see hot_loop.py for how, and docs/benchmarks.md, issue 3, for the figures):
#   benchmarks/jit/parse-hot-loop.sh [--listing]
# Runs one short JMH fork with PrintAssembly for the benchmark's stub (the parse is inlined into it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$here/../jmh.sh" 'ParseBench.linuxSyn$' -f 1 -wi 4 -w 1s -i 1 -r 1s \
  -jvmArgsAppend "-XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,*ParseBench_linuxSyn_jmhTest::linuxSyn_avgt_jmhStub" >"$log" 2>&1
python3 "$here/hot_loop.py" "$log" linuxSyn_avgt_jmhStub "$@"
