"""The table as MDN draws it, from this machine's real run and the real BCD and web-features packages:
every MDN browser's cell checked against BCD's data read directly, observations confirming BCD
checked against the same expression evaluated directly, Baseline badges against web-features' own
data, and the page opened in Chromium at 1280 and 390 px: sticky header, anchors, folding sections,
the differences view. Screenshots are kept in the test's output folder."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from compatprobe.cli import main
from conftest import browser_of
from direct import evaluate_playwright

pytestmark = pytest.mark.browsers

EN_DASH = "\N{EN DASH}"
MDN_COLUMNS = [
    "Chrome", "Edge", "Firefox", "Opera", "Safari",
    "Chrome Android", "Firefox for Android", "Opera Android", "Safari on iOS", "Samsung Browser", "WebView Android",
]  # fmt: skip
MDN_KEYS = [
    "chrome", "edge", "firefox", "opera", "safari",
    "chrome_android", "firefox_android", "opera_android", "safari_ios", "samsunginternet_android", "webview_android",
]  # fmt: skip
# The observed browsers' columns come first (never off screen), then the BCD-only ones.
SHOWN = ["chrome", "firefox", "webkit", "edge", "opera", "safari", *MDN_KEYS[5:]]
COLUMN = {key: i for i, key in enumerate(SHOWN)}
BCD_SAYS = "BCD says: "

FEATURES = {
    "api.RTCPeerConnection": "RTCPeerConnection interface",
    "api.RTCPeerConnection.addStream": "addStream() is on the prototype",
    "api.RTCPeerConnection.addTrack": "addTrack() is on the prototype",
    "api.RTCPeerConnection.removeStream": "removeStream() is on the prototype",
    "api.RTCPeerConnection.removeTrack": "removeTrack() is on the prototype",
}
PRESENCE = """() => {
  const has = (name) => typeof RTCPeerConnection === "function" && name in RTCPeerConnection.prototype;
  return {"api.RTCPeerConnection": typeof RTCPeerConnection === "function",
          "api.RTCPeerConnection.addStream": has("addStream"), "api.RTCPeerConnection.addTrack": has("addTrack"),
          "api.RTCPeerConnection.removeStream": has("removeStream"),
          "api.RTCPeerConnection.removeTrack": has("removeTrack")};
}"""


def package_json(tgz: Path, member: str = "package/data.json") -> Any:
    with tarfile.open(tgz) as archive:
        handle = archive.extractfile(member)
        assert handle is not None
        return json.load(handle)


def expected_text(statement: dict[str, Any]) -> str:
    """What MDN writes for one BCD statement, derived here independently of compatprobe."""
    added = statement["version_added"]
    if added is False:
        return "No"
    if added is None:
        return "?"
    if added == "preview":
        return "Preview"
    text = "Yes" if added is True else added
    if statement.get("version_removed"):
        return f"{text} {EN_DASH} {statement['version_last']}"
    return text


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def direct() -> dict[str, dict[str, bool]]:
    """Presence evaluated directly in Chromium and Firefox, without compatprobe."""
    return {engine: evaluate_playwright(engine, PRESENCE) for engine in ("chromium", "firefox")}


@pytest.fixture(scope="module")
def pages(
    observed: dict[str, Any],
    real_packages: dict[str, Path],
    direct: dict[str, dict[str, bool]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Path]]:
    """The real run rendered with BCD and web-features; and with Chromium and Firefox only."""
    out = tmp_path_factory.mktemp("mdn")
    results = observed["dir"] / "results.json"
    two = json.loads(results.read_text())
    two["targets"] = [t for t in two["targets"] if t["name"] in ("chromium", "firefox")]
    (out / "two.json").write_text(json.dumps(two))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COMPATPROBE_CACHE", str(out / "cache"))
        mp.delenv("COMPATPROBE_BCD", raising=False)
        flags = ["--bcd", str(real_packages["bcd"]), "--web-features", str(real_packages["web_features"])]
        assert main(["render", str(results), *flags, "-o", str(out / "index.html")]) == 0
        assert main(["render", str(out / "two.json"), *flags, "-o", str(out / "two.html")]) == 0
        assert main(["render", str(out / "two.json"), *flags, "--format", "md", "-o", str(out / "two.md")]) == 0
    yield {"index": out / "index.html", "two": out / "two.html", "two_md": out / "two.md", "two_json": out / "two.json"}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, path: Path, width: int = 1280, height: int = 900, anchor: str = "") -> Page:
    page = browser.new_page(viewport={"width": width, "height": height}, java_script_enabled=False)
    page.goto(path.as_uri() + anchor)
    return page


def row(page: Page, feature: str) -> Any:
    return page.locator(f'tr[id="{feature}"]')


def seen_as(observed: dict[str, Any], target: str) -> str:
    browser = browser_of(observed["results"], target)
    return f"{browser['name']} {browser['release']}"


def test_cells_are_bcd_statements_for_every_mdn_browser(
    pages: dict[str, Path], real_packages: dict[str, Path], observed: dict[str, Any], chromium: Any
) -> None:
    bcd = package_json(real_packages["bcd"])
    page = open_page(chromium, pages["index"])
    headers = [squash(t) for t in page.locator("table.compat").first.locator("thead th.browser").all_inner_texts()]
    labels = dict(zip(MDN_KEYS, MDN_COLUMNS, strict=True)) | {"webkit": seen_as(observed, "webkit")}
    assert headers == [labels[key] for key in SHOWN]  # BCD knows no WebKitGTK: its own column
    platforms = page.locator("table.compat").first.locator("thead th.platform").all_inner_texts()
    assert [squash(t) for t in platforms] == [
        "DESKTOP: OBSERVED",
        "NOT IN BCD: OBSERVED",
        "DESKTOP: BCD ONLY",
        "MOBILE: BCD ONLY",
    ]
    for feature in FEATURES:
        compat = bcd
        for part in feature.split("."):
            compat = compat[part]
        support = compat["__compat"]["support"]
        cells = row(page, feature).locator("td")
        assert cells.count() == len(MDN_KEYS) + 1
        for key in MDN_KEYS:
            first = support[key] if isinstance(support[key], dict) else support[key][0]
            lead = squash(cells.nth(COLUMN[key]).locator(".stmt").inner_text()).removeprefix(BCD_SAYS)
            assert lead.lstrip("●○◐⚑◔⊘◌ ").split(" removed in")[0].split(" prefix")[0] == expected_text(first), (
                feature,
                key,
                lead,
            )
    # The seed page's removeStream row, as BCD 8.1.9 says it.
    cells = row(page, "api.RTCPeerConnection.removeStream").locator("td")
    assert squash(cells.nth(COLUMN["chrome"]).locator(".stmt").inner_text()) == f"{BCD_SAYS}●24"
    firefox = squash(cells.nth(COLUMN["firefox"]).locator(".stmt").inner_text())
    assert firefox == f"{BCD_SAYS}⊘22 {EN_DASH} 50 removed in 51"
    safari = squash(cells.nth(COLUMN["safari"]).locator(".stmt").inner_text())
    assert safari == f"{BCD_SAYS}⊘11 {EN_DASH} 11.1 removed in 12"


def test_observations_confirm_bcd_in_their_browsers_column(
    pages: dict[str, Path], direct: dict[str, dict[str, bool]], observed: dict[str, Any], chromium: Any
) -> None:
    page = open_page(chromium, pages["index"])
    for feature in FEATURES:
        cells = row(page, feature).locator("td")
        for engine, column in (("chromium", COLUMN["chrome"]), ("firefox", COLUMN["firefox"])):
            name = seen_as(observed, engine)
            seen = squash(cells.nth(column).locator(".obs").inner_text())
            said = "✓Yes" if direct[engine][feature] else "✗No"
            assert seen.startswith(f"{name}: {said}"), (feature, seen)
            assert seen.endswith("✔ confirms BCD"), (feature, seen)
        # Nobody observed Edge or the phones: BCD's word alone.
        assert cells.nth(COLUMN["edge"]).locator(".obs").count() == 0
        webkit = squash(cells.nth(COLUMN["webkit"]).inner_text())
        assert webkit.startswith("observed: ✗No") and "BCD" not in webkit  # its own column names it already
    # removeStream: Firefox 153 lacks it, and BCD says removed in 51: confirmed, not contradicted.
    assert direct["firefox"]["api.RTCPeerConnection.removeStream"] is False
    assert page.locator(".bcd-mark").count() == 0


def test_baseline_badges_come_from_web_features(
    pages: dict[str, Path], real_packages: dict[str, Path], chromium: Any
) -> None:
    features = package_json(real_packages["web_features"])["features"]
    owner = next(f for f in features.values() if "api.RTCPeerConnection.removeTrack" in f.get("compat_features", []))
    status = owner["status"]["by_compat_key"]["api.RTCPeerConnection.removeTrack"]
    assert (status["baseline"], status["baseline_low_date"]) == ("high", "2020-01-15")
    page = open_page(chromium, pages["index"])
    badge = squash(row(page, "api.RTCPeerConnection.removeTrack").locator(".baseline").inner_text())
    assert badge.startswith("Baseline: widely available")
    assert f"widely available since {status['baseline_high_date']}" in badge
    assert "newly available since 2020-01-15" in badge and owner["name"] in badge
    assert not any("api.RTCPeerConnection.removeStream" in f.get("compat_features", []) for f in features.values())
    assert row(page, "api.RTCPeerConnection.removeStream").locator(".baseline").count() == 0
    assert "web-features 3.40.0" in page.locator("dl.provenance").inner_text()


def test_screenshots_header_anchor_folding(pages: dict[str, Path], chromium: Any, output_dir: Path) -> None:
    wide = open_page(chromium, pages["index"], 1280, 900)
    wide.screenshot(path=str(output_dir / "mdn-1280.png"))
    # One scroll, the page's: the header stays at the top of the window while the rows scroll under it.
    assert wide.locator("div.scroll").first.evaluate("e => getComputedStyle(e).overflowY") == "visible"
    last = wide.locator("table.compat").first.locator("tbody tr").last
    last.scroll_into_view_if_needed()
    assert wide.evaluate("scrollY") > 300  # the page scrolled, not a box inside it
    assert last.is_visible()
    header = wide.locator("table.compat").first.locator("thead th.browser").first.bounding_box()
    assert header and abs(header["y"] - 28) < 20  # under the platform row, at the top of the window
    wide.screenshot(path=str(output_dir / "mdn-1280-scrolled.png"))

    # An anchor named by the feature id lands on its row, below the sticky header.
    anchored = open_page(chromium, pages["index"], 1280, 700, "#api.RTCPeerConnection.removeTrack.remove_twice")
    target = row(anchored, "api.RTCPeerConnection.removeTrack.remove_twice").bounding_box()
    head = anchored.locator("table.compat").first.locator("thead").bounding_box()
    assert target and head and head["y"] + head["height"] - 2 <= target["y"] < 700

    # Folding a section hides its members, without JavaScript; unfolding shows them again.
    page = open_page(chromium, pages["index"], 1280, 900)
    members = row(page, "api.RTCPeerConnection.removeTrack")
    assert members.is_visible()
    page.locator("label.toggle-label").first.click()
    assert not members.is_visible() and row(page, "api.RTCPeerConnection").is_visible()
    page.screenshot(path=str(output_dir / "mdn-1280-folded.png"))
    page.locator("label.toggle-label").first.click()
    assert members.is_visible()

    # A phone: the first screen shows result cells.
    phone = open_page(chromium, pages["index"], 390, 844)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # a card per feature: nothing is cut
    first = row(phone, "api.RTCPeerConnection").locator("td").first.bounding_box()
    assert first and first["x"] + first["width"] <= 390 and first["y"] + 20 < 844
    phone.screenshot(path=str(output_dir / "mdn-390.png"))
    for name in ("mdn-1280.png", "mdn-390.png", "mdn-1280-scrolled.png", "mdn-1280-folded.png"):
        assert (output_dir / name).stat().st_size > 20_000


def differing_features(results: dict[str, Any]) -> set[str]:
    """Rows where Chromium and Firefox did different things, from the results file directly."""
    probes = {p["id"]: p["feature"] for p in results["probes"]}
    said: dict[str, set[Any]] = {}
    for target in results["targets"]:
        for o in target["outcomes"]:
            if o["status"] in ("supported", "unsupported", "throws"):  # a timeout or a broken probe says nothing
                exc = o.get("exception") or {}
                said.setdefault(o["probe"], set()).add((o["status"], exc.get("name")))
    return {probes[p] for p, seen in said.items() if len(seen) > 1}


def worth_a_look(results: dict[str, Any]) -> set[str]:
    """Rows the Markdown lists although browsers agree: an unexpected exception, a timeout, a broken probe."""
    probes = {p["id"]: p["feature"] for p in results["probes"]}
    return {
        probes[o["probe"]]
        for t in results["targets"]
        for o in t["outcomes"]
        if o["status"] in ("timeout", "error")
        or (o["status"] == "throws" and not (o.get("exception") or {}).get("expected"))
    }


def test_differences_view_lists_only_differing_rows(pages: dict[str, Path], chromium: Any, output_dir: Path) -> None:
    results = json.loads(pages["two_json"].read_text())
    expected = differing_features(results)
    assert expected and len(expected) < len(results["probes"])  # some differ, some do not
    page = open_page(chromium, pages["two"])
    listed = page.locator("#differences tbody tr th[scope=row] code").all_inner_texts()
    assert set(listed) == expected and len(listed) == len(expected)
    link = page.locator("#differences tbody tr th[scope=row] a").first
    assert link.get_attribute("href") == f"#{listed[0]}"
    page.locator("#differences").screenshot(path=str(output_dir / "differences.png"))
    # The Markdown for a job summary: the counts, then those rows only.
    md = pages["two_md"].read_text()
    for target in results["targets"]:
        said = [(o["status"], (o.get("exception") or {}).get("expected")) for o in target["outcomes"]]
        supported = sum(s == "supported" or (s == "throws" and bool(e)) for s, e in said)
        missing = sum(s == "unsupported" for s, _ in said)
        throws = sum(s == "throws" and not e for s, e in said)
        name = f"{target['browser']['name']} {target['browser']['version'].split('.')[0]}"
        assert f"- {name}: {supported} supported, {missing} missing, {throws} throw" in md
    table_rows = [line for line in md.splitlines() if line.startswith("| ") and "`" in line]
    shown = {line.split("`")[1].replace("\\_", "_") for line in table_rows}
    assert expected <= shown and shown <= expected | worth_a_look(results)
