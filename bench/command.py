"""The command a user runs, timed whole: `compatprobe run` of the sweep (api, javascript,
css.properties) in a child process per run, repeated and interleaved, next to the runner alone
(bench/sweep.py's child) and the floor (the same questions in one page, no harness), taken again
in each round so that the runner's ratio to it pairs figures of the same minute.

    .venv/bin/python bench/command.py                        # chromium, firefox, all three; 3 runs each
    .venv/bin/python bench/command.py --repeat 5 chromium    # one engine
    .venv/bin/python bench/command.py --render               # `compatprobe render` of a sweep's results
    .venv/bin/python bench/command.py --profile chromium     # cProfile of one whole command: top costs
    .venv/bin/python bench/command.py --against /tmp/before  # the same, interleaved with another checkout
    .venv/bin/python bench/command.py --collector /work/collector --collector-node NODE26   # and the collector

Each run reports its wall time (process start to exit, as a shell's `time` would), when the last
outcome came in (the runner returned), the report phase after it (table, BCD, Baseline, results
file, every page), the peak RSS of the Python process (its own, not the browsers') and the CPU
time of its whole process tree (the browsers, Playwright's driver, the forked writers: the work
the command cost, which drifts less with the machine's speed than its wall time does; the
processes a killed browser leaves are reaped here, so they count too) and the system's share of
it. With --collector, mdn-bcd-collector (bench/collector.py) is timed in each round too, right after
the round's run of each engine, and each run's ratio to it is of the same minute. Figures are
medians with the spread (lowest to highest); the load average is recorded beside them. Prints a
table, writes JSON to bench/results/. Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SWEEP = ["api.*", "javascript.*", "css.properties.*"]
ENGINES = ("chromium", "firefox", "webkit")
# mdn-bcd-collector v10.20.7 on the same binaries as issue #26 gives them (medians of three, another
# day). Firefox's holds about 10 s that its own runner does not wait: a geolocation prompt nobody
# answered (bench/collector.py grants what its runner grants). --collector times it in the sitting.
COLLECTOR = {"chromium": 10.3, "firefox": 20.6}
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
# How long a command's orphans may take to exit after it has: killed browsers' processes go at once.
ORPHANS_GRACE_S = 2.0


def sweep_command(engines: list[str], out: Path) -> list[str]:
    flags = [f"-f={pattern}" for pattern in SWEEP]
    browsers = [arg for engine in engines for arg in ("-b", engine)]
    return ["run", *flags, *browsers, "-q", "--results", str(out / "results.json"), "-o", str(out / "index.html")]


def child(argv: list[str], profile: str | None, fd: int) -> None:
    """Run the CLI here as `compatprobe` would, timing the runner from inside; one JSON line on `fd`."""
    began = time.monotonic()

    from compatprobe import api
    from compatprobe.cli import main as cli_main

    marks: dict[str, float] = {}
    execute = api.execute

    def timed(*args: Any, **kwargs: Any) -> Any:
        marks["run_from"] = time.monotonic()
        try:
            return execute(*args, **kwargs)
        finally:
            marks["run_to"] = time.monotonic()

    # The run command calls api.execute through the module (commands/run.py): timed there. (It
    # looked for a name the command imported, which it no longer does: the runner went untimed.)
    api.execute = timed  # type: ignore[assignment]
    if profile:
        # bench/profile.py would stand for the standard library's `profile`, which cProfile imports.
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
        import cProfile

        profiler = cProfile.Profile()
        code = profiler.runcall(cli_main, argv)
        profiler.dump_stats(profile)
    else:
        code = cli_main(argv)
    ended = time.monotonic()
    report: dict[str, Any] = {"code": code, "inside_s": round(ended - began, 3)}
    if marks:
        report["before_run_s"] = round(marks["run_from"] - began, 3)
        report["runner_s"] = round(marks["run_to"] - marks["run_from"], 3)
        report["after_s"] = round(ended - marks["run_to"], 3)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time of the Python process: less moved by other work on a shared machine than wall time.
    report["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)
    report["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    report["marks"] = {"began": began, **marks}  # monotonic: the parent places its RSS samples by them
    with os.fdopen(fd, "w") as channel:
        channel.write(json.dumps(report) + "\n")
    # Then exit as the tree's own program does (the wall time counts it): cli.program freezes the
    # heap after main, so that the interpreter's last collection does not walk it (0.2 to 0.3 s).
    import gc

    from compatprobe import cli

    if hasattr(cli, "program"):
        gc.freeze()


def sample_memory(pid: int, samples: list[tuple[float, float]], done: threading.Event) -> None:
    """The child's RSS every 20 ms, read from here: a sampling thread inside it would be a second
    thread there, and the report shares its pages out with a forked copy only where it has none."""
    status = Path(f"/proc/{pid}/status")
    while not done.is_set():
        try:
            line = next(line for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
        except (OSError, StopIteration):  # not started yet, or gone
            line = ""
        if line:
            samples.append((time.monotonic(), int(line.split()[1]) / 1024))
        done.wait(0.02)


def phase_peaks(samples: list[tuple[float, float]], marks: dict[str, float]) -> dict[str, float]:
    """Each phase's peak of the samples: before the runner, while it runs, after it returns."""
    peaks = {"before": 0.0, "run": 0.0, "after": 0.0}
    for at, mb in samples:
        phase = "before" if at < marks.get("run_from", float("inf")) else "run" if at < marks["run_to"] else "after"
        peaks[phase] = max(peaks[phase], round(mb, 1))
    return peaks


