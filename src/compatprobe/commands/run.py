"""Run probes in every target of the matrix (or those chosen with -b) and write the results file and
the compatibility table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from compatprobe import api
from compatprobe.commands import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_PROBE_ERRORS,
    TableOutput,
    loop_first,
    output_file,
    report_heap,
    report_paused,
    share_one_arena,
    table_output,
)
from compatprobe.commands.flags import (
    bcd_flag,
    compare_flag,
    matrix_flag,
    output_flags,
    selection_flags,
    web_features_flag,
)
from compatprobe.errors import InputError

NAME = "run"
SUMMARY = "run the matrix's probes in its browsers; write results and the table"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    matrix_flag(parser)
    parser.add_argument(
        "-b",
        "--browser",
        action="append",
        metavar="NAME",
        help="run only this target (by target name or engine); repeat for more",
    )
    selection_flags(parser)
    parser.add_argument(
        "--results",
        type=Path,
        default=Path("out/results.json"),
        metavar="PATH",
        help="where to write the results (default: out/results.json)",
    )
    parser.add_argument(
        "--history",
        type=Path,
        metavar="DIR",
        help="also keep the results in this folder, under a new name per run (UTC start time); "
        "the table then shows version ranges over every run kept there",
    )
    compare_flag(parser)
    parser.add_argument(
        "--concurrency",
        type=_at_least(1),
        metavar="N",
        help="run at most N targets at once (default: the matrix's 'concurrency', 8); browsers started on "
        "this machine are also limited by 'local_concurrency' (default: one per CPU)",
    )
    parser.add_argument(
        "--retries",
        type=_at_least(0),
        metavar="N",
        help="start or connect to each target's browser up to N more times after an infrastructure failure "
        "(default: the target's or matrix's 'retries'; else 2 for remote targets, 0 for local ones)",
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        help="run only the I-th of N equal, contiguous slices of the chosen targets (for CI runners; "
        "combine the results with 'compatprobe merge')",
    )
    parser.add_argument(
        "--repeat",
        type=_at_least(1),
        default=1,
        metavar="N",
        help="run each probe N times and mark outcomes that differ between runs as flaky (default: 1)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on standard error")
    bcd_flag(parser)
    web_features_flag(parser)
    output_flags(parser, "out/index.html", ("html", "md"))


def _at_least(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more")
        return value

    return parse


PROBE_ERRORS = ("syntax", "exception", "uncaught")  # reasons that mean the probe's own code broke


# A probe's message on a terminal line, at most; the results file keeps it whole (the harness's bound).
TERMINAL_MESSAGE = 300


def _shortened(message: str) -> str:
    if len(message) <= TERMINAL_MESSAGE:
        return message
    return f"{message[:TERMINAL_MESSAGE]}… ({len(message)} characters: the results file has them all)"


def probe_errors(results: api.Results, probes: list[api.Probe]) -> list[str]:
    """One line per probe that broke in a target: its file and line (when the browser gave one) and what broke."""
    files = {p.id: p.path for p in probes}
    lines = []
    for target in results.targets:
        for outcome in target.outcomes:
            if outcome.status == "error" and outcome.reason in PROBE_ERRORS:
                where = (
                    f"{files.get(outcome.probe, outcome.probe)}:{outcome.line}"
                    if outcome.line
                    else str(files.get(outcome.probe, outcome.probe))
                )
                lines.append(f"{where}: {target.name}: {_shortened(outcome.message or '')}")
    return lines


def output_paths(args: argparse.Namespace, planned: api.Plan) -> tuple[Path, Path | None]:
    """Where the results and the table go, checked before any browser starts (a folder gets the
    usual names inside it). A path that is one of the run's inputs would be destroyed by the run
    that reads it."""
    # A generated probe is no file: nothing of it to destroy (a sweep has 12,623).
    written = (p.path for p in planned.probes if p.generated is None)
    inputs = [planned.matrix.path, *written, *([args.compare] if args.compare else [])]
    results_path = output_file(args.results, "results.json", "--results", inputs)
    out_path = output_file(args.out, "index.html" if args.format == "html" else "index.md", "-o", inputs)
    if results_path is None:
        raise InputError(
            "--results -: the results must go to a file", hint="name a file, such as --results out/results.json"
        )
    if out_path is not None and out_path.resolve() == results_path.resolve():
        raise InputError(
            f"-o {args.out} and --results {args.results} name the same file", hint="give them different names"
        )
    if args.template_dir is not None and not args.template_dir.is_dir():
        raise InputError("template folder does not exist", path=args.template_dir)
    return results_path, out_path


def say_left_out(planned: api.Plan, args: argparse.Namespace) -> None:
    skipped = planned.left_out()
    if skipped:
        matrix = planned.matrix
        print(
            f"compatprobe: {skipped} of the probes under {matrix.probes_dir} are not selected by this run "
            f"({'-p' if args.probe else '-f' if args.feature else f'{matrix.path} probes'}); "
            "'compatprobe probes' lists them, "
            "-p PATTERN runs them",
            file=sys.stderr,
        )


def say_suspects(results: api.Results) -> None:
    for target in results.targets:
        for o in target.outcomes:
            if o.suspect:
                print(
                    f"compatprobe: {o.probe}: t.require path {o.path}: {o.suspect}; likely a typo in "
                    f"the probe, not a browser's gap (marked so in the results and the table)",
                    file=sys.stderr,
                )
                break


def write_outputs(
    args: argparse.Namespace, pending: api.Saving, output: TableOutput
) -> tuple[list[Path], api.Interrupted | None]:
    """Write the results, the history copy and the table's files all together or none of them, so
    that out/ holds one run or the other, never a mix (a table for standard output is printed once
    the files are in place). The results file and history copy written, and a signal that came
    meanwhile (it waited until every file was in place)."""
    came = None
    try:
        wrote = pending.save(output.files, output.write if output.files is None else None)
    except api.Interrupted as exc:
        if not exc.wrote:
            raise
        wrote, came = list(exc.wrote), exc
    own = 1 + (args.history is not None)
    if output.files is not None:
        output.written, output.left_alone = wrote[own:], pending.left_alone
    return wrote[:own], came


def handle(args: argparse.Namespace) -> int:
    try:
        return run_and_write(args)
    except api.Interrupted as exc:  # before any file was written: the last line says so
        print(f"compatprobe: {api.nothing_written(str(exc))}", file=sys.stderr)
        return exc.exit_code


@dataclass
class Inputs:
    """What a run reads besides the matrix, in the order a bad one is reported: the probes and where
    the outputs go (`plan_inputs`), then the previous run, the history, BCD and web-features
    (`data_inputs`)."""

    planned: api.Plan
    results_path: Path
    out_path: Path | None
    previous: api.Results | None = None
    history: api.Timeline | None = None
    bcd: api.BcdData | None = None
    features: api.WebFeatures | None = None


def plan_inputs(args: argparse.Namespace, chosen: api.TargetChoice) -> Inputs:
    planned = api.plan(chosen, probes=args.probe, features=args.feature)
    results_path, out_path = output_paths(args, planned)
    if not args.quiet:
        say_left_out(planned, args)
    return Inputs(planned, results_path, out_path)


def data_inputs(args: argparse.Namespace, inputs: Inputs) -> api.BcdData | None:
    """The data the table needs, into `inputs`; the BCD data, for the run's records."""
    inputs.previous = api.load_results(args.compare) if args.compare else None
    if args.history:
        inputs.history = api.history_timeline(args.history, allow_empty=True, newest_whole=False).timeline
    inputs.bcd = api.bcd_data(args.bcd, inputs.planned.probe_infos)
    inputs.features = api.web_features(args.web_features)
    return inputs.bcd


