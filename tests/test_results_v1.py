"""Results files of schema version 1 (before scopes) are still read by render, diff, merge and history."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from compatprobe.results.model import SCHEMA_VERSION, Outcome, Results, dumps, read_results, to_dict, write_results
from factories import make_results


def write_v1(results: Results, path: Path) -> Path:
    """The file compatprobe 0.1 wrote for these results: version 1, window outcomes only."""
    data: dict[str, Any] = to_dict(results)
    data["schema_version"] = 1
    data["$schema"] = "https://compatprobe.invalid/schema/results-1.json"
    for target in data["targets"]:
        target["outcomes"] = [o for o in target["outcomes"] if "scope" not in o]
    for probe in data["probes"]:
        probe.pop("exposed", None)
    path.write_text(json.dumps(data, indent=2))
    return path


def with_worker(results: Results) -> Results:
    """The same run with a dedicated worker's outcomes too, which differ from the window's."""
    scoped = replace(results, probes=[replace(p, exposed=["Window", "Worker"]) for p in results.probes])
    for target in scoped.targets:
        target.outcomes = [
            *target.outcomes,
            *(Outcome(o.probe, "unsupported", "interface-missing", scope="worker") for o in target.outcomes),
        ]
    return scoped


def test_a_v1_file_reads_as_the_current_version(tmp_path: Path) -> None:
    old = read_results(write_v1(make_results(), tmp_path / "v1.json"))
    assert old.schema_version == SCHEMA_VERSION
    assert all(o.scope == "window" for t in old.targets for o in t.outcomes)
    assert dumps(old) == dumps(make_results())


def test_render_reads_v1(tmp_path: Path) -> None:
    out = tmp_path / "table.md"
    assert main(["render", str(write_v1(make_results(), tmp_path / "v1.json")), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text()
    assert "| ✓ Yes | ✗ No (member missing) |" in text and "| removeTrack() exists `" in text  # the row names its id
    assert "Window" not in text  # one scope: no scope marks, nor their legend line


def test_diff_compares_v1_with_v2_per_scope(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write_v1(make_results(), tmp_path / "v1.json")
    new_results = with_worker(make_results())
    chromium = new_results.targets[0]
    chromium.outcomes[2] = Outcome("X/removeTrack/exists", "unsupported", "member-missing")  # the window's
    write_results(new_results, tmp_path / "v2.json")
    assert main(["diff", str(old), str(tmp_path / "v2.json"), "--fail-on", "regression"]) == 1
    text = capsys.readouterr().out
    assert "1 lost" in text and "X/removeTrack/exists “removeTrack() exists” in chromium (Chromium 156)" in text
    # 6 worker outcomes have nothing in version 1 to compare with; 3 probes never ran in webkit.
    assert "1 lost; 5 unchanged, 9 not compared" in text


def test_merge_reads_v1_shards(tmp_path: Path) -> None:
    whole = make_results()
    first = write_v1(replace(whole, targets=whole.targets[:1]), tmp_path / "a.json")
    second = write_v1(replace(whole, targets=whole.targets[1:]), tmp_path / "b.json")
    assert main(["merge", str(first), str(second), "-o", str(tmp_path / "merged.json")]) == 0
    merged = read_results(tmp_path / "merged.json")
    assert merged.schema_version == SCHEMA_VERSION and [t.name for t in merged.targets] == [
        "chromium",
        "firefox",
        "webkit",
    ]


def test_history_reads_v1_next_to_v2(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    write_v1(make_results(), folder / "2026-01-01T00-00-00.json")
    newer = with_worker(make_results())
    newer = replace(newer, run=replace(newer.run, started="2026-02-01T00:00:00+00:00"))
    write_results(newer, folder / "2026-02-01T00-00-00.json")
    out = tmp_path / "table.md"
    assert main(["render", str(folder), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text()
    assert "Version ranges from 2 runs (2026-01-01 to 2026-02-01)." in text
    assert "Window ✓ · Worker ✗" in text


def test_a_v2_file_with_generated_probes_reads_as_the_current_version(tmp_path: Path) -> None:
    # Version 2 ran generated probes in the window only; those not exposed there were listed as not run.
    data: dict[str, Any] = to_dict(make_results())
    data["schema_version"] = 2
    data["$schema"] = "https://compatprobe.invalid/schema/results-2.json"
    data["run"]["generated"] = {
        "patterns": ["api.*"],
        "data": {},
        "probes": 1,
        "not_exposed_on_window": ["api.FileReaderSync"],
    }
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(data))
    old = read_results(path)
    assert old.schema_version == SCHEMA_VERSION
    assert old.run.generated == {"patterns": ["api.*"], "data": {}, "probes": 1, "not_run": ["api.FileReaderSync"]}
    # The upgraded data is valid as the current version.
    write_results(old, tmp_path / "again.json")
    assert read_results(tmp_path / "again.json").run.generated == old.run.generated
