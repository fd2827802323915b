"""Leads of a full sweep, sampled and checked by direct evaluation: for each, the probe's outcome,
the same question evaluated in the same browser without compatprobe's harness (in a dedicated
worker when the lead is a worker scope's), and the proposed BCD statement.

    .venv/bin/python bench/leads.py RESULTS [N]

Draws N leads (default 20) with a fixed seed, one per BCD file first, so that one big file does
not fill the sample. Prints Markdown, one line per lead.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from compatprobe import api  # noqa: E402
from compatprobe.config.matrix import load_matrix  # noqa: E402
from compatprobe.probes.select import choose  # noqa: E402
from direct import evaluate_many, evaluate_many_in_worker  # noqa: E402
from generated_checks import direct_expression  # noqa: E402


def main() -> None:
    results = api.load_results(sys.argv[1])
    wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    leads = api.bcd_leads(results, Path.home() / ".cache/compatprobe/packages/mdn-browser-compat-data@8.1.9.tgz")
    matrix = load_matrix(ROOT / "matrix.yaml")
    sources = {
        p.id: p.source for p in choose(matrix.probes_dir, [], ["api.*", "javascript.*", "css.properties.*"]).probes
    }
    rng = random.Random(25)
    files = leads.by_file()
    names = sorted(files)
    rng.shuffle(names)
    picked = [rng.choice(files[n]) for n in names[:wanted]]
    rest = [p for p in leads.proposals if p not in picked]
    picked += rng.sample(rest, max(0, wanted - len(picked)))
    triaged = {(t.comparison.feature, t.comparison.target, t.comparison.scope): t for t in leads.triaged}
    for p in picked:
        t = next(
            t
            for key, t in triaged.items()
            if t.klass == "lead"
            and key[0] == p.feature
            and t.comparison.entry in (None, p.entry)
            and t.comparison.mapping.browser == p.browser
        )
        c = t.comparison
        engine = c.target
        expression = {c.probe: direct_expression(sources[c.probe])}
        direct = evaluate_many_in_worker(engine, expression) if c.scope else evaluate_many(engine, expression)
        seen = direct[c.probe].get("value", direct[c.probe].get("error"))
        where = f" ({c.scope})" if c.scope else ""
        print(
            f"- `{p.json_path}`{where}, {p.evidence.release}: compatprobe {c.observed.summary}; "
            f"direct: {json.dumps(seen)}; proposed ({p.change}): `{json.dumps(p.proposed, ensure_ascii=False)}`"
            + (f" (needs a person: {p.needs_person})" if p.needs_person else "")
        )


if __name__ == "__main__":
    main()
