#!/usr/bin/env bash
# Diff a new run against a previous one.
#   scripts/compare.sh PREVIOUS.json NEW.json OUT_DIR
# Writes OUT_DIR/diff.md (short enough for a job summary) and OUT_DIR/diff.html, plus
# OUT_DIR/regressions.md only when a browser lost support. Exit 0; 1 when support was lost;
# 2 when an input is bad (then nothing is written).
set -euo pipefail
previous=$1
new=$2
out=$3
mkdir -p "$out"
rm -f "$out/regressions.md"
status=0
compatprobe diff "$previous" "$new" --format md --fail-on regression -o "$out/diff.md" || status=$?
[ "$status" -le 1 ] || exit "$status"
compatprobe diff "$previous" "$new" --format html -o "$out/diff.html"
if [ "$status" -eq 1 ]; then
  cp "$out/diff.md" "$out/regressions.md"
fi
exit "$status"
