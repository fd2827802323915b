"""Dying browsers: killed mid-run, not starting, missing, or a WebDriver server that dies or never
listens. That target ends as an infrastructure error with the reason; the others complete; the exit
code is 3; the results list the probes that never ran; nothing is left running."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from beacon import TARGETS, beacon, faults_probes, write_matrix
from conftest import FIXTURES, cli, run_watched
from processes import browser_pid, descendants, still_running

pytestmark = pytest.mark.browsers


def by_name(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in results["targets"]}


@pytest.mark.parametrize(
    ("victims", "survivor"),
    [
        # The browser's own process, in each engine.
        (("chromium", "webkit"), "firefox"),
        # Firefox's, and WebKitGTK's WebDriver server (it takes MiniBrowser with it).
        (("firefox", "webdriver"), "chromium"),
    ],
)
def test_a_browser_killed_mid_run(tmp_path: Path, victims: tuple[str, ...], survivor: str) -> None:
    engines = {"webkit" if v == "webdriver" else v for v in victims}
    killed: dict[str, int] = {}
    with beacon(hold=engines) as server:
        faults_probes(tmp_path, server.url)
        matrix = write_matrix(tmp_path, "".join(TARGETS.values()))

        def kill_when_running(proc: subprocess.Popen[str]) -> None:
            for victim in victims:
                engine = "webkit" if victim == "webdriver" else victim
                if victim not in killed and server.arrived[engine].is_set():
                    # The probe 01-beacon is waiting for the server's answer: the target is mid-run.
                    pid = browser_pid(proc.pid, victim)
                    assert pid is not None, victim
                    os.kill(pid, signal.SIGKILL)
                    killed[victim] = pid

        proc, seen = run_watched(
            "run", "-m", str(matrix), "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html"),
            tick=kill_when_running,
        )  # fmt: skip
    assert set(killed) == set(victims)
    assert proc.returncode == 3, proc.stderr
    targets = by_name(json.loads((tmp_path / "r.json").read_text()))
    for engine in engines:
        target = targets[engine]
        # 00-first finished before the kill, but its outcome may not have reached compatprobe yet:
        # then it went with the browser, and counts as never run.
        done = [o["probe"] for o in target["outcomes"]]
        assert done in (["00-first"], []), target
        assert target["not_run"] == ["00-first", "01-beacon", "02-last"][len(done) :]
        assert target["status"] == ("partial" if done else "failed"), target
        if engine == "webkit" and "webdriver" in victims:
            assert target["error"].startswith("the WebDriver server "), target["error"]
            assert "did not answer" in target["error"], target["error"]
        else:
            assert target["error"].startswith("the browser went away: the harness page was lost"), target["error"]
    assert targets[survivor]["status"] == "ok"
    assert [o["status"] for o in targets[survivor]["outcomes"]] == ["supported"] * 3
    # The table says so too.
    html = (tmp_path / "i.html").read_text()
    assert "the browser went away" in html or "did not answer" in html
    assert still_running(seen) == []


def test_playwrights_driver_killed_mid_run(tmp_path: Path) -> None:
    """Both Playwright targets end with one clear error, the WebDriver target completes, and the
    browsers the driver started (Firefox and its content processes outlive it) are gone too, with
    what they had in the temporary folder (the driver would have removed Chromium's profile had
    Chromium closed)."""
    temporary = Path(tempfile.mkdtemp(prefix="cp-"))  # short, as Chromium's socket folder needs
    try:
        driver_killed_mid_run(tmp_path, temporary)
        left = {p.name: sorted(p.iterdir()) for p in temporary.iterdir()}
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    # What the driver made for itself (its artifacts folder, one per launch) is known only to it,
    # and stays, empty: a folder of the same name may be another program's.
    artifacts = {name: files for name, files in left.items() if name.startswith("playwright-artifacts-")}
    assert all(files == [] for files in artifacts.values()), artifacts
    assert sorted(left.keys() - artifacts.keys()) == []


def driver_killed_mid_run(tmp_path: Path, temporary: Path) -> None:
    killed: list[int] = []
    with beacon(hold={"chromium", "firefox"}) as server:
        faults_probes(tmp_path, server.url)
        matrix = write_matrix(tmp_path, "".join(TARGETS.values()))

        def kill_driver(proc: subprocess.Popen[str]) -> None:
            if killed or not server.all_arrived(("chromium", "firefox")):
                return
            # Both targets are mid-run, each waiting in 01-beacon: the driver carries both.
            drivers = [p for p in descendants(proc.pid) if "run-driver" in p.argv]
            assert len(drivers) == 1, drivers
            os.kill(drivers[0].pid, signal.SIGKILL)
            killed.append(drivers[0].pid)

        proc, seen = run_watched(
            "run", "-m", str(matrix), "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html"),
            tick=kill_driver, env={"TMPDIR": str(temporary)},
        )  # fmt: skip
    assert killed
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    targets = by_name(json.loads((tmp_path / "r.json").read_text()))
    for engine in ("chromium", "firefox"):
        target = targets[engine]
        assert target["status"] in ("partial", "failed"), target
        assert target["error"].startswith("Playwright's driver process stopped ("), target["error"]
        assert f"compatprobe: {engine}: " in proc.stderr and target["error"] in proc.stderr
    assert targets["webkit"]["status"] == "ok"
    # Firefox's processes were there, and none outlived the run.
    assert any(p.name.startswith("firefox") for p in seen)
    assert still_running(seen) == []


def test_targets_that_cannot_start(tmp_path: Path) -> None:
    faults_probes(tmp_path, "http://127.0.0.1:9/")
    silent = FIXTURES / "faults" / "bin" / "silent-driver"
    matrix = write_matrix(
        tmp_path,
        TARGETS["chromium"]
        + f"""
  - name: missing-executable
    engine: chromium
    use:
      - playwright:
          executable: /nonexistent/chromium
          hint: apt-get install chromium
  - name: chromium-not-a-browser
    engine: chromium
    use:
      - playwright:
          executable: /bin/false
  - name: firefox-not-a-browser
    engine: firefox
    use:
      - playwright:
          channel: moz-firefox
          executable: /bin/false
  - name: driver-exits
    engine: webkit
    use:
      - webdriver:
          driver: /bin/false
  - name: driver-never-listens
    engine: webkit
    use:
      - webdriver:
          driver: {silent}""",
        probes='["00-*", "02-*"]',
    )
    proc, seen = run_watched(
        "run", "-m", str(matrix), "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html")
    )
    assert proc.returncode == 3, proc.stderr
    targets = by_name(json.loads((tmp_path / "r.json").read_text()))
    errors = {
        "missing-executable": (
            "unavailable",
            "no way to run this engine here: Playwright with /nonexistent/chromium: /nonexistent/chromium not found "
            "(to get it: apt-get install chromium)",
        ),
        "chromium-not-a-browser": ("failed", "chromium did not start: "),
        "firefox-not-a-browser": ("failed", "firefox did not start: "),
        "driver-exits": ("failed", "the WebDriver server exited at start with code 1"),
        "driver-never-listens": ("failed", "the WebDriver server was not ready within 15 s"),
    }
    for name, (status, error) in errors.items():
        target = targets[name]
        assert target["status"] == status and target["error"].startswith(error), target
        assert target["outcomes"] == [] and target["not_run"] == ["00-first", "02-last"]
    for name in ("chromium-not-a-browser", "firefox-not-a-browser"):
        assert targets[name]["error"].endswith("(the process exited with code 1)")
    assert targets["chromium"]["status"] == "ok" and len(targets["chromium"]["outcomes"]) == 2
    # Each failure is one line of progress on standard error, naming the target.
    assert "compatprobe: driver-exits: failed (no outcomes): the WebDriver server exited at start" in proc.stderr
    # The silent driver did start (as a shell running the script, then as sleep), and is gone.
    assert any("silent-driver" in " ".join(p.argv) or p.name == "sleep" for p in seen)
    assert still_running(seen) == []


def test_unavailable_target_alone_still_writes_results(tmp_path: Path) -> None:
    faults_probes(tmp_path, "http://127.0.0.1:9/")
    gone = "\n  - name: gone\n    engine: firefox\n    use:\n      - playwright:\n          executable: /nonexistent/ff"
    matrix = write_matrix(tmp_path, gone)
    proc = cli("run", "-m", str(matrix), "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html"))
    assert proc.returncode == 3
    target = json.loads((tmp_path / "r.json").read_text())["targets"][0]
    assert target["status"] == "unavailable" and target["not_run"] == ["00-first", "01-beacon", "02-last"]
