"""Features outside WebRTC told truly: promises that reject and resolve, events as data, builtins
and CSS, each outcome checked against the same expression evaluated directly in that browser, and
the same alone and in a shuffled batch with the shipped probes and 1,000 generated ones."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from compatprobe.engines import ENGINES
from conftest import FIXTURES
from direct import evaluate_in_frames
from order_suite import ROOT, write_suite

pytestmark = pytest.mark.browsers


# Feature id -> the same check as its probe, evaluated without compatprobe (`w`: a fresh frame's
# window), giving the key that outcome_key() gives for the probe's outcome.
REJECTS = """async (w) => {{
  try {{ const v = await ({call}); return "resolved " + v; }}
  catch (e) {{ return "throws " + e.name; }}
}}"""
DIRECT = {
    "api.Clipboard.readText.no_activation": REJECTS.format(call="w.navigator.clipboard.readText()"),
    "api.Permissions.query.unknown_name": REJECTS.format(
        call="w.navigator.permissions.query({name: 'compatprobe-nope'})"
    ),
    "api.fetch.refused_port": REJECTS.format(call="w.fetch('http://127.0.0.1:2/', {cache: 'no-store'})"),
    "api.fetch.aborted_signal": REJECTS.format(
        call="(() => { const c = new w.AbortController(); c.abort(); "
        "return w.fetch(w.origin + '/', {signal: c.signal}); })()"
    ),
    "api.fetch.same_origin": "async (w) => { const r = await w.fetch(w.origin + '/', {cache: 'no-store'}); "
    "return r.ok ? 'yes status=' + r.status : 'no'; }",
    "api.SubtleCrypto.digest": "async (w) => { const h = await w.crypto.subtle.digest('SHA-256', "
    "new w.TextEncoder().encode('compatprobe')); return 'yes hex=' + "
    "[...new Uint8Array(h)].map((b) => b.toString(16).padStart(2, '0')).join(''); }",
    "api.MessagePort.message_event": "async (w) => { const {port1, port2} = new w.MessageChannel(); const got = []; "
    "port1.onmessage = (e) => got.push(e.data); port2.postMessage('one'); port2.postMessage('two'); "
    "for (let i = 0; i < 200 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10)); port1.close(); "
    "return got.length === 2 ? 'yes data=' + got.join(',') : 'no'; }",
    "api.AbortSignal.abort_event": "async (w) => { const c = new w.AbortController(); let n = 0; "
    "c.signal.addEventListener('abort', () => n++); c.abort(); c.abort(); await new Promise((r) => setTimeout(r, 10)); "
    "return n === 1 ? 'yes count=1' : 'no'; }",
    "api.EventTarget.dispatchEvent.custom_order": "async (w) => { const t = new w.EventTarget(); const got = []; "
    "t.addEventListener('ping', (e) => got.push(e.detail)); "
    "for (const n of [1, 2, 3]) t.dispatchEvent(new w.CustomEvent('ping', {detail: n})); "
    "return got[2] === 3 ? 'yes details=' + got.join(',') : 'no'; }",
    "javascript.builtins.Array.findLast": "async (w) => typeof w.Array.prototype.findLast !== 'function' ? 'missing' "
    ": (w.eval('[1, 2, 3, 4].findLast((x) => x % 2 === 1)') === 3 ? 'yes' : 'no')",
    "javascript.builtins.Array.fromAsync": "async (w) => typeof w.Array.fromAsync !== 'function' ? 'missing' "
    ": ((await w.Array.fromAsync([1, Promise.resolve(2)])).join(',') === '1,2' ? 'yes' : 'no')",
    "javascript.builtins.Intl.Segmenter": "async (w) => { if (!w.Intl.Segmenter) return 'missing'; "
    "const s = new w.Intl.Segmenter('en', {granularity: 'word'}); "
    "const words = [...s.segment('compat probe')].filter((x) => x.isWordLike).map((x) => x.segment).join('|'); "
    "return (words === 'compat|probe' ? 'yes' : 'no') + ' words=' + words; }",
    "api.structuredClone.function_throws": "async (w) => { try { w.structuredClone(() => {}); return 'no'; } "
    "catch (e) { return 'throws ' + e.name; } }",
    "css.properties.display.grid": "async (w) => w.CSS.supports('display', 'grid') ? 'yes' : 'no'",
    "css.properties.field-sizing": "async (w) => w.CSS.supports('field-sizing', 'content') ? 'yes' : 'no'",
    "css.properties.text-wrap.balance": "async (w) => w.CSS.supports('text-wrap', 'balance') ? 'yes' : 'no'",
}
# The values a probe records that its direct check also reads.
COMPARED_VALUES = {"status", "hex", "data", "count", "details", "words"}


def outcome_key(outcome: dict[str, Any]) -> str:
    """An outcome in the words of the direct checks: "throws NotAllowedError", "yes hex=…", "missing", "no"."""
    status = outcome["status"]
    if status == "throws":
        return f"throws {outcome['exception']['name']}"
    if status == "unsupported":
        return (
            "missing"
            if outcome.get("reason") in ("interface-missing", "member-missing")
            else _with_values("no", outcome)
        )
    if status == "supported":
        return _with_values("yes", outcome)
    return f"{status}: {outcome.get('message')}"


def _with_values(word: str, outcome: dict[str, Any]) -> str:
    values = {k: json.loads(v) if v.startswith('"') else v for k, v in outcome.get("values", {}).items()}
    shown = [f"{k}={values[k]}" for k in sorted(values) if k in COMPARED_VALUES]
    return " ".join([word, *shown]) if word == "yes" or shown else word


def by_feature(results: dict[str, Any], engine: str) -> dict[str, dict[str, Any]]:
    features = {p["id"]: p["feature"] for p in results["probes"]}
    target = next(t for t in results["targets"] if t["name"] == engine)
    return {features[o["probe"]]: o for o in target["outcomes"]}


def run_cli(*args: str) -> int:
    return main(["run", "-q", *args])


@pytest.fixture(scope="module")
def direct() -> dict[str, dict[str, str]]:
    """Every direct check, in each engine: one browser launch per engine."""
    features = sorted(DIRECT)
    return {
        engine: dict(zip(features, evaluate_in_frames(engine, [DIRECT[f] for f in features]), strict=True))
        for engine in ENGINES
    }


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The feature probes by themselves, in all three engines."""
    out = tmp_path_factory.mktemp("alone")
    code = run_cli("-m", str(FIXTURES / "features" / "matrix.yaml"), "--results", str(out / "r.json"), "-o", str(out))
    assert code == 0
    assert gc.get_freeze_count() == 0  # what the run held from the collector is thawed (commands.report_heap)
    return json.loads((out / "r.json").read_text())


