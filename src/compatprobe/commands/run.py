"""`compatprobe run`: probes in browsers, then the results file and the table."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from compatprobe.bcd.data import BcdData, bcd_path, load_bcd
from compatprobe.bcd.mapping import map_target
from compatprobe.commands import EXIT_OK, EXIT_PARTIAL, EXIT_PROBE_ERRORS, add_command, emit, output_file, output_flags
from compatprobe.commands.bcd import add_bcd_flag, load_for
from compatprobe.commands.render import compare_flag, render_results
from compatprobe.config.envvars import ScrubbingStream, Secrets
from compatprobe.config.matrix import Matrix, launch_references, load_matrix
from compatprobe.diff.compare import compare
from compatprobe.errors import InputError
from compatprobe.probes.loader import Probe, discover, load_probes
from compatprobe.results.history import load_history, save_to_history
from compatprobe.results.model import Results, read_results, write_results
from compatprobe.results.suspects import Suspect, bcd_candidates, mark_suspects
from compatprobe.run.interrupts import deferred
from compatprobe.run.progress import Progress


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "run",
        "run the matrix's probes in its browsers; write results and the table",
        "Run probes in every target of the matrix (or those chosen with -b) and write "
        "the results file and the compatibility table.",
    )
    parser.add_argument(
        "-m", "--matrix", type=Path, default=Path("matrix.yaml"), help="matrix file (default: ./matrix.yaml)"
    )
    parser.add_argument(
        "-b",
        "--browser",
        action="append",
        metavar="NAME",
        help="run only this target (by target name or engine); repeat for more",
    )
    parser.add_argument(
        "-p",
        "--probe",
        action="append",
        metavar="PATTERN",
        help="run only probes whose id matches this pattern, e.g. 'RTCPeerConnection/removeTrack*'; "
        "repeat for more (default: the matrix's 'probes')",
    )
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
    add_bcd_flag(parser)
    output_flags(parser, "out/index.html", ("html", "md"))
    parser.set_defaults(handler=handle)


def chosen_targets(matrix: Matrix, wanted: list[str] | None) -> list[str] | None:
    """Target names for -b values (a target name or an engine); None means all."""
    if not wanted:
        return None
    names = [t.name for t in matrix.targets]
    chosen: list[str] = []
    for want in wanted:
        hits = [t.name for t in matrix.targets if want in (t.name, t.engine)]
        if not hits:
            close = difflib.get_close_matches(want, names + [t.engine for t in matrix.targets], n=1)
            raise InputError(
                f"-b {want}: no target or engine of that name in the matrix",
                path=matrix.path,
                hint=f"did you mean '{close[0]}'?" if close else f"targets: {', '.join(names)}",
            )
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def record_mappings(results: Results, bcd: BcdData) -> None:
    """Record in the results which BCD browser and release each target is."""
    for target in results.targets:
        target.bcd = map_target(target, bcd.browsers, bcd.version).to_dict()


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


def referenced_variables(matrix: Matrix, names: list[str] | None, env: Mapping[str, str]) -> list[str]:
    """The `${NAME}`s the chosen targets use; a missing one is an input error (exit 2, nothing run)."""
    used: list[str] = []
    for target in matrix.targets:
        if names is not None and target.name not in names:
            continue
        for launch in target.use:
            for name in launch_references(launch):
                if name not in env:
                    raise InputError(
                        f"target '{target.name}': environment variable {name} is not set",
                        path=matrix.path,
                        line=launch.line or target.line,
                        hint=f"export {name}=... before the run, or choose other targets with -b",
                    )
                used.append(name)
    return used


def shard_of(names: list[str], shard: str) -> list[str]:
    """The I-th of N contiguous slices of `names` ("2/3"); slices differ in size by one at most."""
    try:
        index, count = (int(part) for part in shard.split("/"))
    except ValueError:
        index = count = 0
    if not 1 <= index <= count:
        raise InputError(f"--shard {shard}: expected I/N with 1 <= I <= N, such as 1/3")
    start, end = (len(names) * (index - 1)) // count, (len(names) * index) // count
    return names[start:end]


PROBE_ERRORS = ("syntax", "exception", "uncaught")  # reasons that mean the probe's own code broke


def probe_errors(results: Results, probes: list[Probe]) -> list[str]:
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
                lines.append(f"{where}: {target.name}: {outcome.message}")
    return lines


def suspect_paths(results: Results, given_bcd: Path | None) -> list[Suspect]:
    """Mark require paths no browser has and BCD (when given) does not know; see results/suspects.py."""
    known = None
    path = bcd_path(given_bcd)
    if path is not None:
        missing = {o.path for t in results.targets for o in t.outcomes if o.path}
        data = load_bcd(path, [i for m in missing for i in bcd_candidates(m)])

        def known(name: str) -> bool:
            return any(data.features.get(i) is not None for i in bcd_candidates(name))

    return mark_suspects(results, known)


def left_out(matrix: Matrix, probes: list[Probe]) -> int:
    """How many probes under the probes folder this run does not take."""
    return len(discover(matrix.probes_dir)) - len(probes)


def handle(args: argparse.Namespace) -> int:
    from compatprobe.run.runner import probe_info, run

    matrix = load_matrix(args.matrix)
    targets = chosen_targets(matrix, args.browser)
    if args.shard:
        targets = shard_of(targets or [t.name for t in matrix.targets], args.shard)
    if args.probe:
        probes = load_probes(matrix.probes_dir, args.probe, source="-p/--probe")
    else:
        probes = load_probes(matrix.probes_dir, list(matrix.probes), source=str(matrix.path), line=matrix.probes_line)
    # Where the files go, checked before any browser starts: a folder gets the usual names inside it.
    results_path = output_file(args.results, "results.json", "--results")
    out_path = output_file(args.out, "index.html" if args.format == "html" else "index.md", "-o")
    if results_path is None:
        raise InputError(
            "--results -: the results must go to a file", hint="name a file, such as --results out/results.json"
        )
    if out_path is not None and out_path.resolve() == results_path.resolve():
        raise InputError(
            f"-o {args.out} and --results {args.results} name the same file", hint="give them different names"
        )
    skipped = left_out(matrix, probes)
    if skipped and not args.quiet:
        print(
            f"compatprobe: {skipped} of the probes under {matrix.probes_dir} are not selected by this run "
            f"({'-p' if args.probe else f'{matrix.path} probes'}); 'compatprobe probes' lists them, "
            "-p PATTERN runs them",
            file=sys.stderr,
        )
    # Fail on a missing template folder, a bad previous file, history or BCD data before spending a run on them.
    if args.template_dir is not None and not args.template_dir.is_dir():
        raise InputError("template folder does not exist", path=args.template_dir)
    previous = read_results(args.compare) if args.compare else None
    history = [r.results for r in load_history(args.history, allow_empty=True)] if args.history else None
    bcd = load_for(args.bcd, [probe_info(p) for p in probes])
    env = os.environ
    secrets = Secrets.of(referenced_variables(matrix, targets, env), env)
    results = run(
        matrix,
        probes,
        target_names=targets,
        progress=Progress(None if args.quiet else ScrubbingStream(sys.stderr, secrets)),
        concurrency=args.concurrency,
        retries=args.retries,
        env=env,
        repeat=args.repeat,
    )
    # Servers may quote what they were sent (an URL, a header) in their errors.
    secrets.scrub_data(results)
    for suspect in suspect_paths(results, args.bcd):
        if not args.quiet:
            print(
                f"compatprobe: {suspect.probe}: t.require path {suspect.path}: {suspect.why}; likely a typo in "
                "the probe, not a browser's gap (marked so in the results and the table)",
                file=sys.stderr,
            )
    if bcd is not None:
        record_mappings(results, bcd)
    wrote = [str(results_path)]
    text = render_results(
        results,
        args.format,
        args.template_dir,
        previous=(previous, str(args.compare)) if previous else None,
        history=[*history, results] if history is not None else None,
        bcd=bcd,
    )
    # A signal now waits until the files are in place: out/ holds one run or the other, never a mix.
    with deferred():
        write_results(results, results_path)
        if args.history:
            wrote.append(str(save_to_history(results, args.history)))
        emit(text, out_path if out_path is not None else "-")
    broken = probe_errors(results, probes)
    if not args.quiet:
        print(f"compatprobe: wrote {', '.join(wrote)} and {out_path or 'standard output'}", file=sys.stderr)
        if previous:
            print(f"compatprobe: since {args.compare}: {compare(previous, results).summary()}", file=sys.stderr)
    for line in broken:
        print(f"compatprobe: probe error: {line}", file=sys.stderr)
    if not results.complete:
        return EXIT_PARTIAL
    return EXIT_PROBE_ERRORS if broken else EXIT_OK
