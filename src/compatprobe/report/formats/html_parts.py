"""What every page of a split table shares, made once for the table rather than once per page: the
column heads, the legend and the checkboxes that fold MDN's columns (templates/table-parts.html),
BCD's notes once sanitized, and what the rows need of their columns. A sweep's table is 3,433 pages, and
these parts were most of what rendering one of them cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from compatprobe.report.formats.html_legend import legend_of
from compatprobe.report.formats.html_rows import Columns, mdn_columns, platform_class
from compatprobe.report.mdn import MdnColumn
from compatprobe.report.table import Table


@dataclass(frozen=True, slots=True)
class TableParts:
    """table-parts.html's macros, rendered."""

    head: Markup
    legend: Markup
    column_toggles: Markup


@dataclass(frozen=True, slots=True)
class TableMade:
    table: Table
    columns: Columns  # without a page's footnote numbering
    context: dict[str, Any]  # what table.html is given on every page of the table
    sanitized: dict[str, Markup] = field(default_factory=dict)  # BCD's notes as markup, by their HTML


def table_made(table: Table, env: jinja2.Environment) -> TableMade:
    mdn = table.mdn
    heads: list[MdnColumn] = []
    if mdn:
        # The observed browsers' columns first, so that they are never the ones off screen.
        order = sorted(range(len(mdn.columns)), key=lambda i: not mdn.columns[i].targets)
        heads = [mdn.columns[i] for i in order]
        labels, platforms = [c.label for c in heads], [c.platform for c in heads]
        columns = mdn_columns(labels, platforms, order, [bool(c.targets) for c in heads])
    else:
        columns = Columns([f"{c.heading} {c.release}".strip() for c in table.columns])
    context = {
        "table": table,
        "mdn": mdn,
        "ncols": len(mdn.columns) if mdn else len(table.columns),
        "legend": legend_of(table),
        "platform_class": platform_class,
        "mdn_columns": heads,
        "mdn_platforms": _platforms(heads),
    }
    parts = env.get_template("table-parts.html").make_module(context)
    context["parts"] = TableParts(parts.head(), parts.legend_list(), parts.column_toggles())
    return TableMade(table, columns, context)


def _platforms(columns: list[MdnColumn]) -> list[tuple[str, int, bool]]:
    """The header's groups over the columns: (platform, how many columns, observed)."""
    groups: list[tuple[str, int, bool]] = []
    for c in columns:
        key = (c.platform, bool(c.targets))
        if groups and groups[-1][0] == key[0] and groups[-1][2] == key[1]:
            groups[-1] = (key[0], groups[-1][1] + 1, key[1])
        else:
            groups.append((key[0], 1, key[1]))
    return groups
