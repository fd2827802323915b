"""A table whose outcome-independent parts were prepared while the browsers ran (report.prepared,
api.prepare_table) is byte for byte the table made without them, whether they were made in a
forked copy of the process (where a fork is safe: a user's command) or in a thread (elsewhere: a
test worker); the pages are still shared with a forked copy afterwards; a failed preparation
loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compatprobe import api
from compatprobe.report import mdn
from compatprobe.report.formats.base import Format
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.results.model import ProbeInfo
from golden_report import changed, earlier_run, made_fresh, unpack_results


def pages(fmt: Format, table: api.Table) -> dict[str, str]:
    return {name: render() for name, render in fmt.table_pages(table, "index.html")}


@pytest.fixture
def threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preparation in a thread, as where no fork is safe (the copy's is checked in a fresh
    interpreter below: a test worker has threads)."""
    monkeypatch.setattr(api, "can_fork", lambda: False)


@pytest.mark.usefixtures("threaded")
def test_a_prepared_table_is_the_table_made_without_preparation(
    real_packages: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = api.load_results(unpack_results(tmp_path))
    previous = api.load_results(earlier_run(unpack_results(tmp_path), tmp_path))
    bcd = api.bcd_data(real_packages["bcd"], results.probes, required=True)
    features = api.web_features(real_packages["web_features"])
    given = {"bcd": bcd, "web_features": features, "previous": previous}

    plain_table = api.table(results, **given)
    plain = pages(api.output_format("html"), plain_table)
    plain_md = MarkdownFormat().table(plain_table)

    fmt = api.output_format("html")
    preparation = api.prepare_table(results.probes, bcd=bcd, web_features=features, format=fmt)
    assert preparation.result() is not None and preparation.error is None
    # Every BCD statement the table shows was made by the preparation: none is made after it.
    made: list[str] = []
    real = mdn.browser_statements
    monkeypatch.setattr(mdn, "browser_statements", lambda *a: made.append(a[1]) or real(*a))
    prepared_table = api.table(results, **given, prepared=preparation)
    assert not made, "the table made BCD's statements again instead of taking the prepared ones"
    assert preparation.result() is None, "the parts outlive the table they were for"
    prepared = pages(fmt, prepared_table)

    assert len(plain) > 300, "the table was not split into section pages"
    assert sorted(prepared) == sorted(plain)
    differ = [name for name in plain if prepared[name] != plain[name]]
    assert not differ, f"{len(differ)} pages differ, first {differ[:5]}"
    assert MarkdownFormat().table(prepared_table) == plain_md


@pytest.mark.usefixtures("threaded")
def test_parts_prepared_for_other_data_are_not_used(real_packages: dict[str, Path], tmp_path: Path) -> None:
    results = api.load_results(unpack_results(tmp_path))
    bcd = api.bcd_data(real_packages["bcd"], results.probes, required=True)
    other = api.bcd_data(real_packages["bcd"], results.probes, required=True)
    features = api.web_features(real_packages["web_features"])
    # Prepared for a handful of probes and another BCD object: the table makes its own parts.
    preparation = api.prepare_table(results.probes[:5], bcd=other, web_features=features)
    prepared = api.table(results, bcd=bcd, web_features=features, prepared=preparation)
    plain = api.table(results, bcd=bcd, web_features=features)
    assert MarkdownFormat().table(prepared) == MarkdownFormat().table(plain)


class Unreadable(list[ProbeInfo]):
    def __iter__(self) -> Iterator[ProbeInfo]:
        raise RuntimeError("probes unreadable")


@pytest.mark.parametrize("fork", [False, True])
def test_a_failed_preparation_loses_nothing(
    real_packages: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    monkeypatch.setattr(api, "can_fork", lambda: fork)  # a forked copy that fails exits: no lock matters
    results = api.load_results(unpack_results(tmp_path))
    bcd = api.bcd_data(real_packages["bcd"], results.probes, required=True)
    preparation = api.prepare_table(Unreadable(), bcd=bcd)
    assert preparation.result() is None
    assert preparation.error is not None
    table = api.table(results, bcd=bcd, prepared=preparation)
    assert MarkdownFormat().table(table) == MarkdownFormat().table(api.table(results, bcd=bcd))


# In an interpreter of its own (golden_report.made_fresh), where the preparation is made in a forked
# copy as in a user's `run`. The inputs are laid out as golden_report lays them out, so that the
# pages are the golden ones.
MAKE = """
from compatprobe import api
from compatprobe.commands import table_output
from compatprobe.report import mdn
path = unpack_results(scratch / "in")
shutil.copy(sys.argv[3], scratch / "in" / "bcd.tgz")
shutil.copy(sys.argv[4], scratch / "in" / "web-features.tgz")
results = api.load_results(path)
bcd = api.bcd_data(scratch / "in" / "bcd.tgz", results.probes)
features = api.web_features(scratch / "in" / "web-features.tgz")
fmt = api.output_format("html")
preparation = api.prepare_table(results.probes, bcd=bcd, web_features=features, format=fmt)
made, real = [], mdn.browser_statements
mdn.browser_statements = lambda *a: made.append(1) or real(*a)  # here, not in the copy
preparation.result()
table = api.table(results, bcd=bcd, web_features=features, prepared=preparation)
table_output(fmt, table, str(scratch / "out" / "html" / "index.html")).write()
out = {"forks": len(forks), "statements": len(made), "made": fingerprints(scratch / "out", scratch)}
print(json.dumps(out))
"""


def test_a_prepared_tables_pages_are_the_golden_ones_and_still_shared(
    real_packages: dict[str, Path], tmp_path: Path
) -> None:
    out = made_fresh(MAKE, tmp_path, real_packages)
    differ = changed(out["made"], "html/")
    assert not differ, f"{len(differ)} files changed, first {differ[:5]}"
    assert out["statements"] == 0, "the table made BCD's statements again instead of taking the copy's"
    assert out["forks"] == 2, "a copy for the preparation, then one for half the pages (no thread left running)"
