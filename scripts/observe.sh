#!/usr/bin/env bash
# One shard of a scheduled run: run the chosen targets, keep the results even when partial.
#   scripts/observe.sh RESULTS.json [compatprobe run flags...]
# Exit 3 (some target could not run) is not a failure here: the results say which and why, and
# the publish step shows it. Anything else (bad input, a crash) fails the job.
set -uo pipefail
results=$1
shift
compatprobe run --results "$results" --out "${results%.json}.html" "$@"
status=$?
if [ "$status" -eq 3 ]; then
  echo "compatprobe: partial shard (exit 3); see $results"
  exit 0
fi
exit "$status"
