"""A history of runs: a folder of results files, one per run, and MDN-style version ranges from it.

Files are named by the run's start in UTC (20260501T120000Z.json) and never overwritten. A
cell's history is its outcomes sorted by browser version (runs of the same version by the time they
were made), whatever the order of the runs, and whether the versions come from several runs or from
several builds of one target in one run ("chromium@92", "chromium@131": one family), merged into
segments of the same outcome; between two observed releases where the outcome changes, the
releases not observed are a segment of their own, unknown. The cell shows "Yes" with the range
"120" to "157" (MDN's "Yes 120 - 157", with an en dash), and an earlier outcome becomes a note
such as "throws NotSupportedError from 22 to 50".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from sys import intern
from typing import NamedTuple

from compatprobe.errors import InputError
from compatprobe.files import Staged, stage_new
from compatprobe.forked import streamed
from compatprobe.results.heap import collector_paused
from compatprobe.results.model import Outcome, Results, dumps, read_results, release_of
from compatprobe.results.words import label_and_phrase, words_key
from compatprobe.scopes import WINDOW

HISTORY_VERSION = 1


@dataclass
class HistoryRun:
    path: Path
    results: Results


UNKNOWN = "?"  # the label of releases between two observations with different outcomes
_NO_CODE = ("", "")  # the code and title of a probe a run does not list


@dataclass
class Segment:
    """Consecutive observations (by version) in which a cell had the same outcome."""

    label: str  # "Yes", "Throws NotSupportedError"
    phrase: str  # "throws NotSupportedError"
    first: str  # the first and last release observed, as tables name them: "22", "2.50"
    last: str
    first_run: str  # when those runs started (UTC)
    last_run: str
    runs: int = 1  # observations: runs, or builds
    before: str | None = None  # the nearest earlier release observed with another outcome

    @property
    def unknown(self) -> bool:
        return self.label == UNKNOWN

    @property
    def versions(self) -> str:
        return self.first if self.first == self.last else f"{self.first} \N{EN DASH} {self.last}"

    @property
    def span(self) -> str:
        """The versions as the rest of a sentence: "from 22 to 50", or "in 156"."""
        return f"in {self.first}" if self.first == self.last else f"from {self.first} to {self.last}"


@dataclass
class CellHistory:
    engine: str
    target: str
    browser: str  # the browser's name in the newest run that has it
    probe: str
    title: str
    segments: list[Segment]  # oldest first


def run_time(results: Results) -> datetime:
    """The run's start as an aware UTC time (a file without an offset is taken as UTC)."""
    return _time(results.run.started)


def _time(started_at: str) -> datetime:
    started = datetime.fromisoformat(started_at.replace("Z", "+00:00"))
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    return started.astimezone(UTC)


def save_to_history(results: Results, folder: Path) -> Path:
    """Keep a copy of `results` in `folder`, under a new name; an existing file is never replaced."""
    return stage_to_history(results, folder).commit()[0]


def stage_to_history(results: Results, folder: Path) -> Staged:
    """A copy of `results` staged in `folder`, to take a new name when committed (files.stage_new)."""
    return stage_new(history_names(results, folder), dumps(results))


def history_names(results: Results, folder: Path) -> Callable[[int], Path]:
    """The names a copy of `results` may take in `folder`: names(1), names(2), ..."""
    stem = run_time(results).strftime("%Y%m%dT%H%M%SZ")
    return lambda n: folder / (f"{stem}.json" if n == 1 else f"{stem}-{n}.json")


def history_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.is_file() and not p.name.startswith("."))


def load_history(folder: Path, *, allow_empty: bool = False) -> list[HistoryRun]:
    """Every results file in `folder`, oldest run first; any unreadable file is an InputError naming it."""
    runs = [HistoryRun(path, results) for path, results in _read_runs(folder, allow_empty)]
    runs.sort(key=lambda r: (run_time(r.results), r.path.name))
    return runs


@dataclass
class History:
    """A history folder as its table needs it: every run but the newest folded into a timeline, and
    the newest run whole; or, without it (`newest` None), every run folded."""

    timeline: Timeline
    newest: Results | None


