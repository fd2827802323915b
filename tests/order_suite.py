"""The order-independence suite: probes of tests/fixtures/features shuffled among the shipped
probes and 1,000 generated existence probes (members of real interfaces, bench/members.txt).

Probe ids sort the run, so each file is copied under a rank from a seeded shuffle; feature ids
stay as they were, and outcomes are compared by feature. Shared by tests/test_any_feature.py and
bench/order.py (the 10-repeat sweep).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "tests" / "fixtures" / "features"
GENERATED = 1000

EXISTS = """/*---
feature: api.Generated.{interface}_{member}
title: "{interface}.{member} exists"
---*/
t.require("{interface}");
const holder = "{member}" in {interface} ? {interface} : {interface}.prototype;
t.check("{member}" in Object(holder), "{interface}.{member} is not defined");
"""


def members() -> list[tuple[str, str]]:
    pairs = []
    for line in (ROOT / "bench" / "members.txt").read_text().splitlines():
        interface, *names = line.split()
        pairs.extend((interface, name) for name in names if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name))
    return pairs


def sources(folder: Path) -> list[tuple[str, str]]:
    """(id, text) of every probe file under a probes folder."""
    return sorted((p.relative_to(folder).with_suffix("").as_posix(), p.read_text()) for p in folder.rglob("*.js"))


def write_suite(folder: Path, seed: int, *, generated: int = GENERATED, targets: list[str] | None = None) -> Path:
    """A probes folder holding the shuffled suite and a matrix for it; returns the matrix path."""
    texts: list[tuple[str, str]] = []
    texts += [(f"features-{i}", t) for i, t in sources(FEATURES / "probes")]
    texts += [(f"shipped-{i}", t) for i, t in sources(ROOT / "probes")]
    pairs = members()[:generated]
    texts += [(f"exists-{a}-{m}", EXISTS.format(interface=a, member=m)) for a, m in pairs]
    random.Random(seed).shuffle(texts)
    probes = folder / "probes"
    for rank, (name, text) in enumerate(texts):
        path = probes / f"{rank:04d}-{name.replace('/', '-')}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return write_matrix(folder, probes, targets)


def write_matrix(folder: Path, probes: Path, targets: list[str] | None = None) -> Path:
    matrix = yaml.safe_load((FEATURES / "matrix.yaml").read_text())
    matrix["probes_dir"] = str(probes)
    if targets is not None:
        matrix["targets"] = [t for t in matrix["targets"] if t["name"] in targets]
    path = folder / "matrix.yaml"
    path.write_text(yaml.safe_dump(matrix, sort_keys=False))
    return path
