"""The outputs of one run appear together or not at all, the exit code and last line say which, and a
report folder holds one report (#23 item 8).

A full disk is made for one file only, without filling the machine's: opening the table's file
for writing opens a device like /dev/full instead (made in the test's temporary folder), whose
writes fail with the kernel's own ENOSPC. A signal at
the moment of the final write is sent by that same opening, to compatprobe's own process.
"""

from __future__ import annotations

import io
import os
import signal
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from beacon import TARGETS
from compatprobe import api
from compatprobe.cli import main
from compatprobe.report.formats.html import HtmlFormat
from compatprobe.report.table import build_table
from compatprobe.results.model import read_results, write_results
from compatprobe.run.interrupts import signals_interrupt
from conftest import cli
from factories import make_results
from test_table_pages import large_results

PROBE = """/*---
feature: api.Thing.method
title: method() exists
---*/
t.require("Thing.prototype.method");
"""


def tiny_matrix(folder: Path) -> Path:
    """One probe in Chromium: a whole run in a few seconds."""
    (folder / "probes").mkdir()
    (folder / "probes" / "thing.js").write_text(PROBE)
    matrix = folder / "matrix.yaml"
    matrix.write_text(f"version: 1\nprobes_dir: probes\ntargets:{TARGETS['chromium']}\n")
    return matrix


def earlier_outputs(folder: Path) -> dict[str, bytes]:
    """An out/ and a history folder from an earlier run, and every byte under `folder`'s outputs."""
    write_results(make_results(), folder / "out" / "results.json")
    (folder / "out" / "index.html").write_text(HtmlFormat().table(build_table(make_results())))
    write_results(make_results(), folder / "history" / "20261201T000000Z.json")
    return outputs(folder)


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for name in ("out", "history")
        for p in sorted((folder / name).rglob("*"))
        if p.is_file()
    }


def _written_name(file: Any) -> str | None:
    """The base name of what io.open is asked to open, for a path or a file descriptor."""
    if isinstance(file, int):
        return os.path.basename(os.readlink(f"/proc/self/fd/{file}"))
    if isinstance(file, (str, os.PathLike)):
        return os.path.basename(os.fspath(file))
    return None