def load_timeline(folder: Path, *, allow_empty: bool = False, newest_whole: bool = True) -> History:
    """The history in `folder` (see load_history), each run folded into a timeline as it is read, so
    that only the newest is held whole (and not folded: its table adds it), or none without
    `newest_whole`: a year of daily sweeps would not fit in memory, nor would their traces. Where a
    forked copy can be made, it reads and traces every other run meanwhile (forked.streamed)."""
    files = sorted(_files(folder, allow_empty), key=_name_order)
    traced, whole = (files[:-1], files[-1:]) if newest_whole else (files, [])
    timeline = Timeline()
    last: tuple[datetime, str] | None = None
    # Folding makes millions of tuples and no cycles: collections would walk the timeline again and
    # again as it grows (a run's results leave a couple of dozen small cycles, freed after).
    with collector_paused():
        with closing(streamed(traced, _traced)) as traces:  # closed: the copy is stopped
            for trace in traces:
                order = (_time(trace.started), trace.path.name if trace.path else "")
                if last is not None and order < last:
                    break
                last = order
                timeline.add(trace)
            else:
                newest = _read_run(whole[0]) if whole else None
                if newest is None or last is None or (run_time(newest), whole[0].name) >= last:
                    return History(timeline, newest)
        # A file whose name does not follow its run's time: fold the runs once all are read.
        return _load_sorted(folder, allow_empty, newest_whole)


def _traced(path: Path) -> RunTrace:
    return trace_of(_read_run(path), path)


def _load_sorted(folder: Path, allow_empty: bool, newest_whole: bool) -> History:
    """load_timeline for a folder whose files' names are not in their runs' order: every run's trace
    is held until all are read and sorted."""
    found: list[tuple[tuple[datetime, str], RunTrace]] = []
    newest: tuple[tuple[datetime, str], Path, Results] | None = None
    for path, results in _read_runs(folder, allow_empty):
        order = (run_time(results), path.name)
        if newest_whole and (newest is None or order > newest[0]):
            if newest is not None:
                found.append((newest[0], trace_of(newest[2], newest[1])))
            newest = (order, path, results)
        else:
            found.append((order, trace_of(results, path)))
    found.sort(key=lambda item: item[0])
    return History(timeline_of(trace for _, trace in found), newest[2] if newest else None)


HISTORY_NAME = re.compile(r"(\d{8}T\d{6}Z)(?:-(\d+))?\.json")  # as history_names makes them


def _name_order(path: Path) -> tuple[str, int]:
    """A history file's place by its name: the run's time, then the -N of a second run in the same
    second (history_names), which plain sorting puts before the first."""
    named = HISTORY_NAME.fullmatch(path.name)
    if named is None:
        return path.name, 0
    return named[1], int(named[2] or 1)


def _read_runs(folder: Path, allow_empty: bool) -> Iterator[tuple[Path, Results]]:
    """Each results file in `folder` and its results, in the files' order, every run's time checked."""
    for path in _files(folder, allow_empty):
        yield path, _read_run(path)


def _files(folder: Path, allow_empty: bool) -> list[Path]:
    """The results files of the history in `folder`; an InputError when it is none."""
    if not folder.exists():
        if allow_empty:
            return []
        raise InputError("history folder not found", path=folder)
    if not folder.is_dir():
        raise InputError("is a file, not a history folder", path=folder, hint="give the folder of results files")
    files = history_files(folder)
    if not files and not allow_empty:
        raise InputError(
            "no results files in this history folder",
            path=folder,
            hint="keep runs there with compatprobe run --history",
        )
    return files


def _read_run(path: Path) -> Results:
    """A run of a history, read whole, its time checked."""
    results = read_results(path)
    try:
        run_time(results)
    except ValueError as exc:
        raise InputError(f"run.started {results.run.started!r} is not an ISO 8601 time", path=path) from exc
    return results


def family(target_name: str) -> str:
    """The target a build target was made from: 'chromium@131' -> 'chromium' (browsers/versions.py)."""
    return target_name.split("@", 1)[0]


