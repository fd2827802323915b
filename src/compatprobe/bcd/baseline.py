"""Baseline status from the web-features package's own data: which feature a BCD id belongs to, and
that feature's status (widely available, newly available, limited), with web-features' dates.

Nothing here computes a status: it reads `status.by_compat_key[ID]` (web-features' status for that
BCD id) and falls back to the feature's own `status`. The data is the pinned web-features that
`compatprobe data fetch` (and ./install.sh) put in the cache, which `run` and `render` use by default;
--web-features (or COMPATPROBE_WEB_FEATURES) names another copy: a .tgz of `npm pack web-features`,
its folder or its data.json.
"""

from __future__ import annotations

import json
import os
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compatprobe.data.cache import cached_package
from compatprobe.errors import InputError
from compatprobe.results.heap import collector_paused

ENV_PATH = "COMPATPROBE_WEB_FEATURES"
PACKAGE = "web-features"  # its name in data/pins.json
HOW_TO_GET = "get it with: npm pack web-features, then pass the .tgz"


@dataclass(frozen=True)
class Baseline:
    """web-features' status of one BCD id."""

    feature: str  # the web-features id, "webrtc"
    name: str  # its name, "WebRTC"
    baseline: str | bool  # "high", "low" or False, as web-features writes it
    low_date: str | None = None  # newly available since
    high_date: str | None = None  # widely available since

    @property
    def key(self) -> str:
        return {"high": "widely", "low": "newly"}.get(str(self.baseline), "limited")

    @property
    def label(self) -> str:
        return {
            "widely": "Baseline: widely available",
            "newly": "Baseline: newly available",
            "limited": "Limited availability",
        }[self.key]

    @property
    def detail(self) -> str:
        """The dates, as web-features gives them ("≤2018-10-02" included)."""
        if self.key == "widely":
            return f"widely available since {self.high_date}; newly available since {self.low_date}"
        if self.key == "newly":
            return f"newly available since {self.low_date}"
        return "not available in every core browser"


@dataclass(frozen=True)
class WebFeatures:
    version: str | None
    source: str
    features: dict[str, dict[str, Any]]
    by_key: dict[str, str]  # BCD id -> the web-features id listing it in compat_features

    def baseline(self, bcd_id: str) -> Baseline | None:
        """The status of `bcd_id`, or None when no web-features feature lists it."""
        feature_id = self.by_key.get(bcd_id)
        if feature_id is None:
            return None
        feature = self.features[feature_id]
        status = feature.get("status") or {}
        own = (status.get("by_compat_key") or {}).get(bcd_id) or status
        return Baseline(
            feature_id,
            str(feature.get("name", feature_id)),
            own.get("baseline", False),
            own.get("baseline_low_date"),
            own.get("baseline_high_date"),
        )


def web_features_path(given: Path | None) -> Path | None:
    """The path from --web-features, else from COMPATPROBE_WEB_FEATURES, else the pinned web-features
    that 'compatprobe data fetch' put in the cache, else None (no Baseline badges)."""
    if given is not None:
        return given
    env = os.environ.get(ENV_PATH)
    return Path(env) if env else cached_package(PACKAGE)


def load_given(given: Path | None) -> WebFeatures | None:
    """web-features from --web-features, COMPATPROBE_WEB_FEATURES or the cache; None when none has it."""
    path = web_features_path(given)
    return load_web_features(path) if path is not None else None


def load_web_features(path: Path) -> WebFeatures:
    """web-features from a .tgz of `npm pack web-features`, its unpacked folder or its data.json."""
    # Its 5 MB make 150,000 containers and no cycle: beside a loaded sweep, each full collection
    # they set off walked the results and BCD too (0.13 s of a render's 0.17 s here).
    with collector_paused():
        data, package = _read(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, dict):
        raise InputError("not web-features data (no 'features')", path=path, hint=HOW_TO_GET)
    by_key: dict[str, str] = {}
    for feature_id, feature in sorted(features.items()):
        # Features that moved or split list no compat_features of their own.
        if isinstance(feature, dict) and feature.get("kind", "feature") == "feature":
            for key in feature.get("compat_features") or []:
                by_key.setdefault(key, feature_id)
    version = package.get("version") if isinstance(package, dict) else None
    return WebFeatures(str(version) if version else None, str(path), features, by_key)


def _read(path: Path) -> tuple[Any, Any]:
    """(data.json, package.json or None), parsed."""
    try:
        if path.is_dir():
            folder = path / "package" if (path / "package" / "data.json").is_file() else path
            if not (folder / "data.json").is_file():
                raise InputError("this folder has no data.json (nor package/data.json)", path=path, hint=HOW_TO_GET)
            package = folder / "package.json"
            return _json(folder / "data.json"), _json(package) if package.is_file() else None
        if not path.is_file():
            raise InputError("web-features file not found", path=path, hint=HOW_TO_GET)
        if path.name.endswith((".tgz", ".tar.gz")):
            return _from_tarball(path)
        package = path.parent / "package.json"
        return _json(path), _json(package) if package.is_file() else None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON: {exc}", path=path, hint=HOW_TO_GET) from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(f"cannot read this file: {exc}", path=path, hint=HOW_TO_GET) from exc


def _json(path: Path) -> Any:
    with path.open("rb") as handle:
        return json.load(handle)


def _from_tarball(path: Path) -> tuple[Any, Any]:
    found: dict[str, Any] = {}
    with tarfile.open(path, "r:*") as archive:
        for member in archive.getmembers():
            name = re.fullmatch(r"(?:package/)?(data|package)\.json", member.name)
            handle = archive.extractfile(member) if name else None
            if name and handle is not None:
                found[name.group(1)] = json.load(handle)
    if "data" not in found:
        raise InputError("the archive has no package/data.json", path=path, hint=HOW_TO_GET)
    return found["data"], found.get("package")
