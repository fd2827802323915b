"""`compatprobe diff` on two real runs (see runs_ab.py): every kind of change, in all four formats.

Also: --fail-on exit codes, bad input (exit 2, nothing written), and `run --compare` marking the
table's changed cells, looked at in a real Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from conftest import cli, outcome

pytestmark = pytest.mark.browsers

NEW_FIREFOX = "154.0.1"

# (kind, target, probe, before, after) for every change from run A to B' (B with the edited version).
EXPECTED = [
    ("lost", "firefox", "demo/lose", "Yes", "No (differs)"),
    ("gained", "chromium", "demo/gain", "No (member missing)", "Yes"),
    ("exception_changed", "firefox", "demo/exception-message", "Throws InvalidStateError", "Throws InvalidStateError"),
    ("exception_changed", "chromium", "demo/exception-name", "Throws NotSupportedError", "Throws OperationError"),
    ("other", "chromium", "demo/slow", "Timeout", "Yes"),
    ("probe_added", None, "demo/fresh", "—", "chromium: Yes; firefox: No (member missing); chromium-new: Yes"),
    ("probe_removed", None, "demo/retired", "chromium: Yes; firefox: Yes; chromium-old: Yes", "—"),
    ("probe_edited", None, "demo/edited", None, None),
    ("target_added", "chromium-new", None, "—", None),
    ("target_removed", "chromium-old", None, None, "—"),
    ("version_changed", "firefox", None, None, f"Firefox {NEW_FIREFOX}"),
]
TITLES = {
    "lost": "Lost support (regression)",
    "gained": "Gained support",
    "exception_changed": "Exception changed",
    "other": "Other outcome change",
    "probe_added": "Probe added",
    "probe_removed": "Probe removed",
    "probe_edited": "Probe code changed",
    "target_added": "Target added",
    "target_removed": "Target removed",
    "version_changed": "Browser version changed",
}
UNCHANGED = 9  # 2 common targets x 7 common probes, less the 5 cells that changed


@pytest.fixture(scope="module")
def ab(runs_ab: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Runs A and B, plus B': a copy of B whose Firefox version is edited.

    The browser version cannot change between two runs on one machine, so for that one kind of
    change only, the test edits the version field of a copy of the real results file B.
    """
    data = json.loads(runs_ab["B"].read_text())
    firefox = next(t for t in data["targets"] if t["name"] == "firefox")
    found = dict(runs_ab, firefox_version=firefox["browser"]["version"])
    firefox["browser"]["version"] = NEW_FIREFOX
    edited = tmp_path_factory.mktemp("edited") / "b-newer-firefox.json"
    edited.write_text(json.dumps(data, indent=2))
    found["B2"] = edited
    return found


def diff(ab: dict[str, Any], *args: str, old: str = "A", new: str = "B2") -> Any:
    return cli("diff", str(ab[old]), str(ab[new]), *args)


def test_the_runs_observed_what_the_knobs_say(ab: dict[str, Any]) -> None:
    """The diff tests below mean something only if the browsers really saw these outcomes."""
    a, b = (json.loads(ab[run].read_text()) for run in ("A", "B"))
    assert [t["status"] for t in a["targets"]] == ["ok", "ok", "ok"]
    # A probe slower than the runner's 1 s poll keeps its outcome (the harness once lost it).
    assert outcome(a, "chromium", "demo/slow")["status"] == "timeout"
    assert outcome(b, "chromium", "demo/slow")["status"] == "supported"
    assert outcome(a, "chromium", "demo/gain")["reason"] == "member-missing"
    assert outcome(b, "firefox", "demo/fresh")["reason"] == "member-missing"  # Firefox has no removeStream
    assert outcome(b, "chromium", "demo/exception-name")["exception"] == {
        "name": "OperationError",
        "message": "closed",
        "expected": False,
    }


