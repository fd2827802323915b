#!/usr/bin/env bash
# Merge shard results, render the table, diff against the previously published run.
#   scripts/publish.sh SHARDS_DIR SITE_DIR
# Writes into SITE_DIR: results.json, index.html, diff.html, summary.md (Markdown for a job
# summary), history/<time>.json, and regressions.md when support was lost since the last run.
# The previous SITE_DIR/results.json, if any, is the baseline. Exit 0 unless an input is bad.
set -euo pipefail
shards_dir=$1
site=$2
mkdir -p "$site/history"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

shopt -s nullglob
shards=("$shards_dir"/*.json)
if [ ${#shards[@]} -eq 0 ]; then
  echo "compatprobe: no shard results in $shards_dir" >&2
  exit 2
fi
compatprobe merge "${shards[@]}" -o "$work/results.json"
# A new name per publish, even two in the same second: noclobber's > never replaces a file (O_EXCL).
stamp=$(date -u +%Y%m%dT%H%M%SZ)
saved=""
for n in $(seq 1 100); do
  name=$stamp; [ "$n" -eq 1 ] || name="$stamp-$n"
  if (set -o noclobber; cat "$work/results.json" > "$site/history/$name.json") 2>/dev/null; then
    saved=$name; break
  fi
done
[ -n "$saved" ] || { echo "compatprobe: cannot write a new file in $site/history" >&2; exit 2; }
compatprobe render "$site/history" -o "$work/index.html"

rm -f "$site/regressions.md" "$site/diff.html"
if [ -f "$site/results.json" ]; then
  status=0
  "$(dirname "$0")/compare.sh" "$site/results.json" "$work/results.json" "$work" || status=$?
  [ "$status" -le 1 ] || exit "$status"
  mv "$work/diff.md" "$work/summary.md"
  mv "$work/diff.html" "$site/diff.html"
  if [ -f "$work/regressions.md" ]; then mv "$work/regressions.md" "$site/regressions.md"; fi
else
  printf '# compatprobe\n\nFirst published run: nothing to compare with yet.\n' > "$work/summary.md"
fi
mv "$work/results.json" "$site/results.json"
mv "$work/index.html" "$site/index.html"
mv "$work/summary.md" "$site/summary.md"
echo "compatprobe: published to $site"
