"""Require paths that name nothing known, checked against BCD when it is at hand (see results/suspects.py)."""

from __future__ import annotations

from pathlib import Path

from compatprobe.bcd.data import BcdData, load_bcd
from compatprobe.results.model import Results
from compatprobe.results.suspects import Suspect, bcd_candidates, mark_suspects


def mark_suspect_paths(results: Results, bcd: BcdData | None) -> list[Suspect]:
    """Mark require paths no browser has and the run's BCD (when it has one) does not know; see
    results/suspects.py. BCD is read again only for candidate ids the run's extract lacks (a sweep's
    missing paths are its own features, and a second read of a sweep's extract costs a second)."""
    known = None
    if bcd is not None:
        missing = {o.path for t in results.targets for o in t.outcomes if o.path}
        wanted = [i for m in missing for i in bcd_candidates(m)]
        data = bcd if all(i in bcd.features for i in wanted) else load_bcd(Path(bcd.source), wanted)

        def known(name: str) -> bool:
            return any(data.features.get(i) is not None for i in bcd_candidates(name))

    return mark_suspects(results, known)
