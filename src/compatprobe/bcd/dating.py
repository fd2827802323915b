"""When a change happened, as far as the observed releases tell: update-bcd's inference.

mdn-bcd-collector's update-bcd gives an exact version only when the release just before the first
one that shows the change was observed without it; otherwise a range ("≤N": at or before N). A
single observed release can never date a change, so it always gives "≤N" and says so.

The input is a list of sightings, one per observed release of one browser. Today compatprobe has
one release per engine; a version bracket (several releases of a history) plugs in as more
sightings, with no change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sighting:
    release: str  # as BCD names it: "156"
    present: bool | None  # None: that release could not tell


@dataclass(frozen=True, slots=True)
class Dating:
    value: str  # what BCD gets: "154" (exact) or "≤156" (at or before)
    exact: bool
    first: str  # the first release observed in the new state
    before: str | None  # the release just before it in BCD's list, when it was observed in the old state
    releases: int  # how many releases told (1: a single release, which cannot date a change)


def _key(release: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in release.split("."))
    except ValueError:
        return (0,)


def date_change(sightings: list[Sighting], now: bool, previous: Callable[[str], str | None]) -> Dating | None:
    """When the feature came to be `now` (present or absent), from the sightings of one browser.

    `previous(release)` is BCD's release just before `release`. None when no sighting shows `now`.
    """
    told = sorted((s for s in sightings if s.present is not None), key=lambda s: _key(s.release))
    first: Sighting | None = None
    for i, s in enumerate(told):
        if s.present == now and (first is None or told[i - 1].present != now):
            first = s  # the start of the latest run of `now`
    if first is None:
        return None
    before = previous(first.release)
    seen = {s.release: s.present for s in told}
    if before is not None and seen.get(before) == (not now):
        return Dating(first.release, True, first.release, before, len(told))
    return Dating(f"≤{first.release}", False, first.release, None, len(told))


def previous_release(releases: dict[str, object]) -> Callable[[str], str | None]:
    """BCD's release list of one browser (its `releases`) as a `previous` function."""
    ordered = sorted(releases, key=_key)

    def previous(release: str) -> str | None:
        if release not in ordered:
            return None
        i = ordered.index(release)
        return ordered[i - 1] if i > 0 else None

    return previous
