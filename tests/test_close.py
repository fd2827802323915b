"""A browser whose profile no one keeps ends with its process group killed at close, found by an
argument only its command line holds (browsers/started.py: Started.mark): Chromium by a mark given
to it, Firefox by its profile copy (tests/test_profiles.py). Nothing is left running or in the
temporary folder, and the mark is not in the results."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from compatprobe import api
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.results.model import to_dict
from conftest import ROOT
from processes import still_running, watched

pytestmark = pytest.mark.browsers

CHROMIUM = ("chromium", "chrome", "headless_shell")  # in the first two arguments of its processes


def test_chromium_is_killed_by_its_mark_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # A short path: under a long one Chromium keeps its socket in a folder of its own (conftest).
    temporary = Path(tempfile.mkdtemp(prefix="cp-"))
    monkeypatch.setenv("TMPDIR", str(temporary))  # for Playwright's driver, which makes Chromium's profile
    killed: list[tuple[str, bool]] = []
    kill = ChildProcesses.kill_group_led_with

    def noted(self: ChildProcesses, argument: str) -> bool:
        found = kill(self, argument)
        killed.append((argument, found))
        return found

    monkeypatch.setattr(ChildProcesses, "kill_group_led_with", noted)
    try:
        with watched() as seen:
            results = api.run(ROOT / "matrix.yaml", browsers=["chromium"], probes=["RTCPeerConnection/exists"])
        ((mark, found),) = killed
        assert mark.startswith("--compatprobe-browser=") and found
        # Found as the leader of a group under the driver (above); only Chromium's processes hold it:
        # its helpers copy its switches, a child read before its exec has its command line, and
        # Debian's /usr/bin/chromium is a script that runs first as `/bin/sh /usr/bin/chromium`.
        holders = [p for p in seen if mark in p.argv]
        assert holders and all(any(n in " ".join(p.argv[:2]) for n in CHROMIUM) for p in holders)
        assert still_running(seen) == []
        assert sorted(p.name for p in temporary.iterdir()) == []  # the driver removed Chromium's profile
        assert results.complete and mark.partition("=")[2] not in json.dumps(to_dict(results))
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
