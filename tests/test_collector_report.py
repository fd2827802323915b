"""Export to mdn-bcd-collector's report format, and our own check of that format."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bcd_fixtures import FIREFOX_48_UA, firefox_48_results
from compatprobe.bcd.collector import build_report, collector_user_agent, validate_report
from compatprobe.results.model import write_results
from conftest import browser_of, cli
from factories import make_results

VALID: dict[str, Any] = {
    "__version": "10.2.1",
    "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
    "extensions": [],
    "results": {
        "https://example.test/tests/api/X": [
            {"exposure": "Window", "name": "api.X", "result": True},
            {"exposure": "Worker", "name": "api.X.y", "result": False, "message": "no"},
            {"exposure": "ServiceWorker", "name": "api.X.z", "result": None, "message": "threw TypeError: x"},
        ]
    },
}


def broken(change: Any) -> dict[str, Any]:
    report = copy.deepcopy(VALID)
    change(report)
    return report


def entry(report: dict[str, Any]) -> dict[str, Any]:
    return report["results"]["https://example.test/tests/api/X"][0]


def test_valid_report_has_no_errors() -> None:
    assert validate_report(VALID) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda r: r.pop("userAgent"), "userAgent: missing"),
        (lambda r: r.pop("__version"), "__version: missing"),
        (lambda r: r.pop("results"), "results: missing"),
        (lambda r: r.update(preview=False), "preview: unknown key"),
        (lambda r: r.update(__version="1.0.0-beta"), "__version: must be a string of digits and dots"),
        (lambda r: r.update(userAgent=5), "userAgent: must be a string"),
        (lambda r: r.update(extensions=[1]), "extensions: must be a list of strings"),
        (lambda r: r.update(results={}), "results: must hold at least one URL"),
        (lambda r: r.update(results={"not a url": []}), "results['not a url']: the key must be an absolute URL"),
        (lambda r: r.update(results={"https://a.test/": {}}), "results['https://a.test/']: must be a list"),
        (lambda r: entry(r).update(exposure="Document"), ".exposure: must be one of ServiceWorker"),
        (lambda r: entry(r).update(name="api.X y"), ".name: must be a dotted feature id"),
        (lambda r: entry(r).update(result=1), ".result: must be true, false or null"),
        (lambda r: entry(r).update(result="true"), ".result: must be true, false or null"),
        (lambda r: entry(r).update(result=None), ".message: required when result is null"),
        (lambda r: entry(r).update(message="x" * 1001), ".message: must be a string of at most 1000 characters"),
        (lambda r: entry(r).update(info={"code": "x"}), "[0].info: unknown key"),
        (lambda r: entry(r).pop("exposure"), "[0].exposure: missing"),
    ],
)
def test_each_rule_of_the_format_is_checked(change: Any, error: str) -> None:
    errors = validate_report(broken(change))
    assert any(error in e for e in errors), errors


def test_not_an_object() -> None:
    assert validate_report([]) == ["(top level): must be an object"]


def test_exists_but_throws_is_true_with_the_exception_in_the_message() -> None:
    results = firefox_48_results()
    report = build_report(results, results.targets[0])
    assert validate_report(report) == []
    assert report["userAgent"] == FIREFOX_48_UA
    assert report["__version"] == "0.1.0"
    entries = {e["name"]: e for entries in report["results"].values() for e in entries}
    # Behaviour probes are not BCD entries, so they are not exported as features.
    assert set(entries) == {"api.RTCPeerConnection", "api.RTCPeerConnection.removeStream"}
    removestream = entries["api.RTCPeerConnection.removeStream"]
    assert removestream["result"] is True
    assert "NotSupportedError" in removestream["message"]
    assert list(report["results"]) == [
        "http://127.0.0.1/probes/RTCPeerConnection/exists.js",
        "http://127.0.0.1/probes/RTCPeerConnection/removeStream/exists.js",
    ]


def test_missing_is_false_and_failed_probe_is_null_with_a_message() -> None:
    results = make_results()
    firefox = results.targets[1]
    firefox.browser.user_agent = FIREFOX_48_UA  # type: ignore[union-attr]
    firefox.outcomes[0].status = "timeout"
    firefox.outcomes[0].message = "the probe did not settle within 5000 ms"
    report = build_report(results, firefox)
    assert validate_report(report) == []
    entries = {e["name"]: e for entries in report["results"].values() for e in entries}
    assert entries["api.X.removeTrack"]["result"] is False
    assert entries["api.X.removeStream"] == {
        "exposure": "Window",
        "name": "api.X.removeStream",
        "result": None,
        "message": "the probe ended in timeout: the probe did not settle within 5000 ms",
    }


def test_headless_chrome_is_reported_as_chrome() -> None:
    ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
    assert collector_user_agent(ua) == ua.replace("HeadlessChrome/156", "Chrome/156")


@pytest.mark.browsers
def test_export_of_real_observations_validates(observed: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "collector"
    proc = cli("collector-report", str(observed["dir"] / "results.json"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "webkit: not exported: WebKit, no matching BCD browser" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["chromium.json", "firefox.json"]
    reports = {p.stem: json.loads(p.read_text()) for p in out.iterdir()}
    for report in reports.values():
        assert validate_report(report) == []
    chrome = f"Chrome/{browser_of(observed['results'], 'chromium')['release']}"
    assert chrome in reports["chromium"]["userAgent"] and "Headless" not in reports["chromium"]["userAgent"]
    firefox = {e["name"]: e["result"] for entries in reports["firefox"]["results"].values() for e in entries}
    assert firefox == {
        "api.RTCPeerConnection": True,
        "api.RTCPeerConnection.addStream": True,
        "api.RTCPeerConnection.addTrack": True,
        "api.RTCPeerConnection.removeStream": False,
        "api.RTCPeerConnection.removeTrack": True,
    }
    chromium = {e["name"]: e["result"] for entries in reports["chromium"]["results"].values() for e in entries}
    assert set(chromium.values()) == {True}


def test_one_file_takes_one_target(tmp_path: Path) -> None:
    results = make_results()
    for target in results.targets[:2]:
        target.browser.user_agent = FIREFOX_48_UA  # type: ignore[union-attr]
    write_results(results, tmp_path / "r.json")
    out = tmp_path / "report.json"
    both = cli("collector-report", str(tmp_path / "r.json"), "-o", str(out))
    assert both.returncode == 2 and "2 targets to export (chromium, firefox) but one output file" in both.stderr
    assert not out.exists()
    one = cli("collector-report", str(tmp_path / "r.json"), "-b", "firefox", "-o", "-")
    assert one.returncode == 0, one.stderr
    assert validate_report(json.loads(one.stdout)) == []
    unknown = cli("collector-report", str(tmp_path / "r.json"), "-b", "safari")
    assert unknown.returncode == 2 and "-b safari: no such target" in unknown.stderr


@pytest.mark.parametrize("flag", [["--format", "json"], ["--template-dir", "templates"]])
def test_flags_that_would_change_nothing_are_refused(tmp_path: Path, flag: list[str]) -> None:
    """The format is mdn-bcd-collector's and no template makes it: such flags are usage errors, not ignored."""
    write_results(make_results(), tmp_path / "r.json")
    proc = cli("collector-report", str(tmp_path / "r.json"), "-b", "chromium", "-o", "-", *flag)
    assert proc.returncode == 2 and f"unrecognized arguments: {' '.join(flag)}" in proc.stderr
    assert proc.stdout == ""
