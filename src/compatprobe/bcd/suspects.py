"""Require paths that name nothing known, checked against BCD when it is at hand (see results/suspects.py)."""

from __future__ import annotations

from pathlib import Path

from compatprobe.bcd.data import BcdData, bcd_path, load_bcd
from compatprobe.results.model import Results
from compatprobe.results.suspects import Suspect, bcd_candidates, mark_suspects


def mark_suspect_paths(results: Results, given_bcd: Path | None, loaded: BcdData | None = None) -> list[Suspect]:
    """Mark require paths no browser has and BCD (when given) does not know; see results/suspects.py.
    `loaded`: the run's BCD, read again only for ids it lacks (a sweep's missing paths are its own
    features, and a second read of a sweep's extract costs a second)."""
    known = None
    path = Path(loaded.source) if loaded is not None else bcd_path(given_bcd)
    if path is not None:
        missing = {o.path for t in results.targets for o in t.outcomes if o.path}
        wanted = [i for m in missing for i in bcd_candidates(m)]
        data = loaded if loaded is not None and all(i in loaded.features for i in wanted) else load_bcd(path, wanted)

        def known(name: str) -> bool:
            return any(data.features.get(i) is not None for i in bcd_candidates(name))

    return mark_suspects(results, known)
