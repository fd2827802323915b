"""JSON: the results file itself for a table, and documented JSON forms of a diff, a BCD comparison
and a history, each with its own version number."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from compatprobe.bcd.compare import BcdComparison
from compatprobe.diff.compare import Diff, RunRef
from compatprobe.report.diff_words import worded
from compatprobe.report.formats.base import Document, Format
from compatprobe.report.table import Table
from compatprobe.results.history import HISTORY_VERSION, HistoryRun, RunTrace, Timeline, timeline_of, trace_of
from compatprobe.results.model import Outcome, TargetResult, dumps
from compatprobe.scopes import WINDOW


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class JsonFormat(Format):
    name: ClassVar[str] = "json"
    documents: ClassVar[tuple[Document, ...]] = ("table", "diff", "bcd", "history")

    def table(self, table: Table) -> str:
        return dumps(table.results)

    def diff(self, diff: Diff) -> str:
        return _dumps(diff_dict(diff))

    def bcd(self, comparison: BcdComparison, *, show_all: bool = False, limit: int | None = None) -> str:
        return _dumps(bcd_dict(comparison))

    def history(self, runs: Timeline | Sequence[HistoryRun | RunTrace]) -> str:
        return _dumps(history_dict(runs))


def bcd_dict(comparison: BcdComparison) -> dict[str, Any]:
    from compatprobe.bcd.leads import find_leads

    data, results = comparison.data, comparison.results
    leads = find_leads(comparison)
    return {
        "bcd": {"version": data.version, "timestamp": data.timestamp, "source": data.source},
        "results": {"started": results.run.started, "tool_version": results.run.tool_version},
        "mappings": {name: m.to_dict() for name, m in comparison.mappings.items()},
        "counts": {v: comparison.count(v) for v in ("contradicts", "agrees", "not-comparable")},
        "status": comparison.status,
        "informs": comparison.informs,
        "comparisons": [c.to_dict() for c in comparison.comparisons],
        "triage": [
            {
                "feature": t.comparison.feature,
                "target": t.comparison.target,
                "scope": t.comparison.scope,
                "class": t.klass,
                "reason": t.reason,
            }
            for t in leads.triaged
        ],
        "proposals": [p.to_dict() for p in leads.proposals],
    }


def diff_dict(diff: Diff) -> dict[str, Any]:
    """The diff's JSON form, as the README documents it."""
    diff = worded(diff)
    return {
        "diff_version": 1,
        "old": _run_dict(diff.old),
        "new": _run_dict(diff.new),
        "counts": {**diff.counts(), "unchanged": diff.unchanged, "not_compared": diff.not_compared},
        "targets": [
            {
                "change": c.kind,
                "target": c.target,
                "engine": c.engine,
                "old": _target_dict(c.old),
                "new": _target_dict(c.new),
            }
            for c in diff.targets
        ],
        "probes": [
            {
                "change": c.kind,
                "probe": c.probe.id,
                "feature": c.probe.feature,
                "title": c.probe.title,
                "sha256": c.probe.sha256,
                "old_sha256": c.previous.sha256 if c.previous else None,
                "outcomes": {target: _outcome_dict(o) for target, o in c.outcomes},
            }
            for c in diff.probes
        ],
        "cells": [
            {
                "change": c.kind,
                "target": c.target,
                "engine": c.engine,
                "browser": c.browser,
                "probe": c.probe.id,
                "feature": c.probe.feature,
                "title": c.probe.title,
                "before": c.before,
                "after": c.after,
                "fields": c.fields,
                "probe_edited": c.probe_edited,
                "old": _outcome_dict(c.old),
                "new": _outcome_dict(c.new),
                **({"scope": c.scope} if c.scope != WINDOW else {}),
            }
            for c in diff.cells
        ],
    }


def _run_dict(ref: RunRef) -> dict[str, str]:
    return {"file": ref.source, "started": ref.started, "finished": ref.finished, "tool_version": ref.tool_version}


def _target_dict(target: TargetResult | None) -> dict[str, Any] | None:
    if target is None:
        return None
    data: dict[str, Any] = {"status": target.status}
    if target.error:
        data["error"] = target.error
    if target.browser:
        data["browser"] = {"name": target.browser.name, "version": target.browser.version}
    return data


def _outcome_dict(outcome: Outcome) -> dict[str, Any]:
    """An outcome as results files hold it (see the results schema), without its probe id."""
    data: dict[str, Any] = {"status": outcome.status}
    for name in ("reason", "message"):
        if getattr(outcome, name) is not None:
            data[name] = getattr(outcome, name)
    if outcome.exception is not None:
        exc = outcome.exception
        data["exception"] = {"name": exc.name, "message": exc.message}
        if exc.expected is not None:
            data["exception"]["expected"] = exc.expected
    data["values"] = dict(outcome.values)
    data["events"] = list(outcome.events)
    return data


def history_dict(runs: Timeline | Sequence[HistoryRun | RunTrace]) -> dict[str, Any]:
    """The history's JSON form (`render DIR --format json`), as the README documents it."""
    if isinstance(runs, Timeline):
        timeline = runs
    else:
        timeline = timeline_of(r if isinstance(r, RunTrace) else trace_of(r.results, r.path) for r in runs)
    histories = timeline.cell_histories()
    return {
        "history_version": HISTORY_VERSION,
        "runs": [{"file": str(r.path), "started": r.started, "browsers": r.browsers} for r in timeline.runs],
        "cells": [
            {
                "target": h.target,
                "engine": h.engine,
                "probe": h.probe,
                "segments": [
                    {
                        "outcome": s.label,
                        "first": s.first,
                        "last": s.last,
                        "runs": s.runs,
                        "first_run": s.first_run,
                        "last_run": s.last_run,
                    }
                    for s in h.segments
                ],
            }
            for h in sorted(histories.values(), key=lambda h: (h.probe, h.engine, h.target))
        ],
    }
