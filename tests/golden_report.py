"""The report of a small sweep, made the way a user makes it, and fingerprinted file by file: the
safety net for performance work on the report (issue #26). Every output must stay byte-identical.

    .venv/bin/python tests/golden_report.py BCD.tgz WEB_FEATURES.tgz   # rewrite the fixtures

The fixture's results file came from a real Chromium run (FILTERS below) on ce0f9ca, and its
fingerprints from that commit's code; regenerate them only when the output is meant to change.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
from pathlib import Path

from compatprobe.cli import main as cli_main
from compatprobe.results.history import save_to_history
from compatprobe.results.model import read_results, write_results

HERE = Path(__file__).resolve().parent / "fixtures" / "sweep_small"
RESULTS = HERE / "results.json.gz"
EXPECTED = HERE / "expected.json"
# Enough rows (726) to split the HTML table into section pages (past report.layout.SPLIT_ROWS),
# worker scopes (FileReaderSync) and contradictions of BCD among them.
FILTERS = (
    "api.RTCPeerConnection*",
    "javascript.builtins.Array*",
    "css.properties.a*",
    "css.properties.b*",
    "api.Document*",
    "api.FileReader*",
)


def unpack_results(folder: Path) -> Path:
    """The fixture's results file, as the run wrote it."""
    path = folder / "results.json"
    path.write_bytes(gzip.decompress(RESULTS.read_bytes()))
    return path


def earlier_run(results: Path, folder: Path) -> Path:
    """An earlier run made from the fixture: an older release and day, a probe in 50 missing and
    an outcome in 13 the other way round, so that changes and version ranges have marks to show."""
    data = json.loads(results.read_text())
    data["run"]["started"] = data["run"]["finished"] = "2026-11-01T10:00:00+00:00"
    dropped = {p["id"] for p in data["probes"][::50]}
    data["probes"] = [p for p in data["probes"] if p["id"] not in dropped]
    for target in data["targets"]:
        target["browser"]["version"] = "150.0.7000.1"
        target["bcd"]["release"] = "150"
        target["outcomes"] = [o for o in target["outcomes"] if o["probe"] not in dropped]
        for outcome in target["outcomes"][::13]:
            if outcome["status"] == "supported":
                outcome.update(status="unsupported", reason="member-missing", message="not there")
            elif outcome["status"] == "unsupported":
                outcome["status"] = "supported"
                outcome.pop("reason", None)
                outcome.pop("message", None)
    path = folder / "earlier.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    return path


def make_outputs(results: Path, bcd: Path, web_features: Path, folder: Path) -> None:
    """Every output a user gets from the results file: the results written again, the split HTML
    table, the Markdown table and the table as JSON; the HTML again with changes marked against an
    earlier run, and with the version ranges of a history of both."""
    write_results(read_results(results), folder / "results.json")
    # Beside the results, so that the pages name the same paths (under SCRATCH) wherever they came from.
    shutil.copy(bcd, results.parent / "bcd.tgz")
    shutil.copy(web_features, results.parent / "web-features.tgz")
    data = ["--bcd", str(results.parent / "bcd.tgz"), "--web-features", str(results.parent / "web-features.tgz")]
    for fmt, name in (("html", "html/index.html"), ("md", "table.md"), ("json", "table.json")):
        assert cli_main(["render", str(results), *data, "--format", fmt, "-o", str(folder / name)]) == 0
    earlier = earlier_run(results, results.parent)
    changes = ["render", str(results), *data, "--compare", str(earlier)]
    assert cli_main([*changes, "-o", str(folder / "changes/index.html")]) == 0
    history = results.parent / "history"
    history.mkdir()
    for run in (earlier, results):
        save_to_history(read_results(run), history)
    assert cli_main(["render", str(history), *data, "-o", str(folder / "ranges/index.html")]) == 0


def fingerprints(folder: Path, scratch: Path) -> dict[str, str]:
    """The sha256 of every file under `folder`, by its path there; the temporary folder the inputs
    were in (`scratch`: the table names the file it compared with) reads as SCRATCH."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes().replace(bytes(scratch), b"SCRATCH")).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main(bcd: str, web_features: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "in").mkdir()
        results = unpack_results(folder / "in")
        make_outputs(results, Path(bcd), Path(web_features), folder / "out")
        EXPECTED.write_text(json.dumps(fingerprints(folder / "out", folder), indent=1, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
