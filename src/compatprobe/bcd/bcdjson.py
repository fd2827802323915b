"""BCD's source files as BCD writes them: its key order, two-space indentation, a final newline.

BCD's linter (lint/fixer/property-order and statement-order) rewrites every file as
JSON.stringify(data, null, 2) after ordering `__compat` keys, each support statement's keys, and
`status` keys; a file already in that form is left byte for byte as it is. Keys BCD's order does
not name keep their place after the named ones.
"""

from __future__ import annotations

import json
from typing import Any

COMPAT_ORDER = ("description", "mdn_url", "spec_url", "tags", "source_file", "matches", "support", "status")
STATEMENT_ORDER = (
    "alternative_name",
    "prefix",
    "version_added",
    "version_removed",
    "flags",
    "impl_url",
    "partial_implementation",
    "notes",
)
STATUS_ORDER = ("experimental", "standard_track", "deprecated")


def _ordered(value: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    named = {k: value[k] for k in order if k in value}
    return named | {k: v for k, v in value.items() if k not in named}


def order_statement(support: Any) -> Any:
    """One browser's statement (or list of them) with its keys in BCD's order."""
    if isinstance(support, list):
        return [order_statement(s) for s in support]
    if isinstance(support, dict):
        return _ordered(support, STATEMENT_ORDER)
    return support


def order_compat(compat: dict[str, Any]) -> dict[str, Any]:
    compat = _ordered(compat, COMPAT_ORDER)
    if isinstance(compat.get("support"), dict):
        compat["support"] = {b: order_statement(s) for b, s in compat["support"].items()}
    if isinstance(compat.get("status"), dict):
        compat["status"] = _ordered(compat["status"], STATUS_ORDER)
    return compat


def bcd_text(data: Any) -> str:
    """A whole BCD file as text: what JSON.stringify(data, null, 2) writes, and a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dumps_statement(support: Any) -> str:
    return json.dumps(order_statement(support), indent=2, ensure_ascii=False)
