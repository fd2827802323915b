"""BCD's marks made apart from the table (report.bcd_marks.unnumbered, in a forked copy) and
numbered by it: the table's columns keep their marks, each contradiction's note is numbered in
the comparison's order after the notes the table has, and a cell's evidence is its first."""

from __future__ import annotations

from compatprobe.report.bcd_marks import BcdMarks, Unnumbered, numbered
from compatprobe.report.table import CellBcd, TableBcd


def made() -> Unnumbered:
    marks = BcdMarks(flags={"api.A": ["deprecated"]}, contradicts=True)
    marks.table = TableBcd("7.0.0", None, "bcd.tgz", [("chromium", "Chrome 150")], 1, 3, 0)
    marks.cells = {
        ("api.A", "chromium"): CellBcd("contradicts", "BCD: no", "BCD 7.0.0, {}"),
        ("api.B", "chromium"): CellBcd("agrees", "BCD: 40", "BCD 7.0.0, {}"),
        ("api.A", "chromium@92"): CellBcd("contradicts", "BCD: no", "BCD 7.0.0, {}"),
        ("api.C", "chromium"): CellBcd("contradicts", "BCD: 100", "BCD 7.0.0, {}"),
    }
    said = [
        (("api.A", "chromium"), "A in window"),
        (("api.A", "chromium@92"), "A in the old build"),
        (("api.C", "chromium"), "C"),
        (("api.A", "chromium"), "A in a worker"),
    ]
    return Unnumbered(marks, said)


def test_only_the_columns_targets_are_marked_and_their_notes_numbered_in_order() -> None:
    notes = ["a note the table had"]

    def footnote(text: str) -> int:
        notes.append(text)
        return len(notes)

    marks = numbered(made(), {"chromium"}, footnote)
    assert notes == ["a note the table had", "A in window", "C", "A in a worker"]
    assert set(marks.cells) == {("api.A", "chromium"), ("api.B", "chromium"), ("api.C", "chromium")}
    assert marks.notes == {("api.A", "chromium"): [2, 4], ("api.C", "chromium"): [3]}
    assert marks.cells[("api.A", "chromium")].evidence == 2, "a cell of several scopes cites its first note"
    assert marks.cells[("api.B", "chromium")].evidence is None
    assert marks.flags == {"api.A": ["deprecated"]} and marks.contradicts is True
    assert marks.table is not None and marks.table.contradicts == 3
