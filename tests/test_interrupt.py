"""SIGTERM and Ctrl-C in the middle of a run: every browser and helper is gone afterwards, the exit code
is 128 + the signal, and out/ holds the targets that had finished as a partial run (untouched when none had)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from beacon import TARGETS, Beacon, beacon, faults_probes, write_matrix
from compatprobe.report.formats.html import HtmlFormat
from compatprobe.report.table import build_table
from compatprobe.results.model import read_results, write_results
from compatprobe.run.interrupts import Interrupted, deferred, signals_interrupt
from conftest import run_watched
from factories import make_results
from processes import Proc, descendants, still_running, wait_for_exit


@pytest.mark.browsers
@pytest.mark.parametrize(
    ("signum", "to_group", "code"),
    [
        # What a service manager or `kill` does: SIGTERM to compatprobe alone.
        (signal.SIGTERM, False, 143),
        # What Ctrl-C in a terminal does: SIGINT to the whole foreground process group.
        (signal.SIGINT, True, 130),
    ],
)
def test_interrupted_mid_run(tmp_path: Path, signum: int, to_group: bool, code: int) -> None:
    out, before = previous_out(tmp_path, with_table=True)
    running: list[Proc] = []
    with held_everywhere(tmp_path) as (server, matrix):

        def interrupt(proc: subprocess.Popen[str]) -> None:
            if not running and server.all_arrived():
                # Every target is in the middle of its probe 01-beacon.
                running.extend(descendants(proc.pid))
                if to_group:
                    os.killpg(proc.pid, signum)
                else:
                    os.kill(proc.pid, signum)

        proc, seen = run_watched(
            "run", "-m", str(matrix), "--results", str(out / "results.json"), "-o", str(out / "index.html"),
            tick=interrupt, new_session=to_group,
        )  # fmt: skip
    assert running, proc.stderr
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.rstrip().endswith(
        f"compatprobe: {signal.Signals(signum).name}: stopped before any output was written; "
        "the earlier ones are as they were"
    )
    # Browsers, their helpers and Playwright's driver were all running, and none is left.
    names = {p.name for p in running}
    assert {"node", "WebKitWebDriver", "MiniBrowser", "Xvfb"} <= names, names
    assert any(n.startswith("firefox") for n in names) and any("chrom" in n for n in names), names
    assert still_running(seen) == []
    # The previous out/ is as it was: same files, same bytes, no temporary file left behind.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # The loopback server is gone with the process.
    port = int(re.search(r"serving probes at http://127\.0\.0\.1:(\d+)/", proc.stderr).group(1))  # type: ignore[union-attr]
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def previous_out(tmp_path: Path, *, with_table: bool) -> tuple[Path, dict[str, bytes]]:
    """An out/ folder holding an earlier run's files, and their bytes, to check that none changes."""
    out = tmp_path / "out"
    write_results(make_results(), out / "results.json")
    if with_table:
        (out / "index.html").write_text(HtmlFormat().table(build_table(make_results())))
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


@contextmanager
def held_everywhere(tmp_path: Path) -> Iterator[tuple[Beacon, Path]]:
    """The faults probes in every engine, each held in its first probe by the beacon server, and their matrix."""
    with beacon(hold={"chromium", "firefox", "webkit"}) as server:
        faults_probes(tmp_path, server.url)
        yield server, write_matrix(tmp_path, "".join(TARGETS.values()))


@pytest.mark.browsers
def test_a_second_ctrl_c_stops_at_once(tmp_path: Path) -> None:
    """The second Ctrl-C kills compatprobe's helpers and exits; Playwright's driver then closes its browsers."""
    out, before = previous_out(tmp_path, with_table=False)
    sent: list[int] = []
    with held_everywhere(tmp_path) as (server, matrix):

        def interrupt_twice(proc: subprocess.Popen[str]) -> None:
            if not sent and server.all_arrived():
                sent.append(proc.pid)
                os.killpg(proc.pid, signal.SIGINT)
                os.killpg(proc.pid, signal.SIGINT)

        proc, seen = run_watched(
            "run", "-m", str(matrix), "--results", str(out / "results.json"), "-o", str(out / "index.html"),
            tick=interrupt_twice, new_session=True,
        )  # fmt: skip
    assert sent and proc.returncode == 130, proc.stderr
    # What compatprobe did not stop itself goes when Playwright's driver sees it gone; allow for that.
    deadline = time.monotonic() + 60
    while still_running(seen) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert still_running(seen) == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_sigterm_raises_with_exit_code_143() -> None:
    with pytest.raises(Interrupted) as info, signals_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
    assert info.value.exit_code == 143 and str(info.value) == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # put back as it was