def test_json_lists_every_kind_of_change(ab: dict[str, Any]) -> None:
    proc = diff(ab, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["diff_version"] == 1
    assert data["old"]["file"] == str(ab["A"]) and data["new"]["file"] == str(ab["B2"])
    counts = data["counts"]
    assert counts == {
        "lost": 1,
        "gained": 1,
        "exception_changed": 2,
        "other": 1,
        "edited": 0,
        "probe_added": 1,
        "probe_removed": 1,
        "probe_edited": 1,
        "target_added": 1,
        "target_removed": 1,
        "version_changed": 1,
        "status_changed": 0,
        "unchanged": UNCHANGED,
        "not_compared": 0,
    }
    cells = {(c["change"], c["target"], c["probe"]): c for c in data["cells"]}
    probes = {(p["change"], p["probe"]): p for p in data["probes"]}
    targets = {(t["change"], t["target"]): t for t in data["targets"]}
    for kind, target, probe, before, after in EXPECTED:
        if kind in ("lost", "gained", "exception_changed", "other"):
            cell = cells[(kind, target, probe)]
            assert (cell["before"], cell["after"]) == (before, after)
        elif probe:
            assert (kind, probe) in probes
        else:
            assert (kind, target) in targets
    name_change = cells[("exception_changed", "chromium", "demo/exception-name")]
    assert name_change["fields"] == ["exception.name", "message"]
    assert (name_change["old"]["exception"]["name"], name_change["new"]["exception"]["name"]) == (
        "NotSupportedError",
        "OperationError",
    )
    message_change = cells[("exception_changed", "firefox", "demo/exception-message")]
    assert message_change["fields"] == ["exception.message"]
    assert message_change["new"]["exception"]["message"] == "The RTCPeerConnection's signalingState is 'closed'."
    assert cells[("lost", "firefox", "demo/lose")]["new"]["message"] == "the behaviour stopped holding"
    assert cells[("other", "chromium", "demo/slow")]["old"]["reason"] == "deadline"
    assert probes[("probe_added", "demo/fresh")]["outcomes"]["firefox"]["reason"] == "member-missing"
    edited = probes[("probe_edited", "demo/edited")]
    assert edited["old_sha256"] != edited["sha256"]
    assert targets[("version_changed", "firefox")]["old"]["browser"]["version"] == ab["firefox_version"]
    assert targets[("version_changed", "firefox")]["new"]["browser"]["version"] == NEW_FIREFOX
    assert targets[("target_added", "chromium-new")]["old"] is None


def test_text_lists_every_kind_of_change(ab: dict[str, Any]) -> None:
    proc = diff(ab)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.splitlines()[0] == (
        "compatprobe diff: 1 lost, 1 gained, 2 exception changed, 1 other, 1 probe added, 1 probe removed, "
        f"1 probe edited, 1 target added, 1 target removed, 1 version changed; {UNCHANGED} unchanged"
    )
    sections = _text_sections(text)
    for kind, target, probe, before, after in EXPECTED:
        lines = sections[TITLES[kind]]
        match = [
            line for line in lines if (probe is None or line.startswith(probe)) and (target is None or target in line)
        ]
        assert len(match) == 1, (kind, target, probe, lines)
        if before is not None and after is not None:
            assert match[0].endswith(f": {before} → {after}"), match[0]
    assert "      message “closed” → “The RTCPeerConnection's signalingState is 'closed'.”" in text
    assert f"  firefox (firefox): Firefox {ab['firefox_version']} → Firefox {NEW_FIREFOX}" in text


def _text_sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines()[3:]:
        if re.match(r"^\S.*: \d+$", line):
            current = sections.setdefault(line.rsplit(":", 1)[0], [])
        elif line.startswith("  ") and not line.startswith("      "):
            current.append(line.strip())
    return sections


def test_markdown_lists_every_kind_of_change(ab: dict[str, Any]) -> None:
    proc = diff(ab, "--format", "md")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("### compatprobe diff: 1 lost, 1 gained, 2 exception changed")
    # Counts first: a table of how many of each kind, before the table of changes.
    counts = {
        row.split(" | ")[0].strip("| "): row.split(" | ")[1].strip("| ") for row in lines if row.count(" | ") == 1
    }
    for kind, title in TITLES.items():
        assert counts[title] == str(sum(1 for e in EXPECTED if e[0] == kind))
    assert counts["Unchanged"] == str(UNCHANGED)
    changes = [[c.strip() for c in row.strip("|").split(" | ")] for row in lines if row.count(" | ") == 4]
    assert changes[0] == ["Change", "Browser", "Probe", "Before", "After"]
    for kind, target, probe, before, after in EXPECTED:
        match = [
            c
            for c in changes
            if c[0] == TITLES[kind]
            and (target is None or c[1].startswith(target))
            and (probe is None or c[2].startswith(probe))
        ]
        assert len(match) == 1, (kind, target, probe)
        if before is not None and after is not None:
            assert match[0][3] == before and match[0][4].split("<br>")[0] == after
    # Browser text is escaped: the message's quotes stay, nothing turns into Markdown.
    assert "message “closed” → “The RTCPeerConnection's signalingState is 'closed'.”" in proc.stdout


def test_html_lists_every_kind_of_change(ab: dict[str, Any], output_dir: Path, chromium: Browser) -> None:
    html = output_dir / "diff.html"
    proc = diff(ab, "--format", "html", "-o", str(html))
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    requests: list[str] = []
    page = chromium.new_page(viewport={"width": 1100, "height": 900}, java_script_enabled=False)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(html.as_uri())
    summary = page.locator(".diff-summary").inner_text()
    assert summary.startswith("1 lost, 1 gained, 2 exception changed") and f"{UNCHANGED} unchanged" in summary
    for kind, target, probe, before, after in EXPECTED:
        section = page.locator(f"section#{kind}")
        heading = section.locator("h2").inner_text()
        assert heading == f"{TITLES[kind]} ({sum(1 for e in EXPECTED if e[0] == kind)})"
        rows = [
            [" ".join(td.split()) for td in row.locator("td").all_inner_texts()]
            for row in section.locator("tbody tr").all()
        ]
        match = [
            r for r in rows if (target is None or r[0].startswith(target)) and (probe is None or r[1].startswith(probe))
        ]
        assert len(match) == 1, (kind, rows)
        if before is not None and after is not None:
            assert match[0][2] == before and match[0][3].startswith(after)
    page.screenshot(path=str(output_dir / "diff.png"), full_page=True)
    assert all(url.startswith("file://") for url in requests), requests


@pytest.mark.parametrize(
    ("old", "new", "fail_on", "code"),
    [
        ("A", "B", None, 0),  # changes, but nobody asked to fail on them
        ("A", "B", "regression", 1),  # Firefox lost demo/lose
        ("A", "B", "any", 1),
        ("B", "B2", "regression", 0),  # only the version changed: not a regression...
        ("B", "B2", "any", 1),  # ...but a change
        ("B", "B", "any", 0),  # nothing changed
    ],
)
def test_fail_on_exit_codes(ab: dict[str, Any], old: str, new: str, fail_on: str | None, code: int) -> None:
    proc = diff(ab, "--format", "json", *(["--fail-on", fail_on] if fail_on else []), old=old, new=new)
    assert proc.returncode == code, proc.stderr
    assert json.loads(proc.stdout)["diff_version"] == 1  # the diff is written whatever the exit code


def test_no_changes(ab: dict[str, Any]) -> None:
    proc = diff(ab, old="B", new="B")
    b = json.loads(ab["B"].read_text())
    cells = len(b["targets"]) * len(b["probes"])
    assert proc.stdout.splitlines()[0] == f"compatprobe diff: no changes; {cells} unchanged"


BAD_INPUTS: dict[str, tuple[str | bytes | None, str]] = {
    "missing": (None, "file not found"),
    "empty": ("", "file is empty"),
    "truncated": (None, "not valid JSON (truncated?)"),  # the first 200 bytes of a real results file
    "other schema version": (None, "results schema version 99 is not one this compatprobe reads (1, 2, 3)"),
    "not compatprobe's": ('{"name": "left-pad", "version": "1.3.0"}', "not a compatprobe results file"),
    "not an object": ("[1, 2, 3]", "not a compatprobe results file"),
    "not UTF-8": (b"\xff\xfe{}", "not UTF-8 text"),
    "wrong shape": (None, "does not match the results schema at targets/0/outcomes/0/status"),
}


@pytest.mark.parametrize(
    ("case", "side"), [*((case, "old") for case in BAD_INPUTS), ("missing", "new"), ("truncated", "new")]
)
def test_bad_input_exits_2_and_writes_nothing(ab: dict[str, Any], tmp_path: Path, case: str, side: str) -> None:
    content, words = BAD_INPUTS[case]
    real = ab["A"].read_text()
    if case == "truncated":
        content = real[:200]
    elif case == "other schema version":
        content = re.sub(r'"schema_version": \d+', '"schema_version": 99', real)
    elif case == "wrong shape":
        data = json.loads(real)
        data["targets"][0]["outcomes"][0]["status"] = "maybe"
        content = json.dumps(data)
    bad = tmp_path / "previous.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "diff.html").write_text("the previous diff")
    files = [str(bad), str(ab["A"])] if side == "old" else [str(ab["A"]), str(bad)]
    proc = cli("diff", *files, "--format", "html", "-o", str(out / "diff.html"), "--fail-on", "any")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"compatprobe: error: {bad}") and words in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert (out / "diff.html").read_text() == "the previous diff"
    assert [p.name for p in out.iterdir()] == ["diff.html"]


