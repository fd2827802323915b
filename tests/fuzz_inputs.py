"""Seeded hostile inputs (matrices, probe metadata, results files) for tests/test_fuzz.py.

Every input is bad on purpose, and every command it is given to fails before any browser starts
(the matrices' targets name an executable that does not exist, so a mutation that missed would end
in an unavailable target, not a browser). `python tests/fuzz_inputs.py` prints the counts.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compatprobe.cli import main
from compatprobe.results.model import write_results
from factories import make_results

TARGETS = """targets:
  - name: chromium
    engine: chromium
    use:
      - playwright: {executable: /nonexistent/compatprobe-fuzz/chromium}
"""
UNSAFE_PORTS = [1719, 1720, 1723, 2049, 3659, 4045, 5060, 5061, 6000, 6566, 6665, 6669, 6697, 10080]
GOOD_PROBE = '/*---\nfeature: api.Thing.method\ntitle: "method() exists"\n---*/\nt.require("Thing");\n'


@dataclass(frozen=True)
class Case:
    kind: str  # matrix, probe or results
    label: str
    make: Callable[[Path], list[str]]  # writes the input in a folder; returns the command's arguments


@dataclass(frozen=True)
class Outcome:
    case: Case
    code: int
    stdout: str
    stderr: str
    traceback: str | None  # an exception that escaped main()
    outputs_kept: bool


def _deep(opening: str, closing: str, depth: int) -> str:
    return opening * depth + closing * depth


def _laughs(levels: int) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


# Matrix mutations: each gives the text of a matrix that must be refused.
MATRIX_MUTATIONS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("empty version", lambda r: "version:\n" + TARGETS.replace("use:", "use:", 1) + "probes: [\n"),
    ("empty use entry", lambda r: "version: 1\ntargets:\n  - name: c\n    engine: chromium\n    use:\n      -\n"),
    ("empty targets", lambda r: "version: 1\ntargets:\n"),
    ("complex key", lambda r: "? [a, b]\n: 1\n" + TARGETS),
    ("complex key in target", lambda r: TARGETS + "    ? {x: 1}\n    : 2\n"),
    ("recursive alias", lambda r: "version: 1\nprobes: &a [*a]\n" + TARGETS),
    ("recursive mapping", lambda r: "version: 1\nfeatures: &b {x: *b}\n" + TARGETS),
    ("deep list", lambda r: "version: 1\nprobes: " + _deep("[", "]", r.randint(200, 6000)) + "\n" + TARGETS),
    ("deep mapping", lambda r: "probes: " + _deep("{a: ", "}", r.randint(200, 3000)) + "\n" + TARGETS),
    ("billion laughs", lambda r: _laughs(r.randint(6, 9)) + TARGETS),
    ("laughs in args", lambda r: _laughs(7).replace("\n", "\n", 1) + TARGETS + f"        args: *{chr(96 + 7)}\n"),
    ("timeout 2^31", lambda r: f"probe_timeout_ms: {2**31 + r.randint(0, 10**6)}\n" + TARGETS),
    ("timeout huge", lambda r: f"probe_timeout_ms: {10 ** r.randint(10, 400)}\n" + TARGETS),
    ("target timeout huge", lambda r: f"target_timeout_s: {2**31 + r.randint(0, 9)}\n" + TARGETS),
    ("privileged port", lambda r: f"probe_port: {r.randint(1, 1023)}\n" + TARGETS),
    (
        "unsafe port",
        lambda r: f"probe_port: {r.choice(UNSAFE_PORTS)}\n" + TARGETS,
    ),
    ("port float", lambda r: "probe_port: 80.5\n" + TARGETS),
    ("version float", lambda r: "version: 1.0\n" + TARGETS),
    ("version huge", lambda r: f"version: {'9' * r.randint(5000, 6000)}\n" + TARGETS),
    ("name not string", lambda r: TARGETS.replace("name: chromium", f"name: {r.choice(['[1]', '{a: 1}', '~', '1'])}")),
    ("engine null", lambda r: TARGETS.replace("engine: chromium", "engine:")),
    ("tab indent", lambda r: TARGETS.replace("    engine", "\tengine")),
    ("binary noise", lambda r: bytes(r.randrange(256) for _ in range(r.randint(1, 300))).decode("latin-1")),
    ("control chars", lambda r: "version: 1\x1b[2J\x07\n" + TARGETS),
    ("tag", lambda r: "version: !!python/object:os.system 1\n" + TARGETS),
    ("timestamp version", lambda r: "version: 2001-12-14\n" + TARGETS),
    ("bad escape in args", lambda r: TARGETS + '        args: ["\\x"]\n'),
    (
        "broken reference",
        lambda r: TARGETS.replace("executable: /nonexistent", "executable: ${A-B}/nonexistent") + "  - 3\n",
    ),
    (
        "merge key",
        lambda r: "base: &b {name: x}\n" + TARGETS.replace("- name: chromium", "- <<: *b\n    name: chromium"),
    ),
    ("probes_dir deep", lambda r: "probes_dir: " + "a/" * 3000 + "\n" + TARGETS + "  - 1\n"),
]


def _matrix_case(label: str, make_text: Callable[[random.Random], str], seed: int) -> Case:
    def make(folder: Path) -> list[str]:
        text = make_text(random.Random(seed))
        (folder / "matrix.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
        (folder / "probes").mkdir(exist_ok=True)
        (folder / "probes" / "a.js").write_text(GOOD_PROBE)
        return ["run", "-m", str(folder / "matrix.yaml"), "-q"]

    return Case("matrix", label, make)


def _special_matrix_cases() -> Iterator[Case]:
    def fifo(folder: Path) -> list[str]:
        os.mkfifo(folder / "matrix.yaml")
        return ["run", "-m", str(folder / "matrix.yaml"), "-q"]

    def huge(folder: Path) -> list[str]:
        # Larger than any matrix can be: a valid start, then 20 MB of comment.
        with (folder / "matrix.yaml").open("w") as handle:
            handle.write(TARGETS)
            handle.write(("# " + "x" * 1022 + "\n") * 20 * 1024)
        return ["run", "-m", str(folder / "matrix.yaml"), "-q"]

    def fifo_probe(folder: Path) -> list[str]:
        (folder / "matrix.yaml").write_text(TARGETS)
        (folder / "probes").mkdir()
        (folder / "probes" / "a.js").write_text(GOOD_PROBE)
        os.mkfifo(folder / "probes" / "y.js")
        return ["run", "-m", str(folder / "matrix.yaml"), "-q"]

    yield Case("matrix", "FIFO matrix", fifo)
    yield Case("matrix", "20 MB matrix", huge)
    yield Case("probe", "FIFO probe", fifo_probe)


# Probe metadata mutations: the YAML between /*--- and ---*/.
PROBE_MUTATIONS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("no title", lambda r: "feature: api.Thing.method"),
    ("empty title", lambda r: "feature: api.Thing.method\ntitle:"),
    ("complex key", lambda r: "feature: api.Thing.method\ntitle: x\n? [a]\n: 1"),
    ("recursive alias", lambda r: "feature: api.Thing.method\ntitle: x\nexposed: &a [*a]"),
    ("deep list", lambda r: "feature: api.Thing.method\ntitle: x\nexposed: " + _deep("[", "]", r.randint(200, 6000))),
    ("billion laughs", lambda r: _laughs(r.randint(6, 9)) + "feature: api.Thing.method\ntitle: x"),
    ("timeout 2^31", lambda r: f"feature: api.Thing.method\ntitle: x\ntimeout: {2**31 + r.randint(0, 10**6)}"),
    ("timeout huge", lambda r: f"feature: api.Thing.method\ntitle: x\ntimeout: {'9' * r.randint(5000, 6000)}"),
    ("exposed unknown", lambda r: "feature: api.Thing.method\ntitle: x\nexposed: [Moon]"),
    ("exposed mapping", lambda r: "feature: api.Thing.method\ntitle: x\nexposed: [{a: 1}]"),
    ("feature not id", lambda r: f"feature: {r.choice(['x', '../../x', 'api.', '~', '[1]'])}\ntitle: x"),
    ("title list", lambda r: "feature: api.Thing.method\ntitle: [a, b]"),
    ("tag", lambda r: "feature: api.Thing.method\ntitle: !!python/name:os.system x"),
    ("binary noise", lambda r: bytes(r.randrange(32, 127) for _ in range(r.randint(1, 200))).decode()),
    ("unknown key", lambda r: f"feature: api.Thing.method\ntitle: x\n{r.choice(['speck', 'x', '1', 'null'])}: y"),
    ("spec javascript", lambda r: "feature: api.Thing.method\ntitle: x\nspec: javascript:alert(1)"),
    ("mdn data url", lambda r: "feature: api.Thing.method\ntitle: x\nmdn: 'data:text/html,<b>x</b>'"),
]


def _probe_case(label: str, make_meta: Callable[[random.Random], str], seed: int) -> Case:
    def make(folder: Path) -> list[str]:
        (folder / "matrix.yaml").write_text(TARGETS)
        (folder / "probes").mkdir(exist_ok=True)
        meta = make_meta(random.Random(seed))
        (folder / "probes" / "a.js").write_text(f"/*---\n{meta}\n---*/\nt.require('Thing');\n")
        return ["run", "-m", str(folder / "matrix.yaml"), "-q"]

    return Case("probe", label, make)


def _results_text(data: object) -> str:
    return json.dumps(data)


def _valid_results() -> dict[str, object]:
    buffer = io.StringIO()
    from compatprobe.results.model import to_dict

    json.dump(to_dict(make_results()), buffer)
    return json.loads(buffer.getvalue())


# Results mutations: valid JSON (mostly) that is not what compatprobe wrote.
RESULTS_MUTATIONS: list[tuple[str, Callable[[random.Random, dict], str]]] = [
    ("deep brackets", lambda r, d: _deep("[", "]", r.randint(5000, 100_000))),
    ("deep objects", lambda r, d: _deep('{"a":', "}", r.randint(2000, 50_000)).replace("}", "1}", 1)),
    (
        "deep inside run",
        lambda r, d: _results_text({**d, "run": json.loads(_deep("[", "]", 500))}).replace(
            '"run": []', '"run": ' + _deep("[", "]", r.randint(2000, 50_000))
        ),
    ),
    (
        "huge schema_version",
        lambda r, d: _results_text(d).replace(
            '"schema_version": 3', '"schema_version": ' + "9" * r.randint(4400, 6000)
        ),
    ),
    ("schema_version 3.0", lambda r, d: _results_text(d).replace('"schema_version": 3', '"schema_version": 3.0')),
    ("schema_version 2.0", lambda r, d: _results_text(d).replace('"schema_version": 3', '"schema_version": 2.0')),
    ("schema_version 1e400", lambda r, d: _results_text(d).replace('"schema_version": 3', '"schema_version": 1e400')),
    ("schema_version string", lambda r, d: _results_text(d).replace('"schema_version": 3', '"schema_version": "3"')),
    ("schema_version NaN", lambda r, d: _results_text(d).replace('"schema_version": 3', '"schema_version": NaN')),
    (
        "huge number in run",
        lambda r, d: _results_text(d).replace(
            '"outcomes": [', '"attempts": ' + "7" * r.randint(4400, 9000) + ', "outcomes": [', 1
        ),
    ),
    ("top list", lambda r, d: "[1, 2, 3]"),
    ("top string", lambda r, d: '"results"'),
    ("no targets", lambda r, d: _results_text({k: v for k, v in d.items() if k != "targets"})),
    ("target not object", lambda r, d: _results_text({**d, "targets": [r.choice([1, "x", None, []])]})),
    ("outcome status unknown", lambda r, d: _results_text(d).replace('"supported"', '"maybe"', 1)),
    ("truncated", lambda r, d: _results_text(d)[: r.randint(1, len(_results_text(d)) - 2)]),
    ("invalid utf-8", lambda r, d: _results_text(d).replace("UA c", "UA \udcff")),
    ("lone surrogate", lambda r, d: _results_text(d).replace("closed!", "bad \\ud800")),
    ("duplicate key", lambda r, d: _results_text(d)[:-1] + ', "schema_version": "x"}'),
    ("extra key", lambda r, d: _results_text({**d, "evil": 1})),
]


def _results_case(label: str, mutate: Callable[[random.Random, dict], str], seed: int, command: str) -> Case:
    def make(folder: Path) -> list[str]:
        text = mutate(random.Random(seed), _valid_results())
        (folder / "r.json").write_bytes(text.encode("utf-8", "surrogateescape"))
        if command == "render":
            return ["render", str(folder / "r.json"), "-o", str(folder / "out" / "index.html")]
        if command == "render-md":
            return ["render", str(folder / "r.json"), "--format", "md", "-o", str(folder / "out" / "index.md")]
        if command == "diff":
            return [
                "diff",
                str(folder / "out" / "results.json"),
                str(folder / "r.json"),
                "-o",
                str(folder / "out" / "d.md"),
            ]
        return ["collector-report", str(folder / "r.json"), "-o", str(folder / "out" / "collector")]

    return Case("results", label, make)


def cases(seed: int = 23, count: int = 300) -> list[Case]:
    """`count` hostile inputs, about a third of each kind, chosen with `seed`."""
    rng = random.Random(seed)
    made: list[Case] = list(_special_matrix_cases())
    commands = ("render", "render-md", "diff", "collector")
    while len(made) < count:
        kind = rng.randrange(3)
        case_seed = rng.randrange(2**32)
        if kind == 0:
            label, make = rng.choice(MATRIX_MUTATIONS)
            made.append(_matrix_case(label, make, case_seed))
        elif kind == 1:
            label, make = rng.choice(PROBE_MUTATIONS)
            made.append(_probe_case(label, make, case_seed))
        else:
            label, mutate = rng.choice(RESULTS_MUTATIONS)
            made.append(_results_case(label, mutate, case_seed, rng.choice(commands)))
    return made


def earlier_outputs(folder: Path) -> dict[str, bytes]:
    """An out/ from an earlier run, which a failed command must leave byte for byte."""
    out = folder / "out"
    out.mkdir(parents=True, exist_ok=True)
    write_results(make_results(), out / "results.json")
    (out / "index.html").write_text("<!doctype html><title>earlier run</title>")
    (out / "index.md").write_text("earlier table\n")
    (out / "d.md").write_text("earlier diff\n")
    return snapshot(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Hung(Exception):
    pass


def _hung(signum: int, frame: object) -> None:
    raise Hung("no answer in time")


def try_case(case: Case, folder: Path, limit_s: int = 10) -> Outcome:
    folder.mkdir(parents=True)
    before = earlier_outputs(folder)
    args = case.make(folder)
    out, err = io.StringIO(), io.StringIO()
    failure = None
    code = -1
    with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        # A hang is a failure too: a case gets `limit_s` seconds.
        previous = signal.signal(signal.SIGALRM, _hung)
        signal.alarm(limit_s)
        try:
            code = main([*args, "--results", str(folder / "out" / "results.json")] if args[0] == "run" else args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # what would reach a user as a traceback
            failure = traceback.format_exc(limit=-3)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    return Outcome(case, code, out.getvalue(), err.getvalue(), failure, snapshot(folder / "out") == before)


def main_counts(root: Path, seed: int = 23, count: int = 300) -> list[Outcome]:
    return [try_case(case, root / f"{n:03d}") for n, case in enumerate(cases(seed, count))]


if __name__ == "__main__":
    import tempfile

    sys.setrecursionlimit(1000)
    with tempfile.TemporaryDirectory() as tmp:
        results = main_counts(Path(tmp))
    tracebacks = [r for r in results if r.traceback]
    bad = [
        r for r in results if not r.traceback and (r.code != 2 or len(r.stderr.splitlines()) != 1 or not r.outputs_kept)
    ]
    print(f"inputs: {len(results)}; tracebacks: {len(tracebacks)}; other failures: {len(bad)}")
    causes: dict[str, int] = {}
    for r in tracebacks:
        last = r.traceback.strip().splitlines()[-1][:120]
        causes[f"{r.case.kind}/{r.case.label}: {last}"] = causes.get(f"{r.case.kind}/{r.case.label}: {last}", 0) + 1
    for cause, n in sorted(causes.items()):
        print(f"  {n:3d} {cause}")
    for r in bad:
        print(f"  exit {r.code} kept={r.outputs_kept} {r.case.kind}/{r.case.label}: {r.stderr.strip()[:200]!r}")
