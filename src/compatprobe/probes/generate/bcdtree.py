"""The few parts of BCD's tree that generators read (its ids, some descriptions), cached.

BCD's data.json is 20 MB and takes half a second to parse; the ids and descriptions needed here
are a few hundred kilobytes, kept as JSON in the cache keyed by the file's hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from compatprobe.errors import InputError
from compatprobe.files import write_atomic

INDEX_FORMAT = 1


def bcd_index(folder: Path, cache_dir: Path) -> dict[str, Any]:
    """{"version", "ids": {id: description or ""}} for api, css.properties and javascript.builtins."""
    source = folder / "data.json"
    if not source.is_file():
        raise InputError("no data.json here", path=folder, hint="run 'compatprobe data fetch' or set $COMPATPROBE_BCD")
    raw = source.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    cached = cache_dir / "bcd-index" / f"{sha[:16]}.json"
    if cached.is_file():
        try:
            entry = json.loads(cached.read_text())
            if entry.get("format") == INDEX_FORMAT and entry.get("sha256") == sha:
                return entry
        except (OSError, ValueError):
            pass
    data = json.loads(raw)
    ids: dict[str, str] = {}
    for root in ("api", "css.properties", "javascript.builtins", "webassembly.api"):
        node: Any = data
        for part in root.split("."):
            node = node.get(part, {})
        _walk(node, root, ids)
    entry = {"format": INDEX_FORMAT, "sha256": sha, "version": str(data["__meta"]["version"]), "ids": ids}
    with contextlib.suppress(OSError):  # no writable cache: slower, still correct
        write_atomic(cached, json.dumps(entry, separators=(",", ":")))
    return entry


def _walk(node: dict[str, Any], path: str, ids: dict[str, str]) -> None:
    for key, child in node.items():
        if key == "__compat" or not isinstance(child, dict):
            continue
        here = f"{path}.{key}"
        compat = child.get("__compat")
        if isinstance(compat, dict):
            ids[here] = str(compat.get("description") or "")
        _walk(child, here, ids)
