#!/usr/bin/env bash
# Merge shard results, render the table, diff against the previously published run.
#   scripts/publish.sh SHARDS_DIR SITE_DIR
# Writes into SITE_DIR: results.json, the table (index.html, and a page per section beside it when
# the table is split; their names in pages.txt), diff.html, summary.md (Markdown for a job
# summary), history/<time>.json, and regressions.md with regressions.key when support was lost
# since the last run. The whole folder is the site: publish all of it, not index.html alone.
# The previous SITE_DIR/results.json, if any, is the baseline. Exit 0 unless an input is bad (a
# regression is not a failure here: the caller publishes first, then fails).
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
mkdir "$work/table"
compatprobe render "$site/history" -o "$work/table/index.html"

rm -f "$site/regressions.md" "$site/regressions.key" "$site/diff.html"
if [ -f "$site/results.json" ]; then
  status=0
  "$(dirname "$0")/compare.sh" "$site/results.json" "$work/results.json" "$work" || status=$?
  [ "$status" -le 1 ] || exit "$status"
  mv "$work/diff.md" "$work/summary.md"
  mv "$work/diff.html" "$site/diff.html"
  if [ -f "$work/regressions.md" ]; then
    mv "$work/regressions.md" "$work/regressions.key" "$site/"
  fi
else
  printf '# compatprobe\n\nFirst published run: nothing to compare with yet.\n' > "$work/summary.md"
fi
# The table's pages replace the last publish's: pages that a section no longer has go too.
if [ -f "$site/pages.txt" ]; then
  while IFS= read -r page; do
    case $page in */* | "" | .*) continue ;; esac  # only names this script wrote, in the site itself
    rm -f "$site/$page"
  done < "$site/pages.txt"
fi
(cd "$work/table" && ls -1) > "$work/pages.txt"
mv "$work/table/"* "$site/"
mv "$work/results.json" "$work/summary.md" "$work/pages.txt" "$site/"
echo "compatprobe: published to $site ($(wc -l < "$site/pages.txt") table pages)"
