"""matrix.yaml for remote targets: Playwright servers, WebDriver URLs, credentials, concurrency, retries."""

from __future__ import annotations

from pathlib import Path

import pytest

from compatprobe.config.matrix import PlaywrightLaunch, WebDriverLaunch, launch_references, load_matrix
from factories import matrix_error

REMOTE = """\
version: 1
concurrency: 6
local_concurrency: 1
retries: 3
targets:
  - name: fleet-chromium
    engine: chromium
    retries: 1
    use:
      - playwright:
          connect: wss://browsers.example/playwright?token=${PW_TOKEN}
          executable: /usr/bin/chromium
          args: [--no-sandbox]
          headers: {X-Team: compat}
          launch_options: {firefoxUserPrefs: {a: 1}}
  - name: grid-safari
    engine: webkit
    use:
      - webdriver:
          url: https://${GRID_USER}:${GRID_KEY}@hub.example/wd/hub
          capabilities:
            browserName: safari
            "cloud:options": {build: "${BUILD_ID}"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "matrix.yaml"
    path.write_text(text)
    return path


def test_remote_entries_load(tmp_path: Path) -> None:
    matrix = load_matrix(write(tmp_path, REMOTE))
    assert (matrix.concurrency, matrix.local_concurrency, matrix.retries) == (6, 1, 3)
    fleet, grid = matrix.targets
    assert fleet.retries == 1 and grid.retries is None
    (playwright,) = fleet.use
    assert isinstance(playwright, PlaywrightLaunch) and playwright.remote
    assert playwright.expose_network == "<loopback>"  # the default: remote browsers reach our probe server
    assert playwright.headers == {"X-Team": "compat"}
    (webdriver,) = grid.use
    assert isinstance(webdriver, WebDriverLaunch) and webdriver.remote and webdriver.driver is None
    assert launch_references(playwright) == ["PW_TOKEN"]
    assert launch_references(webdriver) == ["GRID_USER", "GRID_KEY", "BUILD_ID"]


def test_defaults(tmp_path: Path) -> None:
    matrix = load_matrix(write(tmp_path, "targets:\n  - name: c\n    engine: chromium\n    use: [playwright: {}]\n"))
    assert (matrix.concurrency, matrix.local_concurrency, matrix.retries) == (8, None, None)
    (launch,) = matrix.targets[0].use
    assert not launch.remote and launch.expose_network is None


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("wss://browsers", "http://browsers", 11, ["'connect' must be a ws:// or wss:// URL"]),
        ("https://${GRID_USER}", "ws://${GRID_USER}", 20, ["'url' must be a http:// or https:// URL"]),
        ("${GRID_KEY}@", "hunter2@", 20, ["'url' holds a password", "write ${NAME} in its place"]),
        ("${BUILD_ID}", "${BUILD-ID}", 23, ["malformed environment variable reference"]),
        ("token=${PW_TOKEN}", "token=${PW_TOKEN", 11, ["malformed environment variable reference"]),
        ("X-Team: compat", "X-Team: 7", 14, ["header 'X-Team' must be a string"]),
        ("          url: https", "          driver: x\n          url: https", 19, ["exactly one of 'driver'"]),
        ("          url: https", "          display: xvfb\n          url: https", 20, ["'display' is only for"]),
        ("    retries: 1\n", "    retries: -1\n", 8, ["'retries' must be zero or more"]),
        ("concurrency: 6", "concurrency: 0", 2, ["'concurrency' must be above zero"]),
        ("concurrency: 6", "probe_port: 70000", 2, ["'probe_port' must be a port number"]),
        (
            "          connect: wss://browsers.example/playwright?token=${PW_TOKEN}\n",
            "",
            13,
            ["'headers' is only for a Playwright server", "add connect: ws://host:port/"],
        ),
    ],
)
def test_remote_mistakes_point_at_the_line(tmp_path: Path, old: str, new: str, line: int, words: list[str]) -> None:
    assert old in REMOTE
    path = write(tmp_path, REMOTE.replace(old, new, 1))
    message = matrix_error(path)
    assert message.startswith(f"{path}:{line}: "), message
    for word in words:
        assert word in message
