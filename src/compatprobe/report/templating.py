"""Jinja2 environments for the output formats: template lookup (a user's folder first), escaping per
format, and the HTML report's content security policy."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from compatprobe.errors import InputError


def default_template_dir() -> Path:
    """The templates shipped in the wheel, or the repository's `templates/` in a source checkout."""
    packaged = Path(str(resources.files("compatprobe"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def _loader(template_dir: Path | None) -> jinja2.BaseLoader:
    default = jinja2.FileSystemLoader(default_template_dir())
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise InputError("template folder does not exist", path=template_dir)
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders.append(default)
    # A user's template can extend "default:table.html" and replace one block.
    return jinja2.ChoiceLoader([*loaders, jinja2.PrefixLoader({"default": default}, delimiter=":")])


# Enough to stop emphasis, code, links, HTML and table cells; `[` escaped means no link can form.
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


class MdRaw(str):
    """Markdown written by a template on purpose, not to be escaped."""


def md_escape(value: Any) -> str:
    """Escape text from browsers so that Markdown shows it literally (no links, HTML, tables)."""
    if value is None:
        return ""
    if isinstance(value, MdRaw):
        return value
    text = " ".join(str(value).split())
    return MD_SPECIAL.sub(r"\\\1", text)


# C0 and C1 controls and bidi overrides: browser text could otherwise drive the terminal or reorder a line.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def text_clean(value: Any) -> str:
    """Browser text for a terminal: on one line, without control characters."""
    if value is None:
        return ""
    return CONTROL.sub("\N{REPLACEMENT CHARACTER}", " ".join(str(value).split()))


def _environment(template_dir: Path | None, **options: Any) -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(template_dir), undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, **options
    )


def text_environment(template_dir: Path | None = None) -> jinja2.Environment:
    return _environment(template_dir, autoescape=False, finalize=text_clean, keep_trailing_newline=True)


def html_environment(template_dir: Path | None = None) -> jinja2.Environment:
    return _environment(template_dir, autoescape=True)


def markdown_environment(template_dir: Path | None = None) -> jinja2.Environment:
    env = _environment(template_dir, autoescape=False, finalize=md_escape, keep_trailing_newline=True)
    env.filters["raw"] = MdRaw
    return env


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def csp(style: str, script: str | None = None) -> str:
    # No fetches, only the one inline style block and (the table's search) the one inline script,
    # each by its hash: a report cannot run what a browser said.
    scripts = f"script-src {_sha256(script)}; " if script else ""
    return (
        f"default-src 'none'; {scripts}style-src {_sha256(style)}; img-src data:; base-uri 'none'; form-action 'none'"
    )
