#!/usr/bin/env bash
# Regenerates the ladders of docs/handshake-teardown.md and docs/handshake-teardown.zh.md from real
# runs of `tuntcp lab` against the kernel (each scenario in a namespace of its own, removed after):
#
#   for every scenario named by a marker <!-- lab:NAME --> in those pages:
#     OUT/img/walkthrough/NAME.svg   the SVG ladder           (lab NAME --svg)
#     OUT/traces/NAME.txt            everything lab printed   (lab NAME --no-color)
#   then the fenced block between <!-- lab:NAME --> and <!-- /lab:NAME --> in OUT/<page> is replaced
#   by the ladder part of OUT/traces/NAME.txt.
#
# Usage (as root, from anywhere):  docs/gen/walkthrough.sh [OUT]
#   OUT defaults to docs/ (regenerate in place); the CI test passes a temporary directory, into which
#   the pages are copied first. TUNTCP overrides the command that runs tuntcp (default: ./tuntcp,
#   which runs target/tuntcp.jar: after changing the code, `mvn -q -DskipTests package` first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/docs}"
tuntcp="${TUNTCP:-$root/tuntcp}"
pages=(handshake-teardown.md handshake-teardown.zh.md)

mkdir -p "$out/img/walkthrough" "$out/traces"
for page in "${pages[@]}"; do
  if [ "$(cd "$out" && pwd)" != "$root/docs" ]; then
    cp "$root/docs/$page" "$out/$page"
  fi
done

# The scenarios the pages use, in page order, each once.
mapfile -t scenarios < <(cd "$out" && grep -ho '<!-- lab:[a-z0-9-]* -->' "${pages[@]}" \
  | sed 's/<!-- lab:\(.*\) -->/\1/' | awk '!seen[$0]++')
if [ "${#scenarios[@]}" -eq 0 ]; then
  echo "walkthrough.sh: no <!-- lab:NAME --> markers in ${pages[*]}" >&2
  exit 1
fi

# fin-ack-combined races the kernel's delayed ACK against its application's close: on a loaded
# machine the ACK can win every time. Such a scenario keeps its committed figure and ladder (the
# script then exits 3 instead of 0, after regenerating everything else); any other failure is fatal.
timing_dependent=" ${WALKTHROUGH_TIMING_DEPENDENT:-fin-ack-combined} "
kept=()
for name in "${scenarios[@]}"; do
  echo "walkthrough.sh: lab $name" >&2
  svg="$out/img/walkthrough/$name.svg"
  txt="$out/traces/$name.txt"
  ok=0
  for attempt in 1 2 3 4 5; do
    # $tuntcp may be a command with arguments (the CI test passes java … dev.tuntcp.cli.Main).
    # shellcheck disable=SC2086
    if $tuntcp lab "$name" --no-color --svg "$svg.new" > "$txt.new" && [ -s "$svg.new" ]; then
      mv "$svg.new" "$svg"
      mv "$txt.new" "$txt"
      ok=1
      break
    fi
    echo "walkthrough.sh: lab $name failed (attempt $attempt); its output:" >&2
    cat "$txt.new" >&2
  done
  rm -f "$svg.new" "$txt.new"
  if [ "$ok" = 0 ]; then
    if [[ "$timing_dependent" == *" $name "* ]] && [ -s "$root/docs/img/walkthrough/$name.svg" ] \
        && [ -s "$root/docs/traces/$name.txt" ]; then
      echo "walkthrough.sh: KEPT the committed figure of $name: it did not show its timing-dependent outcome in 5 runs (machine too busy)" >&2
      [ "$svg" -ef "$root/docs/img/walkthrough/$name.svg" ] || cp "$root/docs/img/walkthrough/$name.svg" "$svg"
      [ "$txt" -ef "$root/docs/traces/$name.txt" ] || cp "$root/docs/traces/$name.txt" "$txt"
      kept+=("$name")
    else
      exit 1
    fi
  fi
done

# Replace each marked block with the ladder: from the column header to the line before the legend
# ("  Left: …") or the explanation ("What happened:"), without the title and namespace lines.
python3 - "$out" "${pages[@]}" <<'PY'
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
def ladder(name):
    lines = (out / "traces" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    start = next((i for i, l in enumerate(lines) if "|" in l), 0)
    end = next((i for i, l in enumerate(lines) if i > start and (l.startswith("  Left:") or l.startswith("What happened"))), len(lines))
    body = [l.rstrip() for l in lines[start:end]]
    while body and not body[-1]:
        body.pop()
    return "\n".join(body)
block = re.compile(r"(<!-- lab:([a-z0-9-]+) -->\n).*?(<!-- /lab:\2 -->)", re.S)
for page in sys.argv[2:]:
    path = out / page
    text = path.read_text(encoding="utf-8")
    text = block.sub(lambda m: m.group(1) + "```text\n" + ladder(m.group(2)) + "\n```\n" + m.group(3), text)
    path.write_text(text, encoding="utf-8")
PY
echo "walkthrough.sh: ${#scenarios[@]} scenarios regenerated into $out" >&2
if [ ${#kept[@]} -gt 0 ]; then
  echo "walkthrough.sh: kept the committed figures of: ${kept[*]}" >&2
  exit 3
fi
