"""Where Java or the Selenium server jar is missing, the grid tests skip and say what to install;
on CI (CI=true), where ./install.sh --test has run, they fail instead of passing quietly."""

from __future__ import annotations

import pytest

import selenium_grid
from selenium_grid import server_jar


def test_no_java_skips_outside_ci_and_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selenium_grid.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"missing Java 17 \(apt-get install openjdk-17-jre-headless\)"):
        server_jar()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"\./install\.sh --test installs them"):
        server_jar()


def test_no_jar_names_the_npm_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selenium_grid, "JAR_DIR", selenium_grid.ROOT / ".ci" / "grid" / "no-such-folder")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"npm ci --prefix \.ci/grid"):
        server_jar()
