"""What a run's table needs that does not depend on its outcomes, made before them: BCD's statements
and notes in MDN's columns for every BCD id, web-features' Baseline of every row, the output
format's templates. While a run's browsers work (seconds) this process mostly waits for them, and
these parts were about a third of assembling a sweep's table after its last outcome.

report.assemble takes them; a table assembled with them is byte for byte the one assembled without
(tests/test_report_prepared.py). Parts made for other data (another BCD, other columns) are not
used: the table makes its own, as without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from compatprobe.bcd.baseline import WebFeatures
from compatprobe.bcd.data import BcdData
from compatprobe.features import group_of
from compatprobe.report.formats.base import Format
from compatprobe.report.mdn import Baselines, FeatureStatements, bcd_id_of, browser_columns, shows_server
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
) -> Prepared:
    """The parts of the table of `probes` that their outcomes do not change; `format`'s templates
    made ready too."""
    # A heading row stands for a group that no probe's feature names (report.table.build_table).
    headings = sorted({group_of(p.feature) for p in probes} - {p.feature for p in probes})
    statements = None
    if bcd is not None:
        statements = FeatureStatements(bcd, browser_columns(bcd, shows_server(p.feature for p in probes)))
        ids = [bcd_id_of(p, p.feature, bcd) for p in probes] + [bcd_id_of(None, g, bcd) for g in headings]
        for feature in ids:
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
