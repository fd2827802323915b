"""The results file is the same bytes whether orjson or the standard library writes it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from compatprobe.results.model import dumps, read_results, to_dict, write_results
from golden_report import unpack_results


def standard(path: Path) -> str:
    return json.dumps(to_dict(read_results(path)), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_orjson_writes_what_the_standard_library_writes(tmp_path: Path) -> None:
    results = unpack_results(tmp_path)
    assert dumps(read_results(results)) == standard(results) == results.read_text(encoding="utf-8")


def test_strings_orjson_refuses_are_written_by_the_standard_library(tmp_path: Path) -> None:
    results = read_results(unpack_results(tmp_path))
    odd = replace(results.probes[0], title="a lone surrogate \ud800, controls \x00\x1f\x7f, \u2028 and 😀")
    results.probes[0] = odd
    expected = json.dumps(to_dict(results), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert dumps(results) == expected
    plain = replace(results, probes=[replace(odd, title="controls \x00\x1f\x7f, \u2028 and 😀")])
    write_results(plain, tmp_path / "r.json")
    assert "\\u0000\\u001f\x7f" in (tmp_path / "r.json").read_text(encoding="utf-8")
