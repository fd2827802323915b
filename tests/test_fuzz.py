"""A seeded fuzz of bad input: a few hundred hostile matrices, probe metadata blocks and results files
(tests/fuzz_inputs.py). Each ends in exit 2 and one line on standard error, with no traceback and no
hang, and leaves the earlier outputs byte for byte. No browser starts: every command fails first.

On ce0f9ca, the same 300 inputs gave 90 tracebacks, 8 hangs and 41 other failures (exit 3 with
outputs replaced, two-line errors, exit 0 on a lone surrogate)."""

from __future__ import annotations

from pathlib import Path

from fuzz_inputs import main_counts


def test_every_bad_input_ends_in_one_line(tmp_path: Path) -> None:
    outcomes = main_counts(tmp_path, seed=23, count=300)
    assert len(outcomes) == 300
    kinds = {o.case.kind for o in outcomes}
    assert kinds == {"matrix", "probe", "results"}
    failures = [
        f"{o.case.kind}/{o.case.label}: exit {o.code}, kept={o.outputs_kept}: {(o.traceback or o.stderr)[-300:]!r}"
        for o in outcomes
        if o.traceback or o.code != 2 or len(o.stderr.splitlines()) != 1 or o.stdout or not o.outputs_kept
    ]
    assert failures == []
    assert all("Traceback" not in o.stderr and o.stderr.startswith("compatprobe: error: ") for o in outcomes)