@contextmanager
def on_writing(name: str, act: Callable[[Any, str], Any]) -> Iterator[list[str]]:
    """While inside, opening a file named `name` for writing (or a temporary file for it, `.name.*`)
    goes through `act(file, mode)`, whatever writes it; yields the names it caught."""
    real = io.open
    caught: list[str] = []

    def opening(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        base = _written_name(file)
        if base is not None and any(m in mode for m in "wax+") and (base == name or base.startswith(f".{name}.")):
            caught.append(base)
            file = act(file, mode)
        return real(file, mode, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(io, "open", opening)
        yield caught


def disk_full(folder: Path) -> Callable[[Any, str], Any]:
    """A file's writes made to go to a device like /dev/full (1, 7), made in the test's own `folder`
    (never the machine's /dev): they fail with the kernel's ENOSPC, as on a full disk."""
    device = folder / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a character device (a full disk's stand-in) needs root, as CI has")

    def redirect(file: Any, mode: str) -> Any:
        if isinstance(file, int):
            full = os.open(device, os.O_WRONLY)
            os.dup2(full, file)
            os.close(full)
            return file
        return str(device)

    return redirect


def sigterm(file: Any, mode: str) -> Any:
    """SIGTERM to this process, at the moment the file is opened for writing."""
    os.kill(os.getpid(), signal.SIGTERM)
    return file


def run_args(folder: Path) -> list[str]:
    return [
        "run", "-q", "-m", str(tiny_matrix(folder)), "--history", str(folder / "history"),
        "--results", str(folder / "out" / "results.json"), "-o", str(folder / "out" / "index.html"),
    ]  # fmt: skip


@pytest.mark.browsers
def test_a_full_disk_at_the_table_keeps_every_earlier_output(tmp_path: Path) -> None:
    """On ce0f9ca the results file and history copy were the new run and index.html the old one,
    with "No space left on device" and no file named."""
    before = earlier_outputs(tmp_path)
    with on_writing("index.html", disk_full(tmp_path)) as caught:
        proc = cli(*run_args(tmp_path), cwd=tmp_path)
    assert caught, proc.stderr
    assert outputs(tmp_path) == before  # byte for byte, and no temporary file or staging folder left
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        f"compatprobe: error: {tmp_path / 'out' / 'index.html'}: No space left on device; "
        "no output was written or replaced"
    ]


@pytest.mark.browsers
def test_a_signal_during_the_final_write_waits_and_says_what_was_written(tmp_path: Path) -> None:
    """On ce0f9ca every file was written, then it exited 143 with `interrupted (SIGTERM)`, as when
    nothing was."""
    earlier_outputs(tmp_path)
    with on_writing("index.html", sigterm) as caught:
        proc = cli(*run_args(tmp_path), cwd=tmp_path)
    assert caught, proc.stderr
    assert proc.returncode == 143, proc.stderr
    out = tmp_path / "out"
    [copy] = [p for p in (tmp_path / "history").iterdir() if p.name != "20261201T000000Z.json"]
    assert proc.stderr.splitlines()[-1] == (
        f"compatprobe: SIGTERM came while the outputs were written: wrote {out / 'results.json'}, {copy}, "
        f"{out / 'index.html'} (the whole run), then stopped"
    )
    results = read_results(out / "results.json")
    assert [t.name for t in results.targets] == ["chromium"] and results.complete
    assert read_results(copy) == results
    assert "api.Thing.method" in (out / "index.html").read_text()
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "results.json"]


def test_save_writes_all_or_nothing_and_names_what_it_could_not_write(tmp_path: Path) -> None:
    """The library's own promise, without a browser: api.save with a table's files."""
    before = earlier_outputs(tmp_path)
    out = tmp_path / "out"
    new = make_results(firefox_message="a new run")
    pages = HtmlFormat().table_pages(build_table(new), "index.html")
    report = ((out / name, render) for name, render in pages)
    with on_writing("index.html", disk_full(tmp_path)), pytest.raises(OSError) as failed:
        api.save(new, out / "results.json", history=tmp_path / "history", report=report)
    assert failed.value.filename == str(out / "index.html")
    assert failed.value.strerror == "No space left on device; no output was written or replaced"
    assert outputs(tmp_path) == before
    report = ((out / name, render) for name, render in HtmlFormat().table_pages(build_table(new), "index.html"))
    wrote = api.save(new, out / "results.json", history=tmp_path / "history", report=report)
    assert wrote[0] == out / "results.json" and wrote[-1] == out / "index.html" and len(wrote) == 3
    assert read_results(out / "results.json") == read_results(wrote[1])
    assert "a new run" in (out / "results.json").read_text() and "a new run" in (out / "index.html").read_text()


def test_a_signal_during_save_waits_until_everything_is_in_place(tmp_path: Path) -> None:
    earlier_outputs(tmp_path)
    out = tmp_path / "out"
    new = make_results(firefox_message="a new run")
    report = ((out / name, render) for name, render in HtmlFormat().table_pages(build_table(new), "index.html"))
    with on_writing("index.html", sigterm), pytest.raises(api.Interrupted) as stopped, signals_interrupt():
        api.save(new, out / "results.json", report=report)
    assert stopped.value.exit_code == 143
    assert stopped.value.wrote == (out / "results.json", out / "index.html")
    assert "a new run" in (out / "results.json").read_text() and "a new run" in (out / "index.html").read_text()


def test_a_small_report_over_a_split_one_leaves_one_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Passes on ce0f9ca's successor main already (report.writing, 45584a1); on ce0f9ca the 31 pages
    of the split report stayed beside the new index."""
    write_results(large_results(), tmp_path / "large.json")
    write_results(large_results(2, 2), tmp_path / "small.json")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")  # not a page of the report: kept
    assert main(["render", str(tmp_path / "large.json"), "-o", str(out / "index.html")]) == 0
    assert len(list(out.iterdir())) == 33
    assert main(["render", str(tmp_path / "small.json"), "-o", str(out / "index.html")]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "notes.txt"]
    assert "api.I1.m1" in (out / "index.html").read_text()
    capsys.readouterr()


def test_a_full_disk_under_render_keeps_the_split_report_whole(tmp_path: Path) -> None:
    write_results(large_results(), tmp_path / "large.json")
    write_results(large_results(2, 2), tmp_path / "small.json")
    out = tmp_path / "out"
    assert cli("render", str(tmp_path / "large.json"), "-o", str(out / "index.html")).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with on_writing("api.I1.html", disk_full(tmp_path)):
        proc = cli("render", str(tmp_path / "large.json"), "-o", str(out / "index.html"), "--compare",
                   str(tmp_path / "small.json"))  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"compatprobe: error: {out / 'api.I1.html'}: No space left on device; no output was written or replaced"
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
