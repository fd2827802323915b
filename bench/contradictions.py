"""Contradictions of a full sweep, sampled for checking by hand: each with the probe's answer, the
same question evaluated directly in the same browser, and BCD's statement for that release.

    COMPATPROBE_CACHE=... .venv/bin/python bench/contradictions.py RESULTS [N]

Prints Markdown: one line per contradiction, drawn with a fixed seed across browsers and groups.
Whether each is BCD's error or the generator's is for the reader to say (bench/README.md keeps
the last verdicts).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from compatprobe.bcd.compare import compare  # noqa: E402
from compatprobe.bcd.load import load_for  # noqa: E402
from compatprobe.bcd.summary import group_key  # noqa: E402
from compatprobe.config.matrix import load_matrix  # noqa: E402
from compatprobe.probes.select import choose  # noqa: E402
from compatprobe.results.model import read_results  # noqa: E402
from direct import evaluate_many  # noqa: E402
from generated_checks import direct_expression  # noqa: E402


def main() -> None:
    results = read_results(Path(sys.argv[1]))
    wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    data = load_for(None, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    matrix = load_matrix(ROOT / "matrix.yaml")
    sources = {
        p.id: p.source for p in choose(matrix.probes_dir, [], ["api.*", "javascript.*", "css.properties.*"]).probes
    }
    # One per group first, so that a few big groups (WebGPU) do not fill the sample.
    by_group: dict[str, list] = {}
    for c in comparison.contradictions:
        by_group.setdefault(f"{c.target} {group_key(c.feature)}", []).append(c)
    rng = random.Random(14)
    groups = sorted(by_group)
    rng.shuffle(groups)
    picked = [rng.choice(by_group[g]) for g in groups[:wanted]]
    outcomes = {t.name: {o.probe: o for o in t.outcomes} for t in results.targets}
    for engine in sorted({c.target for c in picked}):
        mine = [c for c in picked if c.target == engine and c.probe in sources]
        direct = evaluate_many(engine, {c.probe: direct_expression(sources[c.probe]) for c in mine})
        for c in mine:
            o = outcomes[engine][c.probe]
            seen = direct[c.probe].get("value", direct[c.probe].get("error"))
            label = c.mapping.label(data.browsers)
            print(
                f"- `{c.feature}` in {label}: compatprobe {o.status} ({o.message or o.values}); "
                f"direct: {seen}; BCD: {c.bcd.summary if c.bcd else '-'} `{c.bcd.quote if c.bcd else ''}`"
            )


if __name__ == "__main__":
    main()
