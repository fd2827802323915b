"""Issue 22, "every cell true": each class of generated cell that was wrong, run through compatprobe
in Chromium and Firefox and checked against the same question asked directly in that browser
(tests/direct.py), with instances and pages the test makes itself."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from compatprobe import cli
from compatprobe.probes.generate.instances import route
from conftest import ROOT
from direct import (
    ISOLATION_HEADERS,
    LOCAL_CHROMIUM,
    RUN_CHROMIUM_ARGS,
    evaluate_in_frames,
    evaluate_in_worker_served_with,
    evaluate_many,
    evaluate_many_as_run,
    evaluate_many_awaited,
    evaluate_many_launched,
    evaluate_many_on_a_touch_screen,
)
from generated_checks import harness_answer

pytestmark = pytest.mark.browsers

ENGINES = ("chromium", "firefox")

# Class 1: interfaces an engine has with no interface object. Each direct check builds its own
# instance (other CSS, other arguments than the generator's) and answers yes, no or unknown.
TAG = "(o, n) => { for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p))"
TAG += " if (n.includes(Object.getOwnPropertyDescriptor(p, Symbol.toStringTag)?.value)) return true; return false; }"
NO_GLOBAL = {
    "api.CSSFontFeatureValuesMap.set": (
        "(() => { const s = new CSSStyleSheet(); s.replaceSync('@font-feature-values x { @swash { b: 2 } }');"
        " const m = s.cssRules[0] && s.cssRules[0].swash; return m ? ('set' in m ? 'yes' : 'no') : 'no'; })()"
    ),
    "api.CSSFontFeatureValuesMap": (
        "(() => { const s = new CSSStyleSheet(); s.replaceSync('@font-feature-values x { @swash { b: 2 } }');"
        f" const m = s.cssRules[0] && s.cssRules[0].swash; return m && ({TAG})(m, ['CSSFontFeatureValuesMap'])"
        " ? 'yes' : 'no'; })()"
    ),
    "api.StyleMedia.matchMedium": "window.styleMedia && 'matchMedium' in window.styleMedia ? 'yes' : 'no'",
    "api.External.AddSearchProvider": "'AddSearchProvider' in window.external ? 'yes' : 'no'",
    "api.DeviceMotionEventAcceleration.z": (
        "(() => { const a = new DeviceMotionEvent('x', { acceleration: { z: 1 } }).acceleration;"
        " return a && 'z' in a ? 'yes' : 'no'; })()"
    ),
    "api.FileSystemDirectoryEntry.getFile": (
        "typeof FileSystemDirectoryEntry === 'function'"
        " ? ('getFile' in FileSystemDirectoryEntry.prototype ? 'yes' : 'no')"
        " : typeof webkitRequestFileSystem !== 'function' ? 'no' : new Promise((ok) => webkitRequestFileSystem("
        "TEMPORARY, 1, (fs) => ok('getFile' in fs.root ? 'yes' : 'no'), () => ok('unknown')))"
    ),
    "api.FileSystemEntry.isFile": (
        "typeof FileSystemEntry === 'function' ? ('isFile' in FileSystemEntry.prototype ? 'yes' : 'no')"
        " : typeof webkitRequestFileSystem !== 'function' ? 'no' : new Promise((ok) => webkitRequestFileSystem("
        "TEMPORARY, 1, (fs) => ok('isFile' in fs.root ? 'yes' : 'no'), () => ok('unknown')))"
    ),
    # Deprecated calls of the test's own: Firefox reports external.AddSearchProvider() (a no-op).
    "api.Report.body": (
        "typeof Report === 'function' ? ('body' in Report.prototype ? 'yes' : 'no') : new Promise((ok) => {"
        " const got = []; const seen = new ReportingObserver((rs) => got.push(...rs), { buffered: true });"
        " seen.observe(); const x = new XMLHttpRequest(); x.open('GET', '/', false); x.send();"
        " try { window.external.AddSearchProvider(); } catch (e) {}"
        " setTimeout(() => { const r = [...got, ...seen.takeRecords()][0];"
        " ok(r ? ('body' in r ? 'yes' : 'no') : 'unknown'); }, 1200); })"
    ),
    # An intervention of the test's own: vibrate() from a frame made here, which nobody touched.
    "api.InterventionReportBody.id": (
        "typeof InterventionReportBody === 'function' ? ('id' in InterventionReportBody.prototype ? 'yes' : 'no')"
        " : new Promise((ok) => { const f = document.createElement('iframe'); document.body.append(f);"
        " const w = f.contentWindow; const got = [];"
        " const seen = new w.ReportingObserver((rs) => got.push(...rs), { buffered: true }); seen.observe();"
        " try { w.navigator.vibrate([2, 1, 2]); } catch (e) {}"
        " setTimeout(() => { const r = [...got, ...seen.takeRecords()].find((r) => r.type === 'intervention');"
        " f.remove(); ok(r ? ('id' in r.body ? 'yes' : 'no') : 'unknown'); }, 1200); })"
    ),
}
# Class 2: what only cross-origin isolated pages have, asked on a page served with COOP and COEP.
ISOLATED = {
    "javascript.builtins.SharedArrayBuffer": (
        "crossOriginIsolated && typeof SharedArrayBuffer === 'function' ? 'yes' : 'no'"
    ),
    "javascript.builtins.SharedArrayBuffer.grow": (
        "crossOriginIsolated && 'grow' in SharedArrayBuffer.prototype ? 'yes' : 'no'"
    ),
    "api.Performance.measureUserAgentSpecificMemory": (
        "crossOriginIsolated && 'measureUserAgentSpecificMemory' in performance ? 'yes' : 'no'"
    ),
}

# Class 3: BCD ids that are no property name, asked as BCD's descriptions say.
NOT_NAMES = {
    "javascript.builtins.RegExp.n": "'$1' in RegExp && '$9' in RegExp ? 'yes' : 'no'",
    "javascript.builtins.Intl.supportedValuesOf.key_parameter_calendar": (
        "(() => { try { return Intl.supportedValuesOf('calendar').length > 0 ? 'yes' : 'no'; }"
        " catch (e) { return 'no'; } })()"
    ),
    "javascript.builtins.Intl.supportedValuesOf.key_parameter_unit": (
        "(() => { try { return Intl.supportedValuesOf('unit').includes('meter') ? 'yes' : 'no'; }"
        " catch (e) { return 'no'; } })()"
    ),
    "javascript.builtins.TypedArray.BYTES_PER_ELEMENT": (
        "[Int8Array, Uint16Array, Float64Array].every((C) => typeof C.BYTES_PER_ELEMENT === 'number') ? 'yes' : 'no'"
    ),
}

# Class 4: properties parsed without effect, and prefixed ones whose values are not the standard's.
CSS_VALUES = {
    "css.properties.size": (
        "(() => { const d = document.createElement('section'); d.style.cssText = 'size: 12px 30px';"
        " document.body.append(d); const w = getComputedStyle(d).width; d.remove();"
        " return w === '12px' ? 'yes' : 'no'; })()"
    ),
    "css.properties.-webkit-mask-composite": (
        "CSS.supports('-webkit-mask-composite', 'xor') && CSS.supports('-webkit-mask-composite', 'source-in')"
        " ? 'yes' : 'no'"
    ),
}
# Class 5: a hand-written probe that reads computed style, and the same read in a rendered frame.
TEXT_WRAP = """/*---
feature: css.properties.text-wrap.balance
title: text-wrap balance is computed
---*/
const p = document.createElement("p");
document.body.append(p);
p.style.textWrap = "balance";
t.check(getComputedStyle(p).textWrap === "balance", "text-wrap is " + getComputedStyle(p).textWrap);
"""
IN_FRAME_TEXT_WRAP = """async (w) => {
  const p = w.document.createElement("p");
  w.document.body.append(p);
  p.style.textWrap = "balance";
  return w.getComputedStyle(p).textWrap === "balance" ? "yes" : "no";
}"""


@pytest.fixture(scope="module")
def run(pinned_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of every feature these tests ask about, in Chromium and Firefox (a launch each, not
    one per test): {"outcomes": {engine: [outcome]}, "stderr": what the run printed}."""
    out = tmp_path_factory.mktemp("cells")
    (out / "probes" / "text-wrap").mkdir(parents=True)
    (out / "probes" / "text-wrap" / "balance.js").write_text(TEXT_WRAP)
    matrix = out / "matrix.yaml"
    matrix.write_text((ROOT / "matrix.yaml").read_text().replace("probes_dir: probes", f"probes_dir: {out / 'probes'}"))
    args = ["run", "-m", str(matrix), "-b", "chromium", "-b", "firefox", "-p", "text-wrap/*"]
    args += ["--results", str(out / "r.json"), "-o", str(out / "i.html")]
    asked = [*NO_GLOBAL, *ISOLATED, *NOT_NAMES, *CSS_VALUES, *HIDDEN, *TIMER_QUERIES, *REPORT_IN_WORKER]
    for feature in [*asked, VIOLATION_FEATURE, *UNSHIPPED]:
        args += ["-f", feature]
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert cli.main(args) == 0, err.getvalue()
    results = json.loads((out / "r.json").read_text())
    return {"outcomes": {t["name"]: t["outcomes"] for t in results["targets"]}, "stderr": err.getvalue()}


