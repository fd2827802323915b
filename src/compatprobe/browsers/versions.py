"""A matrix's builds by version: each build a target of its own, named `<target>@<major>`.

A target's `versions` (`[92, 103, system]`, `92..156`, `*`) and `-b chromium@92..156` or
`-b 'chromium@*'` name builds from the cache (data/builds.py). Each becomes a Playwright target
with the build's binary as its executable; a build that is not cached stays in the run as an
unavailable target whose hint is the fetch command. The table folds a target's builds back into
one column (report/ranges.py), so the names only matter in results files.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from compatprobe.config.matrix import Matrix, PlaywrightLaunch, TargetSpec
from compatprobe.data.builds import ENGINE, BuildPin, binary_of, cached_builds, chosen, is_cached, parse_spec
from compatprobe.errors import InputError


def build_target(base: TargetSpec, pin: BuildPin, root: Path | None = None) -> TargetSpec:
    """A target that runs one cached build with the base target's Playwright arguments."""
    local = next((u for u in base.use if isinstance(u, PlaywrightLaunch) and not u.remote), None)
    launch = PlaywrightLaunch(
        executable=str(binary_of(pin, root)),
        args=local.args if local else (),
        hint=f"compatprobe browsers fetch {ENGINE}@{pin.major}",
        line=base.line,
    )
    return TargetSpec(f"{base.name}@{pin.major}", base.engine, (launch,), base.line, base.retries)


def _pins_for(item: str, root: Path | None) -> list[BuildPin] | None:
    """The builds one `versions` item names; None for 'system' (the target's own `use`)."""
    if item == "system":
        return None
    if item == "*":
        return cached_builds(root)
    pins = chosen(f"{ENGINE}@{item}")
    if not pins:
        raise InputError(f"no {ENGINE} build {item} is pinned", hint="'compatprobe browsers status' lists them")
    return pins


def expand_versions(
    matrix: Matrix, browsers: list[str] | None, root: Path | None = None
) -> tuple[Matrix, list[str] | None]:
    """The matrix with one target per build its targets' `versions` and the `-b` values name, and the
    `-b` values with each `engine@versions` replaced by the names of the targets it chose."""
    targets: list[TargetSpec] = []
    for target in matrix.targets:
        targets.extend(_expanded(target, root) if target.versions else [target])
    wanted: list[str] | None = None
    if browsers is not None:
        wanted = []
        for value in browsers:
            if "@" not in value or any(t.name == value for t in targets):
                wanted.append(value)
                continue
            made = _from_flag(value, matrix, targets, root)
            targets.extend(t for t in made if all(t.name != o.name for o in targets))
            wanted.extend(t.name for t in made)
    return replace(matrix, targets=tuple(targets)), wanted


def _expanded(target: TargetSpec, root: Path | None) -> list[TargetSpec]:
    made: dict[str, TargetSpec] = {}
    for item in target.versions:
        pins = _pins_for(item, root)
        if pins is None:
            made[target.name] = target
        for pin in pins or []:
            made.setdefault(f"{target.name}@{pin.major}", build_target(target, pin, root))
    return list(made.values())


def _from_flag(value: str, matrix: Matrix, targets: list[TargetSpec], root: Path | None) -> list[TargetSpec]:
    """`-b chromium@92..120`: the pinned builds in the range; `-b 'chromium@*'`: every cached build
    and the matrix's own chromium targets (Debian's 156, Playwright's build)."""
    engine, bounds = parse_spec(value)
    bases = [t for t in matrix.targets if t.engine == engine]
    if not bases:
        raise InputError(f"-b {value}: the matrix has no {engine} target to run builds with", path=matrix.path)
    base = bases[0]
    pins = chosen(value)
    if bounds is None:
        pins = [p for p in pins if is_cached(p, root)]
        if not pins:
            raise InputError(f"-b {value}: no {engine} build is cached", hint=f"compatprobe browsers fetch {value}")
    made = [build_target(base, pin, root) for pin in pins]
    made = [next((t for t in targets if t.name == m.name), m) for m in made]
    if bounds is None:
        made.extend(t for t in targets if t.engine == engine and "@" not in t.name)
    return made
