"""Loading BCD from each form a user may have (data.json, folder, npm's .tgz) and its cache per version."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from bcd_fixtures import FIXTURE, FIXTURE_VERSION, fixture_data, write_bcd
from compatprobe.bcd.data import bcd_path, load_bcd
from compatprobe.errors import InputError

IDS = ["api.RTCPeerConnection", "api.RTCPeerConnection.removeStream"]


def make_tgz(path: Path, data: bytes, member: str = "package/data.json") -> Path:
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(member)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


def test_loads_data_json(tmp_path: Path) -> None:
    data = load_bcd(FIXTURE, IDS, cache_dir=tmp_path)
    assert data.version == FIXTURE_VERSION
    assert data.timestamp == "2026-11-12T14:10:29.391Z"
    assert set(data.browsers) == {"chrome", "edge", "firefox", "safari"}
    assert data.compat("api.RTCPeerConnection.removeStream")["support"]["firefox"]["version_removed"] == "51"
    with pytest.raises(KeyError):
        data.compat("api.RTCPeerConnection.addTrack")  # not asked for


@pytest.mark.parametrize("layout", ["tgz", "package-folder", "unpacked-parent", "folder-with-tgz"])
def test_loads_every_layout_npm_gives(tmp_path: Path, layout: str) -> None:
    raw = FIXTURE.read_bytes()
    if layout == "tgz":
        path = make_tgz(tmp_path / "mdn-browser-compat-data-8.1.9.tgz", raw)
    elif layout == "folder-with-tgz":
        make_tgz(tmp_path / "mdn-browser-compat-data-8.1.9.tgz", raw)
        path = tmp_path
    else:
        package = tmp_path / "package"
        package.mkdir()
        (package / "data.json").write_bytes(raw)
        path = package if layout == "package-folder" else tmp_path
    data = load_bcd(path, IDS, cache_dir=tmp_path / "cache")
    assert data.version == FIXTURE_VERSION
    assert data.compat("api.RTCPeerConnection")["support"]["chrome"][0]["version_added"] == "56"


def test_cache_keeps_only_what_is_asked_and_grows(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bcd(FIXTURE, IDS[:1], cache_dir=cache)
    [file] = (cache / "bcd").iterdir()
    assert file.name.startswith(f"{FIXTURE_VERSION}-")
    assert list(json.loads(file.read_text())["features"]) == IDS[:1]
    before = file.stat().st_mtime_ns, file.stat().st_ino
    load_bcd(FIXTURE, IDS[:1], cache_dir=cache)
    assert (file.stat().st_mtime_ns, file.stat().st_ino) == before  # served from the cache, not rewritten
    data = load_bcd(FIXTURE, [*IDS, "api.Nope"], cache_dir=cache)
    assert sorted(json.loads(file.read_text())["features"]) == sorted([*IDS, "api.Nope"])
    assert data.compat("api.Nope") is None
    assert data.compat("api.RTCPeerConnection.removeStream") is not None


def test_an_extract_with_text_orjson_refuses_is_still_served_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    edited = fixture_data()
    edited["api"]["RTCPeerConnection"]["__compat"]["description"] = "lone \ud800 surrogate"
    source = write_bcd(edited, tmp_path / "data.json")
    load_bcd(source, IDS, cache_dir=cache)
    [file] = (cache / "bcd").iterdir()
    assert json.loads(file.read_text())["content_sha256"].startswith("json:")  # orjson's refusal, not a crash
    before = file.stat().st_mtime_ns, file.stat().st_ino
    data = load_bcd(source, IDS, cache_dir=cache)
    assert (file.stat().st_mtime_ns, file.stat().st_ino) == before  # served from the cache, not rewritten
    assert data.compat("api.RTCPeerConnection")["description"] == "lone \ud800 surrogate"


def test_same_version_other_content_is_not_confused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    real = load_bcd(FIXTURE, IDS, cache_dir=cache)
    edited = fixture_data()
    edited["api"]["RTCPeerConnection"]["removeStream"]["__compat"]["support"]["firefox"] = {"version_added": "22"}
    other = load_bcd(write_bcd(edited, tmp_path / "data.json"), IDS, cache_dir=cache)
    assert real.version == other.version == FIXTURE_VERSION
    assert "version_removed" in real.compat("api.RTCPeerConnection.removeStream")["support"]["firefox"]
    assert "version_removed" not in other.compat("api.RTCPeerConnection.removeStream")["support"]["firefox"]
    assert len(list((cache / "bcd").iterdir())) == 2


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bcd(FIXTURE, IDS, cache_dir=cache)
    [file] = (cache / "bcd").iterdir()
    file.write_text("{trunc")
    assert load_bcd(FIXTURE, IDS, cache_dir=cache).version == FIXTURE_VERSION
    assert json.loads(file.read_text())["__meta"]["version"] == FIXTURE_VERSION


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.json", "BCD file not found"),
        (lambda d: d, "this folder has no data.json"),
        (lambda d: write_text(d / "data.json", "{not json"), "not valid JSON"),
        (lambda d: write_text(d / "data.json", '{"api": {}}'), "not MDN browser-compat-data"),
        (lambda d: make_tgz(d / "x.tgz", b"{}", member="package/README.md"), "the archive has no package/data.json"),
        (lambda d: write_text(d / "x.tgz", "not gzip"), "cannot read this archive"),
    ],
)
def test_bad_input_names_the_file_and_how_to_get_bcd(tmp_path: Path, make, words: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    with pytest.raises(InputError) as caught:
        load_bcd(path, IDS, cache_dir=tmp_path / "cache")
    assert words in str(caught.value)
    assert "npm pack @mdn/browser-compat-data" in str(caught.value)
    assert str(tmp_path) in str(caught.value)


def write_text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_path_from_flag_or_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COMPATPROBE_BCD", raising=False)
    assert bcd_path(None) is None
    monkeypatch.setenv("COMPATPROBE_BCD", str(tmp_path / "env.tgz"))
    assert bcd_path(None) == tmp_path / "env.tgz"
    assert bcd_path(tmp_path / "flag.json") == tmp_path / "flag.json"
