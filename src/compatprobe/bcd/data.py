"""MDN's browser-compat-data (BCD): loading it from a local file, and a small cache per version.

A run never fetches BCD. A user gets it once with `compatprobe data fetch` (the pinned version,
used by default) or `npm pack @mdn/browser-compat-data`, and passes the `.tgz`, the unpacked
folder or its `data.json` with `--bcd` (or COMPATPROBE_BCD).
The full `data.json` is about 20 MB and takes half a second to parse; only `browsers` and the
few features that probes name are needed. So the first load extracts those into a small JSON file
in the cache folder, keyed by BCD's version and the source file's hash (a hand-edited file that
claims the same version must not be mistaken for the real one). Later loads read only that file,
and parse the source again only for a feature id the cache has not seen yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compatprobe.data.cache import cache_root, cached_package
from compatprobe.errors import InputError
from compatprobe.files import write_atomic
from compatprobe.results.heap import collector_paused

ENV_PATH = "COMPATPROBE_BCD"
BCD_PACKAGE = "@mdn/browser-compat-data"
HOW_TO_GET = "get it with 'compatprobe data fetch', or npm pack @mdn/browser-compat-data and pass the .tgz"
# 2: the extract carries `content_sha256`, the hash of what it holds; 3: that hash over orjson's
# bytes where orjson is installed (named in the value), a tenth of the standard library's time.
CACHE_FORMAT = 3


@dataclass(frozen=True)
class BcdData:
    """The parts of one BCD release that comparisons need."""

    version: str
    timestamp: str | None
    source: str
    browsers: dict[str, Any]
    features: dict[str, dict[str, Any] | None]  # id -> its __compat, or None when BCD has no such entry

    def compat(self, feature: str) -> dict[str, Any] | None:
        if feature not in self.features:
            raise KeyError(f"{feature} was not loaded from BCD; pass it to load_bcd")
        return self.features[feature]


def default_cache_dir() -> Path:
    return cache_root()


def bcd_path(given: Path | None) -> Path | None:
    """The path from --bcd, else from COMPATPROBE_BCD, else the pinned BCD that
    'compatprobe data fetch' put in the cache, else None (no comparison)."""
    if given is not None:
        return given
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env)
    return cached_package(BCD_PACKAGE)


def load_bcd(path: Path, features: Iterable[str], cache_dir: Path | None = None) -> BcdData:
    """BCD's browsers and the `__compat` of each feature id, from `path`, through the cache."""
    with collector_paused():  # a sweep's extract is 15 MB of JSON
        return _load_bcd(path, features, cache_dir)


def _load_bcd(path: Path, features: Iterable[str], cache_dir: Path | None) -> BcdData:
    wanted = set(features)
    source = _source_file(path)
    digest = _sha256(source)
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
    cached = _read_cache(cache_dir, digest)
    if cached is not None and wanted <= cached["features"].keys():
        return _data(cached, path)
    full = read_bcd_file(source)
    known = dict(cached["features"]) if cached else {}
    known.update({f: _find(full, f) for f in wanted})
    entry = {
        "format": CACHE_FORMAT,
        "sha256": digest,
        "__meta": full["__meta"],
        "browsers": full["browsers"],
        "features": dict(sorted(known.items())),
    }
    _write_cache(cache_dir, entry)
    return _data(entry, path)


def read_bcd_file(path: Path) -> dict[str, Any]:
    """The whole of BCD from a .tgz, a data.json or a folder holding either (no cache)."""
    return _parse_source(_source_file(path))


def _data(entry: dict[str, Any], path: Path) -> BcdData:
    meta = entry["__meta"]
    return BcdData(
        version=str(meta["version"]),
        timestamp=meta.get("timestamp"),
        source=str(path),
        browsers=entry["browsers"],
        features=entry["features"],
    )


def _find(data: dict[str, Any], feature: str) -> dict[str, Any] | None:
    node: Any = data
    for part in feature.split("."):
        if not isinstance(node, dict) or part.startswith("__") or part not in node:
            return None
        node = node[part]
    compat = node.get("__compat") if isinstance(node, dict) else None
    return compat if isinstance(compat, dict) else None