def version_key(version: str) -> tuple[int, ...]:
    """'131.0.6778.0' -> (131, 0, 6778, 0): versions compare as numbers; text parts count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


@dataclass(frozen=True, slots=True)
class TargetTrace:
    """A target that observed a browser, as a history needs it: each window outcome in words."""

    engine: str
    name: str
    browser: str  # the browser's name
    version: str
    # Each window outcome (ranges follow the window's, which every version of results has): probe,
    # its cell's label and the same as a phrase (results.words).
    answers: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True)
class RunTrace:
    """What a history keeps of a run besides the newest: when it started, its probes' code and
    titles, and what each target observed, in words (a tenth of the run's results in memory)."""

    started: str
    probes: dict[str, tuple[str, str]]  # probe id -> (sha256, title)
    targets: tuple[TargetTrace, ...]
    path: Path | None = None


def trace_of(results: Results, path: Path | None = None) -> RunTrace:
    # Interned: the same ids, labels and titles recur in every run of a history.
    probes = {intern(p.id): (intern(p.sha256), intern(p.title)) for p in results.probes}
    said: dict[tuple[object, ...], tuple[str, str]] = {}  # each kind of outcome worded once

    def words_of(outcome: Outcome) -> tuple[str, str]:
        key = words_key(outcome)
        found = said.get(key)
        if found is None:
            label, phrase = label_and_phrase(outcome)
            found = said[key] = (intern(label), intern(phrase))
        return found

    targets = tuple(
        TargetTrace(
            t.engine,
            t.name,
            t.browser.name,
            t.browser.version,
            tuple((intern(o.probe), *words_of(o)) for o in t.outcomes if o.scope == WINDOW),
        )
        for t in results.targets
        if t.browser is not None  # nothing was observed there
    )
    return RunTrace(results.run.started, probes, targets, path)


class _Stretch(NamedTuple):
    """Observations of a cell at one browser version, consecutive in time, with one outcome."""

    label: str
    phrase: str
    first: str  # the releases of its first and last observation
    last: str
    first_run: str  # when those runs started
    last_run: str
    runs: int
    browser: str  # the browser's name in its last observation
    first_title: str  # the probe's title then
    last_title: str


@dataclass
class RunSummary:
    """What a timeline keeps of each run itself: its file, when it started, its browsers by target."""

    path: Path | None
    started: str
    browsers: dict[str, str]  # "Chromium 156.0.8078.129"


@dataclass
class Timeline:
    """Every cell's outcomes over a history's runs, folded in (`add`) oldest run first: per cell and
    browser version, the stretches of runs with one outcome. It grows with the outcomes that change
    and the versions seen, not with the runs (a trace of each run would)."""

    runs: list[RunSummary] = field(default_factory=list)
    # (engine, target family, probe id) -> version_key -> that version's stretches, oldest first
    cells: dict[tuple[str, str, str], dict[tuple[int, ...], tuple[_Stretch, ...]]] = field(default_factory=dict)
    # probe id -> (its code's sha256 in the last run that had it, when that code first ran in the
    # latest streak of runs with it, whether its code ever changed)
    code: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    last_probes: frozenset[str] = frozenset()  # the newest run's probe ids

    def add(self, trace: RunTrace) -> None:
        """Fold in a run newer than every run folded so far."""
        self._add(trace, copied=None)

    def with_run(self, trace: RunTrace) -> Timeline:
        """This timeline and one newer run, leaving this one as it is."""
        other = Timeline([*self.runs], dict(self.cells), dict(self.code), self.last_probes)
        other._add(trace, copied=set())
        return other

    def _add(self, trace: RunTrace, copied: set[tuple[str, str, str]] | None) -> None:
        """`copied`: when the cells are shared with another timeline, those copied so far."""
        browsers = {t.name: f"{t.browser} {t.version}" for t in trace.targets}
        self.runs.append(RunSummary(trace.path, trace.started, browsers))
        self._add_code(trace)
        for target in trace.targets:
            self._add_target(target, trace, copied)

    def _add_target(self, target: TargetTrace, trace: RunTrace, copied: set[tuple[str, str, str]] | None) -> None:
        """Each observation, newer than the cell's others at that version: the last stretch there
        grows when it has the same outcome. (Millions of these in a year of sweeps: kept lean.)"""
        cells, when, probes, browser = self.cells, trace.started, trace.probes, target.browser
        release = intern(release_of(target.engine, target.version))
        key, name = version_key(target.version), family(target.name)
        stretch = partial(tuple.__new__, _Stretch)
        for probe, label, phrase in target.answers:
            title = probes.get(probe, _NO_CODE)[1]
            cell = (target.engine, name, probe)
            versions = cells.get(cell)
            if versions is None or (copied is not None and cell not in copied):
                versions = cells[cell] = dict(versions) if versions else {}
                if copied is not None:
                    copied.add(cell)
            stretches = versions.get(key, ())
            if stretches and stretches[-1].label == label:
                s = stretches[-1]
                grown = (
                    label,
                    s.phrase,
                    s.first,
                    release,
                    s.first_run,
                    when,
                    s.runs + 1,
                    browser,
                    s.first_title,
                    title,
                )
                versions[key] = (*stretches[:-1], stretch(grown))
            else:
                versions[key] = (
                    *stretches,
                    stretch((label, phrase, release, release, when, when, 1, browser, title, title)),
                )

    def _add_code(self, trace: RunTrace) -> None:
        code, when = self.code, trace.started
        for pid, (sha, _) in trace.probes.items():
            known = code.get(pid)
            if known is None:
                code[pid] = (sha, when, False)
            elif known[0] != sha:
                code[pid] = (sha, when, True)
        self.last_probes = frozenset(trace.probes)

    def cell_histories(self) -> dict[tuple[str, str, str], CellHistory]:
        """Per (engine, target family, probe id), the outcomes over every run and build, sorted by
        browser version (runs of one version by time), as segments (oldest version first)."""
        histories = {}
        for (engine, name, probe), versions in self.cells.items():
            stretches = [s for key in sorted(versions) for s in versions[key]]
            title = stretches[-1].last_title or stretches[0].first_title
            history = CellHistory(engine, name, stretches[-1].browser, probe, title, [])
            for stretch in stretches:
                _extend(history.segments, stretch)
            histories[(engine, name, probe)] = history
        return histories

    def probe_changes(self) -> dict[str, str]:
        """Per probe of the newest run whose code changed over the runs, when (the start of the first
        run with its current code since it last had other code)."""
        return {pid: self.code[pid][1] for pid in self.last_probes if self.code[pid][2]}


def timeline_of(runs: Iterable[Results | RunTrace]) -> Timeline:
    """The runs (oldest first; each whole or its trace) folded into a timeline."""
    timeline = Timeline()
    for run in runs:
        timeline.add(run if isinstance(run, RunTrace) else trace_of(run))
    return timeline


def cell_histories(runs: Sequence[Results | RunTrace]) -> dict[tuple[str, str, str], CellHistory]:
    """Per (engine, target family, probe id), the outcomes over `runs` (oldest first): see Timeline."""
    return timeline_of(runs).cell_histories()


def _extend(segments: list[Segment], stretch: _Stretch) -> None:
    if segments and segments[-1].label == stretch.label:
        last = segments[-1]
        last.last, last.last_run, last.runs = stretch.last, stretch.last_run, last.runs + stretch.runs
        return
    before = segments[-1].last if segments else None
    gap = _gap(before, stretch.first)
    if gap is not None:
        when = stretch.first_run
        segments.append(Segment(UNKNOWN, "was not observed", gap[0], gap[1], when, when, 0, before))
    segments.append(
        Segment(
            stretch.label, stretch.phrase, stretch.first, stretch.last, stretch.first_run, stretch.last_run,
            stretch.runs, before,
        )
    )  # fmt: skip


def _gap(before: str | None, release: str) -> tuple[str, str] | None:
    """The majors strictly between two observed majors, when there are any (103 and 106: 104 to 105)."""
    if before is None or not (before.isdigit() and release.isdigit()) or int(release) - int(before) < 2:
        return None
    return str(int(before) + 1), str(int(release) - 1)
