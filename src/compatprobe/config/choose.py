"""Choosing what a run covers: targets by -b (name or engine), a shard of them, and the environment
variables those targets reference (checked before anything starts)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from compatprobe.config.matrix import Matrix, launch_references
from compatprobe.errors import InputError


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