def generates(args: argparse.Namespace, chosen: api.TargetChoice) -> bool:
    """Whether the run's probes are generated from feature patterns (-f, or the matrix's `features`
    when neither -p nor -f is given): choosing them and loading BCD for them takes about a second."""
    return bool(args.feature) or (not args.probe and bool(chosen.matrix.features))


def run_reading_inputs(
    args: argparse.Namespace, chosen: api.TargetChoice, read: list[Inputs], hold: Callable[[], None]
) -> api.Results:
    """The run, with its inputs (put in `read`) read before it when its probes are a few hand-written
    ones. Generated ones take about a second to choose, and their data as long to load: the browsers
    then start meanwhile, and the data loads while the probes run (api.Planning); a bad input is
    reported once every browser started is closed, as it was before any started. `hold` keeps the
    plan and the data out of the collector's walks (report_heap): they live until the report is
    written, and a sweep's full collections among them took 0.2 s of the run's CPU. No collection
    while they are made (report_paused): the first after the plan walked all of it (0.04 to 0.06 s)."""
    options = {"repeat": args.repeat, "concurrency": args.concurrency, "retries": args.retries}
    progress = None if args.quiet else sys.stderr
    if not generates(args, chosen):
        with report_paused(hold):
            read.append(plan_inputs(args, chosen))
            bcd = data_inputs(args, read[0])
        return api.execute(read[0].planned, bcd=bcd, progress=progress, **options)

    def plan() -> api.Plan:
        with report_paused(hold):
            read.append(plan_inputs(args, chosen))
        return read[0].planned

    def data(planned: api.Plan) -> api.BcdData | None:
        with report_paused(hold):
            return data_inputs(args, read[0])

    planning = api.Planning(chosen, plan, data)
    share_one_arena()  # before the plan's thread allocates
    with loop_first():
        return api.execute(planning, progress=progress, **options)


