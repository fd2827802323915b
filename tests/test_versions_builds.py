"""Chromium builds from the npm registry as targets: fetched into a temporary cache, run with the
shipped probes and generated ones, every outcome checked against the same question evaluated
directly in that build; the table's version ranges and the brackets checked against BCD.

One fetch (nine builds, about 1.7 GB in a temporary folder) and one run serve every test.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compatprobe.bcd.brackets import brackets
from compatprobe.bcd.load import load_for
from compatprobe.cli import main
from compatprobe.data.builds import BRANCH_POINT, DISTRIBUTION, binary_of, chosen
from compatprobe.probes.loader import load_probes
from compatprobe.probes.select import choose
from compatprobe.report.assemble import assemble_table
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.results.model import read_results
from conftest import ROOT
from direct import build_version, evaluate_many, evaluate_many_in_build
from direct_probes import comparable, run_directly, run_directly_in_build
from generated_checks import direct_expression, harness_answer

pytestmark = pytest.mark.browsers

DASH = "\N{EN DASH}"
DOT = " \N{MIDDLE DOT} "
# One build of 92-118, one of 119-133 and one of 137-153 for the shipped probes and the sample;
# with the others, the builds on either side of the four features' changes.
CHECKED = (103, 126, 152)
BUILDS = (92, 103, 119, 121, 122, 123, 126, 152, 153)
FOUR = (
    "javascript.builtins.Array.findLast",
    "api.URL.canParse_static",
    "css.properties.field-sizing",
    "api.Window.sharedStorage",
)
SWEEP = ["api.*", "javascript.*", "css.properties.*"]
SAMPLE = 40
SEED = 24


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The builds and the data packages, fetched from the npm registry into temporary folders."""
    folder = tmp_path_factory.mktemp("builds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPATPROBE_BUILDS", str(folder))
        patch.setenv("COMPATPROBE_CACHE", str(tmp_path_factory.mktemp("data")))
        for name in ("COMPATPROBE_IDL", "COMPATPROBE_CSS", "COMPATPROBE_BCD", "COMPATPROBE_WEB_FEATURES"):
            patch.delenv(name, raising=False)
        assert main(["data", "fetch"]) == 0
        assert main(["browsers", "fetch", *(f"chromium@{major}" for major in BUILDS)]) == 0
        yield folder
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def ran(fetched: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run: the shipped probes, the four features and a random sample of generated probes, in
    every fetched build and in Debian's Chromium 156."""
    out = tmp_path_factory.mktemp("versions")
    generated = [p for p in choose(ROOT / "probes", [], SWEEP).probes if p.generated]
    sample = random.Random(SEED).sample(generated, SAMPLE)
    args = ["run", "-q", "-m", str(ROOT / "matrix.yaml"), "-b", "chromium", "-p", "*"]
    for major in BUILDS:
        args += ["-b", f"chromium@{major}"]
    for feature in [*FOUR, *(p.feature for p in sample)]:
        args += ["-f", feature]
    args += ["--results", str(out / "results.json"), "-o", str(out / "index.html")]
    assert main(args) == 0
    made = {p.id: p.source for p in choose(ROOT / "probes", [], [*FOUR, *(p.feature for p in sample)]).probes}
    return {"results": json.loads((out / "results.json").read_text()), "path": out / "results.json", "made": made}


def _targets(ran: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in ran["results"]["targets"]}


def test_each_build_ran_and_says_what_it_is(ran: dict[str, Any], fetched: Path) -> None:
    targets = _targets(ran)
    assert set(targets) == {"chromium", *(f"chromium@{major}" for major in BUILDS)}
    for major in BUILDS:
        target = targets[f"chromium@{major}"]
        assert target["status"] == "ok", target
        (pin,) = chosen(f"chromium@{major}")
        executable = str(binary_of(pin))
        # The version is the browser's own, read at run time: a trunk build at the branch point.
        assert target["browser"]["version"] == build_version(executable)
        assert target["browser"]["version"].startswith(f"{major}.0.")
        assert target["launch"]["kind"] == BRANCH_POINT
        assert target["launch"]["package"] == f"{pin.package}@{pin.version}"
    assert targets["chromium"]["launch"]["kind"] == DISTRIBUTION


def _executable(fetched: Path, name: str) -> str | None:
    if name == "chromium":
        return None  # Debian's, which tests/direct.py launches by default
    (pin,) = chosen(name)
    return str(binary_of(pin))


@pytest.mark.parametrize("name", [*(f"chromium@{major}" for major in CHECKED), "chromium"])
def test_every_outcome_agrees_with_direct_evaluation_in_that_build(
    ran: dict[str, Any], fetched: Path, name: str
) -> None:
    target = _targets(ran)[name]
    outcomes = {o["probe"]: o for o in target["outcomes"] if "scope" not in o}
    executable = _executable(fetched, name)
    shipped = load_probes(ROOT / "probes", ["*"])
    direct = run_directly_in_build(executable, shipped) if executable else run_directly("chromium", shipped)
    wrong = [p.id for p in shipped if comparable(outcomes[p.id]) != direct[p.id]]
    assert wrong == [], [(pid, comparable(outcomes[pid]), direct[pid]) for pid in wrong]
    expressions = {pid: direct_expression(src) for pid, src in ran["made"].items() if pid in outcomes}
    answers = evaluate_many_in_build(executable, expressions) if executable else evaluate_many("chromium", expressions)
    disagree = []
    for pid in expressions:
        said, seen = harness_answer(outcomes[pid]), answers[pid]
        if said != seen.get("value", seen.get("error")):
            disagree.append(f"{pid}: compatprobe {said}, direct {seen}")
    assert disagree == []
    assert len(expressions) >= SAMPLE


# The four features' cells (newest outcome first, then the earlier segments), as the builds show
# them: each change between two builds either side of BCD's version, and "?" for the releases
# between two builds that differ.
CELLS = {
    "javascript.builtins.Array.findLast": f"✓ Yes 103 {DASH} 156{DOT}? 93 {DASH} 102{DOT}No (member missing) 92",
    "api.URL.canParse_static": f"✓ Yes 121 {DASH} 156{DOT}? 120{DOT}No (member missing) 92 {DASH} 119",
    "css.properties.field-sizing": f"✓ Yes 123 {DASH} 156{DOT}No (member missing) 92 {DASH} 122",
    "api.Window.sharedStorage": f"✗ No 153 {DASH} 156{DOT}Yes 126 {DASH} 152{DOT}? 124 {DASH} 125"
    f"{DOT}No (member missing) 92 {DASH} 123",
}


def test_the_four_features_show_their_segments_and_agree_with_bcd(ran: dict[str, Any], fetched: Path) -> None:
    results = read_results(ran["path"])
    # What the cells say is what each build says when asked directly.
    for name in [t.name for t in results.targets]:
        outcomes = {o["probe"]: o for o in _targets(ran)[name]["outcomes"] if "scope" not in o}
        executable = _executable(fetched, name)
        expressions = {f: direct_expression(ran["made"][f]) for f in FOUR}
        answers = (
            evaluate_many_in_build(executable, expressions) if executable else evaluate_many("chromium", expressions)
        )
        for feature in FOUR:
            assert harness_answer(outcomes[feature]) == answers[feature]["value"], (name, feature)
    table = assemble_table(results)
    assert len(table.columns) == 1  # ten builds, one column
    md = MarkdownFormat().table(table)
    for feature, cell in CELLS.items():
        row = next(line for line in md.splitlines() if f"`{feature}`" in line)
        assert row.split(" | ")[1].startswith(cell), row
    data = load_for(None, results.probes, required=True)
    assert data is not None
    found = {b.feature: b for b in brackets([results], data)}
    for feature in FOUR:
        assert found[feature].agreement == "agrees", (feature, found[feature])
    # sharedStorage: BCD's 126 inside 123-126 and its removal in 152 inside 152-153 (branch-point builds).
    shared = found["api.Window.sharedStorage"]
    assert [(c.added, c.low, c.after) for c in shared.changes] == [(True, 123, 126), (False, 152, 153)]
