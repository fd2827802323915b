"""BCD's statements in MDN's columns, made once for every BCD id that says the same thing
(report.mdn): ids that share statements share their cells, never their notes, and ids that say
anything different keep their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compatprobe.bcd.data import BcdData
from compatprobe.report.mdn import MdnStatements
from compatprobe.report.table import build_table
from compatprobe.results.model import read_results
from golden_report import unpack_results

NOTE = "Throws <code>NotSupportedError</code>."
BROWSERS = {
    "chrome": {"name": "Chrome", "releases": {"50": {}, "60": {}}},
    "firefox": {"name": "Firefox", "releases": {"22": {}, "51": {}}},
}


def compat(chrome: Any, firefox: Any) -> dict[str, Any]:
    return {"support": {"chrome": chrome, "firefox": firefox}}


def statements(tmp_path: Path, features: dict[str, dict[str, Any] | None]) -> MdnStatements:
    table = build_table(read_results(unpack_results(tmp_path)))
    return MdnStatements(table, BcdData("1.0.0", None, "test", BROWSERS, features))


def column(cells: MdnStatements, key: str) -> int:
    return next(i for i, c in enumerate(cells.columns) if c.key == key)


def test_ids_that_say_the_same_share_cells_and_keep_their_own_notes(tmp_path: Path) -> None:
    noted = {"version_added": "22", "version_removed": "51", "notes": NOTE}
    cells = statements(
        tmp_path,
        {
            "api.A.removeStream": compat({"version_added": "50"}, noted),
            "api.B.removeStream": compat({"version_added": "50"}, dict(noted)),
            "api.C.removeStream": compat({"version_added": "60"}, dict(noted)),
        },
    )
    a, b, c = (cells.of(f"api.{x}.removeStream") for x in "ABC")
    chrome, firefox = column(cells, "chrome"), column(cells, "firefox")
    assert a.plain[firefox] is b.plain[firefox]
    assert a.plain[chrome] is b.plain[chrome]
    assert a.notes[firefox] == ("Firefox, api.A.removeStream: Throws NotSupportedError.",)
    assert b.notes[firefox] == ("Firefox, api.B.removeStream: Throws NotSupportedError.",)
    # One column apart: its own statement there, and its own note.
    assert a.plain[chrome].statements is not None and c.plain[chrome].statements is not None
    assert (a.plain[chrome].statements.main.text, c.plain[chrome].statements.main.text) == ("50", "60")
    assert c.notes[firefox] == ("Firefox, api.C.removeStream: Throws NotSupportedError.",)


def test_ids_that_say_different_things_keep_their_own_cells(tmp_path: Path) -> None:
    cells = statements(
        tmp_path,
        {
            "api.A.x": compat({"version_added": True}, None),
            "api.B.x": compat({"version_added": "1"}, None),
            "api.C.x": compat(None, None),
        },
    )
    chrome = column(cells, "chrome")
    a, b, c = (cells.of(f"api.{x}.x").plain[chrome].statements for x in "ABC")
    assert a is not None and b is not None and c is None
    assert (a.main.text, b.main.text) == ("Yes", "1")
