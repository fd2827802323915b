"""compatprobe's Python API: what the CLI itself calls, every step of it.

    from compatprobe import api
    results = api.run("matrix.yaml", browsers=["firefox"], probes=["RTCPeerConnection/removeTrack*"])
    html = api.render(results, "html")
    changes = api.diff(api.load_results("out/previous.json"), results)

Bad input raises `compatprobe.errors.InputError` (its text names the file, the line and what to do).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from compatprobe.bcd import collector
from compatprobe.bcd.apply import Applied
from compatprobe.bcd.apply import apply as apply_proposals
from compatprobe.bcd.baseline import ENV_PATH as WEB_FEATURES_ENV
from compatprobe.bcd.baseline import WebFeatures, load_given, load_web_features
from compatprobe.bcd.brackets import brackets
from compatprobe.bcd.compare import BcdComparison
from compatprobe.bcd.compare import compare as compare_with_bcd
from compatprobe.bcd.data import ENV_PATH as BCD_ENV
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.leads import Leads, find_leads
from compatprobe.bcd.load import load_for
from compatprobe.bcd.mapping import record_mappings
from compatprobe.bcd.suspects import mark_suspect_paths
from compatprobe.browsers.targets import Resolved
from compatprobe.browsers.versions import expand_versions
from compatprobe.config.choose import chosen_targets, referenced_variables, shard_of
from compatprobe.config.envvars import ScrubbingStream, Secrets
from compatprobe.config.matrix import Matrix, load_matrix
from compatprobe.data import builds, cache
from compatprobe.data.builds import fetch_builds as fetch_builds
from compatprobe.data.pins import PACKAGES as DATA_PACKAGES
from compatprobe.data.pins import Pin, load_pins, pin_file, save_pins
from compatprobe.diff.compare import Diff
from compatprobe.diff.compare import compare as compare_runs
from compatprobe.errors import InputError
from compatprobe.files import unsafe_name, write_atomic
from compatprobe.probes.generate.build import generated_check as generated_check
from compatprobe.probes.info import ProbeInfo, probe_info
from compatprobe.probes.loader import FEATURE_ID, Probe, discover, parse_probe, select
from compatprobe.probes.select import Selection, choose, left_out
from compatprobe.report.assemble import Previous, assemble_table
from compatprobe.report.bcd_leads import applied_lines as applied_lines
from compatprobe.report.brackets import brackets_text
from compatprobe.report.diff_words import WordedDiff, worded
from compatprobe.report.formats import Format, get_format
from compatprobe.report.interrupted import kept_line as kept_line
from compatprobe.report.interrupted import nothing_written as nothing_written
from compatprobe.report.interrupted import stopped_after_writing as stopped_after_writing
from compatprobe.report.table import Table
from compatprobe.report.writing import PageText
from compatprobe.report.writing import write_report as write_report
from compatprobe.results.history import History, HistoryRun, RunTrace, Timeline, load_history, load_timeline
from compatprobe.results.merge import merge_results
from compatprobe.results.model import Results, dumps, read_results
from compatprobe.run.interrupts import Interrupted
from compatprobe.saving import Saving
from compatprobe.saving import saving as begin_saving

__all__ = [
    "BCD_ENV",
    "DATA_PACKAGES",
    "WEB_FEATURES_ENV",
    "BcdComparison",
    "BcdData",
    "Diff",
    "Format",
    "History",
    "HistoryRun",
    "Interrupted",
    "Matrix",
    "Plan",
    "Planning",
    "Probe",
    "Resolved",
    "Results",
    "RunTrace",
    "Saving",
    "Selection",
    "Table",
    "TargetChoice",
    "Timeline",
    "WebFeatures",
    "WordedDiff",
    "add_probe",
    "applied_lines",
    "apply_bcd",
    "bcd_data",
    "bcd_leads",
    "builds_status",
    "collector_reports",
    "compare_bcd",
    "data_status",
    "diff",
    "execute",
    "fetch_builds",
    "fetch_data",
    "generated_check",
    "history",
    "history_timeline",
    "is_feature_id",
    "kept_line",
    "load_matrix",
    "load_results",
    "merge",
    "nothing_written",
    "output_format",
    "plan",
    "probe_files",
    "prune_builds",
    "render",
    "repin",
    "resolve_targets",
    "results_json",
    "run",
    "save",
    "saving",
    "since_when",
    "stopped_after_writing",
    "table",
    "targets",
    "web_features",
    "write_report",
]


@dataclass(frozen=True)
class Plan:
    """A run checked before any browser starts: the matrix, its chosen targets and the probes."""

    matrix: Matrix
    selection: Selection  # the probes: hand-written, and generated from the cached data
    targets: list[str] | None  # None: every target of the matrix
    secrets: Secrets

    @property
    def probes(self) -> list[Probe]:
        return self.selection.probes

    @property
    def probe_infos(self) -> list[ProbeInfo]:
        return [probe_info(p) for p in self.probes]

    def left_out(self) -> int:
        """How many probes under the probes folder (hand-written) this run does not take."""
        return left_out(self.matrix.probes_dir, self.probes)


@dataclass(frozen=True)
class TargetChoice:
    """The part of a plan that starting browsers needs, checked at once: the matrix, its chosen
    targets (`names`; None: every one) and the `${NAME}` values they use."""

    matrix: Matrix
    names: list[str] | None
    secrets: Secrets


def targets(
    matrix: str | Path | Matrix = "matrix.yaml",
    *,
    browsers: Sequence[str] | None = None,
    shard: str | None = None,
    env: Mapping[str, str] | None = None,
) -> TargetChoice:
    """Load the matrix and choose its targets as `plan` does, without choosing probes (a sweep's
    take most of a second)."""
    if not isinstance(matrix, Matrix):
        matrix = load_matrix(Path(matrix))
    matrix, wanted = expand_versions(matrix, list(browsers) if browsers else None)
    names = chosen_targets(matrix, wanted)
    if shard:
        names = shard_of(names or [t.name for t in matrix.targets], shard)
    environment = os.environ if env is None else env
    return TargetChoice(matrix, names, Secrets.of(referenced_variables(matrix, names, environment), environment))


def plan(
    matrix: str | Path | Matrix | TargetChoice = "matrix.yaml",
    *,
    browsers: Sequence[str] | None = None,
    probes: Sequence[str] | None = None,
    features: Sequence[str] | None = None,
    shard: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Plan:
    """Load and check what a run will do. `browsers`: target names or engines; `probes`: probe id
    patterns; `features`: BCD id patterns, generated probes included (default for both: the matrix's);
    `shard`: "I/N" of the chosen targets. Given `TargetChoice`, their matrix and targets are taken as they are."""
    chosen = matrix if isinstance(matrix, TargetChoice) else targets(matrix, browsers=browsers, shard=shard, env=env)
    matrix = chosen.matrix
    if probes or features:
        selection = choose(matrix.probes_dir, list(probes or []), list(features or []), source="-p/--probe")
    else:
        selection = choose(
            matrix.probes_dir,
            list(matrix.probes),
            list(matrix.features),
            source=str(matrix.path),
            line=matrix.probes_line,
            feature_source=str(matrix.path),
            feature_line=matrix.features_line,
        )
    return Plan(matrix, selection, chosen.names, chosen.secrets)


@dataclass(frozen=True)
class Planning:
    """A run whose plan is still being made, for `execute` to start the browsers of `targets`
    meanwhile. `plan` runs in a worker thread while they start (it must be made with
    `plan(targets, ...)`), and the probes start once it returns; `data` then runs in the same thread
    while they run, and returns the BCD data for the plan (None: none; without `data`,
    $COMPATPROBE_BCD's or the cache's, as `execute` loads it). What either raises (an InputError
    for a -f pattern that matches nothing, a missing BCD file), `execute` raises once every browser
    it started is closed, stopping the run if it had begun."""

    targets: TargetChoice
    plan: Callable[[], Plan]
    data: Callable[[Plan], BcdData | None] | None = None


def execute(
    planned: Plan | Planning,
    *,
    repeat: int = 1,
    concurrency: int | None = None,
    retries: int | None = None,
    progress: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    bcd: str | Path | BcdData | None = None,
) -> Results:
    """Run a plan in its browsers. `progress`: a stream for progress lines (None: silent). With BCD
    (`bcd`, else $COMPATPROBE_BCD, else the cache's), each target's BCD browser and release is recorded. Require
    paths that no browser has, and that BCD (or the cache) does not know, are marked `suspect` (a
    likely typo) instead of standing as browsers' gaps. Given a `Planning`, its browsers start while
    it is made, and BCD is what its `data` returns (`bcd` is not used).

    Raises `compatprobe.run.interrupts.Interrupted` on SIGINT or SIGTERM, after closing every browser and
    helper it started; its `partial` holds the targets that had finished (None when none had)."""
    # The worker thread is joined when the block ends, before anything is written: the report's
    # forked page writing (forked.py) needs no other thread alive.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="compatprobe-plan") as worker:
        made: Future[Plan]
        loaded: Future[BcdData | None]
        if isinstance(planned, Planning):
            chosen, made = planned.targets, worker.submit(_plan_of, planned)
            loaded = worker.submit(_data_of, planned, made)  # the same thread, once the plan is made
        else:
            chosen, made, loaded = TargetChoice(planned.matrix, planned.targets, planned.secrets), Future(), Future()
            made.set_result(planned)
            loaded.set_result(bcd if isinstance(bcd, BcdData) else bcd_data(bcd, planned.probe_infos))
        try:
            results = _run_probes(chosen, made, loaded, repeat, concurrency, retries, progress, env)
        except Interrupted as exc:
            if exc.partial is not None:  # the targets that finished, made ready like a whole run's
                data = None if loaded.cancelled() or loaded.exception() else loaded.result()
                _finish(made.result(), exc.partial, data)
            raise
    return _finish(made.result(), results, loaded.result())


def _plan_of(planning: Planning) -> Plan:
    planned = planning.plan()
    if planned.matrix is not planning.targets.matrix or planned.targets != planning.targets.names:
        raise ValueError("a Planning's plan must be made from its targets: plan(planning.targets, ...)")
    return planned


def _data_of(planning: Planning, made: Future[Plan]) -> BcdData | None:
    planned = made.result()
    return planning.data(planned) if planning.data is not None else bcd_data(None, planned.probe_infos)


def _run_probes(
    chosen: TargetChoice,
    made: Future[Plan],
    loaded: Future[BcdData | None],
    repeat: int,
    concurrency: int | None,
    retries: int | None,
    progress: TextIO | None,
    env: Mapping[str, str] | None,
) -> Results:
    from compatprobe.run.progress import Progress
    from compatprobe.run.runner import run_probes

    async def probes() -> list[Probe]:  # awaited in the run's event loop while the browsers start
        return (await asyncio.wrap_future(made)).probes

    async def data() -> None:  # awaited while the probes run: its error stops them
        await asyncio.wrap_future(loaded)

    return asyncio.run(
        run_probes(
            chosen.matrix,
            made.result().probes if made.done() else probes,
            target_names=chosen.names,
            progress=Progress(ScrubbingStream(progress, chosen.secrets) if progress is not None else None),
            concurrency=concurrency,
            retries=retries,
            env=os.environ if env is None else env,
            repeat=repeat,
            loading=None if loaded.done() else data,
        )
    )


def _finish(planned: Plan, results: Results, data: BcdData | None) -> Results:
    results.run.generated = planned.selection.generated
    # Servers may quote what they were sent (an URL, a header) in their errors.
    planned.secrets.scrub_data(results)
    mark_suspect_paths(results, data)
    if data is not None:
        record_mappings(results, data)
    return results


def run(
    matrix: str | Path | Matrix = "matrix.yaml",
    *,
    browsers: Sequence[str] | None = None,
    probes: Sequence[str] | None = None,
    features: Sequence[str] | None = None,
    repeat: int = 1,
    progress: TextIO | None = None,
    bcd: str | Path | BcdData | None = None,
) -> Results:
    """Run the matrix's probes (or those `probes` and `features` select) in its targets (or `browsers`):
    the results `compatprobe run` writes for the same arguments."""
    planned = plan(matrix, browsers=browsers, probes=probes, features=features)
    return execute(planned, repeat=repeat, progress=progress, bcd=bcd)


def _path(given: str | Path | None) -> Path | None:
    return Path(given) if given is not None else None


def load_results(path: str | Path) -> Results:
    """A results file, validated against its schema version."""
    return read_results(Path(path))


def results_json(results: Results) -> str:
    """The text of a results file."""
    return dumps(results)


def history(folder: str | Path, *, allow_empty: bool = False) -> list[HistoryRun]:
    """The runs kept in a history folder (see `save`), oldest first."""
    return load_history(Path(folder), allow_empty=allow_empty)


def history_timeline(folder: str | Path, *, allow_empty: bool = False, newest_whole: bool = True) -> History:
    """A history folder as its table needs it: `.newest`, the newest run whole, and `.timeline`, every
    other run folded in as it is read (each cell's outcomes by browser version), so that
    `table(h.newest, history=h.timeline)` is its table. Without `newest_whole` (a run that adds its
    own), `.newest` is None and `.timeline` holds every run. Only one run is ever held whole."""
    return load_timeline(Path(folder), allow_empty=allow_empty, newest_whole=newest_whole)


def save(
    results: Results,
    path: str | Path,
    *,
    history: str | Path | None = None,
    report: Iterable[tuple[Path, PageText]] | None = None,
    also: Callable[[], None] | None = None,
) -> list[Path]:
    """Write a results file, a copy in a `history` folder and a `report`'s files (a table's pages,
    each a text or the function that renders it) so that all of them appear or none does: each is written beside
    its place first, then all are moved into place. When one cannot be written, none is replaced
    (the OSError names it and says so). A SIGINT or SIGTERM waits until they are in place; the
    Interrupted it then raises holds the files written (`wrote`). `also` is called last (writing a
    table to standard output, say). The files written: results, history copy, then the report's.
    The results file is written while the report's pages are: to overlap it with the making of
    the report as well, begin with `saving`."""
    with saving(results, path, history=history) as pending:
        return pending.save(report, also)


@contextmanager
def saving(results: Results, path: str | Path, *, history: str | Path | None = None) -> Iterator[Saving]:
    """Begin saving a run's files (see `save`) while the caller makes its report: the results file
    and history copy are written meanwhile, in a forked copy of this process where one can be made.
    `.save(report, also)` then stages the report and moves every file into place. Leaving the block
    without it leaves no file."""
    with begin_saving(results, Path(path), Path(history) if history is not None else None) as pending:
        yield pending


def merge(parts: Sequence[tuple[str | Path, Results]]) -> Results:
    """The results of a run's shards (each with the file it came from, for errors) as one."""
    return merge_results([(Path(path), results) for path, results in parts])


def bcd_data(given: str | Path | None, probes: Sequence[ProbeInfo], *, required: bool = False) -> BcdData | None:
    """MDN's browser-compat-data for these probes, from `given`, else $COMPATPROBE_BCD, else the cache
    ('compatprobe data fetch'); None when there is none (an InputError when `required`)."""
    return load_for(_path(given), list(probes), required=required)


def web_features(given: str | Path | None) -> WebFeatures | None:
    """web-features from `given`, else $COMPATPROBE_WEB_FEATURES, else the cache ('compatprobe data fetch');
    None when there is none."""
    return load_given(_path(given))


def compare_bcd(results: Results, bcd: str | Path | BcdData | None = None) -> BcdComparison:
    """Every observation next to what BCD (`bcd`, else $COMPATPROBE_BCD) says, agreeing or not."""
    data = bcd if isinstance(bcd, BcdData) else bcd_data(bcd, results.probes, required=True)
    assert data is not None
    return compare_with_bcd(results, data)


def table(
    results: Results,
    *,
    previous: Results | None = None,
    previous_name: str = "the previous run",
    history: Timeline | Sequence[Results | RunTrace] | None = None,
    bcd: str | Path | BcdData | None = None,
    web_features: str | Path | WebFeatures | None = None,
) -> Table:
    """The compatibility table of `results`. `previous` marks changes (its footnotes call it
    `previous_name`), `history` (the runs before `results` as a `Timeline`, as `history_timeline`
    reads them; or a list of runs, oldest first, `results` last or left out, each whole or its
    trace) adds version ranges, `bcd`
    (MDN's browser-compat-data) gives MDN's browser columns and marks contradictions, `web_features`
    adds Baseline badges."""
    data = bcd if isinstance(bcd, BcdData) or bcd is None else bcd_data(bcd, results.probes, required=True)
    features = web_features
    if features is not None and not isinstance(features, WebFeatures):
        features = load_web_features(Path(features))
    runs = history if history is None or isinstance(history, Timeline) else list(history)
    if isinstance(runs, list) and (not runs or runs[-1] is not results):
        runs.append(results)
    return assemble_table(
        results,
        previous=Previous(previous, previous_name) if previous is not None else None,
        history=runs,
        bcd=data,
        web_features=features,
    )


def output_format(name: str, document: str = "table", template_dir: str | Path | None = None) -> Format:
    """The writer of one output format ("html", "md", "json", "text") for a document ("table",
    "diff", "bcd", "history"); `template_dir` holds templates of your own, searched first."""
    return get_format(name, document, _path(template_dir))  # type: ignore[arg-type]


def render(
    results: Results,
    format: str = "html",
    *,
    previous: Results | None = None,
    history: Timeline | Sequence[Results | RunTrace] | None = None,
    bcd: str | Path | BcdData | None = None,
    web_features: str | Path | WebFeatures | None = None,
    template_dir: str | Path | None = None,
) -> str:
    """The table of `results` as `format` ("html", "md" or "json"); the options are `table`'s. HTML is
    one page however large the table (the CLI's `--out` splits a large one into pages)."""
    made = table(results, previous=previous, history=history, bcd=bcd, web_features=web_features)
    return output_format(format, "table", template_dir).table(made)


def diff(old: Results, new: Results, old_name: str = "old", new_name: str = "new") -> WordedDiff:
    """What changed between two runs, every change classified (see `Diff.counts()`), with its words
    (`summary()`, `sections()`, each change's `before` and `after`)."""
    return worded(compare_runs(old, new, old_name, new_name))


def resolve_targets(matrix: str | Path | Matrix = "matrix.yaml") -> list[Resolved]:
    """Which browser each target of the matrix would use on this machine, without starting any."""
    from compatprobe.browsers.resolve import resolve_all  # Playwright: only this command needs it

    if not isinstance(matrix, Matrix):
        matrix = load_matrix(Path(matrix))
    matrix, _ = expand_versions(matrix, None)  # a target's versions, each a target of its own
    return asyncio.run(resolve_all(matrix))


def fetch_data(names: Sequence[str] | None = None, *, force: bool = False) -> list[cache.PackageStatus]:
    """Fetch the pinned data packages (`names`, default all) into the cache, each checked against its hash."""
    return cache.fetch(list(names) if names else None, force=force)


def data_status(names: Sequence[str] | None = None) -> list[cache.PackageStatus]:
    """Which version of each data package is cached, and whether it still matches its pin."""
    return cache.status(list(names) if names else None)


@dataclass(frozen=True)
class Repinned:
    before: dict[str, Pin]
    after: dict[str, Pin]
    written: Path | None  # the pin file, when a pin changed


def repin(names: Sequence[str] | None = None) -> Repinned:
    """Pin the registry's latest versions of the data packages, writing the pin file when one changed."""
    before = load_pins()
    after = cache.latest(list(names) if names else None)
    if after == before:
        return Repinned(before, after, None)
    save_pins(after)
    return Repinned(before, after, pin_file())


@dataclass(frozen=True)
class ListedProbe:
    """A probe file under the probes folder, whether the matrix runs it, and what it says (or why it cannot be read)."""

    id: str
    path: Path
    chosen: bool
    probe: Probe | None
    error: str | None = None


def probe_files(matrix: str | Path | Matrix = "matrix.yaml") -> list[ListedProbe]:
    """Every probe file under the matrix's probes folder, read one by one: a broken file is listed too."""
    if not isinstance(matrix, Matrix):
        matrix = load_matrix(Path(matrix))
    if not matrix.probes_dir.is_dir():
        raise InputError(f"probes folder {matrix.probes_dir} does not exist", path=matrix.path, hint="create it")
    found = discover(matrix.probes_dir)
    chosen = set(select([pid for pid, _ in found], list(matrix.probes)))
    listed = []
    for pid, path in found:
        try:
            listed.append(ListedProbe(pid, path, pid in chosen, parse_probe(path, pid)))
        except InputError as exc:
            listed.append(ListedProbe(pid, path, pid in chosen, None, exc.message))
    return listed


def is_feature_id(feature: str) -> bool:
    """Whether `feature` is written as a browser-compat-data id (api.Clipboard.readText)."""
    return FEATURE_ID.match(feature) is not None


def add_probe(matrix: str | Path | Matrix, probe_id: str, text: str) -> tuple[Path, bool]:
    """Write a new probe file (never over an existing one) and check that it reads; its path, and
    whether the matrix's probes take it."""
    if not isinstance(matrix, Matrix):
        matrix = load_matrix(Path(matrix))
    why = next(filter(None, (unsafe_name(part) for part in probe_id.split("/"))), None)
    if why or probe_id.startswith("_") or "/_" in probe_id:
        raise InputError(
            f"--id {probe_id}: not a probe id ({why or 'a part starts with _, which the probes listing skips'})",
            hint="write a path under the probes folder, such as Clipboard/readText",
        )
    path = matrix.probes_dir / f"{probe_id}.js"
    if path.exists():
        raise InputError("a probe file is already there", path=path, hint="choose another id with --id")
    write_atomic(path, text)
    parse_probe(path, probe_id)  # the text is a valid probe; a bug in its maker must not pass unnoticed
    return path, bool(select([probe_id], list(matrix.probes)))


@dataclass(frozen=True)
class CollectorReports:
    reports: dict[str, dict[str, object]]  # target name -> its report, valid for mdn-bcd-collector
    skipped: dict[str, str]  # target name -> why it cannot be exported


def collector_reports(results: Results, targets: Sequence[str] | None = None) -> CollectorReports:
    """One mdn-bcd-collector report per target (or those `targets`) that can be exported."""
    reports: dict[str, dict[str, object]] = {}
    skipped = {}
    for target in results.targets:
        if targets and target.name not in targets:
            continue
        why = collector.exportable(target)
        if why:
            skipped[target.name] = why
            continue
        report = collector.build_report(results, target)
        errors = collector.validate_report(report)
        if errors:  # a bug in compatprobe, not in the user's input
            raise AssertionError(f"the report for {target.name} is not valid: {'; '.join(errors)}")
        reports[target.name] = report
    return CollectorReports(reports, skipped)


def bcd_leads(results: Results, bcd: str | Path | BcdData) -> Leads:
    """The results compared with BCD, every contradiction triaged (lead, explained by BCD,
    environment, compatprobe's doubt) and a proposed BCD statement for each lead."""
    data = bcd if isinstance(bcd, BcdData) else bcd_data(bcd, results.probes, required=True)
    assert data is not None
    return find_leads(compare_with_bcd(results, data))


def apply_bcd(leads: Leads, clone: str | Path) -> Applied:
    """Write the leads' proposals into a local clone of mdn/browser-compat-data, formatted as BCD's
    linter wants; the ones that need a person are listed in `Applied.refused`, never written."""
    return apply_proposals(leads.proposals, Path(clone))


def builds_status() -> list[builds.BuildStatus]:
    """Every pinned Chromium build: whether it is cached, where, and its size on disk."""
    return builds.status_all()


def prune_builds(specs: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Remove what is not a complete pinned build from the cache, and the builds `specs` name:
    (name, bytes freed) for each."""
    return builds.prune(list(specs))


def since_when(results: Results, bcd: BcdData, format: str = "text", *, show_all: bool = False) -> str:
    """The brackets of the features observed in several builds of a target, judged against BCD's
    versions, in words ("" when no target has several builds, and for JSON)."""
    found = brackets([results], bcd) if format != "json" else []
    return "\n" + brackets_text(found, show_all=show_all) if found else ""
