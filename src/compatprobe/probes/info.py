"""What a results file records about a probe: its id, feature, title, hash and metadata."""

from __future__ import annotations

from dataclasses import dataclass, fields

from compatprobe.probes.loader import Probe, ProbeMetadata


@dataclass(slots=True)
class ProbeInfo(ProbeMetadata):
    id: str
    feature: str
    title: str
    sha256: str
    # Where the feature is exposed, as Web IDL names it ([Exposed]); None: the window only (v1's files).
    exposed: list[str] | None = None


# Named once: fields() builds its tuple at each call, a quarter of this function's time in a sweep.
METADATA = tuple(f.name for f in fields(ProbeMetadata))


def probe_info(probe: Probe) -> ProbeInfo:
    """A probe as the results file records it: its metadata as the probe file gives it."""
    metadata = {name: getattr(probe, name) for name in METADATA}
    return ProbeInfo(
        id=probe.id,
        feature=probe.feature,
        title=probe.title,
        sha256=probe.sha256,
        exposed=None if probe.exposed == ("Window",) else list(probe.exposed),
        **metadata,
    )
