"""YAML loading that remembers the line of every value, for errors that point at it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compatprobe.errors import InputError


@dataclass(frozen=True)
class Node:
    """A YAML value with where it came from."""

    value: Any  # dict[str, Node], list[Node], or a scalar
    line: int
    path: Path


def load_yaml(path: Path) -> Node:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError("file not found", path=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark and (not mark or context_mark.line != mark.line):
            problem += f" ({context} started on line {context_mark.line + 1})"
        raise InputError(
            f"YAML syntax error: {problem}",
            path=path,
            line=mark.line + 1 if mark else None,
            hint="check the indentation and quoting of this line and the one before",
        ) from exc
    if root is None:
        raise InputError("file is empty", path=path)
    return _convert(root, path)


def _convert(node: yaml.Node, path: Path, line: int | None = None) -> Node:
    line = line or node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in mapping:
                raise InputError(f"key '{key}' appears twice", path=path, line=key_node.start_mark.line + 1)
            # Entries carry their key's line: that is where a reader looks for a mistake.
            mapping[key] = _convert(value_node, path, key_node.start_mark.line + 1)
        return Node(mapping, line, path)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, path) for item in node.value], line, path)
    # Scalars: let PyYAML's resolver pick the type (int, bool, null, str) as safe_load would.
    return Node(yaml.safe_load(yaml.serialize(node)), line, path)


def plain(node: Node) -> Any:
    """The value without line information."""
    if isinstance(node.value, dict):
        return {key: plain(value) for key, value in node.value.items()}
    if isinstance(node.value, list):
        return [plain(item) for item in node.value]
    return node.value


TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false", dict: "a mapping", list: "a list"}


def expect(node: Node, kind: type, what: str) -> Any:
    """The node's value, which must be of `kind`."""
    value = node.value
    if kind is dict and isinstance(value, dict):
        return value
    if kind is list and isinstance(value, list):
        return value
    if kind in (str, int, bool) and isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    found = "nothing" if value is None else TYPE_NAMES.get(type(value), type(value).__name__)
    raise InputError(f"{what} must be {TYPE_NAMES[kind]}, not {found}", path=node.path, line=node.line)


def check_keys(node: Node, allowed: set[str], required: set[str], what: str) -> dict[str, Node]:
    mapping = expect(node, dict, what)
    for key, value in mapping.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(sorted(allowed))}"
            raise InputError(f"unknown key '{key}' in {what}", path=node.path, line=value.line, hint=hint)
    for key in sorted(required - mapping.keys()):
        raise InputError(f"{what} lacks '{key}'", path=node.path, line=node.line)
    return mapping
