"""The table people read (#27): every mark on a page is in its legend, `index.html#FEATURE` reaches
the feature's row on its section page, the index's search finds a feature by its name, footnotes
are numbered per page; in a real browser (Debian's Chromium) where a browser is what is asked."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from compatprobe.results.model import write_results
from sweep import sweep_results

REMOVE_STREAM = "api.RTCPeerConnection.removeStream"


@pytest.fixture(scope="module")
def sweep(real_packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sweep of 1,500 rows from RTCIce... on rendered with the real BCD and web-features: a split report."""
    folder = tmp_path_factory.mktemp("sweep")
    write_results(sweep_results(1500, "RTCIce"), folder / "results.json")
    flags = ["--bcd", str(real_packages["bcd"]), "--web-features", str(real_packages["web_features"])]
    assert main(["render", str(folder / "results.json"), *flags, "-o", str(folder / "out" / "index.html")]) == 0
    return folder / "out"


class Marks(HTMLParser):
    """The marks a page shows (the glyph of every mark, the data-mark of every badge) and its legend's."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()
        self.glyphs: set[str] = set()
        self.legend: set[str] = set()
        self.legend_glyphs: set[str] = set()
        self._icon = 0  # inside a mark's span
        self._swatch = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and a.get("data-mark"):
            self.legend.add(a["data-mark"] or "")
        elif "swatch" in classes:
            self._swatch = 1
        elif a.get("data-mark"):
            self.used.add(a["data-mark"] or "")
        if "icon" in classes:
            self._icon = 1

    def handle_data(self, data: str) -> None:
        if self._icon and data.strip():
            self.glyphs.add(data.strip())
        if self._swatch and data.strip():
            self.legend_glyphs.add(data.strip())
        self._icon = self._swatch = 0


def marks_of(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


def test_every_mark_on_every_page_is_in_its_legend(sweep: Path) -> None:
    pages = sorted(sweep.glob("*.html"))
    assert len(pages) > 100
    seen: set[str] = set()
    for page in pages:
        marks = marks_of(page.read_text(encoding="utf-8"))
        assert marks.glyphs <= marks.legend_glyphs, (page.name, marks.glyphs - marks.legend_glyphs)
        assert marks.used <= marks.legend, (page.name, marks.used - marks.legend)
        seen |= marks.glyphs | marks.used
    # The sweep shows observed marks, BCD's, badges and Baseline: the check above looked at each kind.
    assert {"✓", "✗", "●", "contradicts", "baseline-widely", "fold"} <= seen, seen
    # Observed and BCD marks never share a shape.
    from compatprobe.kinds import BCD_KINDS, CELL_KINDS

    assert not {k.icon for k in CELL_KINDS.values()} & {k.icon for k in BCD_KINDS.values()}


def test_footnotes_are_numbered_per_page(sweep: Path) -> None:
    for page in [*sorted(sweep.glob("api.*.html"))[:50], sweep / "differences.html"]:
        html = page.read_text(encoding="utf-8")
        numbers = [int(n) for n in re.findall(r'<li id="note-(\d+)"', html)]
        assert numbers == list(range(1, len(numbers) + 1)), page.name
        cited = {int(n) for n in re.findall(r'href="#note-(\d+)"', html)}
        assert cited == set(numbers), page.name


def open_page(browser: Any, url: str, width: int = 1280) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url, wait_until="load")
    return page


@pytest.mark.browsers
def test_index_anchor_reaches_the_row_on_its_section_page(sweep: Path, chromium: Any) -> None:
    page = open_page(chromium, (sweep / "index.html").as_uri() + f"#{REMOVE_STREAM}")
    page.wait_for_url(re.compile(r"api\.RTCPeerConnection\.html#"))
    assert page.url.endswith(f"/api.RTCPeerConnection.html#{REMOVE_STREAM}")
    row = page.locator(f'tr[id="{REMOVE_STREAM}"]')
    assert row.evaluate("r => r.matches(':target')")
    assert row.is_visible() and row.evaluate(
        "r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.top < innerHeight; }"
    )
    # Without JavaScript the same address lands on the feature's entry in the index, a link to its row.
    plain = chromium.new_page(java_script_enabled=False)
    plain.goto((sweep / "index.html").as_uri() + f"#{REMOVE_STREAM}")
    entry = plain.locator(f'li[id="{REMOVE_STREAM}"]')
    assert entry.evaluate("e => e.matches(':target')")
    assert entry.locator("a").get_attribute("href") == f"api.RTCPeerConnection.html#{REMOVE_STREAM}"


@pytest.mark.browsers
def test_search_finds_remove_stream(sweep: Path, chromium: Any) -> None:
    page = open_page(chromium, (sweep / "index.html").as_uri())
    page.fill("#find", "removeStream")
    first = page.locator("#found li").first
    first.wait_for()
    assert first.locator("code").inner_text() == REMOVE_STREAM
    assert "match" in page.locator("#found-status").inner_text()
    first.locator("a").click()
    page.wait_for_url(re.compile(r"api\.RTCPeerConnection\.html#"))
    assert page.locator(f'tr[id="{REMOVE_STREAM}"]').is_visible()


AXE = Path(__file__).resolve().parents[1] / ".ci" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(browser: Any, path: Path, width: int) -> list[str]:
    """axe-core's serious and critical violations on the page at this width (its CSP set aside to load axe)."""
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    finally:
        page.close()
    return [
        f"{path.name} at {width} px: {v['id']} ({v['impact']}): {v['help']}; "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browsers
def test_axe_finds_no_serious_violation(
    sweep: Path, observed: dict[str, Any], real_packages: dict[str, Path], chromium: Any, tmp_path: Path
) -> None:
    assert AXE.is_file(), "axe-core is missing: npm ci --prefix .ci/a11y (./install.sh --test runs it)"
    flags = ["--bcd", str(real_packages["bcd"]), "--web-features", str(real_packages["web_features"])]
    shipped = tmp_path / "shipped.html"
    assert main(["render", str(observed["dir"] / "results.json"), *flags, "-o", str(shipped)]) == 0
    # The differences page is made of the same rows as a section page (and is slow to check).
    pages = [shipped, sweep / "index.html", sweep / "api.RTCPeerConnection.html"]
    problems = [p for path in pages for width in (1280, 390) for p in serious_violations(chromium, path, width)]
    assert not problems, "\n".join(problems)


def test_a_missing_interface_counts_once_in_browsers_differ() -> None:
    from compatprobe.report.assemble import assemble_table
    from compatprobe.report.formats.html import HtmlFormat
    from compatprobe.report.layout import lay_out
    from compatprobe.results.model import BrowserInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult

    probes = [ProbeInfo("I/exists", "api.I", "I interface", "0" * 64)]
    probes += [ProbeInfo(f"I/m{j}", f"api.I.m{j}", f"m{j} is on the prototype", "0" * 64) for j in range(5)]

    def said(target: str, probe: ProbeInfo) -> Outcome:
        if target == "webkit":  # lacks the interface: every row differs from Chromium's for that reason
            return Outcome(probe.id, "unsupported", reason="interface-missing")
        if target == "firefox" and probe.id == "I/m0":  # lacks one member: a difference of its own
            return Outcome(probe.id, "unsupported", reason="member-missing")
        return Outcome(probe.id, "supported")

    targets = [
        TargetResult(name, name, browser=BrowserInfo(name.title(), "1.0"), outcomes=[said(name, p) for p in probes])
        for name in ("chromium", "firefox", "webkit")
    ]
    table = assemble_table(
        Results(RunInfo("2026-12-01T00:00:00+00:00", "2026-12-01T00:01:00+00:00", "t", {}), probes, targets)
    )
    layout = lay_out(table)
    assert [r.anchor for r in layout.differ] == ["api.I", "api.I.m0"]
    assert [r.anchor for r in layout.differ[0].folded] == [f"api.I.m{j}" for j in range(1, 5)]
    html = HtmlFormat().table(table)
    assert "Browsers differ (2 of 6 rows)" in html and "4 members missing with it" in html


def test_bcd_notes_are_markup_sanitized_never_escaped(sweep: Path) -> None:
    from compatprobe.report.formats.html_notes import note_html

    hostile = (
        '<a href="javascript:alert(1)">run</a> <script>alert(2)</script><img src=x onerror="alert(3)">'
        '<code>RTCPeerConnection</code> <a href="/en-US/docs/Web/API/RTCPeerConnection" onclick="x()">see</a> '
        "<strong>unclosed"
    )
    assert str(note_html(hostile)) == (
        "run alert(2)<code>RTCPeerConnection</code> "
        '<a href="https://developer.mozilla.org/en-US/docs/Web/API/RTCPeerConnection" rel="noreferrer">see</a> '
        "<strong>unclosed</strong>"
    )
    notes_with_markup = 0
    for page in sweep.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        notes = html.split('<ol class="footnotes">', 1)[-1].split("</ol>", 1)[0] if "footnotes" in html else ""
        for escaped in ("&lt;a ", "&lt;code&gt;", "&lt;/a&gt;", "&lt;strong&gt;", "&lt;em&gt;"):
            assert escaped not in notes, (page.name, escaped)
        notes_with_markup += notes.count("<code>") + notes.count('<a href="http')
    assert notes_with_markup > 10  # BCD's notes in this sweep keep their code and links


@pytest.mark.browsers
def test_the_first_run_after_install_has_bcd_columns_and_baseline(tmp_path: Path) -> None:
    """What ./install.sh does (`compatprobe data fetch`, from the npm registry), then the README's first
    command (in Chromium only, to be quick): MDN's columns and Baseline badges with no flag."""
    from conftest import cli, compatprobe

    env = {"COMPATPROBE_CACHE": str(tmp_path / "cache")}
    for name in ("COMPATPROBE_BCD", "COMPATPROBE_WEB_FEATURES"):
        assert name not in os.environ, f"{name} is set: this test is about the cache"
    fetched = cli("data", "fetch", env=env)
    assert fetched.returncode == 0, fetched.stderr
    proc = compatprobe(
        "run", "-b", "chromium", "--results", str(tmp_path / "r.json"), "-o", f"{tmp_path}/out/", env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "data fetch" not in proc.stderr  # nothing to add
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (
        "browser-compat-data 8.1.9 for every browser MDN shows" in html
        and 'scope="colgroup" class="platform p-desktop' in html
    )
    assert 'class="baseline baseline-' in html
    # Without the data, the run says in one line how to add it.
    bare = compatprobe(
        "run", "-b", "chromium", "--results", str(tmp_path / "r2.json"), "-o", f"{tmp_path}/bare/",
        env={"COMPATPROBE_CACHE": str(tmp_path / "empty")},
    )  # fmt: skip
    assert bare.returncode == 0, bare.stderr
    hint = [line for line in bare.stderr.splitlines() if "data fetch" in line]
    assert hint == [
        "compatprobe: the table has no BCD columns or Baseline badges: run 'compatprobe data fetch' once to add them"
    ]


def test_history_says_when_the_probe_changed() -> None:
    """Firefox 'supported' it in two runs of the old probe and not in the run of the edited one: the
    note beside the cell says the probe changed since, and when, instead of contradicting the cell."""
    from compatprobe.report.assemble import assemble_table
    from compatprobe.report.formats.html import HtmlFormat
    from compatprobe.results.model import BrowserInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult

    def run(day: int, sha: str, status: str) -> Results:
        probe = ProbeInfo("P/closed", "api.P.closed", "on a closed connection throws", sha * 64)
        outcome = (
            Outcome(probe.id, status, reason="member-missing") if status == "unsupported" else Outcome(probe.id, status)
        )
        target = TargetResult("firefox", "firefox", browser=BrowserInfo("Firefox", "153.0"), outcomes=[outcome])
        when = f"2026-01-0{day}T00:00:00+00:00"
        return Results(RunInfo(when, when, "t", {}), [probe], [target])

    runs = [run(1, "a", "supported"), run(2, "a", "supported"), run(3, "b", "unsupported")]
    table = assemble_table(runs[-1], history=runs)
    cell = table.rows[0].cells[0]
    assert cell.kind.key == "no"
    notes = [table.footnotes[n - 1] for n in cell.footnotes]
    assert notes == [
        "on a closed connection throws: Firefox supports it in 153 "
        "(2 runs, 2026-01-01 to 2026-01-02; the probe has changed since, on 2026-01-03)."
    ]
    assert (
        "Probes changed during these runs (earlier outcomes came from their old code): P/closed on 2026-01-03."
        in table.notes
    )
    assert "the probe has changed since, on 2026-01-03" in HtmlFormat().table(table)
    # The same runs with the probe unchanged say nothing of it.
    same = [run(1, "b", "supported"), run(2, "b", "supported"), run(3, "b", "unsupported")]
    plain = assemble_table(same[-1], history=same)
    assert not any("changed" in plain.footnotes[n - 1] for n in plain.rows[0].cells[0].footnotes)


@pytest.mark.browsers
def test_one_scroll_keeps_the_header_and_the_feature_column(sweep: Path, chromium: Any) -> None:
    page = open_page(chromium, (sweep / "api.RTCPeerConnection.html").as_uri())
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
             const s = getComputedStyle(e);
             return /auto|scroll/.test(s.overflowX + s.overflowY)
               && (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1);
           }).map(e => e.tagName + '.' + e.className)"""
    )
    assert boxes == []  # no box of its own scrolls: only the page
    page.evaluate("scrollTo(600, 1500)")
    assert page.evaluate("scrollX > 100 && scrollY > 1000")  # the page itself scrolled both ways
    header = page.locator("table.compat thead th.browser").first.bounding_box()
    first_column = page.locator(f'tr[id="{REMOVE_STREAM}"] th').bounding_box()
    assert header and 0 <= header["y"] < 60  # the header row at the top of the window
    assert first_column and first_column["x"] == 0  # the feature column at its left edge
    # The observed browsers' columns come first: the first three after the feature column.
    observed = page.locator("table.compat thead tr").nth(1).locator("th").all_inner_texts()[:3]
    assert observed == ["Chrome", "Firefox", "WebKitGTK MiniBrowser 2.50"], observed


@pytest.mark.browsers
def test_identifiers_and_titles_stay_inside_their_cells(sweep: Path, chromium: Any) -> None:
    """Nothing runs over a cell, and an identifier wraps only after a dot (its <wbr>), never inside a name."""
    pages = [sweep / "api.RTCPeerConnection.html", max(sweep.glob("api.*.html"), key=lambda p: p.stat().st_size)]
    for path in pages:
        for width in (1280, 390):
            page = open_page(chromium, path.as_uri(), width)
            found = page.evaluate(
                """() => {
                  const over = [...document.querySelectorAll('table.compat tbody th, table.compat tbody td')]
                    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60));
                  const broken = [];
                  for (const code of document.querySelectorAll('table.compat code')) {
                    for (const node of code.childNodes) {
                      if (node.nodeType !== Node.TEXT_NODE || !node.textContent) continue;
                      const range = document.createRange();
                      range.selectNodeContents(node);  // one name between two dots: one line
                      if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1)
                        broken.push(node.textContent);
                    }
                  }
                  return {over, broken};
                }"""
            )
            assert found == {"over": [], "broken": []}, (path.name, width, found)
            page.close()
