"""Real observations from this machine's browsers compared with BCD: the small fixture from the real
package, and a crafted fixture that says the opposite, seen in `compatprobe bcd`, its exit code and
the table opened in Chromium."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from bcd_fixtures import FIXTURE, FIXTURE_VERSION, HAND_CHECKED, opposite_bcd
from compatprobe.bcd.mapping import NO_WEBKIT
from compatprobe.results.model import read_results
from conftest import browser_of, cli, release

pytestmark = pytest.mark.browsers


@pytest.fixture(autouse=True)
def bcd_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPATPROBE_BCD", raising=False)


def bcd_json(results: Path, bcd: Path) -> dict[str, Any]:
    proc = cli("bcd", str(results), "--bcd", str(bcd), "--format", "json", "--fail-on", "contradiction")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def agreements(report: dict[str, Any]) -> dict[tuple[str, str], tuple[str | None, str, str]]:
    return {
        (c["feature"], c["target"]): (c.get("bcd", {}).get("summary"), c["observed"]["summary"], c["agreement"])
        for c in report["comparisons"]
    }


def releases(observed: dict[str, Any]) -> tuple[str, str]:
    """The Chromium and Firefox releases the run saw (BCD names releases as the table does)."""
    return browser_of(observed["results"], "chromium")["release"], browser_of(observed["results"], "firefox")["release"]


def test_real_observations_agree_with_bcd_as_hand_checked(observed: dict[str, Any]) -> None:
    chromium, firefox = releases(observed)
    report = bcd_json(observed["dir"] / "results.json", FIXTURE)
    assert report["bcd"]["version"] == FIXTURE_VERSION
    assert report["mappings"]["chromium"] == {
        "bcd_version": FIXTURE_VERSION,
        "browser": "chrome",
        "release": chromium,
        "status": "retired",
        "channel": "release",
    }
    assert report["mappings"]["firefox"] == {
        "bcd_version": FIXTURE_VERSION,
        "browser": "firefox",
        "release": firefox,
        "status": "esr",
        "channel": "ESR",
    }
    assert report["mappings"]["webkit"]["reason"].startswith(NO_WEBKIT)
    got = agreements(report)
    assert {k: v for k, v in got.items() if k[1] != "webkit"} == HAND_CHECKED
    for feature in {f for f, _ in HAND_CHECKED}:
        summary, seen, agreement = got[(feature, "webkit")]
        assert (summary, seen, agreement) == (None, "missing (interface missing)", "not-comparable")
    assert report["counts"] == {"contradicts": 0, "agrees": 10, "not-comparable": 5}
    assert report["status"]["api.RTCPeerConnection.removeStream"] == ["deprecated", "non-standard"]
    assert report["status"]["api.RTCPeerConnection.removeTrack"] == []
    # The behaviour probes inform their group's entry instead of being compared themselves.
    assert report["informs"]["RTCPeerConnection/removeStream/after-addStream"] == "api.RTCPeerConnection.removeStream"


def test_opposite_bcd_shows_in_bcd_command_and_exit_code(observed: dict[str, Any], tmp_path: Path) -> None:
    chromium, firefox = releases(observed)
    results = observed["dir"] / "results.json"
    bcd = opposite_bcd(tmp_path / "opposite.json")
    plain = cli("bcd", str(results), "--bcd", str(bcd))
    assert plain.returncode == 0, plain.stderr  # listing is not failing unless --fail-on says so
    lines = plain.stdout.splitlines()
    assert lines[0].startswith(
        f"Compared with @mdn/browser-compat-data {FIXTURE_VERSION}-opposite (2026-11-12): 2 contradict"
    )
    assert f"CONTRADICTS  api.RTCPeerConnection.removeStream  in chromium (Chromium {chromium}." in plain.stdout
    assert '  BCD says:  removed in 100  chrome: {"version_added": "24", "version_removed": "100"}' in lines
    assert "  so:        the browser does more than BCD says" in lines
    assert '  BCD says:  supported since 22  firefox: {"version_added": "22"}' in lines
    assert "  observed:  missing (member missing)  (probe RTCPeerConnection/removeStream/exists)" in lines
    assert "  so:        the browser does less than BCD says" in lines
    assert plain.stdout.count("CONTRADICTS") == 2 and "AGREES" not in plain.stdout

    failing = cli("bcd", str(results), "--bcd", str(bcd), "--fail-on", "contradiction", "--format", "md")
    assert failing.returncode == 1
    assert f"## api.RTCPeerConnection.removeStream in Chrome {chromium}" in failing.stdout
    assert f"## api.RTCPeerConnection.removeStream in Firefox {firefox}, ESR" in failing.stdout
    assert f"HeadlessChrome/{chromium}" in failing.stdout  # the evidence names the browser exactly


def test_opposite_bcd_shows_in_the_table(
    observed: dict[str, Any], tmp_path: Path, output_dir: Path, chromium: Browser
) -> None:
    chrome_release, firefox_release = releases(observed)
    html = output_dir / "opposite.html"
    bcd = opposite_bcd(tmp_path / "opposite.json")
    cli("render", str(observed["dir"] / "results.json"), "--bcd", str(bcd), "-o", str(html), check=True)
    page = chromium.new_page(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page.goto(html.as_uri())
    table = page.locator("table.compat:not(.differences)")
    assert table.locator(".bcd-mark").count() == 2
    # With BCD the table has MDN's columns (the observed browsers first): BCD's statement, then the
    # observation marked against it.
    row = table.locator('tr[id="api.RTCPeerConnection.removeStream"]')
    assert row.locator(".badge").all_text_contents() == ["deprecated", "non-standard"]
    assert row.locator(".bcd-flags").count() == 0  # BCD's flags are the badges already shown
    cells = row.locator("td")
    chrome, firefox = cells.nth(0), cells.nth(1)
    chrome_text = " ".join(chrome.inner_text().split())
    assert chrome_text.startswith(f"BCD says: ⊘24 \N{EN DASH} 99 removed in 100 Chromium {chrome_release}: ✓Yes [")
    assert chrome_text.endswith("≠ contradicts BCD")
    firefox_text = " ".join(firefox.inner_text().split())
    assert firefox_text.startswith(f"BCD says: ●22 Firefox {firefox_release}: ✗No member missing [")
    assert firefox_text.endswith("≠ contradicts BCD")
    note = page.locator(chrome.locator("a.bcd-mark").get_attribute("href") or "").inner_text()
    assert 'quoting chrome: {"version_added": "24", "version_removed": "100"}' in note
    assert "observed: exists. So the browser does more than BCD says." in note
    note = page.locator(firefox.locator("a.bcd-mark").get_attribute("href") or "").inner_text()
    assert 'quoting firefox: {"version_added": "22"}; observed: missing (member missing)' in note
    # Agreeing cells carry BCD's statement and the confirmation, no marker.
    track = table.locator('tr[id="api.RTCPeerConnection.removeTrack"]')
    confirmed = f"BCD says: ●22 Firefox {firefox_release}: ✓Yes ✔ confirms BCD"
    assert " ".join(track.locator("td").nth(1).inner_text().split()) == confirmed
    legend = "".join(page.locator(".legend").all_inner_texts())
    assert "The observation contradicts BCD's statement" in legend
    provenance = page.locator("dl.provenance").inner_text()
    assert f"browser-compat-data {FIXTURE_VERSION}-opposite (2026-11-12): 2 contradict, 8 agree" in provenance
    mapped = f"chromium = Chrome {chrome_release}; firefox = Firefox {firefox_release}, ESR; "
    mapped += "webkit = WebKit, no matching BCD browser"
    assert mapped in provenance
    page.screenshot(path=str(output_dir / "opposite.png"), full_page=True)


def test_run_with_bcd_records_the_mapping(tmp_path: Path, direct_versions: dict[str, str]) -> None:
    bcd = opposite_bcd(tmp_path / "opposite.json")
    results, html = tmp_path / "results.json", tmp_path / "index.html"
    proc = cli(
        "run", "-q", "-b", "chromium", "-p", "RTCPeerConnection/removeStream/exists",
        "--bcd", str(bcd), "--results", str(results), "-o", str(html),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [target] = read_results(results).targets  # still valid against the schema
    assert target.bcd == {
        "bcd_version": f"{FIXTURE_VERSION}-opposite",
        "browser": "chrome",
        "release": release("chromium", direct_versions["chromium"]),
        "status": "retired",
        "channel": "release",
    }
    assert json.loads(results.read_text())["targets"][0]["bcd"]["browser"] == "chrome"
    text = html.read_text()
    assert "bcd-mark" in text and "removed in 100" in text


def test_bad_bcd_path_fails_before_running_and_writes_nothing(tmp_path: Path) -> None:
    out, results = tmp_path / "index.html", tmp_path / "r.json"
    proc = cli("run", "--bcd", str(tmp_path / "nope.tgz"), "--results", str(results), "-o", str(out))
    assert proc.returncode == 2
    assert "nope.tgz: BCD file not found" in proc.stderr and "npm pack @mdn/browser-compat-data" in proc.stderr
    assert not out.exists() and not results.exists()
