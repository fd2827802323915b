"""`compatprobe data`: pinned packages fetched from the npm registry into the cache and checked
against their pinned sha512, without a traceback when the registry or the data is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compatprobe import cli
from compatprobe.data import cache as data_cache
from compatprobe.data.pins import load_pins
from compatprobe.data.registry import download, registry_url, release, sri
from compatprobe.errors import InputError

SMALL = "@webref/css"  # 100 kB: the cheapest package to fetch for real


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
    for name in ("COMPATPROBE_IDL", "COMPATPROBE_CSS", "COMPATPROBE_BCD", "COMPATPROBE_WEB_FEATURES"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "cache"


def test_fetch_checks_the_pinned_hash_and_status_says_so(empty_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["data", "status", SMALL]) == 3
    assert "not cached" in capsys.readouterr().out
    assert cli.main(["data", "fetch", SMALL]) == 0
    pin = load_pins()[SMALL]
    folder = data_cache.cached_package(SMALL)
    assert folder is not None and (folder / "css.json").is_file()
    tarball = folder.with_name(folder.name + ".tgz")
    assert sri(tarball.read_bytes()) == pin.integrity
    assert json.loads((folder / ".compatprobe.json").read_text())["integrity"] == pin.integrity
    capsys.readouterr()
    assert cli.main(["data", "status", SMALL]) == 0
    assert capsys.readouterr().out == f"{SMALL}@{pin.version}: {folder} (verified)\n"
    # A cached tarball that no longer matches its pin is reported, and fetched again.
    tarball.write_bytes(tarball.read_bytes() + b"x")
    assert cli.main(["data", "status", SMALL]) == 3
    assert "(NOT verified)" in capsys.readouterr().out
    assert cli.main(["data", "fetch", SMALL]) == 0
    assert sri(tarball.read_bytes()) == pin.integrity


def test_a_tarball_that_does_not_match_the_pin_is_refused() -> None:
    pin = load_pins()[SMALL]
    item = release(registry_url(), SMALL, pin.version)
    assert item.integrity == pin.integrity  # the registry agrees with the pin...
    with pytest.raises(InputError, match="does not match the pinned integrity hash"):
        download(item, "sha512-" + "A" * 86 + "==")  # ...and a different pin refuses the same bytes


def test_no_npm_and_no_registry_variable_is_one_clear_line(
    empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm here
    monkeypatch.delenv("COMPATPROBE_NPM_REGISTRY", raising=False)
    monkeypatch.delenv("npm_config_registry", raising=False)
    assert cli.main(["data", "fetch", SMALL]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no npm registry is known" in err and "COMPATPROBE_NPM_REGISTRY" in err


def test_an_unknown_package_name_is_an_input_error(empty_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["data", "fetch", "left-pad"]) == 2
    assert "no data package 'left-pad' is pinned" in capsys.readouterr().err


def test_generated_probes_without_the_data_say_how_to_get_it(
    empty_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["run", "-f", "api.URL*", "--results", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "@mdn/browser-compat-data and @webref/idl are not in the cache" in err
    assert "run 'compatprobe data fetch' once (or set $COMPATPROBE_BCD, $COMPATPROBE_IDL to an unpacked copy)" in err
    assert not (tmp_path / "r.json").exists()


def test_an_environment_variable_points_at_a_copy_instead_of_the_cache(
    empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "css-copy"
    copy.mkdir()
    (copy / "package.json").write_text('{"version": "0.0.1-local"}')
    monkeypatch.setenv("COMPATPROBE_CSS", str(copy))
    assert data_cache.cached_package(SMALL) == copy
    assert data_cache.data_versions([SMALL]) == {SMALL: "0.0.1-local"}


def test_update_finds_the_registrys_latest_version_with_its_sha512() -> None:
    pinned = load_pins()[SMALL]
    newest = data_cache.latest([SMALL])[SMALL]
    assert newest.integrity.startswith("sha512-")
    as_tuple = [int(part) for part in newest.version.split(".")[:3]]
    assert as_tuple >= [int(part) for part in pinned.version.split(".")[:3]]
    # The registry's hash for that version is what a fetch will check the tarball against.
    assert release(registry_url(), SMALL, newest.version).integrity.split()[0] == newest.integrity