@pytest.fixture(scope="module")
def cells(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The run's outcomes in the window: {engine: {id: outcome}}."""
    return {engine: {o["probe"]: o for o in found if "scope" not in o} for engine, found in run["outcomes"].items()}


def in_scope(run: dict[str, Any], engine: str, scope: str) -> dict[str, str]:
    """The run's answers in a worker scope: {id: yes, no or unknown}."""
    return {o["probe"]: harness_answer(o) for o in run["outcomes"][engine] if o.get("scope") == scope}


@pytest.mark.parametrize("engine", ENGINES)
def test_an_interface_with_no_interface_object_is_answered_by_an_instance(cells: dict, engine: str) -> None:
    direct = evaluate_many_awaited(engine, NO_GLOBAL)
    said = {f: harness_answer(cells[engine][f]) for f in NO_GLOBAL}
    assert said == {f: direct[f].get("value", direct[f].get("error")) for f in NO_GLOBAL}
    # What the issue found wrong: Chromium's map of an @font-feature-values rule, Firefox's DeviceAcceleration.
    if engine == "chromium":
        assert said["api.CSSFontFeatureValuesMap"] == said["api.FileSystemEntry.isFile"] == "yes"
        assert said["api.Report.body"] == said["api.InterventionReportBody.id"] == "yes"  # "No" before
    else:
        assert said["api.DeviceMotionEventAcceleration.z"] == said["api.External.AddSearchProvider"] == "yes"
        assert said["api.Report.body"] == "yes"


@pytest.mark.parametrize("engine", ENGINES)
def test_what_only_isolated_pages_have_is_asked_in_an_isolated_page(cells: dict, engine: str) -> None:
    direct = evaluate_many_awaited(engine, ISOLATED, headers=ISOLATION_HEADERS)
    said = {f: harness_answer(cells[engine][f]) for f in ISOLATED}
    assert said == {f: direct[f]["value"] for f in ISOLATED}
    assert said["javascript.builtins.SharedArrayBuffer"] == "yes"
    assert said["api.Performance.measureUserAgentSpecificMemory"] == ("yes" if engine == "chromium" else "no")


@pytest.mark.parametrize("engine", ENGINES)
def test_bcd_ids_that_are_no_property_names_are_asked_as_bcd_describes_them(cells: dict, engine: str) -> None:
    direct = evaluate_many_awaited(engine, NOT_NAMES)
    said = {f: harness_answer(cells[engine][f]) for f in NOT_NAMES}
    assert said == {f: direct[f]["value"] for f in NOT_NAMES} == {f: "yes" for f in NOT_NAMES}
    values = cells[engine]["javascript.builtins.Intl.supportedValuesOf.key_parameter_unit"]["values"]
    assert values['Intl.supportedValuesOf("unit")'].endswith(' values"')


@pytest.mark.parametrize("engine", ENGINES)
def test_css_parsed_without_effect_or_with_other_values_is_not_support(cells: dict, engine: str) -> None:
    direct = evaluate_many_awaited(engine, CSS_VALUES)
    said = {f: harness_answer(cells[engine][f]) for f in CSS_VALUES}
    assert said == {f: direct[f]["value"] for f in CSS_VALUES}
    # Chromium parses size and sizes nothing with it; Firefox takes `add`, not WebKit's values.
    assert said == {
        "css.properties.size": "no",
        "css.properties.-webkit-mask-composite": "yes" if engine == "chromium" else "no",
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_probes_run_in_rendered_frames_where_computed_style_works(cells: dict, engine: str) -> None:
    outcome = cells[engine]["text-wrap/balance"]
    (direct,) = evaluate_in_frames(engine, [IN_FRAME_TEXT_WRAP])
    assert direct == "yes"
    assert (outcome["status"], outcome.get("reason")) == ("supported", None), outcome


# CSSHSL is in CSS Typed OM; no engine tested ships it and BCD does not list it.
UNSHIPPED = ("api.CSSHSL", "api.CSSHSL.h")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_generated_feature_no_engine_ships_is_missing_not_a_typo(run: dict[str, Any], engine: str) -> None:
    assert "typo" not in run["stderr"] and "spelling" not in run["stderr"]
    said = {o["probe"]: (o["status"], o.get("reason"), o.get("suspect")) for o in run["outcomes"][engine]}
    assert {f: said[f] for f in UNSHIPPED} == {f: ("unsupported", "interface-missing", None) for f in UNSHIPPED}
    direct = evaluate_many_awaited(engine, {"CSSHSL": "typeof CSSHSL"})
    assert direct == {"CSSHSL": {"value": "undefined"}}


SKELETONS = [
    "javascript.builtins.Math.sumPrecise",
    "api.Element.click_event",
    "api.URL.canParse_static",
    "css.properties.text-box",
]


def _outcomes(path: Path) -> dict[str, dict[str, tuple[str, str | None]]]:
    results = json.loads(path.read_text())
    feature = {p["id"]: p["feature"] for p in results["probes"]}
    return {
        t["name"]: {feature[o["probe"]]: (o["status"], o.get("reason")) for o in t["outcomes"]}
        for t in results["targets"]
    }


def test_new_skeletons_run_as_written_and_agree_with_the_generated_probes(pinned_cache: Path, tmp_path: Path) -> None:
    hand, empty = tmp_path / "probes", tmp_path / "none"
    hand.mkdir()
    empty.mkdir()
    matrices = {}
    for name, folder in (("hand", hand), ("generated", empty)):
        matrices[name] = tmp_path / f"{name}.yaml"
        matrices[name].write_text(
            (ROOT / "matrix.yaml").read_text().replace("probes_dir: probes", f"probes_dir: {folder}")
        )
    for feature in SKELETONS:
        assert cli.main(["new", feature, "-m", str(matrices["hand"])]) == 0
    out = ["-o", str(tmp_path / "i.html"), "-q"]
    assert cli.main(["run", "-m", str(matrices["hand"]), "-p", "*", "--results", str(tmp_path / "h.json"), *out]) == 0
    generated = ["run", "-m", str(matrices["generated"]), "--results", str(tmp_path / "g.json"), *out]
    for feature in SKELETONS:
        generated += ["-f", feature]
    assert cli.main(generated) == 0
    written, made = _outcomes(tmp_path / "h.json"), _outcomes(tmp_path / "g.json")
    assert set(written) == {"chromium", "firefox", "webkit"}
    assert written == made
    # As the same questions asked directly: Firefox 153 has no text-box; everyone has URL.canParse.
    direct = {
        engine: evaluate_many(
            engine,
            {
                "sumPrecise": "typeof Math.sumPrecise === 'function'",
                "canParse": "typeof URL.canParse === 'function'",
                "onclick": "'onclick' in document.documentElement",
                "text-box": "CSS.supports('text-box', 'normal')",
            },
        )
        for engine in written
    }
    for engine, said in written.items():
        yes = {k: v["value"] for k, v in direct[engine].items()}
        assert (said["javascript.builtins.Math.sumPrecise"][0] == "supported") == yes["sumPrecise"]
        assert (said["api.URL.canParse_static"][0] == "supported") == yes["canParse"]
        assert (said["api.Element.click_event"][0] == "supported") == yes["onclick"]
        assert (said["css.properties.text-box"][0] == "supported") == yes["text-box"]
        assert all(reason in (None, "interface-missing", "member-missing") for _, reason in said.values())


# Class 8: what a headless browser hides and this machine can show: WebGL in Firefox (not headless,
# under Xvfb), touch events (a touch context in Chromium, Firefox's touch preferences).
HIDDEN = {
    "api.OES_vertex_array_object.createVertexArrayOES": (
        "(() => { const g = document.createElement('canvas').getContext('webgl');"
        " if (!g) return 'unknown'; const x = g.getExtension('OES_vertex_array_object');"
        " return x && typeof x.createVertexArrayOES === 'function' ? 'yes' : 'no'; })()"
    ),
    "api.WebGL2RenderingContext.makeXRCompatible": (
        "(() => { const g = document.createElement('canvas').getContext('webgl2');"
        " return !g ? 'unknown' : 'makeXRCompatible' in g ? 'yes' : 'no'; })()"
    ),
    "api.Element.touchstart_event": "'ontouchstart' in document.createElement('div') ? 'yes' : 'inconclusive'",
}


@pytest.mark.parametrize("engine", ENGINES)
def test_webgl_and_touch_are_answered_as_on_a_machine_with_a_screen(cells: dict, engine: str) -> None:
    said = {f: harness_answer(cells[engine][f]) for f in HIDDEN}
    direct = evaluate_many_on_a_touch_screen(engine, HIDDEN)
    assert said == {f: direct[f]["value"] for f in HIDDEN}
    assert said["api.OES_vertex_array_object.createVertexArrayOES"] == said["api.Element.touchstart_event"] == "yes"


# "Cannot tell" that this machine can tell: Chromium offers timer queries on SwiftShader when it is
# the chosen renderer (--use-angle=swiftshader), not when it falls back to it. The direct check
# launches its own Chromium as the run does (SwiftShader chosen where there is no GPU) and asks
# getExtension() itself.
TIMER_QUERIES = {
    f"api.{name}": (
        f"(() => {{ const g = document.createElement('canvas').getContext('{kind}');"
        f" if (!g) return 'unknown'; const x = g.getExtension('{extension}');"
        f" return !x ? 'unknown' : {check} ? 'yes' : 'no'; }})()"
    )
    for name, kind, extension, check in [
        ("EXT_disjoint_timer_query.beginQueryEXT", "webgl", "EXT_disjoint_timer_query", "'beginQueryEXT' in x"),
        (
            "EXT_disjoint_timer_query_webgl2.queryCounterEXT",
            "webgl2",
            "EXT_disjoint_timer_query_webgl2",
            "'queryCounterEXT' in x",
        ),
        (
            "WebGLTimerQueryEXT",
            "webgl",
            "EXT_disjoint_timer_query",
            "Object.prototype.toString.call(x.createQueryEXT()) === '[object WebGLTimerQueryEXT]'",
        ),
    ]
}


def test_chromium_answers_webgl_timer_queries_on_its_chosen_software_renderer(cells: dict) -> None:
    said = {f: harness_answer(cells["chromium"][f]) for f in TIMER_QUERIES}
    chosen = {**LOCAL_CHROMIUM, "args": [*LOCAL_CHROMIUM["args"], *RUN_CHROMIUM_ARGS]}
    direct = evaluate_many_launched("chromium", chosen, TIMER_QUERIES)
    assert said == {f: direct[f]["value"] for f in TIMER_QUERIES}
    if RUN_CHROMIUM_ARGS:  # no GPU here: SwiftShader, chosen, offers them (with a GPU, the GPU decides)
        assert set(said.values()) == {"yes"}


# securitypolicyviolation at a worker's global, which neither engine gives a handler attribute: the
# direct check's own worker is served with an enforced policy and breaks it with a request of its own.
VIOLATION_FEATURE = "api.WorkerGlobalScope.securitypolicyviolation_event"
VIOLATION_IN_WORKER = (
    "new Promise((ok) => { self.addEventListener('securitypolicyviolation', () => ok('yes'));"
    " fetch('/blocked').catch(() => {});"
    " setTimeout(() => ok('onsecuritypolicyviolation' in self ? 'yes' : 'inconclusive'), 3000); })"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_securitypolicyviolation_in_workers_is_seen_firing(run: dict[str, Any], engine: str) -> None:
    said = in_scope(run, engine, "worker")[VIOLATION_FEATURE]
    policy = {"Content-Security-Policy": "connect-src 'none'"}
    assert said == evaluate_in_worker_served_with(engine, VIOLATION_IN_WORKER, policy) == "yes"


# Reports in workers, each engine's deprecated call the test's own (the run's are others): Chromium
# reports a request for a URL with a newline and "<", Firefox 153 OffscreenCanvas's toBlob() (the
# run's: transferImageBitmap(); "cannot tell" on 7101aec, when the run had no deprecated call
# Firefox reports in a worker). Both report a data: URL fetched against the report-only policy the
# run's worker scripts carry, and any Report answers for Report. Neither has a
# CSPViolationReportBody global in workers (on ce0f9ca: "No"), yet that report's body is one.
# Neither reports an intervention in a worker (Blink's Intervention::GenerateReport takes a frame;
# Gecko has no InterventionReportBody): "cannot tell" there, as directly.
REPORT_IN_WORKER = {
    feature: (
        "new Promise((ok) => { const got = [];"
        " const seen = new ReportingObserver((rs) => got.push(...rs), { buffered: true }); seen.observe();"
        " fetch(location.origin + '/x\\n<y').catch(() => {}); fetch('data:text/plain,direct').catch(() => {});"
        " try { const c = new OffscreenCanvas(1, 1); c.getContext('2d'); c.toBlob().catch(() => {}); } catch (e) {}"
        f" setTimeout(() => {{ const r = [...got, ...seen.takeRecords()].find((r) => {wanted});"
        f" ok(!r ? 'unknown' : {check} ? 'yes' : 'no'); }}, 1200); }})"
    )
    for feature, wanted, check in [
        ("api.Report.body", "r.type === 'csp-violation'", "'body' in r"),
        ("api.DeprecationReportBody.anticipatedRemoval", "r.type === 'deprecation'", "'anticipatedRemoval' in r.body"),
        ("api.CSPViolationReportBody.blockedURL", "r.type === 'csp-violation'", "'blockedURL' in r.body"),
        ("api.InterventionReportBody.id", "r.type === 'intervention'", "'id' in r.body"),
    ]
}
WORKER_REPORTS = {
    engine: {
        "api.Report.body": "yes",
        "api.DeprecationReportBody.anticipatedRemoval": "yes",  # Firefox: "unknown" on 7101aec
        "api.CSPViolationReportBody.blockedURL": "yes",
        "api.InterventionReportBody.id": "unknown",
    }
    for engine in ENGINES
}


# The route to a report, run twice in one page (the second finds the first's report buffered), the way
# realms run one probe after another. Firefox runs tasks inside a synchronous XMLHttpRequest, so the
# observer's callback came during send(), before the route's timer was declared: on a1ba29c the
# second run threw a ReferenceError outside any probe, and Firefox's realms ran their batches again.
def route_twice(name: str) -> str:
    made = route(name)
    return (
        "(async () => { const errors = []; const heard = (e) => errors.push(e.message);"
        f" addEventListener('error', heard); const first = await ({made}); const second = await ({made});"
        " await new Promise((ok) => setTimeout(ok, 700)); removeEventListener('error', heard);"
        " const tag = (x) => Object.prototype.toString.call(x);"
        " return JSON.stringify([tag(first), tag(second), errors]); })()"
    )


# A deprecation report of the test's own, in a page of its own: Chromium reports a synchronous
# XMLHttpRequest, Firefox external.AddSearchProvider() (a no-op); the kind of body it comes with.
DEPRECATION_BODY = (
    "new Promise((ok) => { const got = [];"
    " const seen = new ReportingObserver((rs) => got.push(...rs), { buffered: true }); seen.observe();"
    " const x = new XMLHttpRequest(); x.open('GET', '/', false); x.send();"
    " try { window.external.AddSearchProvider(); } catch (e) {}"
    " setTimeout(() => { const r = [...got, ...seen.takeRecords()].find((r) => r.type === 'deprecation');"
    " ok(r ? Object.prototype.toString.call(r.body) : 'none'); }, 1200); })"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_report_route_run_twice_in_a_page_throws_nothing(engine: str) -> None:
    direct = evaluate_many_as_run(engine, {"body": DEPRECATION_BODY})["body"]["value"]
    answer = evaluate_many_as_run(engine, {"twice": route_twice("DeprecationReportBody")})["twice"]
    first, second, errors = json.loads(answer["value"])
    assert errors == []
    # Each run found a deprecation report's body: the kind the test's own deprecated call is given.
    assert first == second == direct == "[object DeprecationReportBody]"


@pytest.mark.parametrize("engine", ENGINES)
def test_reports_in_workers_come_from_what_is_reported_there(run: dict[str, Any], engine: str) -> None:
    said = {f: a for f, a in in_scope(run, engine, "worker").items() if f in REPORT_IN_WORKER}
    direct = evaluate_many_as_run(engine, REPORT_IN_WORKER, worker=True)
    assert said == {f: direct[f].get("value", direct[f].get("error")) for f in REPORT_IN_WORKER}
    assert said == WORKER_REPORTS[engine]
    # A service worker's reports, as the test's own service worker (its script sent with the same
    # headers) hears them: the same as a dedicated worker's.
    in_service_worker = {f: a for f, a in in_scope(run, engine, "serviceworker").items() if f in REPORT_IN_WORKER}
    direct = evaluate_many_as_run(engine, REPORT_IN_WORKER, service_worker=True)
    assert in_service_worker == {f: direct[f].get("value", direct[f].get("error")) for f in REPORT_IN_WORKER}
    assert in_service_worker == said
