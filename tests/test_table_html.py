"""The rendered table, opened in a real Chromium: cells, footnotes, legend, provenance, no network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from conftest import browser_of

pytestmark = pytest.mark.browsers
MAIN = "table.compat:not(.differences)"  # the full table, not the differences view below it


def cell_texts(page: Any, row_label: str) -> list[str]:
    row = page.locator(MAIN + " tbody tr", has=page.locator("th", has_text=row_label)).first
    return [" ".join(t.split()) for t in row.locator("td").all_inner_texts()]


def test_table_in_chromium(observed: dict[str, Any], output_dir: Path, chromium: Browser) -> None:
    html = observed["dir"] / "index.html"
    requests: list[str] = []
    page = chromium.new_page(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri())
    head = page.locator(MAIN + " thead")
    headers = [" ".join(t.split()) for t in head.locator("th").all_inner_texts()]
    seen = [browser_of(observed["results"], name) for name in ("chromium", "firefox", "webkit")]
    assert [b["name"] for b in seen] == ["Chromium", "Firefox", "WebKitGTK MiniBrowser"]
    assert headers == [f"{b['name']} {b['release']}" for b in seen]
    assert head.locator("tr").count() == 1  # one engine per column: no group row repeating it

    removestream = cell_texts(page, "removeStream() is on the prototype")
    assert removestream[0] == "✓Yes"
    assert removestream[1] == "✗No member missing"
    assert removestream[2] == "✗No interface missing"
    label = page.locator("th", has_text="removeStream() is on the prototype")
    row = page.locator(MAIN + " tbody tr", has=label).first
    assert row.locator(".badge").all_text_contents() == ["deprecated", "non-standard"]

    closed = cell_texts(page, "on a closed connection throws InvalidStateError")
    assert closed[0].startswith("✓Throws InvalidStateError [")
    # removeTrack's closed-connection row: both engines throw, each with a footnote.
    label = page.locator("th", has_text="on a closed connection throws InvalidStateError")
    rows = page.locator(MAIN + " tbody tr", has=label)
    assert rows.count() == 2
    track_row = [" ".join(t.split()) for t in rows.nth(1).locator("td").all_inner_texts()]
    assert track_row[1].startswith("✓Throws InvalidStateError")
    ref = rows.nth(1).locator("td").nth(1).locator("sup a").get_attribute("href")
    note = page.locator(ref).inner_text()
    assert "Firefox throws InvalidStateError" in note and "Peer connection is closed" in note

    for label in ("interface", "removeTrack() is on the prototype", "sets sender.track to null"):
        assert all(c.endswith("interface missing") for c in cell_texts(page, label)[2:])

    legend = page.locator(".legend li").all_inner_texts()
    assert any("Throws the exception the spec expects" in item for item in legend)
    provenance = page.locator("dl.provenance").inner_text()
    assert "/usr/bin/chromium" in provenance and "moz-firefox" in provenance and "WebKitWebDriver" in provenance
    page.screenshot(path=str(output_dir / "table-wide.png"), full_page=True)

    narrow = chromium.new_page(viewport={"width": 400, "height": 800}, java_script_enabled=False)
    narrow.goto(html.as_uri())
    # On a narrow screen only the table's own box scrolls, not the page.
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 400
    narrow.screenshot(path=str(output_dir / "table-narrow.png"), full_page=True)
    assert all(url.startswith("file://") for url in requests), requests
    assert (output_dir / "table-wide.png").stat().st_size > 10_000