def test_a_folder_is_not_a_results_file(ab: dict[str, Any], tmp_path: Path) -> None:
    proc = cli("diff", str(tmp_path), str(ab["A"]))
    assert proc.returncode == 2 and f"{tmp_path}: is a folder, not a results file" in proc.stderr


def test_run_marks_cells_changed_since_previous(ab: dict[str, Any], output_dir: Path, chromium: Browser) -> None:
    """Run B was made with --compare A: its table marks exactly the cells the diff lists."""
    assert f"compatprobe: since {ab['A']}: 1 lost, 1 gained, 2 exception changed" in ab["B_stderr"]
    html = ab["base"] / "B" / "index.html"
    page = chromium.new_page(viewport={"width": 1100, "height": 900}, java_script_enabled=False)
    page.goto(html.as_uri())
    main = page.locator("table.compat:not(.differences)")
    targets = [th.get_attribute("data-target") for th in main.locator("thead th.browser").all()]
    marked = {}
    for row in main.locator("tbody tr").all():
        label = row.locator("th").inner_text().split("\n")[0].strip()
        for column, cell in enumerate(row.locator("td").all()):
            if "changed" in (cell.get_attribute("class") or "").split():
                marked[(label, column)] = " ".join(cell.locator(".was").inner_text().split())
    chromium_column, firefox = targets.index("chromium"), targets.index("firefox")
    assert marked == {
        ("the method appears", chromium_column): "changed: was No (member missing)",
        ("the behaviour holds", firefox): "changed: was Yes",
        ("throws InvalidStateError", chromium_column): "changed: was Throws NotSupportedError",
        ("throws InvalidStateError with a message", firefox): "changed: was Throws InvalidStateError “closed”",
        ("settles", chromium_column): "changed: was Timeout",
    }
    new_row = main.locator("tbody tr", has=page.locator("th", has_text="only in run B"))
    assert new_row.locator(".badge").all_text_contents() == ["new"]
    assert "Marked cells changed since the run of" in page.locator("header").inner_text()
    page.screenshot(path=str(output_dir / "table-compared.png"), full_page=True)
    md = cli("render", str(ab["B"]), "--compare", str(ab["A"]), "--format", "md", check=True).stdout
    assert "✓ Yes *(changed: was Timeout)*" in md


def test_run_with_a_bad_previous_file_runs_nothing(tmp_path: Path) -> None:
    previous = str(tmp_path / "none.json")
    proc = cli(
        "run",
        "-b",
        "chromium",
        "--compare",
        previous,
        "--results",
        str(tmp_path / "r.json"),
        "-o",
        str(tmp_path / "i.html"),
    )
    assert proc.returncode == 2 and f"{tmp_path / 'none.json'}: file not found" in proc.stderr
    assert list(tmp_path.iterdir()) == []
