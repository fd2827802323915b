"""What a run's table needs that does not depend on its outcomes, made before them: BCD's statements
and notes in MDN's columns for every BCD id, web-features' Baseline of every row, the output
format's templates. While a run's browsers work (seconds) this process mostly waits for them, and
these parts were about a third of assembling a sweep's table after its last outcome.

report.assemble takes them; a table assembled with them is byte for byte the one assembled without
(tests/test_report_prepared.py). Parts made for other data (another BCD, other columns) are not
used: the table makes its own, as without them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from compatprobe.bcd.baseline import WebFeatures
from compatprobe.bcd.data import BcdData
from compatprobe.features import group_of
from compatprobe.report.formats.base import Format
from compatprobe.report.mdn import (
    Baselines,
    FeatureCells,
    FeatureStatements,
    MdnColumn,
    bcd_id_of,
    browser_columns,
    shows_server,
)
from compatprobe.results.model import ProbeInfo


@dataclass(frozen=True, slots=True)
class Prepared:
    """The outcome-independent parts of the table of a run of these probes, with this data."""

    data: BcdData | None
    web_features: WebFeatures | None
    statements: FeatureStatements | None  # with BCD: every row's BCD id, in MDN's own columns
    baselines: Baselines | None  # with web-features: every probe's row and heading's

    def statements_for(self, data: BcdData | None) -> FeatureStatements | None:
        return self.statements if data is not None and data is self.data else None

    def baselines_for(self, features: WebFeatures | None, data: BcdData | None) -> Baselines | None:
        fits = features is not None and features is self.web_features and data is self.data
        return self.baselines if fits else None


def prepare(
    probes: Sequence[ProbeInfo],
    *,
    bcd: BcdData | None = None,
    web_features: WebFeatures | None = None,
    format: Format | None = None,
    stop: Callable[[], bool] | None = None,
) -> Prepared:
    """The parts of the table of `probes` that their outcomes do not change; `format`'s templates
    made ready too. When `stop()` turns true it stops, and gives what it made so far (the table
    makes the rest)."""
    # A heading row stands for a group that no probe's feature names (report.table.build_table).
    headings = sorted({group_of(p.feature) for p in probes} - {p.feature for p in probes})
    statements = None
    if bcd is not None:
        statements = FeatureStatements(bcd, browser_columns(bcd, shows_server(p.feature for p in probes)))
        ids = [bcd_id_of(p, p.feature, bcd) for p in probes] + [bcd_id_of(None, g, bcd) for g in headings]
        for n, feature in enumerate(ids):
            if stop is not None and n % 256 == 0 and stop():
                return Prepared(bcd, web_features, statements, None)
            if feature:
                statements.of(feature)
    baselines = None
    if web_features is not None:
        baselines = Baselines(web_features, bcd)
        for probe in probes:
            baselines.of(probe, "")
        for group in headings:
            baselines.of(None, group)
    if format is not None:
        format.prepare()
    return Prepared(bcd, web_features, statements, baselines)


@dataclass(frozen=True, slots=True)
class Sent:
    """What a forked copy of the process that prepared the parts sends back (pickled): the parts
    without the data they were made from, which the receiver has already."""

    heads: list[tuple[str, str, str]] | None
    statements: dict[str, FeatureCells] | None
    baselines: dict[tuple[str, ...], Any] | None


def sent(prepared: Prepared) -> Sent:
    statements, baselines = prepared.statements, prepared.baselines
    return Sent(
        statements.heads if statements is not None else None,
        statements.made() if statements is not None else None,
        baselines.made() if baselines is not None else None,
    )


def received(parts: Sent, *, bcd: BcdData | None = None, web_features: WebFeatures | None = None) -> Prepared:
    """The Prepared that `sent` came from, made of the same `bcd` and `web_features` (this
    process's copies of them)."""
    statements = None
    if bcd is not None and parts.statements is not None and parts.heads is not None:
        statements = FeatureStatements(bcd, [MdnColumn(*head) for head in parts.heads])
        statements.adopt(parts.statements)
    baselines = None
    if web_features is not None and parts.baselines is not None:
        baselines = Baselines(web_features, bcd)
        baselines.adopt(parts.baselines)
    return Prepared(bcd, web_features, statements, baselines)