def _source_file(path: Path) -> Path:
    """The file to read: a data.json, a .tgz from npm pack, or a folder holding either layout."""
    if path.is_dir():
        for candidate in (path / "data.json", path / "package" / "data.json"):
            if candidate.is_file():
                return candidate
        packs = sorted(path.glob("mdn-browser-compat-data-*.tgz"))
        if len(packs) == 1:
            return packs[0]
        raise InputError("this folder has no data.json (nor package/data.json)", path=path, hint=HOW_TO_GET)
    if not path.is_file():
        raise InputError("BCD file not found", path=path, hint=HOW_TO_GET)
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse_source(source: Path) -> dict[str, Any]:
    try:
        if source.name.endswith((".tgz", ".tar.gz")):
            data = _from_tarball(source)
        else:
            with source.open("rb") as handle:
                data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid JSON: {exc}", path=source, hint=HOW_TO_GET) from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InputError(f"cannot read this archive: {exc}", path=source, hint=HOW_TO_GET) from exc
    meta = data.get("__meta") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or "version" not in meta or not isinstance(data.get("browsers"), dict):
        raise InputError("not MDN browser-compat-data (no __meta.version or browsers)", path=source, hint=HOW_TO_GET)
    return data


def _from_tarball(source: Path) -> Any:
    with tarfile.open(source, "r:*") as archive:
        member = next((m for m in archive.getmembers() if re.fullmatch(r"(package/)?data\.json", m.name)), None)
        if member is None:
            raise InputError("the archive has no package/data.json", path=source, hint=HOW_TO_GET)
        handle = archive.extractfile(member)
        if handle is None:
            raise InputError("package/data.json in the archive is not a file", path=source)
        return json.load(handle)


def _cache_file(cache_dir: Path, digest: str, version: str | None = None) -> Path:
    # The version leads the name so that a person can see which releases are cached.
    return cache_dir / "bcd" / f"{version or '*'}-{digest[:16]}.json"


def _read_cache(cache_dir: Path, digest: str) -> dict[str, Any] | None:
    for file in sorted((cache_dir / "bcd").glob(f"*-{digest[:16]}.json")):
        try:
            entry = _parsed_extract(file.read_bytes())
        except (OSError, ValueError):
            continue  # a damaged cache file is rebuilt from the source
        if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("sha256") != digest:
            continue
        # An extract edited by hand (every version_added made "999") would turn agreements into
        # contradictions; one whose content no longer matches its hash is derived again.
        if entry.get("content_sha256") == _content_sha256(entry):
            return entry
    return None


def _parsed_extract(data: bytes) -> Any:
    """An extract's JSON, read by orjson where it is installed (a sweep's 15 MB in 0.11 s, where the
    standard library takes 0.15 to 0.19 s), else by the standard library, which also reads what orjson
    refuses: a lone surrogate, which json.dumps writes as an escape."""
    try:
        import orjson

        return orjson.loads(data)
    except (ImportError, ValueError):  # orjson's JSONDecodeError is a ValueError
        return json.loads(data.decode("utf-8"))


def _content_sha256(entry: dict[str, Any]) -> str:
    """The hash of what an extract holds, after the name of the encoder that gave the bytes: an
    extract of every feature (15 MB after a sweep) takes 0.03 s with orjson, 0.25 s without."""
    held = {key: entry.get(key) for key in ("__meta", "browsers", "features")}
    try:
        import orjson

        return "orjson:" + hashlib.sha256(orjson.dumps(held, option=orjson.OPT_SORT_KEYS)).hexdigest()
    except (ImportError, TypeError):  # no orjson, or a text it refuses (orjson's error is a TypeError)
        return "json:" + hashlib.sha256(json.dumps(held, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _write_cache(cache_dir: Path, entry: dict[str, Any]) -> None:
    version = re.sub(r"[^\w.+-]", "_", str(entry["__meta"]["version"]))
    # No writable cache folder: every run parses the source, which is slower but correct.
    entry = {**entry, "content_sha256": _content_sha256(entry)}
    with contextlib.suppress(OSError):
        write_atomic(_cache_file(cache_dir, entry["sha256"], version), json.dumps(entry, sort_keys=True))
