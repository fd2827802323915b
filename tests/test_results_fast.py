"""Results files written and checked fast: the same bytes whether orjson or the standard library
writes them, and the same answer whether jsonschema-rs or jsonschema checks them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from compatprobe.results.model import _valid, dumps, read_results, schema, to_dict, write_results
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


def mutations() -> list[tuple[str, object]]:
    return [
        ("targets/0/outcomes/5/status", "maybe"),
        ("targets/0/outcomes/5/probe", 5),
        ("probes/3/title", None),
        ("run/started", []),
        ("targets/0/extra", "no such key"),
        ("targets/0/status", "fine"),
    ]


@pytest.mark.parametrize(("where", "value"), mutations())
def test_jsonschema_rs_and_jsonschema_agree(tmp_path: Path, where: str, value: object) -> None:
    data = json.loads(unpack_results(tmp_path).read_text())
    assert _valid(data, 3) and jsonschema.Draft202012Validator(schema(3)).is_valid(data)
    *path, last = where.split("/")
    node = data
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    assert not _valid(data, 3)
    assert not jsonschema.Draft202012Validator(schema(3)).is_valid(data)


def test_a_results_repr_names_its_size_without_its_outcomes(tmp_path: Path) -> None:
    """asyncio.run writes the main task's result into an error message it drops (Python 3.11's
    SIGINT check): a sweep's full repr cost 0.2 s after every run."""
    results = read_results(unpack_results(tmp_path))
    outcomes = sum(len(t.outcomes) for t in results.targets)
    names = ", ".join(t.name for t in results.targets)
    text = repr(results)
    assert text == f"<Results of {len(results.probes)} probes in {names}: {outcomes} outcomes>"
    assert results.targets[0].outcomes[0].probe not in text
