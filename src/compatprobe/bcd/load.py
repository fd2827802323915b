"""BCD for a set of probes: from --bcd, or the environment, with only the entries the probes speak for."""

from __future__ import annotations

from pathlib import Path

from compatprobe.bcd.data import ENV_PATH, HOW_TO_GET, BcdData, bcd_path, load_bcd
from compatprobe.bcd.speakers import bcd_ids
from compatprobe.errors import InputError
from compatprobe.results.model import ProbeInfo


def load_for(given: Path | None, probes: list[ProbeInfo], *, required: bool = False) -> BcdData | None:
    """None when neither `given` nor the environment names BCD data (an InputError if `required`)."""
    path = bcd_path(given)
    if path is None:
        if required:
            raise InputError(f"no BCD data: pass --bcd PATH or set {ENV_PATH}", hint=HOW_TO_GET)
        return None
    # Every probe's feature id and its parents too: the table shows BCD's statements on each row
    # (and heading) that is a BCD entry, for every browser.
    features = {".".join(p.feature.split(".")[:n]) for p in probes for n in range(2, p.feature.count(".") + 2)}
    return load_bcd(path, [*bcd_ids(probes), *features])
