"""Probes in a window, a dedicated, a shared and a service worker (tests/fixtures/scopes), in real
browsers: where a feature is exposed, checked directly in each browser; hostile probes in workers
change no other probe's outcome; and what the outputs (table, diff, BCD, collector) make of scopes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from bcd_fixtures import fixture_data, write_bcd
from compatprobe.bcd.collector import build_report
from compatprobe.bcd.compare import bcd_ids, compare
from compatprobe.bcd.data import load_bcd
from compatprobe.cli import main
from compatprobe.engines import ENGINES
from compatprobe.results.model import read_results
from conftest import FIXTURES
from direct import (
    evaluate_in_worker_playwright,
    evaluate_in_worker_webkitgtk,
    evaluate_playwright,
    evaluate_webkitgtk,
)

pytestmark = pytest.mark.browsers

SCOPES = ["window", "worker", "sharedworker", "serviceworker"]
MATRIX = FIXTURES / "scopes" / "matrix.yaml"

# (status, reason) of each hostile probe in every worker scope (in the window they do nothing).
HOSTILE: dict[str, Any] = {
    "02-hostile-replaces-globals": ("supported", None),
    "04-hostile-never-settles": ("timeout", "deadline"),
    "06-hostile-spins": ("timeout", "unresponsive"),
    "08-hostile-throws-from-timer": ("error", "uncaught"),
    "10-hostile-breaks-messaging": ("supported", None),
    # A service worker has no close(): the probe does nothing there.
    "12-hostile-closes-worker": {
        "worker": ("timeout", "unresponsive"),
        "sharedworker": ("timeout", "unresponsive"),
        "serviceworker": ("supported", None),
    },
}


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture run once in all three engines and four scopes, then its clean probes alone."""
    out = tmp_path_factory.mktemp("scopes")
    every = main(["run", "-m", str(MATRIX), "--results", str(out / "results.json"), "-o", str(out / "index.html")])
    clean = main(
        ["run", "-m", str(MATRIX), "-p", "*clean*", "--results", str(out / "clean.json"), "-o", str(out / "clean.html")]
    )
    # 4: the run says a probe's own code broke (08-hostile-throws-from-timer, by design); the clean ones are 0.
    assert (every, clean) == (4, 0)
    return {
        "dir": out,
        "results": json.loads((out / "results.json").read_text()),
        "clean": json.loads((out / "clean.json").read_text()),
    }


def outcome(results: dict[str, Any], target: str, probe: str, scope: str) -> dict[str, Any]:
    t = next(t for t in results["targets"] if t["name"] == target)
    return next(o for o in t["outcomes"] if o["probe"] == probe and o.get("scope", "window") == scope)


def in_page(engine: str, expression: str) -> Any:
    if engine == "webkit":
        return evaluate_webkitgtk(f"return {expression};")
    return evaluate_playwright(engine, f"() => {expression}")


def in_worker(engine: str, expression: str) -> Any:
    if engine == "webkit":
        return evaluate_in_worker_webkitgtk(expression)
    return evaluate_in_worker_playwright(engine, expression)


@pytest.fixture(scope="module")
def direct() -> dict[str, dict[str, Any]]:
    """Each engine's own answers, without compatprobe: one page and one dedicated worker per engine."""
    question = "[typeof FileReaderSync, typeof document, typeof SharedWorker, typeof navigator.serviceWorker]"
    answers = {}
    for engine in ENGINES:
        page, worker = in_page(engine, question), in_worker(engine, question)
        answers[engine] = {"page": dict(zip(("frs", "document", "shared", "sw"), page, strict=True))}
        answers[engine]["worker"] = dict(zip(("frs", "document", "shared", "sw"), worker, strict=True))
    return answers


def test_every_probe_runs_in_every_scope(scoped: dict[str, Any]) -> None:
    probes = {p["id"] for p in scoped["results"]["probes"]}
    assert scoped["results"]["schema_version"] == 3
    for target in scoped["results"]["targets"]:
        assert target["status"] == "ok" and target["not_run"] == [], target
        seen = {(o["probe"], o.get("scope", "window")) for o in target["outcomes"]}
        assert seen == {(p, s) for p in probes for s in SCOPES}
        # The window's outcomes carry no scope, as in version 1.
        assert all(o.get("scope") != "window" for o in target["outcomes"])


