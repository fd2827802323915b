"""matrix.yaml validation: every mistake names the file, the line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from compatprobe.config.matrix import PlaywrightLaunch, WebDriverLaunch, load_matrix
from compatprobe.errors import InputError
from factories import matrix_error

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
version: 1
probes: ["RTCPeerConnection/*"]
targets:
  - name: chromium
    engine: chromium
    use:
      - playwright: {}
      - playwright:
          executable: /usr/bin/chromium
  - name: webkit
    engine: webkit
    use:
      - webdriver:
          driver: WebKitWebDriver
          display: xvfb
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "matrix.yaml"
    path.write_text(text)
    return path


def test_shipped_matrix_loads() -> None:
    matrix = load_matrix(ROOT / "matrix.yaml")
    assert [t.engine for t in matrix.targets] == ["chromium", "firefox", "webkit"]
    assert matrix.probes_dir == ROOT / "probes"


def test_good_matrix(tmp_path: Path) -> None:
    matrix = load_matrix(write(tmp_path, GOOD))
    chromium, webkit = matrix.targets
    assert chromium.use == (PlaywrightLaunch(), PlaywrightLaunch(executable="/usr/bin/chromium"))
    assert isinstance(webkit.use[0], WebDriverLaunch) and webkit.use[0].display == "xvfb"
    assert matrix.probes == ("RTCPeerConnection/*",)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            GOOD.replace("engine: chromium", "engine: chromum"),
            5,
            ["unknown engine 'chromum'", "did you mean 'chromium'?"],
        ),
        (
            GOOD.replace("    use:\n      - playwright: {}", "    uses:\n      - playwright: {}"),
            6,
            ["unknown key 'uses'", "did you mean 'use'?"],
        ),
        (GOOD.replace("name: webkit", "name: chromium"), 10, ["target name 'chromium' is already used on line 4"]),
        (GOOD.replace("version: 1", "version: 7"), 1, ["matrix version 7"]),
        (GOOD.replace("display: xvfb", "display: [x]"), 15, ["'display' must be a string, not a list"]),
        (GOOD.replace("display: xvfb", "display: wayland"), 15, ["display must be 'inherit' or 'xvfb'"]),
        (GOOD.replace("targets:\n", "targets: 3\n", 1).split("  - name")[0], 3, ["'targets' must be a list"]),
        (GOOD.replace("probes: [", "probes: [[", 1), 3, ["YAML syntax error", "started on line 2"]),
        (GOOD.replace("      - playwright: {}\n", "      - chrome: {}\n", 1), 7, ["unknown key 'chrome'"]),
        (GOOD.replace("    engine: chromium\n", "", 1), 4, ["a target lacks 'engine'"]),
    ],
)
def test_mistakes_point_at_the_line(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    path = write(tmp_path, text)
    message = matrix_error(path)
    assert message.startswith(f"{path}:{line}: "), message
    for word in words:
        assert word in message


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_matrix(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="file is empty"):
        load_matrix(write(tmp_path, "\n# nothing\n"))
