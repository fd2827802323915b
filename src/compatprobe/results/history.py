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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from sys import intern

from compatprobe.errors import InputError
from compatprobe.files import Staged, stage_new
from compatprobe.results.model import Results, dumps, read_results, release_of
from compatprobe.results.words import label_and_phrase
from compatprobe.scopes import WINDOW

HISTORY_VERSION = 1


@dataclass
class HistoryRun:
    path: Path
    results: Results


UNKNOWN = "?"  # the label of releases between two observations with different outcomes


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
    started = datetime.fromisoformat(results.run.started.replace("Z", "+00:00"))
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
    """A history folder as its table needs it: the trace of every run but the newest, oldest first,
    and the newest run whole; or, without it (`newest` None), the trace of every run."""

    traces: list[RunTrace]
    newest: Results | None


def load_traces(folder: Path, *, allow_empty: bool = False, newest_whole: bool = True) -> History:
    """The history in `folder` (see load_history), each run traced once as it is read, so that only
    the newest is held whole (and not traced: its table traces it), or none without `newest_whole`:
    a year of daily sweeps would not fit in memory."""
    found: list[tuple[tuple[datetime, str], RunTrace]] = []
    newest: tuple[tuple[datetime, str], Path, Results] | None = None
    for path, results in _read_runs(folder, allow_empty):
        order = (run_time(results), path.name)
        if newest_whole and (newest is None or order > newest[0]):
            if newest is not None:  # no longer the newest: traced, and let go
                found.append((newest[0], trace_of(newest[2], newest[1])))
            newest = (order, path, results)
        else:
            found.append((order, trace_of(results, path)))
    found.sort(key=lambda item: item[0])
    return History([trace for _, trace in found], newest[2] if newest else None)


def _read_runs(folder: Path, allow_empty: bool) -> Iterator[tuple[Path, Results]]:
    """Each results file in `folder` and its results, in the files' order, every run's time checked."""
    if not folder.exists():
        if allow_empty:
            return
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
    for path in files:
        results = read_results(path)
        try:
            run_time(results)
        except ValueError as exc:
            raise InputError(f"run.started {results.run.started!r} is not an ISO 8601 time", path=path) from exc
        yield path, results


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
    targets = tuple(
        TargetTrace(
            t.engine,
            t.name,
            t.browser.name,
            t.browser.version,
            tuple((intern(o.probe), *map(intern, label_and_phrase(o))) for o in t.outcomes if o.scope == WINDOW),
        )
        for t in results.targets
        if t.browser is not None  # nothing was observed there
    )
    return RunTrace(results.run.started, probes, targets, path)


def traces_of(runs: Sequence[Results | RunTrace]) -> list[RunTrace]:
    """Each run as its trace (those traced already as they are)."""
    return [run if isinstance(run, RunTrace) else trace_of(run) for run in runs]


@dataclass
class _Seen:
    key: tuple[int, ...]
    when: str
    release: str
    label: str
    phrase: str
    browser: str
    title: str


def cell_histories(runs: Sequence[Results | RunTrace]) -> dict[tuple[str, str, str], CellHistory]:
    """Per (engine, target family, probe id), the outcomes over every run and build, sorted by
    browser version, as segments (oldest version first)."""
    seen: dict[tuple[str, str, str], list[_Seen]] = {}
    for order, trace in enumerate(traces_of(runs)):
        for target in trace.targets:
            release = release_of(target.engine, target.version)
            key = (*version_key(target.version), order)
            for probe, text, said in target.answers:
                title = trace.probes.get(probe, ("", ""))[1]
                found = _Seen(key, trace.started, release, text, said, target.browser, title)
                seen.setdefault((target.engine, family(target.name), probe), []).append(found)
    histories = {}
    for (engine, name, probe), items in seen.items():
        items.sort(key=lambda s: s.key)
        history = CellHistory(engine, name, items[-1].browser, probe, items[-1].title or items[0].title, [])
        for item in items:
            _extend(history.segments, item)
        histories[(engine, name, probe)] = history
    return histories


def _extend(segments: list[Segment], item: _Seen) -> None:
    release, when = item.release, item.when
    if segments and segments[-1].label == item.label:
        last = segments[-1]
        last.last, last.last_run, last.runs = release, when, last.runs + 1
        return
    before = segments[-1].last if segments else None
    gap = _gap(before, release)
    if gap is not None:
        segments.append(Segment(UNKNOWN, "was not observed", gap[0], gap[1], when, when, 0, before))
    segments.append(Segment(item.label, item.phrase, release, release, when, when, before=before))


def _gap(before: str | None, release: str) -> tuple[str, str] | None:
    """The majors strictly between two observed majors, when there are any (103 and 106: 104 to 105)."""
    if before is None or not (before.isdigit() and release.isdigit()) or int(release) - int(before) < 2:
        return None
    return str(int(before) + 1), str(int(release) - 1)
