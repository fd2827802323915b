"""--apply without a browser: a folder that is not a BCD clone is refused with one clear line, and
proposals that need a person, stale statements and files not in BCD's format are listed, not written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bcd_fixtures import firefox_48_results
from compatprobe import cli
from compatprobe.bcd.apply import apply, check_clone
from compatprobe.bcd.propose import Evidence, Proposal
from compatprobe.errors import InputError
from compatprobe.results.model import write_results

FOUR = Path(__file__).parent / "fixtures" / "bcd-four"
EVIDENCE = Evidence("'register' in PushManager.prototype", "p", "0" * 64, "Firefox 153", "153.8.0", "", ())


def push(today: object, proposed: object, needs_person: str = "") -> Proposal:
    return Proposal(
        "api.PushManager.register",
        "api.PushManager.register",
        "firefox",
        "api/PushManager.json",
        today,
        proposed,
        "removed",
        EVIDENCE,
        needs_person=needs_person,
    )


def test_a_folder_that_is_not_a_bcd_clone_is_refused(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "something-else"}')
    with pytest.raises(InputError, match="is not a clone of mdn/browser-compat-data"):
        check_clone(tmp_path)
    with pytest.raises(InputError, match="is not a folder"):
        check_clone(tmp_path / "missing")


def test_the_command_refuses_a_non_bcd_folder_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
    results = tmp_path / "results.json"
    write_results(firefox_48_results(), results)
    folder = tmp_path / "not-bcd"
    folder.mkdir()
    code = cli.main(["bcd", str(results), "--bcd", str(FOUR / "data.json"), "--apply", str(folder)])
    assert code == 2
    err = capsys.readouterr().err
    assert "is not a clone of mdn/browser-compat-data" in err and "Traceback" not in err
    assert err.count("\n") <= 2  # the error, and what to do
    assert list(folder.iterdir()) == []  # nothing written


def test_what_needs_a_person_or_is_stale_is_listed_not_written(tmp_path: Path) -> None:
    clone = tmp_path / "bcd"
    shutil.copytree(FOUR / "clone", clone)
    before = (clone / "api" / "PushManager.json").read_bytes()
    done = apply(
        [
            push({"version_added": "44"}, None, needs_person="flags only"),
            push({"version_added": "45"}, {"version_added": "45", "version_removed": "≤153"}),  # not the clone's
        ],
        clone,
    )
    assert done.written == [] and done.files == []
    assert [why for _, why in done.refused] == [
        "needs a person: flags only",
        "the clone's statement for firefox differs from the one compared with (another BCD version, or changed since)",
    ]
    assert (clone / "api" / "PushManager.json").read_bytes() == before


def test_a_file_not_in_bcds_format_is_not_touched(tmp_path: Path) -> None:
    clone = tmp_path / "bcd"
    shutil.copytree(FOUR / "clone", clone)
    path = clone / "api" / "PushManager.json"
    path.write_text(path.read_text().replace("  ", "    "))  # four-space indentation: BCD's linter would rewrite it
    before = path.read_bytes()
    done = apply([push({"version_added": "44"}, {"version_added": "44", "version_removed": "≤153"})], clone)
    assert (
        done.written == []
        and done.refused[0][1] == "PushManager.json is not in BCD's format (run BCD's `npm run fix` first)"
    )
    assert path.read_bytes() == before
