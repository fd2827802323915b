"""Merging the results of shards (parts of one matrix run on different machines) into one run."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from compatprobe.engines import engine_order
from compatprobe.errors import InputError
from compatprobe.results.model import Results, RunInfo, ShardInfo
from compatprobe.results.suspects import clear_disproved


def merge_results(parts: list[tuple[Path, Results]]) -> Results:
    """One run from shard results; refuses shards that do not belong to one run."""
    if not parts:
        raise InputError("nothing to merge", hint="give two or more results files")
    first_path, first = parts[0]
    owner: dict[str, Path] = {}
    for path, results in parts:
        check_same_run(path, results, first_path, first)
        for target in results.targets:
            if target.name in owner:
                raise InputError(
                    f"target '{target.name}' is also in {owner[target.name]}",
                    path=path,
                    hint="each target may run in one shard only",
                )
            owner[target.name] = path
    targets = []
    for _path, results in parts:
        # A merged run has no single host: each target keeps the one it ran on.
        targets.extend(replace(t, host=t.host or dict(results.run.host)) for t in results.targets)
    targets.sort(key=lambda t: engine_order(t.engine))
    merged = Results(
        run=RunInfo(
            started=min(r.run.started for _, r in parts),
            finished=max(r.run.finished for _, r in parts),
            tool_version=first.run.tool_version,
            host={},
            matrix=first.run.matrix,
            generated=first.run.generated,  # shards ran the same probes (checked above)
            shards=[
                ShardInfo(source=path.name, started=r.run.started, finished=r.run.finished, host=dict(r.run.host))
                for path, r in parts
            ],
        ),
        probes=list(first.probes),
        targets=targets,
        schema_version=first.schema_version,
    )
    clear_disproved(merged)
    return merged


def check_same_run(path: Path, results: Results, first_path: Path, first: Results) -> None:
    """An InputError when a shard's schema, compatprobe version or probes are not the first shard's."""
    if results.schema_version != first.schema_version:
        raise InputError(
            f"schema version {results.schema_version} differs from {first_path}'s {first.schema_version}",
            path=path,
            hint="merge only shards written by the same compatprobe",
        )
    if results.run.tool_version != first.run.tool_version:
        raise InputError(
            f"written by compatprobe {results.run.tool_version}, {first_path} by {first.run.tool_version}",
            path=path,
            hint="shards of one run use one compatprobe version; compare runs with 'compatprobe diff' instead",
        )
    probes = {(p.id, p.sha256) for p in first.probes}
    theirs = {(p.id, p.sha256) for p in results.probes}
    if theirs != probes:
        only_here = sorted(i for i, _ in theirs - probes)
        only_there = sorted(i for i, _ in probes - theirs)
        detail = f"only here: {', '.join(only_here) or 'none'}; only in {first_path}: {', '.join(only_there) or 'none'}"
        raise InputError(
            f"ran another probe set than {first_path} ({detail})",
            path=path,
            hint="run every shard with the same probes (a probe with the same id but other code counts as other)",
        )
