"""Firefox launched from a copy of a profile it started once (browsers/profiles.py): the template
is made once per build and options, holds no site's data, each launch gets a copy that goes with
its browser, and a page in it finds what a page of a fresh profile finds (checked directly)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from compatprobe.browsers import processes, profiles
from compatprobe.browsers.processes import start_time
from compatprobe.cli import main
from conftest import FIXTURES
from direct import evaluate_playwright

STATE = """async () => ({
  cookie: document.cookie,
  localStorage: localStorage.length,
  databases: (await indexedDB.databases()).map((d) => d.name).join(","),
  caches: (await caches.keys()).join(","),
  registrations: (await navigator.serviceWorker.getRegistrations()).length,
})"""


def fake_firefox(calls: list[Path]) -> Any:
    """Makes a profile as a started Firefox leaves one: its files and the lock it holds."""

    async def make(path: Path) -> None:
        calls.append(path)
        await asyncio.sleep(0.01)
        path.mkdir(parents=True)
        (path / "prefs.js").write_text("started once")
        (path / "lock").symlink_to("127.0.0.1:+1")
        (path / ".parentlock").write_text("")

    return make


def test_the_template_is_made_once_and_each_launch_gets_a_copy_of_its_own(tmp_path: Path) -> None:
    calls: list[Path] = []

    async def two() -> list[Path]:
        return list(await asyncio.gather(*(profiles.profile_copy(tmp_path, "k", fake_firefox(calls)) for _ in "ab")))

    first, second = asyncio.run(two())
    third = asyncio.run(profiles.profile_copy(tmp_path, "k", fake_firefox(calls)))
    # Two runs at once may both make one; the first in place is kept, and the third makes none.
    assert 1 <= len(calls) <= 2 and sorted(p.name for p in tmp_path.iterdir()) == ["firefox-k"]
    assert len({first, second, third}) == 3
    for copy in (first, second, third):
        assert sorted(p.name for p in (copy / "profile").iterdir()) == ["prefs.js"]  # no lock
    profiles.forget(tmp_path, "k")
    assert not (tmp_path / "firefox-k").exists()


def tree(root: Path) -> list[tuple[str, str, int]]:
    """Each entry under `root`: its path, what it holds (a link's target) and its mode."""
    found = []
    for path in sorted(root.rglob("*")):
        held = f"-> {os.readlink(path)}" if path.is_symlink() else "dir" if path.is_dir() else path.read_text()
        found.append((str(path.relative_to(root)), held, path.lstat().st_mode))
    return found


@pytest.mark.parametrize("with_cp", [True, False])
def test_a_copy_holds_the_template_s_files_links_and_modes_and_no_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_cp: bool
) -> None:
    template = tmp_path / "template"
    (template / "startupCache").mkdir(parents=True)
    (template / "startupCache" / "scriptCache.bin").write_text("compiled")
    (template / "prefs.js").write_text("started once")
    (template / "prefs.js").chmod(0o600)
    (template / "link").symlink_to("prefs.js")
    (template / "lock").symlink_to("127.0.0.1:+1")  # as a Firefox still running leaves them
    (template / ".parentlock").write_text("")
    if not with_cp:  # where there is no cp (Windows), copytree
        monkeypatch.setattr(profiles.shutil, "which", lambda name: None)
    profiles._copy(template, tmp_path / "copy")
    expected = [entry for entry in tree(template) if entry[0] not in profiles.LOCKS]
    assert tree(tmp_path / "copy") == expected
    assert [e[0] for e in expected] == ["link", "prefs.js", "startupCache", "startupCache/scriptCache.bin"]


