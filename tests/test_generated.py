"""Generated probes (api.*, javascript.builtins.*, css.properties.*) in all three engines, each
answer checked against the same question put to the same browser directly (tests/direct.py).

One run per session: every generated and hand-written probe of api.RTCPeerConnection*, a
hand-written behaviour probe under a generated member, and 400 generated outcomes drawn at random
(fixed seed) from the full sweep, in the window and in dedicated workers, each asked directly in
one batch per engine and scope (tests/direct.py: evaluate_many_as_run). The data packages are
fetched once with `compatprobe data fetch`.
"""

from __future__ import annotations

import fnmatch
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from compatprobe import cli
from compatprobe.bcd.compare import compare
from compatprobe.bcd.load import load_for
from compatprobe.data.pins import load_pins
from compatprobe.engines import ENGINES
from compatprobe.probes.loader import load_probes
from compatprobe.probes.select import choose
from compatprobe.report.table import build_table
from compatprobe.results.model import read_results
from conftest import FIXTURES, ROOT
from direct import (
    ISOLATION_HEADERS,
    evaluate_in_service_worker_playwright,
    evaluate_many,
    evaluate_many_as_run,
    evaluate_many_awaited,
    evaluate_many_in_worker,
)
from generated_checks import direct_expression, harness_answer

pytestmark = pytest.mark.browsers

SWEEP = ["api.*", "javascript.*", "css.properties.*"]
SAMPLE = 400
SEED = 14


