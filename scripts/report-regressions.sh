#!/usr/bin/env bash
# Opens one issue per set of regressions, or comments on the open issue of the same set.
#   scripts/report-regressions.sh REGRESSIONS.md KEY      (needs the gh CLI, GH_TOKEN and GH_REPO)
# KEY (regressions.key, from compare.sh) names the set: the issue's body carries it in a hidden
# marker, so a run that sees the same regressions again comments instead of opening another issue.
# Prints the issue's number.
set -euo pipefail
body=$1
key=$2
label=compatprobe-regression
marker="<!-- compatprobe-regression-set: $key -->"
gh label create "$label" --description "compatprobe saw a browser lose support" --color B60205 2>/dev/null || true
number=$(gh issue list --label "$label" --state open --limit 100 --json number,body \
  --jq "map(select(.body | contains(\"$marker\"))) | .[0].number // empty")
if [ -n "$number" ]; then
  gh issue comment "$number" --body-file "$body" >/dev/null
else
  full=$(mktemp)
  trap 'rm -f "$full"' EXIT
  { cat "$body"; printf '\n%s\n' "$marker"; } > "$full"
  url=$(gh issue create --title "compatprobe: browser support regressed ($key)" --label "$label" --body-file "$full")
  number=${url##*/}
fi
echo "$number"
