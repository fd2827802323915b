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
import markupsafe

from compatprobe.errors import InputError
from compatprobe.terminal import CONTROL, cut


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
# What GitHub's renderer turns into links or notifications whatever the escaping, since it finds
# them in the rendered text: URLs and www. (autolinks), @name (mentions), #1 and GH-1 (issue links).
# Its filters leave code spans alone, so such a word is written as code.
MD_LINKING = re.compile(r"://|\bwww\.|@|#\d|\bGH-\d|\bmailto:", re.IGNORECASE)
# A cell is for reading at a glance; the JSON form keeps the whole text.
MAX_CELL = 500


class MdRaw(str):
    """Markdown written by a template on purpose, not to be escaped."""


def _one_line(value: Any) -> str:
    return cut(CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", " ".join(str(value).split())), MAX_CELL)


def md_code(value: Any) -> MdRaw:
    """Text as a Markdown code span, shown exactly as it is (no backslashes inside), on one line. A
    `|` stays outside the spans, escaped, so that a table cell does not end there."""
    text = _one_line(value)
    spans = []
    for part in text.split("|"):
        if part:
            fence = "`" * (max((len(run) for run in re.findall(r"`+", part)), default=0) + 1)
            pad = " " if part.startswith("`") or part.endswith("`") or part.strip() == "" else ""
            spans.append(f"{fence}{pad}{part}{pad}{fence}")
        else:
            spans.append("")
    return MdRaw("\\|".join(spans))


def md_escape(value: Any) -> str:
    """Escape text from browsers so that Markdown shows it literally (no links, HTML, tables,
    mentions), on one line, without control characters."""
    if value is None:
        return ""
    if isinstance(value, MdRaw):
        return value
    words = _one_line(value).split(" ")
    return " ".join(md_code(w) if MD_LINKING.search(w) else MD_SPECIAL.sub(r"\\\1", w) for w in words)


def text_clean(value: Any) -> str:
    """Browser text for a terminal: on one line, control characters shown as escapes, cut when long."""
    if value is None:
        return ""
    return _one_line(value)


def web_url(value: Any) -> str | None:
    """A link written into a report: http(s) only (a `javascript:` link runs when clicked in a
    copied table, where no content security policy stops it)."""
    if not isinstance(value, str):
        return None
    return value if re.match(r"https?://[^\s]", value, re.IGNORECASE) else None


def escaped(value: object) -> str:
    """`value` escaped for HTML exactly as markupsafe (and so an autoescaping template) escapes it,
    as a plain str: the rows of a sweep's pages escape 400,000 texts, and making a Markup of each
    cost a third of a second."""
    if type(value) is not str:  # Markup (already safe), numbers, None: markupsafe's own rules
        return str(markupsafe.escape(value))
    if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
        return (
            value.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )
    return value


def _environment(template_dir: Path | None, **options: Any) -> jinja2.Environment:
    # auto_reload off: templates do not change while a report renders, and a split table's 3,400
    # pages would each stat every template they use (their base too) to find that out.
    return jinja2.Environment(
        loader=_loader(template_dir),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        **options,
    )


def text_environment(template_dir: Path | None = None) -> jinja2.Environment:
    return _environment(template_dir, autoescape=False, finalize=text_clean, keep_trailing_newline=True)


def html_environment(template_dir: Path | None = None) -> jinja2.Environment:
    env = _environment(template_dir, autoescape=True)
    env.filters["web_url"] = web_url
    return env


def markdown_environment(template_dir: Path | None = None) -> jinja2.Environment:
    env = _environment(template_dir, autoescape=False, finalize=md_escape, keep_trailing_newline=True)
    env.filters["raw"] = MdRaw
    env.filters["code"] = md_code
    env.filters["web_url"] = web_url
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
