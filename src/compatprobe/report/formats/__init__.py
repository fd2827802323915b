"""Output formats, one module each behind one interface (`Format`): commands pick a format by name and
never branch on it. Each format renders the documents it supports: a table, a diff, a BCD comparison,
a history."""

from __future__ import annotations

from pathlib import Path

from compatprobe.errors import InputError
from compatprobe.report.formats.base import Document, Format
from compatprobe.report.formats.html import HtmlFormat
from compatprobe.report.formats.json import JsonFormat
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.report.formats.text import TextFormat

_CLASSES: tuple[type[Format], ...] = (HtmlFormat, MarkdownFormat, TextFormat, JsonFormat)


def names_for(document: Document) -> tuple[str, ...]:
    """The formats that can render `document`, in the order commands offer them."""
    return tuple(cls.name for cls in _CLASSES if document in cls.documents)


def get_format(name: str, document: Document, template_dir: Path | None = None) -> Format:
    for cls in _CLASSES:
        if cls.name == name and document in cls.documents:
            return cls(template_dir)
    choices = ", ".join(names_for(document))
    raise InputError(f"--format {name}: cannot render a {document}", hint=f"choose one of {choices}")


__all__ = ["Document", "Format", "get_format", "names_for"]
