"""Probe files: metadata parsing, selection by pattern, and the shipped probes."""

from __future__ import annotations

from pathlib import Path

import pytest

from compatprobe.errors import InputError
from compatprobe.probes.loader import load_probes, parse_probe

ROOT = Path(__file__).resolve().parents[1]

PROBE = """/*---
feature: api.Thing.method
title: method() exists
expect: it does
---*/
t.require("Thing.prototype.method");
"""


def test_shipped_probes() -> None:
    probes = load_probes(ROOT / "probes", ["*"])
    ids = [p.id for p in probes]
    assert "RTCPeerConnection/removeStream/exists" in ids
    assert "RTCPeerConnection/removeTrack/closed-connection" in ids
    assert len({p.feature for p in probes}) == len(probes)
    assert all(p.feature.startswith("api.RTCPeerConnection") for p in probes)
    remove_stream = next(p for p in probes if p.id == "RTCPeerConnection/removeStream/exists")
    assert remove_stream.deprecated and not remove_stream.standard
    assert remove_stream.group == "api.RTCPeerConnection.removeStream"


def test_pattern_selects(tmp_path: Path) -> None:
    probes = load_probes(ROOT / "probes", ["RTCPeerConnection/removeTrack*"])
    assert probes and all(p.id.startswith("RTCPeerConnection/removeTrack/") for p in probes)


def test_pattern_matching_nothing_is_an_error() -> None:
    with pytest.raises(InputError, match=r"matches no probe.*did you mean 'RTCPeerConnection/removeTrack/exists'"):
        load_probes(ROOT / "probes", ["RTCPeerConnection/removeTrak/exists"])


def test_parse(tmp_path: Path) -> None:
    path = tmp_path / "p.js"
    path.write_text(PROBE)
    probe = parse_probe(path, "p")
    assert (probe.feature, probe.title, probe.expect) == ("api.Thing.method", "method() exists", "it does")
    assert probe.source.strip() == 't.require("Thing.prototype.method");'
    assert probe.group == "api.Thing.method"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("t.require('x');\n", 1, "no metadata block"),
        (PROBE.replace("title: method() exists", "titel: method() exists"), 3, "did you mean 'title'?"),
        (PROBE.replace("feature: api.Thing.method", "feature: Thing method"), 2, "not a browser-compat-data id"),
        (PROBE.replace("expect: it does", "expect: [unclosed"), 4, "not valid YAML"),
        (PROBE.replace("expect: it does", "deprecated: sometimes"), 4, "'deprecated' must be true or false, not text"),
        (PROBE.replace("title: method() exists\n", ""), 2, "metadata lacks 'title'"),
    ],
)
def test_bad_metadata(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "p.js"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        parse_probe(path, "p")
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert words in str(info.value)


def test_duplicate_feature(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(PROBE)
    (tmp_path / "b.js").write_text(PROBE)
    with pytest.raises(InputError, match=r"feature 'api\.Thing\.method' is also the feature of"):
        load_probes(tmp_path, ["*"])
