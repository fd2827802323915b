"""The proposals written into a local clone of mdn/browser-compat-data, the way BCD formats its files.

One change per lead: the browser's statement in the entry's source file is replaced by the proposed
one. Nothing is written for a proposal that needs a person, for an entry the clone lacks, for a
statement that is no longer what BCD's package said (a stale clone, or a change already made), or
in a file that is not in BCD's own format (its linter would rewrite more than the change). Every file
is checked before any is written, and each is replaced whole (files.write_all_atomic).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compatprobe.bcd.bcdjson import bcd_text, order_statement
from compatprobe.bcd.propose import Proposal
from compatprobe.errors import InputError
from compatprobe.files import write_all_atomic

PACKAGE_NAME = "@mdn/browser-compat-data"
HOW_TO_CLONE = "clone it with: git clone https://github.com/mdn/browser-compat-data"


@dataclass(slots=True)
class Applied:
    written: list[Proposal] = field(default_factory=list)
    refused: list[tuple[Proposal, str]] = field(default_factory=list)  # the proposal, why not written
    files: list[Path] = field(default_factory=list)


def check_clone(path: Path) -> None:
    """An InputError unless `path` is a checkout of mdn/browser-compat-data's source."""
    manifest = path / "package.json"
    if not path.is_dir():
        raise InputError(f"{path} is not a folder", hint=HOW_TO_CLONE)
    try:
        name = json.loads(manifest.read_text(encoding="utf-8")).get("name")
    except (OSError, ValueError, AttributeError):
        name = None
    if name != PACKAGE_NAME or not (path / "api").is_dir() or not (path / "browsers").is_dir():
        raise InputError(
            f"{path} is not a clone of mdn/browser-compat-data "
            f"(no package.json named {PACKAGE_NAME} beside api/ and browsers/)",
            hint=HOW_TO_CLONE,
        )


def _support(data: dict[str, Any], entry: str) -> dict[str, Any] | None:
    node: Any = data
    for key in entry.split("."):
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return None
    compat = node.get("__compat") if isinstance(node, dict) else None
    support = compat.get("support") if isinstance(compat, dict) else None
    return support if isinstance(support, dict) else None


def _edit(data: dict[str, Any], p: Proposal) -> str | None:
    """Make the change in `data`; None when made, else why not."""
    if p.needs_person:
        return f"needs a person: {p.needs_person}"
    support = _support(data, p.entry)
    if support is None:
        return f"the clone has no entry {p.entry} in {p.source_file}"
    if support.get(p.browser) != p.today:
        return (
            f"the clone's statement for {p.browser} differs from the one compared with "
            "(another BCD version, or changed since)"
        )
    support[p.browser] = order_statement(p.proposed)
    return None


def apply(proposals: list[Proposal], clone: Path) -> Applied:
    """Write every proposal that can be written into `clone`; the rest are listed with the reason."""
    check_clone(clone)
    done = Applied()
    texts: dict[Path, str] = {}
    loaded: dict[Path, dict[str, Any] | str] = {}
    for p in proposals:
        path = clone / p.source_file
        if path not in loaded:
            loaded[path] = _load(path)
        data = loaded[path]
        if not isinstance(data, dict):
            done.refused.append((p, data))
            continue
        why = _edit(data, p)
        if why:
            done.refused.append((p, why))
            continue
        done.written.append(p)
        texts[path] = bcd_text(data)
    done.files = write_all_atomic(sorted(texts.items())) if texts else []
    return done


def _load(path: Path) -> dict[str, Any] | str:
    """The file's data, or why it cannot be changed: missing, not JSON, or not in BCD's format (it
    would not come back byte for byte, so more than the change would show)."""
    if not path.is_file():
        return f"the clone has no {path.name} there (an older clone?)"
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        return f"{path.name} cannot be read as JSON: {exc}"
    if not isinstance(data, dict) or bcd_text(data) != text:
        return f"{path.name} is not in BCD's format (run BCD's `npm run fix` first)"
    return data
