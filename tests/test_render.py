"""HTML and Markdown rendering: escaping, CSP, user templates."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from markupsafe import Markup, escape

from compatprobe.report.formats.html import HtmlFormat
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.report.table import build_table
from compatprobe.report.templating import escaped, md_escape
from factories import make_results

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](http://evil.example) | *b*"


def test_html_escapes_browser_text_and_has_csp() -> None:
    html = HtmlFormat().table(build_table(make_results(firefox_message=HOSTILE)))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert found
    csp = unescape(found.group(1))
    assert "default-src 'none'" in csp and "script-src" not in csp and "'unsafe-inline'" not in csp
    assert "http://" not in html.split("<body>")[0]  # nothing fetched by the head


def test_markdown_escapes_browser_text() -> None:
    md = MarkdownFormat().table(build_table(make_results(firefox_message=HOSTILE)))
    line = next(line for line in md.splitlines() if "alert(1)" in line)
    assert "\\<script\\>" in line and "`[click](http://evil.example)`" in line and "\\|" in line
    # The table keeps its shape: every row has as many cells as the header.
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len({line.count(" |") - line.count("\\|") for line in rows[2:]}) == 1


def test_escaped_is_markupsafes_escape_as_a_str() -> None:
    texts = [HOSTILE, "", "plain", "&amp; already", 'it\'s "quoted"', "<>&'\"", "é ✓ 𝄞 \x00", " \n\t"]
    texts += [chr(c) for c in range(0x20, 0x7F)]
    for text in texts:
        assert escaped(text) == str(escape(text)) and type(escaped(text)) is str
    for value in (Markup("<b>safe</b>"), 3, None, 2.5):
        assert escaped(value) == str(escape(value))


def test_md_escape() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("two\nlines") == "two lines"
    assert md_escape(None) == ""


def test_user_template_overrides_one_block(tmp_path: Path) -> None:
    (tmp_path / "table.html").write_text(
        '{% extends "default:table.html" %}{% block heading %}Our own heading{% endblock %}'
    )
    html = HtmlFormat(tmp_path).table(build_table(make_results()))
    assert "Our own heading" in html and "Legend" in html
