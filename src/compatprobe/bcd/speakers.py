"""Which probe speaks for a BCD id, and which BCD entry speaks for a feature in a scope.

- A probe with `bcd: ID` in its metadata speaks for ID directly.
- A probe whose feature heads its group (`api.X.y`, `javascript.builtins.X.y`, `css.properties.x`;
  see features.group_of) speaks for that feature id.
- Every other probe of the group (behaviour probes such as
  `api.RTCPeerConnection.removeStream.after_addStream`) is not a BCD entry. It informs its group's
  entry instead (see observe.py).
"""

from __future__ import annotations

from compatprobe.bcd.data import BcdData
from compatprobe.features import group_of
from compatprobe.results.model import ProbeInfo
from compatprobe.scopes import SCOPES, WINDOW, scopes_of, subfeature


def bcd_speakers(probes: list[ProbeInfo]) -> tuple[dict[str, ProbeInfo], dict[str, str]]:
    """(BCD id -> the probe that speaks for it, behaviour probe id -> the BCD id it informs)."""
    speakers: dict[str, ProbeInfo] = {}
    heads: dict[str, str] = {}
    for probe in sorted(probes, key=lambda p: p.id):
        if probe.bcd:
            speakers.setdefault(probe.bcd, probe)
            if probe.feature == group_of(probe.feature):
                heads[probe.feature] = probe.bcd
        elif probe.feature == group_of(probe.feature):
            speakers.setdefault(probe.feature, probe)
            heads[probe.feature] = probe.feature
    informs = {
        p.id: heads[group_of(p.feature)]
        for p in probes
        if not p.bcd and p.feature != group_of(p.feature) and group_of(p.feature) in heads
    }
    return speakers, informs


def bcd_ids(probes: list[ProbeInfo]) -> list[str]:
    """Every BCD id that the probes speak for, and its worker subfeatures: the features to load from BCD."""
    speakers = bcd_speakers(probes)[0]
    return sorted([*speakers, *(subfeature(f, s) for f in speakers for s in SCOPES if s != WINDOW)])


def exposed_scopes(probe: ProbeInfo) -> tuple[str, ...]:
    return scopes_of(probe.exposed or ["Window"])


def statement_id(feature: str, probe: ProbeInfo, scope: str, data: BcdData) -> str | None:
    """The BCD entry that speaks for `feature` in `scope`, or None when BCD says nothing there.

    BCD describes a feature where it is exposed: its own entry for the window, or for the workers
    when it is a worker-only interface (FileReaderSync); `worker_support`, `sharedworker_support`
    and `serviceworker_support` subfeatures for the worker scopes of a feature the window has too.
    """
    exposed = exposed_scopes(probe)
    if scope == WINDOW:
        return feature if WINDOW in exposed else None
    sub = subfeature(feature, scope)
    if data.features.get(sub) is not None:
        return sub
    return feature if WINDOW not in exposed and scope in exposed else None
