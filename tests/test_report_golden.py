"""The report of a small sweep is byte for byte what it was before the performance work (#26):
the results file written again, every HTML page of the split table (plain, with changes marked,
with version ranges), the Markdown and the JSON table. Fingerprints from ce0f9ca, made by
tests/golden_report.py; then a real run in Chromium writes what render writes from its results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from compatprobe import cli
from conftest import ROOT
from golden_report import EXPECTED, FILTERS, fingerprints

# In an interpreter of its own, as a user's command runs: a test worker has threads, and the pages
# of a split table are shared with a forked copy only where there are none (compatprobe.forked).
MAKE = """
import json, os, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from golden_report import fingerprints, make_outputs, unpack_results
forks, fork = [], os.fork
os.fork = lambda: forks.append(1) or fork()
scratch = Path(sys.argv[2])
(scratch / "in").mkdir()
make_outputs(unpack_results(scratch / "in"), Path(sys.argv[3]), Path(sys.argv[4]), scratch / "out")
print(json.dumps({"forks": len(forks), "made": fingerprints(scratch / "out", scratch)}))
"""


def test_the_sweeps_outputs_are_byte_identical_to_the_fingerprints(
    real_packages: dict[str, Path], tmp_path: Path
) -> None:
    packages = [str(real_packages["bcd"]), str(real_packages["web_features"])]
    args = [sys.executable, "-c", MAKE, str(Path(__file__).parent), str(tmp_path), *packages]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.splitlines()[-1])
    made, expected = out["made"], json.loads(EXPECTED.read_text())
    assert sorted(made) == sorted(expected), "files made differ from the files expected"
    changed = [name for name in expected if made[name] != expected[name]]
    assert not changed, f"{len(changed)} files changed, first {changed[:5]}"
    # Five tables compared with BCD in a forked copy (html, md, json, changes, ranges), and the three
    # split tables' pages shared with one.
    assert out["forks"] == 5 + 3, "each table's BCD comparison and each split table's pages made beside a copy"


@pytest.mark.browsers
def test_a_run_writes_the_pages_that_render_writes_from_its_results(
    pinned_cache: Path, real_packages: dict[str, Path], tmp_path: Path
) -> None:
    """The run's own pipeline (the table built straight from the run) against render's."""
    given = ["--web-features", str(real_packages["web_features"])]
    run = [f"--feature={pattern}" for pattern in FILTERS]
    results, ran, rendered = tmp_path / "results.json", tmp_path / "ran", tmp_path / "rendered"
    args = ["run", "-m", str(ROOT / "matrix.yaml"), *run, "-b", "chromium", "-q", *given]
    assert cli.main([*args, "--results", str(results), "-o", str(ran / "index.html")]) in (0, 4)
    assert cli.main(["render", str(results), *given, "-o", str(rendered / "index.html")]) == 0
    pages = fingerprints(ran, ran)
    assert len(pages) > 300, "the table was not split into section pages"
    assert pages == fingerprints(rendered, rendered)
