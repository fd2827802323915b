"""Against the real @mdn/browser-compat-data package from npm (the fixture's version, pinned):
the small fixture is a faithful copy, and the real package gives the hand-checked agreements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bcd_fixtures import FIXTURE_VERSION, HAND_CHECKED, fixture_data
from compatprobe.bcd.data import load_bcd, read_bcd_file
from conftest import cli

pytestmark = pytest.mark.browsers


@pytest.fixture(scope="module")
def real_package(real_packages: dict[str, Path]) -> Path:
    """What the README tells users to do: npm pack, and pass the .tgz (conftest's real_packages)."""
    return real_packages["bcd"]


def test_fixture_is_a_faithful_copy_of_the_real_package(real_package: Path) -> None:
    real = read_bcd_file(real_package)
    fixture = fixture_data()
    assert fixture["__meta"] == real["__meta"]
    for name, entry in fixture["browsers"].items():
        assert entry == real["browsers"][name], name
    interface = real["api"]["RTCPeerConnection"]
    assert fixture["api"]["RTCPeerConnection"]["__compat"] == interface["__compat"]
    for member in ("addStream", "addTrack", "removeStream", "removeTrack"):
        assert fixture["api"]["RTCPeerConnection"][member] == interface[member], member


def test_real_package_gives_the_hand_checked_agreements(
    real_package: Path, observed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
    proc = cli("bcd", str(observed["dir"] / "results.json"), "--bcd", str(real_package), "--format", "json", "--all")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    got = {
        (c["feature"], c["target"]): (c["bcd"]["summary"], c["observed"]["summary"], c["agreement"])
        for c in report["comparisons"]
        if c["target"] != "webkit"
    }
    assert got == HAND_CHECKED
    # The second load is served from the small cache file, which holds only what was asked for.
    [cached] = (tmp_path / "cache" / "bcd").iterdir()
    assert cached.stat().st_size < 1_000_000 < real_package.stat().st_size * 10
    data = load_bcd(real_package, ["api.RTCPeerConnection.removeStream"], cache_dir=tmp_path / "cache")
    assert data.version == FIXTURE_VERSION
