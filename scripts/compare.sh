#!/usr/bin/env bash
# Diff a new run against a previous one.
#   scripts/compare.sh PREVIOUS.json NEW.json OUT_DIR
# Writes OUT_DIR/diff.md (short enough for a job summary) and OUT_DIR/diff.html, plus, only when a
# browser lost support, OUT_DIR/regressions.md and OUT_DIR/regressions.key: a short hash of the
# cells that lost support (target and probe), the same for the same set of regressions, so one
# issue stands for one set however many runs see it. Exit 0; 1 when support was lost; 2 when an
# input is bad (then nothing is written).
set -euo pipefail
previous=$1
new=$2
out=$3
mkdir -p "$out"
rm -f "$out/regressions.md" "$out/regressions.key"
status=0
compatprobe diff "$previous" "$new" --format md --fail-on regression -o "$out/diff.md" || status=$?
[ "$status" -le 1 ] || exit "$status"
compatprobe diff "$previous" "$new" --format html -o "$out/diff.html"
if [ "$status" -eq 1 ]; then
  compatprobe diff "$previous" "$new" --format json -o "$out/diff.json"
  python - "$out/diff.json" > "$out/regressions.key" <<'PY'
import hashlib
import json
import sys

cells = json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
lost = sorted(f"{c['target']}\t{c['probe']}\t{c.get('scope') or ''}" for c in cells if c["change"] == "lost")
print(hashlib.sha256("\n".join(lost).encode()).hexdigest()[:12])
PY
  rm -f "$out/diff.json"
  cp "$out/diff.md" "$out/regressions.md"
fi
exit "$status"
