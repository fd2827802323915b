"""The library owns the pipeline: `api.run` and `compatprobe run` write the same results file for the
same matrix, BCD mappings and suspect marks included, field by field (times aside)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bcd_fixtures import FIXTURE
from compatprobe import api
from conftest import ROOT, cli

pytestmark = pytest.mark.browsers

PROBES = ["RTCPeerConnection/exists", "RTCPeerConnection/removeStream/*"]
# When a run or a target started and finished, and how long the browser took: the only fields two runs may differ in.
TIMES = {"started", "finished"}


def without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k not in TIMES}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def fields(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of a JSON value by its path, so a difference names the field it is in."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in fields(item, f"{prefix}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in fields(item, f"{prefix}/{i}").items()}
    return {prefix: value}


def test_api_run_and_the_cli_write_the_same_results(tmp_path: Path) -> None:
    matrix = ROOT / "matrix.yaml"
    by_api = tmp_path / "api.json"
    results = api.run(matrix, browsers=["chromium"], probes=PROBES, bcd=FIXTURE)
    api.save(results, by_api)
    by_cli = tmp_path / "cli.json"
    proc = cli(
        "run",
        "-m",
        str(matrix),
        "-b",
        "chromium",
        *(arg for p in PROBES for arg in ("-p", p)),
        "--bcd",
        str(FIXTURE),
        "--results",
        str(by_cli),
        "-o",
        str(tmp_path / "index.html"),
        "-q",
    )
    assert proc.returncode == 0, proc.stderr
    a = fields(without_times(json.loads(by_api.read_text(encoding="utf-8"))))
    c = fields(without_times(json.loads(by_cli.read_text(encoding="utf-8"))))
    differ = {key: (a.get(key), c.get(key)) for key in sorted(a.keys() | c.keys()) if a.get(key) != c.get(key)}
    assert differ == {}
    # The comparison saw what matters: outcomes of every probe, and the BCD release the CLI records.
    assert results.targets[0].bcd is not None and results.targets[0].bcd["browser"] == "chrome"
    assert len(results.targets[0].outcomes) == len(results.probes) > 1