@pytest.fixture(scope="module")
def batched(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The feature probes shuffled among every shipped probe and 1,000 generated existence probes,
    twice over (--repeat 2: each round in a fresh harness page). bench/order.py repeats this 10 times."""
    out = tmp_path_factory.mktemp("batched")
    matrix = write_suite(out, seed=13)
    code = run_cli("-m", str(matrix), "--repeat", "2", "--results", str(out / "r.json"), "-o", str(out / "t.html"))
    assert code == 0
    return json.loads((out / "r.json").read_text())


def test_the_fixtures_cover_what_the_issue_asks() -> None:
    rejecting = [f for f, js in DIRECT.items() if "await (" in js]
    assert len(rejecting) >= 4
    assert len([f for f in DIRECT if f.startswith("javascript.builtins.")]) >= 2
    assert len([f for f in DIRECT if f.startswith("css.properties.")]) >= 2
    assert len(DIRECT) >= 12


@pytest.mark.parametrize("engine", ENGINES)
def test_each_outcome_is_what_the_browser_does_directly(
    alone: dict[str, Any], direct: dict[str, dict[str, str]], engine: str
) -> None:
    outcomes = by_feature(alone, engine)
    assert set(outcomes) == set(DIRECT)
    assert {f: outcome_key(o) for f, o in outcomes.items()} == direct[engine]


def test_promise_rejections_are_throws_with_name_and_message(alone: dict[str, Any]) -> None:
    for engine in ENGINES:
        readtext = by_feature(alone, engine)["api.Clipboard.readText.no_activation"]
        assert readtext["status"] == "throws"
        assert readtext["exception"]["name"] == "NotAllowedError"
        assert readtext["exception"]["expected"] is True
        assert readtext["exception"]["message"]
        assert "values" not in readtext or "readText()" not in readtext["values"]


@pytest.mark.parametrize("engine", ENGINES)
def test_outcomes_do_not_depend_on_batch_companions(
    alone: dict[str, Any], batched: dict[str, Any], engine: str
) -> None:
    single, many = by_feature(alone, engine), by_feature(batched, engine)
    for feature, outcome in single.items():
        other = many[feature]
        assert not other.get("flaky"), (feature, other)
        assert outcome_key(other) == outcome_key(outcome), feature
        assert other.get("exception") == outcome.get("exception"), feature
    # The batch really held the companions, and none of them broke.
    shipped = len(list((ROOT / "probes").rglob("*.js")))
    assert shipped >= 15
    assert len(many) == len(single) + shipped + 1000
    assert not [f for f, o in many.items() if o["status"] in ("error", "timeout")]


def test_the_table_groups_other_categories_by_their_full_path(alone: dict[str, Any], tmp_path: Path) -> None:
    results = tmp_path / "r.json"
    # The Markdown lists every row when one browser ran (with more, only the rows that differ).
    one = {**alone, "targets": alone["targets"][:1]}
    results.write_text(json.dumps(one))
    assert main(["render", str(results), "--format", "md", "-o", str(tmp_path / "t.md")]) == 0
    text = (tmp_path / "t.md").read_text()
    # A group without a head probe, labelled by its full path (with its id), with a cell per column.
    assert "| Clipboard.readText `api.Clipboard.readText` |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    header_cells = rows[0].count("|")
    assert all(row.count("|") == header_cells for row in rows), [r for r in rows if r.count("|") != header_cells]
