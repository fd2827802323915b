"""YAML loading that remembers the line of every value, for errors that point at it."""

from __future__ import annotations

import difflib
import os
import re
import stat
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


# A matrix is a page of text: these bound what a hostile or mistaken one can cost (a 500-byte
# "billion laughs" of aliases, 5,000 nested brackets, a 50 MB file, /dev/zero).
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000


def read_text(path: Path, limit: int = MAX_BYTES, what: str = "file") -> str:
    """A regular file's text, at most `limit` bytes; a FIFO or device (which could block or never
    end) and a larger file are refused with one line."""
    try:
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError("is not a regular file (a FIFO, device or socket)", path=path, hint=f"give a {what}")
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise InputError("file not found", path=path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, not a file", path=path, hint=f"give a {what}") from exc
    if len(data) > limit:
        raise InputError(f"is larger than {limit // 1024} kB; a {what} is much smaller", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc


def too_deep(text: str, depth: int = 2 * MAX_DEPTH) -> bool:
    """Whether flow brackets nest deeper than `depth`: PyYAML takes quadratic time over them (4 s
    for 6,000) before it fails, so they are counted first (brackets in quotes count too, which only
    a text of more than `depth` unbalanced ones could notice)."""
    level = 0
    for match in BRACKETS.finditer(text):
        level += 1 if match.group() in "[{" else -1
        if level > depth:
            return True
    return False


BRACKETS = re.compile(r"[\[\]{}]")


def load_yaml(path: Path) -> Node:
    text = read_text(path, what="YAML file")
    if too_deep(text):
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", path=path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError as exc:
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", path=path) from exc
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
    return _Converter(path).convert(root, 0)


class _Converter:
    """Composed YAML as Nodes, counting what aliases expand to and how deep it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def convert(self, node: yaml.Node, depth: int, line: int | None = None) -> Node:
        line = line or node.start_mark.line + 1
        self.values += 1
        if depth > MAX_DEPTH:
            raise InputError(
                f"nested more than {MAX_DEPTH} levels deep (or an alias holds itself)", path=self.path, line=line
            )
        if self.values > MAX_VALUES:
            raise InputError(
                f"holds more than {MAX_VALUES:,} values once its aliases are expanded", path=self.path, line=line
            )
        if isinstance(node, yaml.MappingNode):
            return Node(self._mapping(node, depth), line, self.path)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item, depth + 1) for item in node.value], line, self.path)
        # Scalars: PyYAML's resolver picks the type (int, bool, null, str) as safe_load would; an
        # empty value (`version:`) is null.
        try:
            return Node(self.scalars.construct_object(node), line, self.path)
        except (yaml.YAMLError, ValueError) as exc:
            raise InputError(f"value {node.value[:40]!r} cannot be read ({exc})", path=self.path, line=line) from exc

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Node]:
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError(
                    "a key must be plain text, not a list, mapping or merge", path=self.path, line=key_line
                )
            key = key_node.value
            if key in mapping:
                raise InputError(f"key '{key}' appears twice", path=self.path, line=key_line)
            # Entries carry their key's line: that is where a reader looks for a mistake.
            mapping[key] = self.convert(value_node, depth + 1, key_line)
        return mapping


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
