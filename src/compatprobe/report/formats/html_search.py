"""The split report's index of every feature: one entry per row, which the index page lists (a
static list that works without JavaScript, each entry with the id `#feature.id` so that the
address the docs promise lands on it) and which its small script searches and forwards to."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from compatprobe.report.layout import Layout
from compatprobe.report.templating import escaped


@dataclass(frozen=True, slots=True)
class FeatureEntry:
    anchor: str  # the row's id on its section page, and this entry's id on the index
    href: str  # the row on its section page
    feature: str
    title: str


def feature_entries(layout: Layout) -> list[FeatureEntry]:
    entries = []
    for section in layout.sections:
        if section.head is None:  # a section with no row of its own: its id leads to its page
            entries.append(FeatureEntry(section.id, section.page, section.id, f"{len(section.rows)} rows"))
        for laid in section.all_rows:
            row = laid.row
            feature = row.probe.feature if row.probe else row.group
            title = row.probe.title if row.probe else row.label
            entries.append(FeatureEntry(laid.anchor, laid.href, feature, title))
    return entries


def feature_list(entries: list[FeatureEntry]) -> Markup:
    """The index's list items, one per entry: `data-s` is what the script searches (lower case)."""
    return Markup(
        "".join(
            f'<li id="{escaped(e.anchor)}" data-s="{escaped(e.feature.lower())} {escaped(e.title.lower())}">'
            f'<a href="{escaped(e.href)}"><code>{escaped(e.feature)}</code></a> {escaped(e.title)}</li>\n'
            for e in entries
        )
    )
