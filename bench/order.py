"""Order independence, 10 repeats: the feature probes (tests/fixtures/features) alone and in a
shuffled batch with the 15 shipped probes and 1,000 generated existence probes, per engine.

    .venv/bin/python bench/order.py                  # 3 engines, --repeat 10, seeds 1 and 2
    .venv/bin/python bench/order.py --repeat 3 --seeds 1 -b chromium

Each (engine, seed) is one `compatprobe run --repeat N` (every round in a fresh harness page),
so the batch runs N times in each shuffle. Prints, per engine: runs, wall times, and every
feature probe whose outcome was flaky or differed from its outcome alone (there should be none).
It asserts nothing; tests/test_any_feature.py checks the same with --repeat 2.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))

from order_suite import FEATURES, write_matrix, write_suite  # noqa: E402

ENGINES = ("chromium", "firefox", "webkit")


def run(matrix: Path, results: Path, repeat: int) -> float:
    began = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "compatprobe",
            "run",
            "-q",
            "-m",
            str(matrix),
            "--repeat",
            str(repeat),
            "--results",
            str(results),
            "-o",
            str(results.with_suffix(".html")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=7200,
    )
    if proc.returncode != 0:
        raise SystemExit(f"compatprobe exited {proc.returncode}: {proc.stderr}")
    return time.monotonic() - began


def by_feature(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text())
    features = {p["id"]: p["feature"] for p in data["probes"]}
    (target,) = data["targets"]
    return {features[o["probe"]]: o for o in target["outcomes"]}


def key(outcome: dict[str, Any]) -> tuple[Any, ...]:
    exc = outcome.get("exception") or {}
    return outcome["status"], outcome.get("reason"), exc.get("name"), tuple(sorted(outcome.get("values", {}).items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=2, help="how many shuffles (default 2)")
    parser.add_argument("-b", "--browser", action="append", choices=ENGINES)
    args = parser.parse_args()
    report: dict[str, Any] = {"repeat": args.repeat, "load": os.getloadavg()[0], "engines": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.browser or ENGINES:
            folder = Path(tmp) / engine
            alone_dir = folder / "alone"
            alone_dir.mkdir(parents=True)
            alone_matrix = write_matrix(alone_dir, FEATURES / "probes", [engine])
            took = {"alone": run(alone_matrix, alone_dir / "r.json", args.repeat)}
            alone = by_feature(alone_dir / "r.json")
            problems = [f"{f}: flaky alone" for f, o in alone.items() if o.get("flaky")]
            for seed in range(1, args.seeds + 1):
                batch_dir = folder / f"seed{seed}"
                matrix = write_suite(batch_dir, seed, targets=[engine])
                took[f"seed {seed}"] = run(matrix, batch_dir / "r.json", args.repeat)
                batch = by_feature(batch_dir / "r.json")
                for feature, outcome in alone.items():
                    other = batch[feature]
                    if other.get("flaky"):
                        problems.append(f"{feature}: flaky in the batch of seed {seed}: {other.get('variants')}")
                    elif key(other) != key(outcome):
                        problems.append(f"{feature}: {key(outcome)} alone, {key(other)} in seed {seed}")
                errors = [f for f, o in batch.items() if o["status"] in ("error", "timeout")]
                problems += [f"{f}: {batch[f]['status']} in seed {seed}" for f in errors]
            report["engines"][engine] = {"probes in a batch": len(batch), "seconds": took, "problems": problems}
            print(
                f"{engine}: {len(alone)} feature probes alone and among {len(batch)}, --repeat {args.repeat}, "
                f"{args.seeds} shuffles; wall s { ({k: round(v, 1) for k, v in took.items()}) }; "
                f"{len(problems)} problems",
                flush=True,
            )
            for line in problems:
                print(f"  {line}")
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "order.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
