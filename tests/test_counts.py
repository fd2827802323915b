"""Counts the run states that add up (issue 22): probes not selected count hand-written ones only,
and the progress line counts outcomes (a probe planned in worker scopes gives one in each)."""

from __future__ import annotations

import io
from pathlib import Path

from compatprobe.config.matrix import load_matrix
from compatprobe.probes.loader import Probe, load_probes
from compatprobe.probes.select import left_out
from compatprobe.results.model import TargetResult
from compatprobe.run.progress import Progress
from conftest import ROOT


def test_probes_not_selected_are_the_hand_written_ones_the_run_does_not_take() -> None:
    matrix = load_matrix(ROOT / "matrix.yaml")
    shipped = load_probes(matrix.probes_dir, ["*"])
    generated = [
        Probe(id=f"api.X.m{i}", path=Path("generated", f"api.X.m{i}"), feature=f"api.X.m{i}", title="", source="")
        for i in range(18)
    ]
    generated = [Probe(**{**p.__dict__, "generated": "@webref/idl 3.85.0"}) for p in generated]
    # -f 'api.Clipboard*' takes no hand-written probe and 18 generated ones: every shipped probe is left out.
    assert left_out(matrix.probes_dir, generated) == len(shipped)
    assert left_out(matrix.probes_dir, [*generated, *shipped[:2]]) == len(shipped) - 2


def test_the_progress_line_counts_outcomes() -> None:
    out = io.StringIO()
    progress = Progress(out)
    progress.probe_done(TargetResult(name="chromium", engine="chromium"), 11141, done=1)
    assert out.getvalue() == "compatprobe: chromium: 1/11141 outcomes\n"
