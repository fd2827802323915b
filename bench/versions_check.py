"""Contradicted BCD versions from bench/versions.py, sampled for checking by hand: each feature's
question evaluated directly (tests/generated_checks.py, no harness) in the two builds either side
of the change, next to BCD's statement.

    .venv/bin/python bench/versions_check.py FIGURES.json --builds DIR [N]

Prints Markdown, one line per contradiction, drawn with a fixed seed, one per BCD group first.
Whether each is BCD's error, the branch-point effect or the generator's is for the reader to say.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from compatprobe.data.builds import binary_of, chosen  # noqa: E402
from compatprobe.features import group_of  # noqa: E402
from compatprobe.probes.select import choose  # noqa: E402
from direct import evaluate_many, evaluate_many_in_build  # noqa: E402
from generated_checks import direct_expression  # noqa: E402

SYSTEM = 156  # Debian's Chromium, launched by tests/direct.py's defaults


def evaluate(major: int, expressions: dict[str, str]) -> dict[str, Any]:
    if major == SYSTEM:
        return evaluate_many("chromium", expressions)
    (pin,) = chosen(f"chromium@{major}")
    return evaluate_many_in_build(str(binary_of(pin)), expressions)


def ask(major: int, expressions: dict[str, str], attempts: int = 4, seconds: float = 120) -> dict[str, Any]:
    """evaluate() in a child process group of its own, killed and tried again when it hangs
    (some builds, 127, 132 and 137, now and then never open a page)."""
    for _ in range(attempts):
        child = subprocess.Popen(
            [sys.executable, __file__, "--one", str(major), "--builds", os.environ["COMPATPROBE_BUILDS"], "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            out, _ = child.communicate(json.dumps(expressions), timeout=seconds)
            if child.returncode == 0:
                return json.loads(out)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        print(f"<!-- {major}: no answer, tried again -->", file=sys.stderr)
    raise SystemExit(f"Chromium {major} gave no answer in {attempts} launches")


MAJORS = sorted([p.major for p in chosen("chromium@*")] + [SYSTEM])


def _bcd_version(item: dict[str, Any], key: str) -> int | None:
    statement = item["bcd"][0] if isinstance(item["bcd"], list) else item["bcd"]
    text = str((statement or {}).get(key) or "").removeprefix("≤")
    return int(text.split(".")[0]) if text.split(".")[0].isdigit() else None


def pair(item: dict[str, Any]) -> tuple[int, int] | None:
    """The two builds either side of the change the agreement is about: the observed change, or,
    when the feature was there from the oldest build or after BCD's removal, BCD's version."""
    evidence = item.get("evidence")
    if evidence and evidence[1] is not None:
        return evidence[1], evidence[2]
    version = _bcd_version(item, "version_removed" if evidence is None else "version_added")
    if version is None or not MAJORS[0] < version <= MAJORS[-1]:
        return None
    after = next(m for m in MAJORS if m >= version)
    return MAJORS[MAJORS.index(after) - 1], after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", type=Path)
    parser.add_argument("--builds", type=Path, required=True)
    parser.add_argument("n", type=int, nargs="?", default=20)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["COMPATPROBE_BUILDS"] = str(args.builds)
    if args.one:
        return print(json.dumps(evaluate(args.one, json.loads(sys.stdin.read()))))
    items = [c for c in json.loads(args.figures.read_text())["brackets"]["contradictions"] if pair(c)]
    # One per change and interface first, so that one change of many members does not fill the sample.
    by_group: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for item in items:
        by_group.setdefault((*(pair(item) or ()), group_of(item["feature"])), []).append(item)
    rng = random.Random(24)
    groups = sorted(by_group, key=str)
    rng.shuffle(groups)
    # Changes not yet sampled come first.
    rank = {g: sum(h[:2] == g[:2] for h in groups[:i]) for i, g in enumerate(groups)}
    groups.sort(key=rank.__getitem__)
    picked = [rng.choice(by_group[g]) for g in groups[: args.n]]
    sources = {p.id: p.source for p in choose(ROOT / "probes", [], [c["feature"] for c in picked]).probes}
    questions: dict[int, dict[str, str]] = {}
    for item in picked:
        for major in pair(item) or ():
            questions.setdefault(major, {})[item["feature"]] = direct_expression(sources[item["feature"]])
    answers = {major: ask(major, expressions) for major, expressions in sorted(questions.items())}
    for item in picked:
        before, after = pair(item) or (0, 0)
        said = [answers[m][item["feature"]] for m in (before, after)]
        words = [a.get("value", a.get("error")) for a in said]
        print(
            f"- `{item['feature']}`: direct {words[0]} in {before}, {words[1]} in {after}; "
            f"BCD `{json.dumps(item['bcd'])}`; {item['reason']}"
        )


if __name__ == "__main__":
    main()