def test_a_copy_left_by_a_run_that_was_killed_goes_with_the_next_launch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    dead = subprocess.Popen(["true"])  # a process that has ended
    dead.wait()
    ours = os.getpid()
    for name, owner in (("dead", f"{dead.pid} 1"), ("reused", f"{ours} 1"), ("live", f"{ours} {start_time(ours)}")):
        (temporary / f"{profiles.COPY_PREFIX}{name}").mkdir()
        (temporary / f"{profiles.COPY_PREFIX}{name}" / profiles.OWNER).write_text(owner)
    (temporary / f"{profiles.COPY_PREFIX}making").mkdir()  # no owner yet: being made by another run
    copy = asyncio.run(profiles.profile_copy(tmp_path / "cache", "k", fake_firefox([])))
    left = sorted(p.name.removeprefix(profiles.COPY_PREFIX) for p in temporary.iterdir() if p != copy)
    assert left == ["live", "making"]
    assert (copy / profiles.OWNER).read_text() == f"{ours} {start_time(ours)}"


def test_a_template_is_named_after_the_build_and_options_not_the_screen(tmp_path: Path) -> None:
    firefox = tmp_path / "firefox"
    firefox.write_text("a build")
    options = {"headless": False, "firefox_user_prefs": {"a": 1}, "env": {"DISPLAY": ":5"}}
    key = profiles.template_key(str(firefox), options, "1.64.0")
    assert key and key == profiles.template_key(str(firefox), {**options, "env": {"DISPLAY": ":6"}}, "1.64.0")
    assert key != profiles.template_key(str(firefox), {**options, "firefox_user_prefs": {"a": 2}}, "1.64.0")
    assert key != profiles.template_key(str(firefox), options, "1.65.0")
    firefox.write_text("another build")
    assert key != profiles.template_key(str(firefox), options, "1.64.0")
    assert profiles.template_key(str(tmp_path / "none"), options, "1.64.0") is None


@pytest.mark.browsers
def test_firefox_starts_from_a_copy_that_holds_no_site_s_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, temporary = tmp_path / "cache", tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("COMPATPROBE_CACHE", str(cache))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    results = tmp_path / "results.json"
    argv = ["run", "-m", str(FIXTURES / "profiles" / "matrix.yaml"), "--results", str(results), "-q"]
    assert main([*argv, "-o", str(tmp_path / "index.html")]) == 0  # never the checkout's out/
    (template,) = (cache / "profiles").iterdir()
    assert template.name.startswith("firefox-") and (template / "prefs.js").is_file()
    assert list(temporary.iterdir()) == []  # the launch's copy went with its browser
    # Nothing any site keeps: no origin's storage, no cookie, no permission.
    assert (template / "storage" / "default").is_dir() and list((template / "storage" / "default").iterdir()) == []
    for database, table in (("cookies.sqlite", "moz_cookies"), ("permissions.sqlite", "moz_perms")):
        with sqlite3.connect(f"file:{template / database}?mode=ro", uri=True) as db:
            assert db.execute(f"select count(*) from {table}").fetchone() == (0,)
    (outcome,) = json.loads(results.read_text())["targets"][0]["outcomes"]
    fresh = evaluate_playwright("firefox", STATE)
    assert outcome["values"] == {k: json.dumps(v) for k, v in fresh.items()}


def test_a_browser_group_is_killed_by_the_profile_it_was_started_with(tmp_path: Path) -> None:
    # A stand-in for Playwright's driver (a child of this process named run-driver) that starts a
    # "browser" leading a process group of its own, with a profile folder on its command line.
    mark = str(tmp_path / "profile")
    code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', '-profile', {mark!r}],"
        " start_new_session=True)\n"
        "time.sleep(60)\n"
    )
    driver = subprocess.Popen([sys.executable, "-c", code, "run-driver"])
    try:
        for _ in range(200):  # until the browser has started
            leaders = processes._group_leaders(driver.pid)
            if leaders and mark.encode() in processes._argv(leaders[0][0]):
                break
            time.sleep(0.02)
        (browser, _), *_ = leaders
        children = processes.ChildProcesses()
        children.note_browser_groups()
        driver.kill()  # the group is found among those noted, with its driver gone
        driver.wait()
        assert not children.kill_group_led_with(str(tmp_path / "other"))
        assert children.kill_group_led_with(mark)
        for _ in range(200):
            if processes.start_time(browser) is None:
                break
            time.sleep(0.02)
        assert processes.start_time(browser) is None  # gone (or a zombie awaiting its parent)
    finally:
        driver.kill()
        driver.wait()
