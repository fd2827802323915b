"""Which probes a run gets: hand-written ones by id pattern (-p) or feature pattern (-f), and
generated ones by feature pattern. A hand-written probe of a feature replaces the generated one;
its behaviour probes (deeper ids) sit under the generated member's row, as under a hand-written one."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compatprobe.errors import InputError
from compatprobe.probes.loader import Probe, discover, load_probes


@dataclass
class Selection:
    probes: list[Probe]
    # For the results' run metadata (RunInfo.generated): data versions and what was not run, with why.
    generated: dict[str, Any] | None = None
    not_run: list[Probe] = field(default_factory=list)  # generated, exposed only where nothing runs (worklets)


def choose(
    probes_dir: Path,
    probe_patterns: list[str],
    feature_patterns: list[str],
    *,
    source: str = "-p/--probe",
    line: int | None = None,
    feature_source: str = "-f/--feature",
    feature_line: int | None = None,
    cache_dir: Path | None = None,
) -> Selection:
    chosen = load_probes(probes_dir, probe_patterns, source=source, line=line) if probe_patterns else []
    if not feature_patterns:
        return Selection(chosen)
    from compatprobe.probes.generate.build import as_probes, generate

    every = load_probes(probes_dir, ["*"]) if probes_dir.is_dir() and any(probes_dir.rglob("*.js")) else []
    ids = {p.id for p in chosen}
    chosen += [p for p in every if p.id not in ids and _matches(p.feature, feature_patterns)]
    generation = generate(feature_patterns, cache_dir)
    # A hand-written probe speaks for its feature (and for its `bcd:` id) instead of the generated one.
    spoken = {p.feature for p in every} | {p.bcd for p in every if p.bcd}
    made = as_probes(generation)
    replaced = [p for p in made if p.feature in spoken]
    made = [p for p in made if p.feature not in spoken]
    for pattern in feature_patterns:
        if not any(fnmatch.fnmatchcase(p.feature, pattern) for p in [*made, *replaced, *chosen]):
            raise InputError(
                f"feature pattern '{pattern}' matches no feature",
                path=feature_source,
                line=feature_line,
                hint="feature ids are BCD's, such as 'api.RTCPeerConnection*' or 'css.properties.*'",
            )
    runnable = [p for p in made if p.scopes != ()]
    elsewhere = [p for p in made if p.scopes == ()]
    meta: dict[str, Any] = {
        "patterns": list(feature_patterns),
        "data": dict(sorted(generation.versions.items())),
        "probes": len(runnable),
        "replaced_by_hand_written": sorted(p.feature for p in replaced),
        "in_workers": sorted(p.feature for p in runnable if p.scopes and len(p.scopes) > 1),
        "not_run": sorted(p.feature for p in elsewhere),
        "left_out": dict(sorted(generation.left_out.items())),
    }
    return Selection(chosen + runnable, meta, elsewhere)


def _matches(feature: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(feature, p) for p in patterns)


def left_out(probes_dir: Path, chosen: list[Probe]) -> int:
    """How many probes under the probes folder (hand-written) a run of `chosen` does not take."""
    return len(discover(probes_dir)) - sum(1 for p in chosen if not p.generated)
