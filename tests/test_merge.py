"""Sharded runs: `run --shard`, `merge`, and a merged run rendering the same table as an unsharded one."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from compatprobe.config.choose import shard_of
from compatprobe.errors import InputError
from compatprobe.results.merge import merge_results
from compatprobe.results.model import read_results, write_results
from conftest import cli
from factories import make_results


def split(results: Any, names: list[str]) -> Any:
    return replace(results, targets=[t for t in results.targets if t.name in names])


def test_shard_slices_cover_every_target_once() -> None:
    names = ["a", "b", "c", "d", "e"]
    for count in range(1, 7):
        slices = [shard_of(names, f"{i}/{count}") for i in range(1, count + 1)]
        assert [n for s in slices for n in s] == names
        assert max(map(len, slices)) - min(map(len, slices)) <= 1


@pytest.mark.parametrize("shard", ["0/2", "3/2", "x/2", "1", "1/0"])
def test_bad_shard(shard: str) -> None:
    with pytest.raises(InputError, match="expected I/N"):
        shard_of(["a"], shard)


def test_merge_combines_targets_and_keeps_hosts() -> None:
    whole = make_results()
    a, b = split(whole, ["chromium"]), split(whole, ["firefox", "webkit"])
    b.run = replace(b.run, host={"system": "Darwin"}, started="2026-01-01T00:00:01+00:00")
    merged = merge_results([(Path("b.json"), b), (Path("a.json"), a)])
    assert [t.name for t in merged.targets] == ["chromium", "firefox", "webkit"]
    assert merged.targets[0].host == {"system": "Linux"}
    assert merged.targets[1].host == {"system": "Darwin"}
    assert merged.run.started == "2026-01-01T00:00:00+00:00"
    assert [s.source for s in merged.run.shards or []] == ["b.json", "a.json"]


def test_merge_refuses_other_probe_sets() -> None:
    whole = make_results()
    a, b = split(whole, ["chromium"]), split(whole, ["firefox"])
    b.probes = [replace(b.probes[0], sha256="f" * 64), *b.probes[1:]]
    with pytest.raises(
        InputError, match=r"b\.json: ran another probe set than a\.json \(only here: X/removeStream/exists"
    ):
        merge_results([(Path("a.json"), a), (Path("b.json"), b)])


def test_merge_refuses_a_target_twice_and_other_versions() -> None:
    whole = make_results()
    with pytest.raises(InputError, match=r"target 'chromium' is also in a\.json"):
        merge_results([(Path("a.json"), split(whole, ["chromium"])), (Path("b.json"), split(whole, ["chromium"]))])
    other = split(whole, ["firefox"])
    other.run = replace(other.run, tool_version="9.9.9")
    with pytest.raises(InputError, match=r"written by compatprobe 9\.9\.9"):
        merge_results([(Path("a.json"), split(whole, ["chromium"])), (Path("b.json"), other)])


def test_merge_cli_refuses_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    whole = make_results()
    write_results(split(whole, ["chromium"]), tmp_path / "a.json")
    write_results(split(whole, ["chromium"]), tmp_path / "b.json")
    (tmp_path / "c.json").write_text("{")
    for inputs, words in (
        (["a.json", "b.json"], "target 'chromium' is also in"),
        (["a.json", "c.json"], "not valid JSON"),
    ):
        proc = cli("merge", *(str(tmp_path / i) for i in inputs), "-o", str(tmp_path / "m.json"))
        assert proc.returncode == 2
        assert words in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "m.json").exists()


def table_of(html: str) -> str:
    match = re.search(r'<table class="compat">.*?</table>.*?<h2>Probes</h2>', html, re.DOTALL)
    assert match
    return match.group(0)


@pytest.mark.browsers
def test_merged_shards_render_like_one_run(observed: dict[str, Any], tmp_path: Path) -> None:
    for index in (1, 2):
        proc = cli(
            "run",
            "--shard",
            f"{index}/2",
            "-q",
            "--results",
            str(tmp_path / f"shard{index}.json"),
            "-o",
            str(tmp_path / f"shard{index}.html"),
        )
        assert proc.returncode == 0, proc.stderr
    shard_targets = [[t.name for t in read_results(tmp_path / f"shard{i}.json").targets] for i in (1, 2)]
    assert shard_targets == [["chromium"], ["firefox", "webkit"]]
    cli(
        "merge",
        str(tmp_path / "shard2.json"),
        str(tmp_path / "shard1.json"),
        "-o",
        str(tmp_path / "merged.json"),
        check=True,
    )
    cli("render", str(tmp_path / "merged.json"), "-o", str(tmp_path / "merged.html"), check=True)
    merged = read_results(tmp_path / "merged.json")
    assert [t.name for t in merged.targets] == ["chromium", "firefox", "webkit"]
    unsharded = (observed["dir"] / "index.html").read_text()
    assert table_of((tmp_path / "merged.html").read_text()) == table_of(unsharded)
