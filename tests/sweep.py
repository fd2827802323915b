"""A sweep's results for the tests: bench/table.py's synthetic rows (the interfaces and members of
bench/members.txt, in three browsers), the same the benchmark and bench/screens.py render."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

from compatprobe.results.model import Results

BENCH_TABLE = Path(__file__).resolve().parents[1] / "bench" / "table.py"


def sweep_results(rows: int, start: str = "") -> Results:
    """About `rows` rows of whole interfaces, from the first whose name is `start` or after it."""
    spec = importlib.util.spec_from_file_location("bench_table", BENCH_TABLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results: Results = module.synthetic_results(7355)  # every interface and member, no more
    interfaces: list[str] = []
    for probe in results.probes:
        name = probe.feature.split(".")[1]
        if name >= start and name not in interfaces:
            interfaces.append(name)
    keep: set[str] = set()
    for name in interfaces:
        keep |= {p.id for p in results.probes if p.feature.split(".")[1] == name}
        if len(keep) >= rows:
            break
    probes = [p for p in results.probes if p.id in keep]
    targets = [replace(t, outcomes=[o for o in t.outcomes if o.probe in keep]) for t in results.targets]
    return replace(results, probes=probes, targets=targets)
