"""compatprobe's Python API: what the CLI itself calls.

    from compatprobe import api
    results = api.run("matrix.yaml", browsers=["firefox"], probes=["RTCPeerConnection/removeTrack*"])
    html = api.render(results, "html")
    changes = api.diff(api.load_results("out/previous.json"), results)

Bad input raises `compatprobe.errors.InputError` (its text names the file, the line and what to do).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from compatprobe.bcd.baseline import WebFeatures, load_web_features
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.load import load_for
from compatprobe.bcd.suspects import mark_suspect_paths
from compatprobe.browsers.versions import expand_versions
from compatprobe.config.choose import chosen_targets, referenced_variables, shard_of
from compatprobe.config.envvars import ScrubbingStream, Secrets
from compatprobe.config.matrix import Matrix, load_matrix
from compatprobe.diff.compare import Diff
from compatprobe.diff.compare import compare as compare_runs
from compatprobe.probes.loader import Probe
from compatprobe.probes.select import Selection, choose
from compatprobe.report.assemble import Previous, assemble_table
from compatprobe.report.formats import get_format
from compatprobe.results.model import ProbeInfo, Results, read_results


@dataclass(frozen=True)
class Plan:
    """A run checked before any browser starts: the matrix, its chosen targets and the probes."""

    matrix: Matrix
    selection: Selection  # the probes: hand-written, and generated from the cached data
    targets: list[str] | None  # None: every target of the matrix
    secrets: Secrets

    @property
    def probes(self) -> list[Probe]:
        return self.selection.probes

    @property
    def probe_infos(self) -> list[ProbeInfo]:
        from compatprobe.run.runner import probe_info

        return [probe_info(p) for p in self.probes]


def plan(
    matrix: str | Path | Matrix = "matrix.yaml",
    *,
    browsers: Sequence[str] | None = None,
    probes: Sequence[str] | None = None,
    features: Sequence[str] | None = None,
    shard: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Plan:
    """Load and check what a run will do. `browsers`: target names or engines; `probes`: probe id
    patterns; `features`: BCD id patterns, generated probes included (default for both: the matrix's);
    `shard`: "I/N" of the chosen targets."""
    if not isinstance(matrix, Matrix):
        matrix = load_matrix(Path(matrix))
    matrix, wanted = expand_versions(matrix, list(browsers) if browsers else None)
    targets = chosen_targets(matrix, wanted)
    if shard:
        targets = shard_of(targets or [t.name for t in matrix.targets], shard)
    if probes or features:
        chosen = choose(matrix.probes_dir, list(probes or []), list(features or []), source="-p/--probe")
    else:
        chosen = choose(
            matrix.probes_dir,
            list(matrix.probes),
            list(matrix.features),
            source=str(matrix.path),
            line=matrix.probes_line,
            feature_source=str(matrix.path),
            feature_line=matrix.features_line,
        )
    environment = os.environ if env is None else env
    secrets = Secrets.of(referenced_variables(matrix, targets, environment), environment)
    return Plan(matrix, chosen, targets, secrets)


def execute(
    planned: Plan,
    *,
    repeat: int = 1,
    concurrency: int | None = None,
    retries: int | None = None,
    progress: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    bcd: str | Path | None = None,
) -> Results:
    """Run a plan in its browsers. `progress`: a stream for progress lines (None: silent). Require
    paths that no browser has, and that BCD (`bcd`, else $COMPATPROBE_BCD or the cache) does not
    know, are marked `suspect` (a likely typo) instead of standing as browsers' gaps.

    Raises `compatprobe.run.interrupts.Interrupted` on SIGINT or SIGTERM, after closing every browser and
    helper it started."""
    from compatprobe.run.progress import Progress
    from compatprobe.run.runner import run_probes

    results = asyncio.run(
        run_probes(
            planned.matrix,
            planned.probes,
            target_names=planned.targets,
            progress=Progress(ScrubbingStream(progress, planned.secrets) if progress is not None else None),
            concurrency=concurrency,
            retries=retries,
            env=os.environ if env is None else env,
            repeat=repeat,
        )
    )
    results.run.generated = planned.selection.generated
    # Servers may quote what they were sent (an URL, a header) in their errors.
    planned.secrets.scrub_data(results)
    mark_suspect_paths(results, Path(bcd) if bcd is not None else None)
    return results


def run(
    matrix: str | Path | Matrix = "matrix.yaml",
    *,
    browsers: Sequence[str] | None = None,
    probes: Sequence[str] | None = None,
    features: Sequence[str] | None = None,
    repeat: int = 1,
    progress: TextIO | None = None,
) -> Results:
    """Run the matrix's probes (or those `probes` and `features` select) in its targets (or `browsers`)."""
    planned = plan(matrix, browsers=browsers, probes=probes, features=features)
    return execute(planned, repeat=repeat, progress=progress)


def load_results(path: str | Path) -> Results:
    """A results file, validated against its schema version."""
    return read_results(Path(path))


def render(
    results: Results,
    format: str = "html",
    *,
    previous: Results | None = None,
    history: Sequence[Results] | None = None,
    bcd: str | Path | BcdData | None = None,
    web_features: str | Path | WebFeatures | None = None,
    template_dir: str | Path | None = None,
) -> str:
    """The table of `results` as `format` ("html", "md" or "json"). `previous` marks changes,
    `history` (oldest first) adds version ranges, `bcd` (MDN's browser-compat-data) gives MDN's
    browser columns and marks contradictions, `web_features` adds Baseline badges. HTML is one page
    however large the table (the CLI's `--out` splits a large one into pages)."""
    data = bcd if isinstance(bcd, BcdData) or bcd is None else load_for(Path(bcd), results.probes, required=True)
    features = web_features
    if features is not None and not isinstance(features, WebFeatures):
        features = load_web_features(Path(features))
    table = assemble_table(
        results,
        previous=Previous(previous, "the previous run") if previous is not None else None,
        history=[*history, results] if history else None,
        bcd=data,
        web_features=features,
    )
    return get_format(format, "table", Path(template_dir) if template_dir else None).table(table)


def diff(old: Results, new: Results) -> Diff:
    """What changed between two runs, every change classified (see `Diff.counts()`, `Diff.summary()`)."""
    return compare_runs(old, new)