def measure(argv: list[str], profile: str | None = None, tree: Path = ROOT) -> dict[str, Any]:
    """One child process: the whole command's wall time, and what it timed inside; `tree` is the
    checkout whose compatprobe (src/), templates and probes it runs."""
    read, write = os.pipe()
    extra = ["--fd", str(write), *(["--profile-to", profile] if profile else [])]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree / "src")
    with orphans_adopted() as adopted:
        own = set(_children())  # the bench's own helpers (the floor's browsers) are not the command's
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.monotonic()
        proc, err, samples = _watched([sys.executable, __file__, "--child", *extra, "--", *argv], tree, env, write)
        wall = time.monotonic() - began
        left_running = reap_orphans(own) if adopted else None
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    with os.fdopen(read) as channel:
        line = channel.read().strip()
    if not line:
        raise SystemExit(f"compatprobe {' '.join(argv)} gave no figures (exit {proc.returncode}):\n{err[-3000:]}")
    report = json.loads(line)
    report["peaks_mb"] = phase_peaks(samples, report.pop("marks"))  # sampled every 20 ms
    report["wall_s"] = round(wall, 3)
    report["tree_cpu_s"] = round(_tree_cpu(after) - _tree_cpu(before), 3)
    # The kernel's share, the part of the tree's CPU this virtual machine moves most: the same 137 MB
    # written into 3,433 new files took 0.13 to 2.9 s of it from one minute to the next.
    report["tree_sys_s"] = round(after.ru_stime - before.ru_stime, 3)
    report["left_running"] = left_running
    report["load"] = round(os.getloadavg()[0], 2)
    return report


