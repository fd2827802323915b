"""Small hand-made results for tests of pure logic (table, rendering, file handling)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compatprobe.config.matrix import load_matrix
from compatprobe.errors import InputError
from compatprobe.results.model import (
    BrowserInfo,
    ExceptionInfo,
    Outcome,
    ProbeInfo,
    Results,
    RunInfo,
    TargetResult,
)

PROBES = [
    ProbeInfo(
        "X/removeStream/exists",
        "api.X.removeStream",
        "removeStream() exists",
        "0" * 64,
        deprecated=True,
        standard=False,
    ),
    ProbeInfo("X/removeStream/closed", "api.X.removeStream.closed", "on closed throws InvalidStateError", "1" * 64),
    ProbeInfo("X/removeTrack/exists", "api.X.removeTrack", "removeTrack() exists", "2" * 64),
]


def make_results(firefox_message: str = "not supported anymore") -> Results:
    chromium = TargetResult(
        "chromium",
        "chromium",
        browser=BrowserInfo("Chromium", "156.0.1.2", "UA c"),
        launch={"via": "playwright", "executable": "/usr/bin/chromium"},
        outcomes=[
            Outcome("X/removeStream/exists", "supported"),
            Outcome("X/removeStream/closed", "throws", exception=ExceptionInfo("InvalidStateError", "closed!", True)),
            Outcome("X/removeTrack/exists", "supported"),
        ],
    )
    firefox = TargetResult(
        "firefox",
        "firefox",
        browser=BrowserInfo("Firefox", "40.0", "UA f"),
        launch={"via": "playwright"},
        outcomes=[
            Outcome("X/removeStream/exists", "supported"),
            Outcome(
                "X/removeStream/closed",
                "throws",
                exception=ExceptionInfo("NotSupportedError", firefox_message, False),
                values={"signalingState": '"closed"'},
            ),
            Outcome(
                "X/removeTrack/exists",
                "unsupported",
                reason="member-missing",
                message="X.prototype.removeTrack is not defined",
            ),
        ],
    )
    webkit = TargetResult(
        "webkit",
        "webkit",
        status="unavailable",
        error="no way to run this engine here",
        not_run=[p.id for p in PROBES],
    )
    return Results(
        run=RunInfo("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:05+00:00", "0.1.0", {"system": "Linux"}),
        probes=list(PROBES),
        targets=[chromium, firefox, webkit],
    )


def matrix_error(path: Path) -> str:
    """What load_matrix says about a matrix file with a mistake in it."""
    with pytest.raises(InputError) as info:
        load_matrix(path)
    return str(info.value)