def run_and_write(args: argparse.Namespace) -> int:
    """The run, its files and its lines; exit 128 + N when a signal stopped it after it wrote its files."""
    with report_heap() as hold:
        return _run_and_write(args, hold)


def _run_and_write(args: argparse.Namespace, hold: Callable[[], None]) -> int:
    chosen = api.targets(args.matrix, browsers=args.browser, shard=args.shard)
    read: list[Inputs] = []
    stopped: api.Interrupted | None = None
    try:
        results = run_reading_inputs(args, chosen, read, hold)
    except api.Interrupted as exc:  # the targets that finished are written as a partial run, then it exits 128 + N
        if exc.partial is None:
            raise
        results, stopped = exc.partial, exc
    with report_paused(hold):  # the results, made during the run, are held with the table
        return _report(args, read[0], results, stopped)


def _report(args: argparse.Namespace, inputs: Inputs, results: api.Results, stopped: api.Interrupted | None) -> int:
    """The run's files and lines; exit 128 + N when a signal stopped it after it wrote its files."""
    planned, bcd, features, previous = inputs.planned, inputs.bcd, inputs.features, inputs.previous
    results_path, out_path, history = inputs.results_path, inputs.out_path, inputs.history
    if not args.quiet:
        say_suspects(results)
    # The results file is written while the table is made (api.saving).
    with api.saving(results, results_path, history=args.history) as pending:
        table = api.table(
            results, previous=previous, previous_name=str(args.compare), history=history, bcd=bcd, web_features=features
        )
        fmt = api.output_format(args.format, "table", args.template_dir)
        output = table_output(fmt, table, str(out_path) if out_path is not None else "-")
        wrote, came = write_outputs(args, pending, output)
    said = [*map(str, wrote), output.said()]
    if stopped is not None:  # the last line says which files hold what
        print(f"compatprobe: {api.kept_line(str(stopped), results, stopped.finished, said)}", file=sys.stderr)
        return stopped.exit_code
    if came is not None:
        print(f"compatprobe: {api.stopped_after_writing(str(came), said)}", file=sys.stderr)
        return came.exit_code
    broken = probe_errors(results, planned.probes)
    if not args.quiet:
        print(f"compatprobe: wrote {', '.join(said[:-1])} and {said[-1]}", file=sys.stderr)
        if bcd is None or features is None:
            missing = " or ".join(
                w for w, none in (("BCD columns", bcd is None), ("Baseline badges", features is None)) if none
            )
            print(
                f"compatprobe: the table has no {missing}: run 'compatprobe data fetch' once to add them",
                file=sys.stderr,
            )
        if previous:
            changes = api.diff(previous, results)
            print(f"compatprobe: since {args.compare}: {changes.summary()}", file=sys.stderr)
    for line in broken:
        print(f"compatprobe: probe error: {line}", file=sys.stderr)
    if not results.complete:
        return EXIT_PARTIAL
    return EXIT_PROBE_ERRORS if broken else EXIT_OK
