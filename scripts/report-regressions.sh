#!/usr/bin/env bash
# Opens one issue labelled compatprobe-regression, or comments on the open one.
#   scripts/report-regressions.sh REGRESSIONS.md      (needs the gh CLI and GH_TOKEN)
set -euo pipefail
body=$1
label=compatprobe-regression
gh label create "$label" --description "compatprobe saw a browser lose support" --color B60205 2>/dev/null || true
number=$(gh issue list --label "$label" --state open --limit 1 --json number --jq '.[0].number // empty')
if [ -n "$number" ]; then
  gh issue comment "$number" --body-file "$body"
else
  gh issue create --title "compatprobe: browser support regressed" --label "$label" --body-file "$body"
fi