@pytest.fixture(scope="module")
def swept(pinned_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of RTCPeerConnection's probes and 200 random generated probes, in all three engines."""
    out = tmp_path_factory.mktemp("generated")
    probes = out / "probes"
    shutil.copytree(ROOT / "probes", probes)
    (probes / "RTCPeerConnection" / "close").mkdir()
    shutil.copy(FIXTURES / "generated" / "close-twice.js", probes / "RTCPeerConnection" / "close" / "twice.js")
    matrix = out / "matrix.yaml"
    matrix.write_text((ROOT / "matrix.yaml").read_text().replace("probes_dir: probes", f"probes_dir: {probes}"))
    everything = [p for p in choose(probes, [], SWEEP).probes if p.generated]
    # Drawn from every outcome the sweep gives, worker scopes included (dedicated workers: the
    # direct checks ask there; shared and service workers are checked in test_cells and below).
    pairs = [(p, scope) for p in everything for scope in p.scopes if scope in ("window", "worker")]
    sample = random.Random(SEED).sample(pairs, SAMPLE)
    args = [
        "run",
        "-m",
        str(matrix),
        "-q",
        "-f",
        "api.RTCPeerConnection*",
        "-f",
        "javascript.builtins.SharedArrayBuffer",
        # WebGL extensions: their probes share one instance per realm (a context costs 8 ms).
        "-f",
        "api.ANGLE_instanced_arrays*",
        "-f",
        "api.OES_vertex_array_object*",
        "-f",
        "api.WEBGL_lose_context*",
        # Instances whose properties cannot all be read back, which are not shared.
        "-f",
        "api.CSSStyleProperties.cssFloat",
        "-f",
        "api.CSSStyleDeclaration.cssFloat",
        # Built-ins reached through intrinsics, and members of built-ins' instances.
        "-f",
        "javascript.builtins.Generator*",
        "-f",
        "javascript.builtins.Error.*",
        "-f",
        "javascript.builtins.RegExp.lastIndex",
        "-f",
        "javascript.builtins.Object.lookupGetter",
        "-f",
        "javascript.builtins.Intl.Segments*",
        # Keywords valid only with other values are left out; one valid alone is asked about.
        "-f",
        "css.properties.text-indent*",
    ]
    for probe in {p.feature for p, _ in sample}:
        args += ["-f", probe]
    args += ["--results", str(out / "results.json"), "-o", str(out / "index.html")]
    assert cli.main(args) == 0
    results = json.loads((out / "results.json").read_text())
    checks = {p["id"]: p for p in results["probes"]}
    made = choose(probes, [], SWEEP).probes
    generated = {p.id: p.source for p in made if p.generated and p.id in checks}
    expressions = {pid: direct_expression(src) for pid, src in generated.items()}
    in_worker = {p.id: expressions[p.id] for p, scope in sample if scope == "worker"}
    return {
        "dir": out,
        "results": results,
        "sample": [p.id for p, scope in sample if scope == "window"],
        "sample_in_workers": sorted(in_worker),
        "generated": generated,
        "direct": {engine: evaluate_many_as_run(engine, expressions) for engine in ENGINES},
        "direct_in_workers": {engine: evaluate_many_as_run(engine, in_worker, worker=True) for engine in ENGINES},
        "outcomes": {t["name"]: {o["probe"]: o for o in t["outcomes"] if "scope" not in o} for t in results["targets"]},
        "in_workers": {
            t["name"]: {o["probe"]: o for o in t["outcomes"] if o.get("scope") == "worker"} for t in results["targets"]
        },
    }


def _disagreements(swept: dict[str, Any], engine: str, ids: list[str], scope: str = "window") -> list[str]:
    wrong = []
    answers, outcomes = (
        (swept["direct"], swept["outcomes"]) if scope == "window" else (swept["direct_in_workers"], swept["in_workers"])
    )
    for pid in ids:
        seen = answers[engine][pid]
        said = harness_answer(outcomes[engine][pid])
        direct = seen.get("value", seen.get("error"))
        if said != direct:
            wrong.append(f"{pid}: compatprobe {said}, direct {direct} ({swept['generated'][pid].strip()})")
    return wrong


@pytest.mark.parametrize("engine", ENGINES)
def test_a_random_sample_of_generated_probes_agrees_with_direct_evaluation(swept: dict[str, Any], engine: str) -> None:
    assert len(swept["sample"]) + len(swept["sample_in_workers"]) == SAMPLE
    assert len(swept["sample_in_workers"]) >= 5
    assert _disagreements(swept, engine, swept["sample"]) == []
    assert _disagreements(swept, engine, swept["sample_in_workers"], "worker") == []


@pytest.mark.parametrize("engine", ENGINES)
def test_every_rtcpeerconnection_feature_is_generated_and_checked_directly(swept: dict[str, Any], engine: str) -> None:
    features = {p["feature"] for p in swept["results"]["probes"] if p["feature"].startswith("api.RTCPeerConnection")}
    assert len(features) >= 40
    ids = [pid for pid in swept["generated"] if pid.startswith("api.RTCPeerConnection")]
    assert len(ids) >= 40
    assert _disagreements(swept, engine, ids) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_probes_that_share_an_instance_agree_with_direct_evaluation(swept: dict[str, Any], engine: str) -> None:
    # Each direct check makes its own WebGL context; the harness makes one per realm for all of them.
    ids = [pid for pid, source in swept["generated"].items() if "getExtension" in source or "cssFloat" in pid]
    assert len(ids) >= 12
    assert _disagreements(swept, engine, ids) == []
    # An instance the harness could not share is still checked (it once ended as "cannot tell").
    # Chromium has no CSSStyleProperties, and its element.style is a CSSStyleDeclaration.
    seen = swept["outcomes"][engine]["api.CSSStyleProperties.cssFloat"]
    assert (seen["status"], seen.get("reason")) == (
        ("unsupported", "interface-missing") if engine == "chromium" else ("supported", None)
    ), seen


@pytest.mark.parametrize("engine", ENGINES)
def test_intrinsics_and_instance_members_of_built_ins_agree_with_direct_evaluation(
    swept: dict[str, Any], engine: str
) -> None:
    ids = [
        pid
        for pid in swept["generated"]
        if pid.startswith(("javascript.builtins.Generator", "javascript.builtins.Error."))
    ]
    assert len(ids) >= 8
    more = [
        "javascript.builtins.RegExp.lastIndex",
        "javascript.builtins.Object.lookupGetter",
        "javascript.builtins.Intl.Segments",
    ]
    assert _disagreements(swept, engine, [*ids, *more]) == []
    assert swept["outcomes"][engine]["javascript.builtins.Object.lookupGetter"]["status"] == "supported"
    # %GeneratorPrototype% has next, return and throw everywhere; an error's stack is on the instance in Chromium.
    outcomes = swept["outcomes"][engine]
    assert {outcomes[f"javascript.builtins.Generator.{m}"]["status"] for m in ("next", "return", "throw")} == {
        "supported"
    }
    assert outcomes["javascript.builtins.Error.stack"]["status"] == "supported"


def test_a_keyword_valid_only_with_other_values_is_not_asked_about_alone(swept: dict[str, Any]) -> None:
    # text-indent: hanging needs a length; CSS.supports("text-indent", "hanging") is false where it works.
    ids = {p["id"] for p in swept["results"]["probes"]}
    assert "css.properties.text-indent" in ids and "css.properties.text-indent.hanging" not in ids
    assert swept["results"]["run"]["generated"]["left_out"][
        "css: a keyword that is a value only with others (text-indent: hanging)"
    ]
    assert evaluate_many(
        "firefox",
        {"alone": "CSS.supports('text-indent', 'hanging')", "with": "CSS.supports('text-indent', '1em hanging')"},
    ) == {
        "alone": {"value": False},
        "with": {"value": True},
    }


def test_remove_stream_is_missing_in_firefox_and_present_in_chromium(swept: dict[str, Any]) -> None:
    probe = next(p for p in swept["results"]["probes"] if p["feature"] == "api.RTCPeerConnection.removeStream")
    assert "generated" not in probe  # the hand-written probe speaks for it
    chromium, firefox = swept["outcomes"]["chromium"][probe["id"]], swept["outcomes"]["firefox"][probe["id"]]
    assert chromium["status"] == "supported"
    assert (firefox["status"], firefox["reason"]) == ("unsupported", "member-missing")
    # The same question, asked directly: is removeStream on the prototype?
    expression = {"removeStream": "'removeStream' in RTCPeerConnection.prototype"}
    assert evaluate_many("chromium", expression)["removeStream"] == {"value": True}
    assert evaluate_many("firefox", expression)["removeStream"] == {"value": False}


def test_webkitgtk_has_no_rtcpeerconnection_and_says_so_for_every_member(swept: dict[str, Any]) -> None:
    webkit = swept["outcomes"]["webkit"]
    assert swept["direct"]["webkit"]["api.RTCPeerConnection.close"] == {"value": "no"}
    members = [pid for pid in swept["generated"] if pid.startswith("api.RTCPeerConnection.")]
    assert members and all(webkit[pid]["reason"] == "interface-missing" for pid in members)


def test_hand_written_probes_replace_generated_ones_and_nest_under_them(swept: dict[str, Any]) -> None:
    run = swept["results"]["run"]["generated"]
    assert "api.RTCPeerConnection.removeStream" in run["replaced_by_hand_written"]
    ids = {p["id"] for p in swept["results"]["probes"]}
    assert "api.RTCPeerConnection.removeStream" not in ids and "RTCPeerConnection/removeStream/exists" in ids
    table = build_table(read_results(swept["dir"] / "results.json"))
    rows = [r for r in table.rows if r.group == "api.RTCPeerConnection.close"]
    assert [(r.probe.id if r.probe else None, r.nested) for r in rows] == [
        ("api.RTCPeerConnection.close", False),
        ("RTCPeerConnection/close/twice", True),
    ]
    twice = swept["outcomes"]["chromium"]["RTCPeerConnection/close/twice"]
    assert twice["status"] == "supported" and twice["values"]["signalingState"] == '"closed"'


def test_results_record_the_data_versions_that_generated_the_probes(swept: dict[str, Any]) -> None:
    pins = load_pins()
    run = swept["results"]["run"]["generated"]
    assert run["data"] == {name: pins[name].version for name in run["data"]}
    assert set(run["data"]) >= {"@webref/idl", "@webref/css", "@mdn/browser-compat-data"}
    probe = next(p for p in swept["results"]["probes"] if p["id"] == "api.RTCPeerConnection.close")
    assert probe["generated"] == f"@webref/idl {pins['@webref/idl'].version}"


def test_a_constructor_called_without_arguments_keeps_the_exception(swept: dict[str, Any]) -> None:
    # RTCPeerConnectionIceEvent(type) needs its argument in Chromium and Firefox: the exception is evidence.
    for engine in ("chromium", "firefox"):
        outcome = swept["outcomes"][engine]["api.RTCPeerConnectionIceEvent.RTCPeerConnectionIceEvent"]
        assert outcome["status"] == "supported"
        assert outcome["exception"]["name"] == "TypeError" and outcome["exception"]["message"]
        assert swept["direct"][engine]["api.RTCPeerConnectionIceEvent.RTCPeerConnectionIceEvent"] == {"value": "yes"}


def test_generated_features_run_where_they_are_exposed(pinned_cache: Path) -> None:
    # FileReaderSync is [Exposed=(DedicatedWorker,SharedWorker)]: no window has it, and the window
    # runs too, to show that. Cache is on Window and Worker, and BCD has api.Cache.worker_support.
    selection = choose(ROOT / "probes", [], ["api.FileReaderSync*", "api.Cache", "api.AudioWorkletProcessor"])
    scopes = {p.feature: p.scopes for p in selection.probes}
    assert scopes["api.FileReaderSync.readAsText"] == ("window", "worker", "sharedworker")
    assert scopes["api.Cache"] == ("window", "worker")
    # Exposed only in a worklet, where no probe runs: not run, and said so.
    assert [p.feature for p in selection.not_run] == ["api.AudioWorkletProcessor"]
    assert selection.generated is not None
    assert selection.generated["not_run"] == ["api.AudioWorkletProcessor"]
    assert "api.FileReaderSync.readAsText" in selection.generated["in_workers"]


@pytest.fixture(scope="module")
def in_workers(pinned_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Worker-only and worker_support features run by default, and the same questions asked
    directly in a dedicated worker of each engine."""
    out = tmp_path_factory.mktemp("in-workers")
    # AbortPaymentEvent: BCD lists it, Web IDL no longer defines it, and Chromium has it in service workers.
    patterns = [
        "api.FileReaderSync*",
        "api.WorkerNavigator.*",
        "api.WorkerGlobalScope.*",
        "api.Cache",
        "api.Clients",
        "api.AbortPaymentEvent*",
    ]
    args = ["run", "-q", "--results", str(out / "results.json"), "-o", str(out / "index.html")]
    for pattern in patterns:
        args += ["-f", pattern]
    assert cli.main(args) == 0
    results = json.loads((out / "results.json").read_text())
    generated = {p.id: p.source for p in choose(ROOT / "probes", [], patterns).probes if p.generated}
    expressions = {pid: direct_expression(src) for pid, src in generated.items()}
    # An event a probe makes fire is awaited, in a worker under the run's report-only policy.
    fired = {pid: e for pid, e in expressions.items() if "securitypolicyviolation" in pid}
    return {
        "results": results,
        "generated": generated,
        "direct": {
            engine: {**evaluate_many_in_worker(engine, expressions), **evaluate_many_as_run(engine, fired, worker=True)}
            for engine in ENGINES
        },
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_worker_features_agree_with_direct_evaluation_in_a_worker(in_workers: dict[str, Any], engine: str) -> None:
    target = next(t for t in in_workers["results"]["targets"] if t["name"] == engine)
    assert target["status"] == "ok"
    outcomes = {o["probe"]: o for o in target["outcomes"] if o.get("scope") == "worker"}
    ran = [pid for pid in in_workers["generated"] if pid in outcomes]
    assert len(ran) >= 40 and "api.FileReaderSync.readAsText" in ran and "api.Cache" in ran
    wrong = []
    for pid in ran:
        seen = in_workers["direct"][engine][pid]
        said, direct = harness_answer(outcomes[pid]), seen.get("value", seen.get("error"))
        if said != direct:
            wrong.append(f"{pid}: compatprobe {said}, direct {direct}")
    assert wrong == []
    # In the window, where Web IDL does not expose it, FileReaderSync is missing.
    window = {o["probe"]: o for o in target["outcomes"] if "scope" not in o}
    assert window["api.FileReaderSync"]["reason"] == "interface-missing"


def test_worker_only_features_give_no_false_bcd_contradiction(in_workers: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(in_workers["results"]))
    results = read_results(path)
    data = load_for(None, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    worker_only = {p.id for p in results.probes if p.exposed and "Window" not in p.exposed}
    judged = [c for c in comparison.comparisons if c.probe in worker_only and c.agreement != "not-comparable"]
    assert len(judged) >= 60
    # Every contradiction left is one checked by hand (bench/SWEEP.md): the browser does what it was seen to.
    left = {(c.feature, c.target) for c in comparison.contradictions if c.probe in worker_only}
    assert left <= {("api.WorkerNavigator.hid", "chromium"), ("api.WorkerNavigator.gpu", "firefox")}
    # Exposure unknown: judged from every scope it ran in, and found in Chromium's service worker,
    # as the same question asked in a service worker directly finds it.
    abort = {c.target: c for c in comparison.comparisons if c.feature == "api.AbortPaymentEvent"}
    direct = {e: evaluate_in_service_worker_playwright(e, "typeof AbortPaymentEvent") for e in ("chromium", "firefox")}
    assert direct == {"chromium": "function", "firefox": "undefined"}
    assert abort["chromium"].agreement == "agrees" and "in a service worker" in abort["chromium"].observed.summary
    assert abort["firefox"].agreement == "agrees" and abort["firefox"].observed.kind == "not-supported"


def test_the_matrix_features_key_selects_like_f(pinned_cache: Path, tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.yaml"
    text = (
        (ROOT / "matrix.yaml")
        .read_text()
        .replace('probes:\n  - "RTCPeerConnection/*"', "features:\n  - api.URL.*_static")
    )
    matrix.write_text(text.replace("probes_dir: probes", f"probes_dir: {ROOT / 'probes'}"))
    from compatprobe.config.matrix import load_matrix

    loaded = load_matrix(matrix)
    assert loaded.features == ("api.URL.*_static",) and loaded.probes == ()
    selection = choose(loaded.probes_dir, list(loaded.probes), list(loaded.features))
    assert {p.feature for p in selection.probes} >= {"api.URL.canParse_static", "api.URL.createObjectURL_static"}
    assert all(p.generated for p in selection.probes)


def test_a_pattern_that_matches_no_feature_is_an_input_error(
    pinned_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["run", "-f", "api.NoSuchInterface*", "--results", "/nonexistent/r.json"]) == 2
    err = capsys.readouterr().err
    assert "-f/--feature: feature pattern 'api.NoSuchInterface*' matches no feature" in err


def test_list_shows_what_patterns_select_generated_or_not(
    pinned_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = str(ROOT / "matrix.yaml")
    assert cli.main(["probes", "-m", matrix, "-f", "api.RTCPeerConnection.remove*", "-f", "api.URL.parse*"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "api.URL.parse_static  api.URL.parse_static  (@webref/idl 3.85.0)" in lines
    assert any(line.startswith("api.RTCPeerConnection.removeStream  ") and "(hand-written)" in line for line in lines)
    # The hand-written ones are the shipped probes of those features, counted from their files.
    shipped = load_probes(ROOT / "probes", ["*"])
    hand = sum(1 for p in shipped if fnmatch.fnmatchcase(p.feature, "api.RTCPeerConnection.remove*"))
    assert hand >= 12
    assert lines[-1] == f"{hand + 1} probes: 1 generated, {hand} hand-written"


@pytest.mark.parametrize("engine", ("chromium", "firefox"))
def test_what_only_isolated_pages_have_is_answered_in_one(swept: dict[str, Any], engine: str) -> None:
    # SharedArrayBuffer is only exposed to cross-origin isolated pages: its probes ask to be run in
    # one, and the page is served with COOP and COEP, as the direct check's page is.
    outcome = swept["outcomes"][engine]["javascript.builtins.SharedArrayBuffer"]
    assert (outcome["status"], outcome.get("reason")) == ("supported", None)
    expression = {"sab": "crossOriginIsolated && typeof SharedArrayBuffer"}
    assert evaluate_many_awaited(engine, expression, headers=ISOLATION_HEADERS) == {"sab": {"value": "function"}}