@pytest.mark.parametrize("engine", ENGINES)
def test_filereadersync_is_in_dedicated_workers_and_not_in_the_window(
    scoped: dict[str, Any], direct: dict[str, dict[str, Any]], engine: str
) -> None:
    results = scoped["results"]
    window = outcome(results, engine, "00-filereadersync", "window")
    worker = outcome(results, engine, "00-filereadersync", "worker")
    assert direct[engine]["page"]["frs"] == "undefined"
    assert (window["status"], window["reason"]) == ("unsupported", "interface-missing")
    assert direct[engine]["worker"]["frs"] == "function"
    assert worker["status"] == "supported" and worker["values"] == {"readAsText(blob)": '"hi"'}


@pytest.mark.parametrize("engine", ENGINES)
def test_document_in_a_worker_is_no_not_an_error(
    scoped: dict[str, Any], direct: dict[str, dict[str, Any]], engine: str
) -> None:
    assert direct[engine]["worker"]["document"] == "undefined" and direct[engine]["page"]["document"] == "object"
    assert outcome(scoped["results"], engine, "01-document", "window")["status"] == "supported"
    for scope in ("worker", "sharedworker", "serviceworker"):
        got = outcome(scoped["results"], engine, "01-document", scope)
        assert (got["status"], got["reason"]) == ("unsupported", "interface-missing"), got


def test_webkitgtk_starts_every_scope(scoped: dict[str, Any], direct: dict[str, dict[str, Any]]) -> None:
    """WebKitGTK 2.50 here has SharedWorker and service workers on the loopback origin, as it says itself."""
    assert direct["webkit"]["page"]["shared"] == "function" and direct["webkit"]["page"]["sw"] == "object"
    target = next(t for t in scoped["results"]["targets"] if t["name"] == "webkit")
    assert not [o for o in target["outcomes"] if o.get("reason") == "scope-unavailable"]
    for scope in ("worker", "sharedworker", "serviceworker"):
        assert outcome(scoped["results"], "webkit", "05-clean-globals", scope)["values"]["scope"] == f'"{scope}"'


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_probes_in_workers_get_their_own_outcome(scoped: dict[str, Any], engine: str) -> None:
    for probe, expected in HOSTILE.items():
        assert outcome(scoped["results"], engine, probe, "window")["status"] == "supported"
        for scope in ("worker", "sharedworker", "serviceworker"):
            got = outcome(scoped["results"], engine, probe, scope)
            want = expected[scope] if isinstance(expected, dict) else expected
            assert (got["status"], got.get("reason")) == want, (probe, scope, got)
    spun = outcome(scoped["results"], engine, "06-hostile-spins", "worker")["message"]
    assert spun.startswith("the dedicated worker stopped responding") and spun.endswith("; it was terminated")


@pytest.mark.parametrize("engine", ENGINES)
def test_other_probes_are_the_same_as_in_a_clean_run(scoped: dict[str, Any], engine: str) -> None:
    clean = next(t for t in scoped["clean"]["targets"] if t["name"] == engine)
    assert len(clean["outcomes"]) == 6 * len(SCOPES)
    for expected in clean["outcomes"]:
        got = outcome(scoped["results"], engine, expected["probe"], expected.get("scope", "window"))
        assert got == expected
    # A guard for the comparison: the clean probes observed something in every scope.
    for scope in SCOPES:
        assert outcome(scoped["clean"], engine, "03-clean-blob", scope)["values"] == {"encoded": "2", "size": "3"}
        assert outcome(scoped["clean"], engine, "05-clean-globals", scope)["values"]["leaked"] == '"undefined"'
        assert outcome(scoped["clean"], engine, "11-clean-messaging", scope)["values"] == {"received": '"ping"'}
        assert outcome(scoped["clean"], engine, "13-clean-after-close", scope)["values"] == {
            "typeof fetch": '"function"'
        }


ONE_CALLS = ["text", "not-a-method", "awaited", "missing", "check", "number"]


