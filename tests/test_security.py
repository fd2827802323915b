"""What a browser says never runs as code in a report; no shell ever sees matrix values; no
credential from the environment reaches an output."""

from __future__ import annotations

import ast
import html
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from playwright.sync_api import Browser

from conftest import ROOT, cli, compatprobe, outcome

MARKUP = (
    '<script>document.title = "pwned"; alert(1)</script> <img src=x onerror="alert(2)"> '
    "[click me](https://evil.example/) | **bold**"
)


@pytest.mark.browsers
def test_the_hostile_message_was_observed(hostile: dict[str, Any]) -> None:
    """The probe's message comes back from every engine exactly as thrown: the test below is real."""
    for engine in ("chromium", "firefox", "webkit"):
        got = outcome(hostile["results"], engine, "17-markup-in-message")
        assert got["exception"] == {"name": "RangeError", "message": MARKUP, "expected": False}
        assert got["values"]["markup"] == json.dumps(MARKUP)


@pytest.mark.browsers
def test_html_report_shows_browser_markup_as_text(hostile: dict[str, Any], output_dir: Path, chromium: Browser) -> None:
    report = hostile["dir"] / "index.html"
    events: dict[str, list[str]] = {"dialog": [], "console": [], "pageerror": [], "request": []}
    # JavaScript on, as in any browser a reader opens the report with.
    page = chromium.new_page(java_script_enabled=True)
    page.on("dialog", lambda d: (events["dialog"].append(d.message), d.dismiss()))
    page.on("console", lambda m: events["console"].append(m.text))
    page.on("pageerror", lambda e: events["pageerror"].append(str(e)))
    page.on("request", lambda r: events["request"].append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    notes = page.locator("ol.footnotes").inner_text()
    assert '<script>document.title = "pwned"; alert(1)</script>' in notes
    assert '<img src=x onerror="alert(2)">' in notes and "[click me](https://evil.example/)" in notes
    assert page.title() == "Compatibility observed by compatprobe"
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator("a[href*='evil.example']").count() == 0
    page.screenshot(path=str(output_dir / "hostile-report.png"), full_page=True)
    # The report asked for nothing but itself (Playwright also lists requests CSP refuses).
    assert events["request"] == [report.as_uri()]
    assert events["console"] == []

    # The Content-Security-Policy is enforced: what an injection would add is refused.
    csp = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content") or ""
    assert "default-src 'none'" in csp and "unsafe" not in csp and "script-src" not in csp
    refused = page.evaluate(
        """async () => {
          const seen = [];
          document.addEventListener("securitypolicyviolation", (e) => seen.push(e.effectiveDirective));
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", '<img src="x.png" onerror="window.injected = true">');
          await fetch("https://evil.example/").catch(() => {});
          await new Promise((resolve) => setTimeout(resolve, 500));
          return {seen: [...new Set(seen)].sort(), injected: window.injected === true};
        }"""
    )
    assert refused["injected"] is False
    assert {"script-src-elem", "img-src", "connect-src"} <= set(refused["seen"]), refused
    assert events["dialog"] == [] and events["pageerror"] == []
    # The only console lines are the browser reporting the refusals just provoked.
    assert all("Content Security Policy" in line for line in events["console"]), events["console"]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links.extend(v or "" for k, v in attrs if k in ("href", "src"))


@pytest.mark.browsers
def test_markdown_report_shows_browser_markup_as_text(hostile: dict[str, Any]) -> None:
    proc = cli("render", str(hostile["dir"] / "results.json"), "--format", "md", check=True)
    markdown = proc.stdout
    # Rendered by a CommonMark renderer that lets raw HTML through, as GitHub's would (before sanitising).
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    tags = Tags()
    tags.feed(rendered)
    assert not {"script", "img", "a", "strong"} & set(tags.tags), set(tags.tags)
    assert tags.links == []
    assert '<script>document.title = "pwned"; alert(1)</script>' in html.unescape(rendered)
    # The table kept its shape: every row has as many cells as the header.
    assert len({row.count("<td>") for row in rendered.split("<tr>")[2:]}) == 1


def test_no_shell_anywhere_in_compatprobe() -> None:
    """Values from matrix.yaml become arguments of programs, never text for a shell to read."""
    forbidden_calls = {
        ("os", "system"),
        ("os", "popen"),
        ("subprocess", "getoutput"),
        ("subprocess", "getstatusoutput"),
        ("asyncio", "create_subprocess_shell"),
        ("pty", "spawn"),
    }
    found = []
    files = sorted((ROOT / "src" / "compatprobe").rglob("*.py"))
    assert len(files) > 20
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg == "shell" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    found.append(f"{where}: shell=")
            func = node.func
            name = (
                (func.value.id, func.attr)
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                else None
            )
            if name in forbidden_calls:
                found.append(f"{where}: {'.'.join(name)}")
    assert found == []


@pytest.mark.browsers
def test_matrix_values_never_reach_a_shell(tmp_path: Path) -> None:
    markers = [tmp_path / f"pwned-{i}" for i in range(4)]
    (tmp_path / "matrix.yaml").write_text(
        f"""probes_dir: {ROOT / "probes"}
probes: ["RTCPeerConnection/exists"]
targets:
  - name: driver
    engine: webkit
    use:
      - webdriver:
          driver: "WebKitWebDriver; touch {markers[0]}"
          binary: "$(touch {markers[1]})"
  - name: executable
    engine: chromium
    use:
      - playwright:
          executable: "/usr/bin/chromium`touch {markers[2]}`"
  - name: args
    engine: chromium
    use:
      - playwright: {{}}
      - playwright:
          executable: /usr/bin/chromium
          args: ["--compatprobe-test=$(touch {markers[3]})", "--x=;touch {markers[3]}"]
"""
    )
    proc = compatprobe("run", "-m", "matrix.yaml", "--results", "r.json", "-o", "i.html", cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr  # the first two are not found: no such programs
    targets = {t["name"]: t for t in json.loads((tmp_path / "r.json").read_text())["targets"]}
    assert targets["driver"]["status"] == "unavailable"
    assert "WebKitWebDriver; touch" in targets["driver"]["error"]
    assert targets["executable"]["status"] == "unavailable"
    assert targets["args"]["status"] == "ok"
    assert [m for m in markers if m.exists()] == []


@pytest.mark.browsers
def test_credentials_in_the_environment_never_reach_an_output(tmp_path: Path) -> None:
    secrets = {
        "COMPATPROBE_TEST_SECRET": "s3cr3t-from-env-0001",
        "BROWSERSTACK_ACCESS_KEY": "s3cr3t-from-env-0002",
        "SAUCE_ACCESS_KEY": "s3cr3t-from-env-0003",
        "GITHUB_TOKEN": "s3cr3t-from-env-0004",
    }
    proc = compatprobe(
        "run", "-b", "chromium", "-p", "RTCPeerConnection/removeTrack/*", "--results", str(tmp_path / "r.json"),
        "-o", str(tmp_path / "i.html"), env=secrets,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    md = cli("render", str(tmp_path / "r.json"), "--format", "md", env=secrets, check=True).stdout
    outputs = {
        "stdout": proc.stdout,
        "stderr": proc.stderr,
        "results": (tmp_path / "r.json").read_text(),
        "html": (tmp_path / "i.html").read_text(),
        "md": md,
    }
    for name, text in outputs.items():
        for secret in secrets.values():
            assert "s3cr3t-from-env" not in text and secret not in text, name
