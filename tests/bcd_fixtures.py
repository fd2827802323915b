"""BCD data for tests: the small fixture taken from the real package, and crafted variants of it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from compatprobe.results.model import BrowserInfo, ExceptionInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult

FIXTURE = Path(__file__).parent / "fixtures" / "bcd-rtcpeerconnection.json"
FIXTURE_VERSION = "8.1.9"


def fixture_data() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def write_bcd(data: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def opposite_bcd(path: Path) -> Path:
    """The fixture, but saying the opposite of what Chromium 156 and Firefox 153 do with removeStream."""
    data = copy.deepcopy(fixture_data())
    data["__meta"]["version"] = f"{FIXTURE_VERSION}-opposite"
    support = data["api"]["RTCPeerConnection"]["removeStream"]["__compat"]["support"]
    support["chrome"] = {"version_added": "24", "version_removed": "100"}  # Chromium 156 has it
    support["firefox"] = {"version_added": "22"}  # Firefox 153 lacks it
    return write_bcd(data, path)


# The hand-check (README, "Comparing with MDN's browser-compat-data"): BCD 8.1.9's statement for the
# release, what the probe saw, and the agreement, for Chromium 156 and Firefox ESR 153.
HAND_CHECKED = {
    ("api.RTCPeerConnection", "chromium"): ("supported since 56", "exists", "agrees"),
    ("api.RTCPeerConnection", "firefox"): ("supported since 44", "exists", "agrees"),
    ("api.RTCPeerConnection.addStream", "chromium"): ("supported since 24", "exists", "agrees"),
    ("api.RTCPeerConnection.addStream", "firefox"): ("supported since 22", "exists", "agrees"),
    ("api.RTCPeerConnection.addTrack", "chromium"): ("supported since 64", "exists", "agrees"),
    ("api.RTCPeerConnection.addTrack", "firefox"): ("supported since 22", "exists", "agrees"),
    ("api.RTCPeerConnection.removeStream", "chromium"): ("supported since 24", "exists", "agrees"),
    ("api.RTCPeerConnection.removeStream", "firefox"): ("removed in 51", "missing (member missing)", "agrees"),
    ("api.RTCPeerConnection.removeTrack", "chromium"): ("supported since 64", "exists", "agrees"),
    ("api.RTCPeerConnection.removeTrack", "firefox"): ("supported since 22", "exists", "agrees"),
}


FIREFOX_48_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:48.0) Gecko/20100101 Firefox/48.0"


def firefox_48_results() -> Results:
    """What Firefox 22 to 50 did: removeStream exists, and every call throws NotSupportedError."""
    probes = [
        ProbeInfo("RTCPeerConnection/exists", "api.RTCPeerConnection", "interface", "0" * 64),
        ProbeInfo("RTCPeerConnection/removeStream/exists", "api.RTCPeerConnection.removeStream", "exists", "1" * 64),
        ProbeInfo(
            "RTCPeerConnection/removeStream/after-addStream",
            "api.RTCPeerConnection.removeStream.after_addStream",
            "removeStream(stream) after addStream(stream) returns",
            "2" * 64,
        ),
    ]
    firefox = TargetResult(
        "firefox",
        "firefox",
        browser=BrowserInfo("Firefox", "48.0", FIREFOX_48_UA),
        launch={"via": "playwright"},
        outcomes=[
            Outcome("RTCPeerConnection/exists", "supported"),
            Outcome("RTCPeerConnection/removeStream/exists", "supported"),
            Outcome(
                "RTCPeerConnection/removeStream/after-addStream",
                "throws",
                message="removeStream(stream) threw",
                exception=ExceptionInfo("NotSupportedError", "Operation is not supported", False),
            ),
        ],
    )
    return Results(
        run=RunInfo("2016-01-01T00:00:00+00:00", "2016-01-01T00:00:05+00:00", "0.1.0", {"system": "Linux"}),
        probes=probes,
        targets=[firefox],
    )