def _watched(
    command: list[str], tree: Path, env: dict[str, str], write: int
) -> tuple[subprocess.Popen[str], str, list[tuple[float, float]]]:
    """The command run to its end, its RSS sampled meanwhile: the process, its stderr, the samples."""
    proc = subprocess.Popen(
        command, cwd=tree, env=env, pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    os.close(write)
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    watcher = threading.Thread(target=sample_memory, args=(proc.pid, samples, done), daemon=True)
    watcher.start()
    try:
        _, err = proc.communicate(timeout=3600)
    finally:
        done.set()
        watcher.join()
    return proc, err, samples


@contextlib.contextmanager
def orphans_adopted() -> Iterator[bool]:
    """This process reaps, meanwhile, the orphans of what it starts (PR_SET_CHILD_SUBREAPER). A
    browser killed at close (its process group, as compatprobe ends Chromium and Firefox) leaves its
    renderers to exit with no parent waiting: their CPU time reached no one's RUSAGE_CHILDREN, and a
    Chromium sweep's tree CPU read 8 s where it was 15 s. False where Linux's prctl is not there:
    tree CPU then omits them. Only meanwhile: the floor's browsers, killed in a helper process,
    are not the next command's."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        adopted = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        adopted = False
    try:
        yield adopted
    finally:
        if adopted:
            prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def reap_orphans(own: set[int], grace: float = ORPHANS_GRACE_S) -> int:
    """Reap the processes a command left to this one (orphans_adopted: its children not in `own`, the
    bench's own helpers such as the floor's browsers) as they exit; those still running after
    `grace` seconds are killed, reaped and counted: the command left them behind."""
    left = _reaped(own, grace)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _reaped(own, grace)
    return len(left)


def _reaped(own: set[int], seconds: float) -> list[int]:
    """Reap the orphans (children not in `own`) as they exit, for up to `seconds`: those still running."""
    deadline = time.monotonic() + seconds
    while orphans := [pid for pid in _children() if pid not in own]:
        running = [pid for pid in orphans if not _exited(pid)]
        if not running or time.monotonic() >= deadline:
            return running
        time.sleep(0.02)
    return []


def _exited(pid: int) -> bool:
    """Whether the child has exited (and is now reaped); one reaped already has."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] != 0
    except ChildProcessError:
        return True


def _children() -> list[int]:
    """The processes whose parent is this one (from /proc)."""
    me, found = os.getpid(), []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # After the command's name, which may hold spaces and parentheses: state, then the parent.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == me:
                found.append(int(stat.parent.name))
    return found


def _tree_cpu(used: resource.struct_rusage) -> float:
    """User and system time of this process's children that have ended, and of theirs that they
    waited for (RUSAGE_CHILDREN): a run's whole tree once it has ended and its orphans are reaped
    (orphans_adopted: a killed browser's renderers, WebKitGTK's web processes)."""
    return used.ru_utime + used.ru_stime


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and spread of every figure the runs share."""
    keys = [k for k in runs[0] if all(isinstance(r.get(k), int | float) for r in runs) and k != "code"]
    return {
        key: {
            "median": round(statistics.median(r[key] for r in runs), 3),
            "low": min(r[key] for r in runs),
            "high": max(r[key] for r in runs),
        }
        for key in keys
    }


def floors(engines: list[str]) -> dict[str, float]:
    """The floor per engine (bench/sweep.py's: the sweep's checks as plain expressions in one page)."""
    sys.path.insert(0, str(BENCH))
    from compatprobe.config.matrix import load_matrix
    from compatprobe.probes.select import choose
    from sweep import floor

    selection = choose(load_matrix(ROOT / "matrix.yaml").probes_dir, [], SWEEP)
    checks = {p.id: p.source for p in selection.probes if p.generated}
    return {engine: floor(engine, checks)["floor_s"] for engine in engines}


def _in_turn(trees: dict[str, Path], round_: int) -> list[tuple[str, Path]]:
    """The trees in the order of this round: each is first in every other round."""
    order = list(trees.items())
    return order if round_ % 2 else order[::-1]


def run_bench(
    sets: dict[str, list[str]],
    repeat: int,
    scratch: Path,
    trees: dict[str, Path],
    with_floor: bool = True,
    collector: Collector | None = None,
) -> dict[str, Any]:
    """Each set of engines in each tree `repeat` times, interleaved (one untimed round first: disk caches),
    the trees in turn first in a round: the first run after the floor's browsers, or after another
    set, was slower by 0.1 to 0.3 s (give an even `repeat`). With the floor, it is taken again in
    each timed round, just before the round's runs: this machine's speed drifts by a factor of two
    within the hour, so a ratio is only worth its two figures' minute. With `collector`, so is
    mdn-bcd-collector, right after the round's runs of each engine it is timed on."""
    runs: dict[str, list[dict[str, Any]]] = {f"{name}{tag}": [] for name in sets for tag in trees}
    engines_used = sorted({e for engines in sets.values() for e in engines})
    for round_ in range(repeat + 1):
        per = floors(engines_used) if round_ and with_floor else {}
        for name, engines in sets.items():
            for tag, tree in _in_turn(trees, round_):
                report = measure(sweep_command(engines, scratch / f"{name}{tag}"), tree=tree)
                if per:
                    report["floor_s"] = round(sum(per[e] for e in engines), 3)
                    if "runner_s" in report:
                        report["runner_per_floor"] = round(report["runner_s"] / report["floor_s"], 3)
                if round_:
                    runs[f"{name}{tag}"].append(report)
                print(f"{name}{tag}", json.dumps(report), flush=True)
            if round_ and collector is not None and name in collector.engines:
                collector_round(collector, name, [runs[f"{name}{tag}"][-1] for tag in trees])
    return {name: {"runs": r, **summary(r)} for name, r in runs.items()}


@dataclass
class Collector:
    """mdn-bcd-collector timed in the same sitting (bench/collector.py), its server at `url`."""

    checkout: Path
    url: str
    engines: tuple[str, ...]  # those it is timed on
    expected: int  # the results of a whole run (bench/collector.py: expected_results)


def collector_round(collector: Collector, engine: str, reports: list[dict[str, Any]]) -> None:
    """One run of the collector on `engine`, its seconds given to the round's reports of that engine
    with their ratio to it (figures of the same minute, as the floor's); none from a run that came
    back short of its results."""
    from collector import collector_seconds  # bench/collector.py: imports compatprobe and Playwright

    run = collector_seconds(engine, collector.checkout, collector.url)
    print(f"collector {engine}", json.dumps(run), flush=True)
    if run["results"] != collector.expected:  # a shorter run is not its time: no ratio to it
        print(f"collector {engine}: {run['results']} of {collector.expected} results, not counted", flush=True)
        return
    for report in reports:
        report["collector_s"] = run["seconds"]
        report["per_collector"] = round(report["wall_s"] / run["seconds"], 3)


def render_bench(repeat: int, scratch: Path, trees: dict[str, Path]) -> dict[str, Any]:
    """`compatprobe render` of the three-engine sweep's results (made by one run first), per tree."""
    out = scratch / "all"
    if not (out / "results.json").is_file():
        measure(sweep_command(list(ENGINES), out))
    runs: dict[str, list[dict[str, Any]]] = {tag: [] for tag in trees}
    for round_ in range(repeat + 1):
        for tag, tree in _in_turn(trees, round_):
            argv = ["render", str(out / "results.json"), "-o", str(scratch / f"render{tag}" / "index.html")]
            report = measure(argv, tree=tree)
            if round_:
                runs[tag].append(report)
            print(f"render{tag}", json.dumps(report), flush=True)
    return {f"render{tag}": {"runs": r, **summary(r)} for tag, r in runs.items()}


def profile(engines: list[str], scratch: Path, top: int) -> None:
    """One whole command under cProfile; the top costs by own time and by cumulative time."""
    import pstats

    stats_file = scratch / "profile.stats"
    report = measure(sweep_command(engines, scratch / "profiled"), str(stats_file))
    print(json.dumps(report))
    stats = pstats.Stats(str(stats_file))
    for order in ("tottime", "cumulative"):
        print(f"\ntop {top} by {order}:")
        stats.sort_stats(order).print_stats(top)


def print_table(figures: dict[str, Any]) -> None:
    def cell(entry: dict[str, Any], key: str) -> str:
        if key not in entry:
            return "-"
        f = entry[key]
        return f"{f['median']} ({f['low']}-{f['high']})"

    print(
        f"\n{'command':16} {'whole s':>20} {'runner s':>20} {'after s':>20} {'CPU s':>20} "
        f"{'tree CPU s':>22} {'of it system s':>20} {'floor s':>20} {'runner/floor':>20} {'peak MB':>8} load"
    )
    for name, entry in {**figures.get("commands", {}), **figures.get("render", {})}.items():
        engines = name.split(" ")[0]
        print(
            f"{name:16} {cell(entry, 'wall_s'):>20} {cell(entry, 'runner_s'):>20} {cell(entry, 'after_s'):>20} "
            f"{cell(entry, 'cpu_s'):>20} {cell(entry, 'tree_cpu_s'):>22} {cell(entry, 'tree_sys_s'):>20} "
            f"{cell(entry, 'floor_s'):>20} "
            f"{cell(entry, 'runner_per_floor'):>20} "
            f"{entry['peak_rss_mb']['median']:>8} {cell(entry, 'load')}"
            + (
                f"   collector {cell(entry, 'collector_s')} s, whole/collector {cell(entry, 'per_collector')}"
                if "collector_s" in entry
                else ""
            )
            + (f"   collector (issue) {COLLECTOR[engines]} s" if engines in COLLECTOR else "")
        )
        left = sum(run.get("left_running") or 0 for run in entry["runs"])
        if left:
            print(f"{'':16} left running after the command: {left} processes, killed by the bench")


PAIRED = ("wall_s", "runner_s", "after_s", "cpu_s", "tree_cpu_s", "tree_sys_s")


def paired(figures: dict[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """With --against: each figure's differences (this tree minus the other) between the runs of
    the same round, which ran seconds apart: on a machine whose speed drifts from minute to minute,
    the medians of each side compare less well than these."""
    found: dict[str, dict[str, dict[str, float]]] = {}
    for group in ("commands", "render"):
        entries = figures.get(group, {})
        for name, entry in entries.items():
            other = entries.get(f"{name} (against)") if group == "commands" else entries.get("render (against)")
            if name.endswith("(against)") or other is None:
                continue
            found[name] = {}
            for key in PAIRED:
                pairs = zip(entry["runs"], other["runs"], strict=True)
                diffs = [a[key] - b[key] for a, b in pairs if key in a and key in b]
                if diffs:
                    median = round(statistics.median(diffs), 3)
                    found[name][key] = {"median": median, "lower": sum(d < 0 for d in diffs), "pairs": len(diffs)}
    return found


def print_paired(found: dict[str, dict[str, dict[str, float]]]) -> None:
    if not found:
        return
    print("\nthis minus against, same rounds: median difference (pairs where this was lower)")
    for name, keys in found.items():
        parts = [f"{k.removesuffix('_s')} {v['median']:+.3f} s ({v['lower']} of {v['pairs']})" for k, v in keys.items()]
        print(f"{name:16} " + ", ".join(parts))


def bench(args: argparse.Namespace, sets: dict[str, list[str]], scratch: Path) -> None:
    """The measurements `args` ask for, printed and written to bench/results/."""
    figures: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "repeat": args.repeat}
    trees = {"": ROOT, " (against)": args.against.resolve()} if args.against else {"": ROOT}
    figures["trees"] = {tag or "this": str(tree) for tag, tree in trees.items()}
    with contextlib.ExitStack() as stack:
        collector = None
        if args.collector:
            sys.path.insert(0, str(BENCH))
            from collector import ENGINES as COLLECTED
            from collector import collector_server, expected_results

            checkout = args.collector.resolve()
            url = stack.enter_context(collector_server(checkout, args.collector_node))
            collector = Collector(checkout, url, COLLECTED, expected_results(checkout))
            figures["collector"] = str(checkout)
        figures["commands"] = run_bench(sets, args.repeat, scratch, trees, not args.no_floor, collector)
    if args.render:
        figures["render"] = render_bench(args.repeat, scratch, trees)
    if args.against:
        figures["paired"] = paired(figures)
    out = BENCH / "results" / f"command-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print_table(figures)
    print_paired(figures.get("paired", {}))
    print(f"\nfigures: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--render", action="store_true", help="also time `compatprobe render` of the sweep")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor")
    parser.add_argument(
        "--against", type=Path, metavar="TREE", help="also time another checkout (the commit before), interleaved"
    )
    parser.add_argument(
        "--collector", type=Path, metavar="DIR", help="also time mdn-bcd-collector from this built checkout"
    )
    parser.add_argument(
        "--collector-node", default=os.environ.get("COLLECTOR_NODE", "node"), help="Node for the collector's server"
    )
    parser.add_argument("--profile", action="store_true", help="profile one whole command instead of timing")
    parser.add_argument("--top", type=int, default=25, help="how many costs the profile lists")
    parser.add_argument("rest", nargs="*", help="chromium, firefox, webkit, all (default: chromium firefox all)")
    args = parser.parse_args()
    if args.child:
        child(args.rest, args.profile_to, args.fd)
        return
    names = args.rest or ["chromium", "firefox", "all"]
    sets = {name: list(ENGINES) if name == "all" else [name] for name in names}
    # Each run's pages and results (about 130 MB a sweep, a gigabyte a sitting): gone at the end.
    scratch = Path(tempfile.mkdtemp(prefix="compatprobe-command-"))
    try:
        if args.profile:
            profile(sets[names[0]], scratch, args.top)
        else:
            bench(args, sets, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