def name_of(case: str, compiled: bool = False) -> str:
    number = 14 + 2 * ONE_CALLS.index(case) + compiled
    return f"{number}-one-call-{case}" + ("-compiled" if compiled else "")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_probe_that_is_one_call_gives_what_its_compiled_source_gives(scoped: dict[str, Any], engine: str) -> None:
    """A probe that is one call of `t` with literal arguments runs uncompiled (common.js: compile);
    its twin, the same call after a comment, is compiled as any probe is: the same outcome in every
    scope is the independent evaluation."""
    for name in ONE_CALLS:
        for scope in SCOPES:
            called = outcome(scoped["results"], engine, name_of(name), scope)
            compiled = outcome(scoped["results"], engine, name_of(name, compiled=True), scope)
            assert {**called, "probe": None} == {**compiled, "probe": None}, (name, scope)
    # What they gave, so that a pair cannot agree by both failing to run.
    window = {name: outcome(scoped["results"], engine, name_of(name), "window") for name in ONE_CALLS}
    assert window["text"]["values"] == {"text": '"a);b\u2028c"'}
    assert window["number"]["values"] == {"number": "Infinity"}
    assert window["awaited"]["status"] == "supported"
    assert (window["missing"]["status"], window["missing"]["reason"]) == ("unsupported", "interface-missing")
    assert window["check"]["status"] != "supported"
    assert window["not-a-method"]["exception"]["name"] == "TypeError"
    assert "notAMethod" in window["not-a-method"]["exception"]["message"]


def test_the_table_shows_each_scope_where_they_differ(
    scoped: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    # The Markdown lists every row for one browser (with more, only the rows where browsers differ).
    data = json.loads((scoped["dir"] / "results.json").read_text())
    one = scoped["dir"] / "chromium.json"
    one.write_text(json.dumps({**data, "targets": [t for t in data["targets"] if t["name"] == "chromium"]}))
    out = scoped["dir"] / "table.md"
    assert main(["render", str(one), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text()
    row = next(line for line in text.splitlines() if line.startswith("| FileReaderSync"))
    assert row.count("Window ✗ · Worker ✓ · SharedWorker ✓ · ServiceWorker ✗") == 1, row
    events = next(line for line in text.splitlines() if line.startswith("| clean - sees an event"))
    assert events.count("✓ Yes") == 1 and "Worker" not in events
    assert "the cell shows each scope's mark (Window ✓ · Worker ✗); one mark where every scope that ran agrees" in text


def test_collector_report_writes_each_exposure(scoped: dict[str, Any]) -> None:
    results = read_results(scoped["dir"] / "results.json")
    chromium = next(t for t in results.targets if t.name == "chromium")
    entries = build_report(results, chromium)["results"]["http://127.0.0.1/probes/00-filereadersync.js"]
    assert sorted((e["exposure"], e["result"]) for e in entries) == [
        ("ServiceWorker", False),
        ("SharedWorker", True),
        ("Window", False),
        ("Worker", True),
    ]


def _bcd_with_filereadersync(path: Path) -> Path:
    # BCD 8.1.9's statements for FileReaderSync (an interface of workers only), for these browsers.
    data = copy.deepcopy(fixture_data())
    support = {"chrome": {"version_added": "7"}, "firefox": {"version_added": "8"}, "safari": {"version_added": "6"}}
    data["api"]["FileReaderSync"] = {"__compat": {"support": support, "status": {"standard_track": True}}}
    return write_bcd(data, path)


def test_bcd_compares_worker_only_interfaces_in_workers(scoped: dict[str, Any], tmp_path: Path) -> None:
    results = read_results(scoped["dir"] / "results.json")
    data = load_bcd(_bcd_with_filereadersync(tmp_path / "bcd.json"), bcd_ids(results.probes), tmp_path / "cache")
    found = [c for c in compare(results, data).comparisons if c.feature == "api.FileReaderSync"]
    by = {c.target: c for c in found}
    # Judged once per browser, from the scopes where it is exposed (BCD's one statement says where the
    # browser has it at all), never from the window, where it is missing by design.
    assert len(found) == len(by) == 3
    for engine in ("chromium", "firefox"):
        assert by[engine].agreement == "agrees", by[engine]
        assert by[engine].observed.summary == "exists in a dedicated worker, in a shared worker"
    # As before scopes, when the window's outcome stood for the feature: a false contradiction.
    window_only = copy.deepcopy(results)
    for target in window_only.targets:
        target.outcomes = [o for o in target.outcomes if o.scope == "window"]
    for probe in window_only.probes:
        probe.exposed = None
    before = [c for c in compare(window_only, data).contradictions if c.feature == "api.FileReaderSync"]
    assert {c.target for c in before} == {"chromium", "firefox"}
