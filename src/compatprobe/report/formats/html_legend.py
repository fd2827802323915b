"""The HTML table's legend, from kinds.py: every mark and badge the table can show on its page,
grouped by who says it (the browser, as observed; MDN's browser-compat-data; the row's badges)."""

from __future__ import annotations

from dataclasses import dataclass

from compatprobe.kinds import BADGES, BCD_KINDS, CONTRADICTS, Kind
from compatprobe.report.table import Table


@dataclass(frozen=True, slots=True)
class LegendEntry:
    mark: str  # the key the page's marks carry as data-mark
    icon: str
    meaning: str
    css: str  # the class that draws it as the table does


@dataclass(frozen=True, slots=True)
class LegendGroup:
    title: str
    entries: list[LegendEntry]


def _badges(table: Table) -> list[str]:
    """The badges this table can show: always the row badges and the fold; the others when in use."""
    keys = ["deprecated", "non-standard", "fold", "folded"]
    flags = {flag for row in table.rows for flag in row.bcd_flags}
    keys += ["experimental"] if "experimental" in flags else []
    cells = [cell for row in table.rows for cell in row.cells]
    if table.web_features:
        keys += ["baseline-widely", "baseline-newly", "baseline-limited"]
    if table.mdn:
        keys += ["confirms", "contradicts"]
    keys += ["changed"] if any(c.changed for c in cells) else []
    keys += ["range"] if any(c.range for c in cells) else []
    return [k for k in BADGES if k in keys]


def legend_of(table: Table) -> list[LegendGroup]:
    observed = [
        LegendEntry(k.key, k.icon, k.meaning, f"k-{k.key}")
        for k in table.legend
        if k is not CONTRADICTS or not table.mdn
    ]
    groups = [
        LegendGroup(
            "Observed in a browser: the mark in the cell (with MDN's columns, in a framed box under BCD's)"
            if table.mdn
            else "Observed in a browser: the mark in the cell",
            observed,
        )
    ]
    if table.mdn:
        bcd = [LegendEntry(f"bcd-{k.key}", k.icon, k.meaning, f"b-{k.key}") for k in BCD_KINDS.values()]
        groups.append(LegendGroup("What MDN's browser-compat-data (BCD) says: the round mark on top of a cell", bcd))
    badges: list[Kind] = [BADGES[k] for k in _badges(table)]
    groups.append(
        LegendGroup(
            "Badges and words beside a mark", [LegendEntry(k.key, k.icon, k.meaning, _badge_css(k.key)) for k in badges]
        )
    )
    return groups


def _badge_css(key: str) -> str:
    if key.startswith("baseline-"):
        return f"baseline {key}"
    if key in ("confirms", "contradicts"):
        # An agreement with BCD; its CSS class keeps the older word "verdict", so that the page's bytes
        # (and stylesheets written for it) stay the same.
        return "verdict v-ok" if key == "confirms" else "verdict v-bad"
    if key in ("changed", "range", "fold", "folded"):
        return f"word-{key}"
    return f"badge badge-{key}"
