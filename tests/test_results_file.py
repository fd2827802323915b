"""The results file: stable JSON, schema validation and clear errors for bad files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compatprobe.errors import InputError
from compatprobe.results.model import Where, dumps, read_results, write_results
from factories import make_results


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_results(make_results(), path)
    again = read_results(path)
    assert dumps(again) == path.read_text()
    assert [t.name for t in again.targets] == ["chromium", "firefox", "webkit"]
    assert not again.complete


def test_stable_order(tmp_path: Path) -> None:
    results = make_results()
    results.targets[0].outcomes.reverse()
    results.probes.reverse()
    assert dumps(results) == dumps(make_results())


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "file is empty"),
        ('{"schema_version": 1, "run": {', "not valid JSON (truncated?)"),
        ('{"hello": 1}', "not a compatprobe results file"),
        ('{"schema_version": 99}', "results schema version 99"),
        ('{"schema_version": 1, "run": {}, "probes": [], "targets": []}', "does not match the results schema at run"),
    ],
)
def test_bad_files(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputError, match=re.escape(words)) as info:
        read_results(path)
    assert str(info.value).startswith(str(path))


def test_wrong_status_names_the_path(tmp_path: Path) -> None:
    data = json.loads(dumps(make_results()))
    data["targets"][1]["outcomes"][0]["status"] = "maybe"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="targets/1/outcomes/0/status"):
        read_results(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_results(tmp_path / "none.json")


def test_provenance_and_attempts_round_trip(tmp_path: Path) -> None:
    """`where`, `attempts` and `attempt_errors` are optional fields of schema version 1."""
    results = make_results()
    results.targets[0].where = Where(kind="remote", server="ws://fleet:3000/", os="Linux", platform="Linux x86_64")
    results.targets[0].attempts = 2
    results.targets[0].attempt_errors = ["connection refused"]
    path = tmp_path / "r.json"
    write_results(results, path)
    again = read_results(path)
    assert again.targets[0].where == results.targets[0].where
    assert (again.targets[0].attempts, again.targets[0].attempt_errors) == (2, ["connection refused"])
    assert again.targets[1].where is None and again.targets[1].attempts is None
    data = json.loads(path.read_text())
    data["targets"][0]["where"]["kind"] = "cloud"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match="targets/0/where/kind"):
        read_results(path)
