"""From a comparison to what a BCD maintainer can act on: every contradiction triaged, a proposal
for each lead, the leads grouped by BCD file, and the counts per class per browser."""

from __future__ import annotations

from dataclasses import dataclass

from compatprobe.bcd.compare import BcdComparison
from compatprobe.bcd.propose import Proposal, propose_all
from compatprobe.bcd.triage import Triaged, counts, triage


@dataclass(slots=True)
class Leads:
    comparison: BcdComparison
    triaged: list[Triaged]  # every contradiction: leads first
    proposals: list[Proposal]  # one per lead, in the same order
    counts: dict[str, dict[str, int]]  # target -> class -> how many

    def by_file(self) -> dict[str, list[Proposal]]:
        """BCD source file -> its proposals, files in name order."""
        files: dict[str, list[Proposal]] = {}
        for p in sorted(self.proposals, key=lambda p: (p.source_file, p.entry, p.browser)):
            files.setdefault(p.source_file, []).append(p)
        return files

    def of_class(self, klass: str) -> list[Triaged]:
        return [t for t in self.triaged if t.klass == klass]


def find_leads(comparison: BcdComparison) -> Leads:
    triaged = triage(comparison)
    targets = [t.name for t in comparison.results.targets]
    return Leads(comparison, triaged, propose_all(comparison, triaged), counts(triaged, targets))
