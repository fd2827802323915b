"""Builds by version without a browser: the pinned list, specs, a matrix's `versions`, expansion into
targets, pruning; histories sorted by version; brackets judged against BCD's versions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from compatprobe.bcd.brackets import Bracket, Seen, changes_of, judge
from compatprobe.browsers.versions import expand_versions
from compatprobe.config.matrix import load_matrix
from compatprobe.data.builds import STAMP, build_folder, chosen, load_builds, parse_spec, prune
from compatprobe.errors import InputError
from compatprobe.report.ranges import annotate_table
from compatprobe.report.table import build_table
from compatprobe.results.history import cell_histories
from compatprobe.results.model import Outcome, Results, TargetResult
from factories import make_results

DASH = "\N{EN DASH}"


def test_the_pinned_builds() -> None:
    pins = load_builds()
    majors = [p.major for p in pins]
    assert len(pins) == 39 and majors == sorted(set(majors))
    assert majors[0] == 92 and majors[-1] == 153 and {102, 105, 135} <= set(majors)
    assert all(p.integrity.startswith("sha512-") for p in pins)
    assert next(p for p in pins if p.major == 135).version == "135.0.0-next.0"  # the only 135 with a binary


def test_specs() -> None:
    assert parse_spec("chromium@92..156") == ("chromium", [92, 156])
    assert parse_spec("chromium@*") == ("chromium", None)
    assert [p.major for p in chosen("chromium@119..123")] == [119, 121, 122, 123]
    assert [p.major for p in chosen("chromium@150..")] == [152, 153]
    for bad in ("firefox@120", "chromium@abc", "chromium@120..100"):
        with pytest.raises(InputError):
            parse_spec(bad)


def _matrix(tmp_path: Path, versions: str) -> Path:
    path = tmp_path / "matrix.yaml"
    path.write_text(
        "version: 1\ntargets:\n  - name: chromium\n    engine: chromium\n"
        f"    versions: {versions}\n    use:\n      - playwright: {{executable: /usr/bin/chromium, args: [--x]}}\n"
    )
    return path


def _cache(root: Path, *majors: int) -> None:
    """Mark builds as cached the way a fetch does, with their stamp (no binary: nothing launches)."""
    for pin in load_builds():
        if pin.major in majors:
            folder = build_folder(pin, root)
            folder.mkdir(parents=True)
            (folder / STAMP).write_text(json.dumps({"integrity": pin.integrity}))


def test_a_matrix_names_versions_and_they_become_targets(tmp_path: Path) -> None:
    matrix = load_matrix(_matrix(tmp_path, "[92, '119..122', system]"))
    assert matrix.targets[0].versions == ("92", "119..122", "system")
    _cache(tmp_path, 92, 121)
    expanded, _ = expand_versions(matrix, None, tmp_path)
    names = [t.name for t in expanded.targets]
    assert names == ["chromium@92", "chromium@119", "chromium@121", "chromium@122", "chromium"]
    build = expanded.targets[0]
    assert build.use[0].executable.endswith("sparticuz-chromium@92.0.0/chromium")  # type: ignore[union-attr]
    assert build.use[0].args == ("--x",)  # type: ignore[union-attr]
    assert build.use[0].hint == "compatprobe browsers fetch chromium@92"  # type: ignore[union-attr]
    with pytest.raises(InputError, match="'nineties' is not a version"):
        load_matrix(_matrix(tmp_path, "[nineties]"))


def test_dash_b_with_versions(tmp_path: Path) -> None:
    matrix = load_matrix(_matrix(tmp_path, "system"))
    _cache(tmp_path, 92, 121)
    _, wanted = expand_versions(matrix, ["chromium@*"], tmp_path)
    assert wanted == ["chromium@92", "chromium@121", "chromium"]  # every cached build, and the system's
    _, wanted = expand_versions(matrix, ["chromium@119..121"], tmp_path)
    assert wanted == ["chromium@119", "chromium@121"]
    with pytest.raises(InputError, match="no chromium build is cached"):
        expand_versions(matrix, ["chromium@*"], tmp_path / "empty")


def test_prune_removes_interrupted_fetches_and_named_builds(tmp_path: Path) -> None:
    _cache(tmp_path, 92, 121)
    (tmp_path / "browsers" / ".sparticuz-chromium@131.0.0.x1").mkdir()  # an interrupted fetch
    removed = [name for name, _ in prune(["chromium@92"], root=tmp_path)]
    assert removed == [".sparticuz-chromium@131.0.0.x1", "sparticuz-chromium@92.0.0"]
    assert [p.name for p in (tmp_path / "browsers").iterdir()] == ["sparticuz-chromium@121.0.0"]


def _builds_run(supported: dict[int, bool]) -> Results:
    """One run with a build target per major, in the order given (not sorted)."""
    results = make_results()
    base = results.targets[0]
    targets = []
    for major, has in supported.items():
        outcome = Outcome("X/removeTrack/exists", "supported" if has else "unsupported", reason=None)
        if not has:
            outcome = replace(outcome, reason="member-missing")
        browser = replace(base.browser, version=f"{major}.0.{major * 40}.0")  # type: ignore[type-var]
        name = "chromium" if major == 156 else f"chromium@{major}"
        targets.append(TargetResult(name, "chromium", browser=browser, outcomes=[outcome]))
    results.targets = targets
    return results


def test_builds_fold_into_one_column_sorted_by_version() -> None:
    results = _builds_run({156: True, 92: False, 110: True, 103: False, 120: False, 130: True})
    history = cell_histories([results])[("chromium", "chromium", "X/removeTrack/exists")]
    assert [(s.label, s.versions) for s in history.segments] == [
        ("No (member missing)", f"92 {DASH} 103"),
        ("?", f"104 {DASH} 109"),
        ("Yes", "110"),
        ("?", f"111 {DASH} 119"),
        ("No (member missing)", "120"),
        ("?", f"121 {DASH} 129"),
        ("Yes", f"130 {DASH} 156"),
    ]
    table = build_table(results)
    annotate_table(table, [results])
    assert [c.target.name for c in table.columns] == ["chromium"]
    row = next(r for r in table.rows if r.probe and r.probe.id == "X/removeTrack/exists")
    assert row.cells[0].range == (
        f"130 {DASH} 156 · ? 121 {DASH} 129 · No (member missing) 120 · ? 111 {DASH} 119 · Yes 110 · ? 104 {DASH} 109"
        f" · No (member missing) 92 {DASH} 103"
    )


def _bracket(
    seen: list[tuple[int, str]], added: str | None, removed: str | None = None, branch: bool = True
) -> Bracket:
    items = [Seen(release, answer, branch) for release, answer in seen]
    bracket = Bracket("api.X", "chromium", "chromium", "chrome", items, changes_of(items), added, removed, None)
    judge(bracket)
    return bracket


def test_brackets_judged_by_the_rule() -> None:
    # Inside the bracket: agrees; with branch-point builds the bracket reaches one major down.
    assert _bracket([(92, "no"), (97, "yes")], "97").agreement == "agrees"
    assert _bracket([(96, "no"), (97, "yes")], "96").agreement == "agrees"
    assert _bracket([(96, "no"), (97, "yes")], "96", branch=False).agreement == "contradicts"
    # Outside: contradicts, with the change as evidence; the proposal follows update-bcd's rule.
    late = _bracket([(110, "no"), (111, "yes")], "120", branch=False)
    assert (late.agreement, late.reason, late.proposal) == ("contradicts", "outside", "111")
    assert _bracket([(103, "no"), (110, "yes")], "120").proposal == "≤110"
    # Seen with it in the oldest build: BCD's earlier version cannot be dated; a later one contradicts.
    assert _bracket([(92, "yes"), (156, "yes")], "50").agreement == "cannot date"
    assert _bracket([(92, "yes"), (156, "yes")], "100").agreement == "contradicts"
    # BCD says it is there, no build has it: a matter of support (bcd/compare.py), not of version.
    assert _bracket([(120, "no"), (156, "no")], "100").agreement == "cannot date"
    # Removals: inside the bracket agrees; no version_removed while it was removed contradicts.
    assert _bracket([(123, "no"), (126, "yes"), (152, "yes"), (153, "no")], "126", "152").agreement == "agrees"
    assert _bracket([(123, "no"), (126, "yes"), (153, "no")], "126").reason == "removed-unstated"
    # BCD's partial implementation before its full support is what an existence probe sees.
    partial = _bracket([(102, "no"), (103, "yes")], "124")
    assert partial.agreement == "contradicts"
    partial.bcd_other_added = ("103",)
    judge(partial)
    assert partial.agreement == "agrees"
    # Unknown answers are stepped over, never taken as "no".
    assert _bracket([(92, "no"), (96, "unknown"), (97, "yes")], "95").agreement == "agrees"
