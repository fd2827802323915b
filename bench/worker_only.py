"""False BCD contradictions for worker-only interfaces: before and after running generated probes
in their scopes (issue 15).

    .venv/bin/python bench/worker_only.py [--engines chromium,firefox]      # after 'compatprobe data fetch'

Every generated api feature that Web IDL does not expose on Window is run twice in one process:
"before" as compatprobe ran a probe that says nothing of its exposure (the window only, compared
with BCD as a window feature: FileReaderSync gave "No" and "BCD says supported since 7"), and
"after" as `compatprobe run -f` runs it now (the window and each worker scope it is exposed in,
compared with BCD where BCD describes it). Prints the contradictions of each per browser, and
every contradiction left after, with its evidence. Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from compatprobe.bcd.compare import compare
from compatprobe.bcd.load import load_for
from compatprobe.config.matrix import load_matrix
from compatprobe.probes.loader import Probe
from compatprobe.probes.select import choose
from compatprobe.results.model import Results
from compatprobe.run.runner import run_probes

ROOT = Path(__file__).resolve().parent.parent


def contradictions(results: Results) -> tuple[dict[str, int], list[dict[str, Any]]]:
    data = load_for(None, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    per: dict[str, int] = {}
    found = []
    for c in comparison.contradictions:
        per[c.target] = per.get(c.target, 0) + 1
        found.append(
            {
                "feature": c.feature,
                "target": c.target,
                "scope": c.scope or "window",
                "observed": c.observed.summary,
                "bcd": c.bcd.quote if c.bcd else None,
            }
        )
    return per, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="chromium,firefox")
    args = parser.parse_args()
    engines = args.engines.split(",")
    matrix = load_matrix(ROOT / "matrix.yaml")
    selection = choose(matrix.probes_dir, [], ["api.*"])
    # Web IDL says they are not on Window (BCD-only features of unknown exposure, "?", are not among them).
    after = [p for p in selection.probes if p.generated and "Window" not in p.exposed and "?" not in p.exposed]
    # As a probe with no `exposed:` line was run and compared before: a window feature.
    before: list[Probe] = [replace(p, exposed=("Window",), scopes=None) for p in after]
    interfaces = {p.feature.split(".")[1] for p in after}
    print(f"{len(after)} generated features of {len(interfaces)} interfaces not exposed on Window; engines {engines}")
    report: dict[str, Any] = {}
    for name, probes in (("before", before), ("after", after)):
        began = time.monotonic()
        results = asyncio.run(run_probes(matrix, probes, target_names=engines))
        ran = time.monotonic() - began
        per, found = contradictions(results)
        units = sum(len(t.outcomes) for t in results.targets)
        report[name] = {"run_s": round(ran, 1), "outcomes": units, "contradictions": per, "list": found}
        print(f"{name}: {units} outcomes in {ran:.1f} s; contradictions {json.dumps(per)}")
    for c in report["after"]["list"]:
        print(f"  left: {c['feature']} {c['target']} in {c['scope']}: observed {c['observed']}; BCD {c['bcd']}")
    out = ROOT / "bench" / "results" / "worker-only.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"figures: {out}")


if __name__ == "__main__":
    main()
