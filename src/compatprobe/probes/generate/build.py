"""Generated features for BCD id patterns, from the cached data packages, as Probe objects."""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path

from compatprobe.data.cache import cache_root, cached_package, data_versions
from compatprobe.data.pins import PACKAGES
from compatprobe.errors import InputError
from compatprobe.probes.generate.api import api_features, bcd_extras
from compatprobe.probes.generate.bcdtree import bcd_index
from compatprobe.probes.generate.css import css_definitions, css_features
from compatprobe.probes.generate.features import Generation
from compatprobe.probes.generate.idl import load_model
from compatprobe.probes.generate.javascript import javascript_features
from compatprobe.probes.loader import Probe
from compatprobe.scopes import SUBFEATURES, UNKNOWN_EXPOSURE, WINDOW, scopes_of, subfeature

IDL, CSS, BCD = "@webref/idl", "@webref/css", "@mdn/browser-compat-data"
# The first segment of a BCD id, and the packages its generator reads.
CATEGORIES = {"api": (IDL, BCD), "webassembly": (IDL,), "javascript": (BCD,), "css": (CSS, BCD)}


def categories_for(patterns: list[str]) -> list[str]:
    """The categories a pattern can match: its first segment, or all when that has a wildcard."""
    chosen: set[str] = set()
    for pattern in patterns:
        head = pattern.split(".", 1)[0]
        chosen |= {c for c in CATEGORIES if fnmatch.fnmatchcase(c, head)} if any(ch in head for ch in "*?[") else {head}
    return sorted(chosen & set(CATEGORIES))


def packages(names: list[str]) -> dict[str, Path]:
    """The folders of these data packages; all of those missing are named in one error."""
    found = {name: cached_package(name) for name in names}
    missing = [name for name, folder in found.items() if folder is None]
    if missing:
        envs = ", ".join(f"${PACKAGES[name][1]}" for name in missing)
        raise InputError(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in the cache, "
            "and generated probes are made from it",
            hint=f"run 'compatprobe data fetch' once (or set {envs} to an unpacked copy)",
        )
    return {name: folder for name, folder in found.items() if folder is not None}


def generate(patterns: list[str], cache_dir: Path | None = None) -> Generation:
    """Every generated feature whose id matches one of the patterns (fnmatch; `*` crosses dots)."""
    cache_dir = cache_dir or cache_root()
    categories = categories_for(patterns)
    generation = Generation()
    used = sorted({p for c in categories for p in CATEGORIES[c]})
    folders = packages(used)
    ids: dict[str, str] = {}
    if BCD in used:
        ids = bcd_index(folders[BCD], cache_dir)["ids"]
    if "api" in categories or "webassembly" in categories:
        model = load_model(folders[IDL], cache_dir)
        api_features(model, generation)
        if "api" in categories:
            bcd_extras(model, ids, generation)
    if "javascript" in categories:
        javascript_features(ids, generation)
    if "css" in categories:
        css_features(css_definitions(folders[CSS]), ids, generation)
    plan_scopes(generation, ids)
    generation.features = [g for g in generation.features if any(fnmatch.fnmatchcase(g.feature, p) for p in patterns)]
    generation.versions = data_versions(used)
    return generation


def plan_scopes(generation: Generation, ids: dict[str, str]) -> None:
    """Where each generated feature runs by default: a worker-only one in the window (where it is
    missing, as it should be) and in every worker scope it is exposed in; one the window has, in the
    window and in the worker scopes BCD describes it for (`api.X.worker_support`). A sweep of every
    feature in every worker is a matrix's choice (`scopes:`), not the default."""
    planned = set()
    for i, item in enumerate(generation.features):
        exposed = scopes_of(item.exposed)
        if UNKNOWN_EXPOSURE in item.exposed:
            scopes = exposed
        elif WINDOW in exposed:
            scopes = tuple(s for s in exposed if s == WINDOW or subfeature(item.feature, s) in ids)
        else:
            # Exposed only in globals compatprobe does not run (worklets): no scope to run it in.
            scopes = (WINDOW, *exposed) if exposed else ()
        planned |= {subfeature(item.feature, s) for s in scopes if s != WINDOW}
        generation.features[i] = replace(item, scopes=scopes)
    made = {item.feature for item in generation.features}
    unplanned = [
        f for f in ids if f.rsplit(".", 1)[-1] in SUBFEATURES and f.rsplit(".", 1)[0] in made and f not in planned
    ]
    if unplanned:
        generation.leave_out("api: a worker subfeature of a feature that Web IDL does not expose there", len(unplanned))


def as_probes(generation: Generation) -> list[Probe]:
    probes = []
    for item in generation.features:
        made_from = f"{item.source} {generation.versions.get(item.source, '')}".strip()
        probes.append(
            Probe(
                id=item.feature,
                path=Path("generated", item.feature),
                feature=item.feature,
                title=item.title,
                source=item.check + "\n",
                generated=made_from,
                exposed=item.exposed,
                scopes=item.scopes,
            )
        )
    return probes


def generated_check(feature: str, cache_dir: Path | None = None) -> str | None:
    """The check the generator makes for exactly this feature id (for `compatprobe new`'s skeleton),
    or None when it makes none or the data is not cached."""
    try:
        generation = generate([feature], cache_dir)
    except InputError:
        return None
    return next((g.check for g in generation.features if g.feature == feature), None)