def test_a_signal_waits_until_the_files_are_written() -> None:
    written = []
    with pytest.raises(Interrupted) as info, signals_interrupt():
        with deferred():
            os.kill(os.getpid(), signal.SIGINT)
            written.append("results.json")
            written.append("index.html")
        written.append("after")  # not reached: the held signal arrives as the block ends
    assert written == ["results.json", "index.html"]
    assert info.value.exit_code == 130


@pytest.mark.browsers
def test_ctrl_c_keeps_the_targets_that_finished(tmp_path: Path) -> None:
    """Chromium finishes; Firefox and WebKitGTK are held in their beacon probe when Ctrl-C comes."""
    out = tmp_path / "out"
    err_path = tmp_path / "stderr.txt"
    sent: list[int] = []
    seen: set[Proc] = set()
    with beacon(hold={"firefox", "webkit"}) as server, err_path.open("w") as err:
        faults_probes(tmp_path, server.url)
        matrix = write_matrix(tmp_path, "".join(TARGETS.values()))
        proc = subprocess.Popen(
            [sys.executable, "-m", "compatprobe", "run", "-m", str(matrix), "--results", str(out / "results.json"),
             "-o", str(out / "index.html")],
            stdout=subprocess.DEVNULL, stderr=err, text=True, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip

        def interrupt() -> None:
            held = server.all_arrived(("firefox", "webkit"))
            if not sent and held and "compatprobe: chromium: ok" in err_path.read_text():
                sent.append(proc.pid)
                os.killpg(proc.pid, signal.SIGINT)

        wait_for_exit(proc, seen, tick=interrupt)
    stderr = err_path.read_text()
    assert sent and proc.returncode == 130, stderr
    results = read_results(out / "results.json")
    status = {t.name: t.status for t in results.targets}
    assert status == {"chromium": "ok", "firefox": "failed", "webkit": "failed"}, stderr
    chromium, firefox, _ = results.targets
    assert len(chromium.outcomes) == 3 and not chromium.not_run
    assert firefox.outcomes == [] and firefox.not_run == [p.id for p in results.probes]
    assert firefox.error == "interrupted (SIGINT) before this target finished"
    assert not results.complete
    table = (out / "index.html").read_text()
    assert "Chromium" in table and "interrupted (SIGINT) before this target finished" in table
    # Its last line says what it wrote and what it did not; no temporary file is left.
    assert stderr.rstrip().endswith(
        f"compatprobe: SIGINT: kept the 1 of 3 targets that had finished (chromium) as a partial run in "
        f"{out / 'results.json'}, {out / 'index.html'}; not finished, so marked failed with no outcomes: "
        "firefox, webkit"
    )
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "results.json"]
    assert still_running(seen) == []


def test_a_signal_another_thread_receives_is_held_too() -> None:
    # The kernel gives a process's signal to any thread that does not block it (a script's own, or
    # pytest-xdist's): one sent to another thread must wait for the block as well.
    other = threading.Thread(target=time.sleep, args=(5,), daemon=True)
    other.start()
    written = []
    with pytest.raises(Interrupted) as info, signals_interrupt():
        with deferred():
            signal.pthread_kill(other.ident or 0, signal.SIGTERM)
            time.sleep(0.2)  # time enough for the handler, were it not held
            written.append("results.json")
        written.append("after")
    assert written == ["results.json"]
    assert info.value.exit_code == 143
