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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from compatprobe.errors import InputError
from compatprobe.files import Staged, stage_new
from compatprobe.results.model import Outcome, Results, dumps, read_results, release_of
from compatprobe.results.words import label, phrase
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
    if not folder.exists():
        if allow_empty:
            return []
        raise InputError("history folder not found", path=folder)
    if not folder.is_dir():
        raise InputError("is a file, not a history folder", path=folder, hint="give the folder of results files")
    runs = [HistoryRun(path, read_results(path)) for path in history_files(folder)]
    for run in runs:
        try:
            run_time(run.results)
        except ValueError as exc:
            raise InputError(f"run.started {run.results.run.started!r} is not an ISO 8601 time", path=run.path) from exc
    if not runs and not allow_empty:
        raise InputError(
            "no results files in this history folder",
            path=folder,
            hint="keep runs there with compatprobe run --history",
        )
    runs.sort(key=lambda r: (run_time(r.results), r.path.name))
    return runs


def family(target_name: str) -> str:
    """The target a build target was made from: 'chromium@131' -> 'chromium' (browsers/versions.py)."""
    return target_name.split("@", 1)[0]


def version_key(version: str) -> tuple[int, ...]:
    """'131.0.6778.0' -> (131, 0, 6778, 0): versions compare as numbers; text parts count as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


@dataclass
class _Seen:
    key: tuple[int, ...]
    when: str
    release: str
    outcome: Outcome
    browser: str
    title: str


def cell_histories(runs: list[Results]) -> dict[tuple[str, str, str], CellHistory]:
    """Per (engine, target family, probe id), the outcomes over every run and build, sorted by
    browser version, as segments (oldest version first)."""
    seen: dict[tuple[str, str, str], list[_Seen]] = {}
    for order, results in enumerate(runs):
        titles = {p.id: p.title for p in results.probes}
        when = results.run.started
        for target in results.targets:
            if target.browser is None:
                continue  # nothing was observed there
            release = release_of(target.engine, target.browser.version)
            key = (*version_key(target.browser.version), order)
            for outcome in target.outcomes:
                if outcome.scope != WINDOW:
                    continue  # ranges follow the window's outcome, which every version of results has
                found = _Seen(key, when, release, outcome, target.browser.name, titles.get(outcome.probe, ""))
                seen.setdefault((target.engine, family(target.name), outcome.probe), []).append(found)
    histories = {}
    for (engine, name, probe), items in seen.items():
        items.sort(key=lambda s: s.key)
        history = CellHistory(engine, name, items[-1].browser, probe, items[-1].title or items[0].title, [])
        for item in items:
            _extend(history.segments, item.outcome, item.release, item.when)
        histories[(engine, name, probe)] = history
    return histories


def _extend(segments: list[Segment], outcome: Outcome, release: str, when: str) -> None:
    text = label(outcome)
    if segments and segments[-1].label == text:
        last = segments[-1]
        last.last, last.last_run, last.runs = release, when, last.runs + 1
        return
    before = segments[-1].last if segments else None
    gap = _gap(before, release)
    if gap is not None:
        segments.append(Segment(UNKNOWN, "was not observed", gap[0], gap[1], when, when, 0, before))
    segments.append(Segment(text, phrase(outcome), release, release, when, when, before=before))


def _gap(before: str | None, release: str) -> tuple[str, str] | None:
    """The majors strictly between two observed majors, when there are any (103 and 106: 104 to 105)."""
    if before is None or not (before.isdigit() and release.isdigit()) or int(release) - int(before) < 2:
        return None
    return str(int(before) + 1), str(int(release) - 1)
