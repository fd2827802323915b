"""Probes share checked realms for speed; a probe that changes its realm changes no other outcome."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.async_api import async_playwright

from compatprobe.probes.loader import load_probes
from compatprobe.run.harness import plan_columns
from compatprobe.run.server import ProbeServer
from conftest import ROOT, cli
from direct import LOCAL_CHROMIUM

pytestmark = pytest.mark.browsers

# Each changes its realm in a way the probes after it could notice; OBSERVE notices every one.
HOSTILE = {
    "replace-method": "Node.prototype.appendChild = function () { return null; };",
    "delete-interface": "delete t.window.DOMParser;",
    # A script's `let` outlives it (eval's does not), and shadows the global property.
    "shadow-global": 'const s = document.createElement("script"); s.textContent = "let Event = 42;";'
    " document.head.appendChild(s); s.remove();",
    "expando-on-document": "document.createElement = () => null;",
    "prototype-chain": "Object.setPrototypeOf(HTMLDivElement.prototype, Object.prototype);",
    "prevent-extensions": "Object.preventExtensions(Array.prototype);",
    "symbol-method": "Array.prototype[Symbol.iterator] = function* () {};",
    "intrinsic": 'Object.getPrototypeOf(async function () {}).marker = "left behind";',
    "event-handler": "t.window.onerror = () => true;",
    "deeper-singleton": "if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = () => null;",
    "expando-on-body": "document.body.marker = 1;",
    "markup": 'document.body.appendChild(document.createElement("video"));',
    "unawaited": "(async () => { await null; await null; Text.prototype.splitText = null; })();",
    "timer": "setTimeout(() => { Element.prototype.remove = null; }, 0);",
}

OBSERVE = r"""
await t.sleep(1); // lets timers that earlier probes left behind fire
const w = t.window;
const native = (f) => typeof f === "function" && /\[native code\]/.test(w.Function.prototype.toString.call(f));
const broken = [];
if (!native(Node.prototype.appendChild)) broken.push("appendChild");
if (typeof w.DOMParser !== "function") broken.push("DOMParser");
if (typeof Event !== "function") broken.push("Event");
if (Object.prototype.hasOwnProperty.call(document, "createElement")) broken.push("createElement");
if (Object.getPrototypeOf(HTMLDivElement.prototype) !== HTMLElement.prototype) broken.push("HTMLDivElement");
if (!Object.isExtensible(Array.prototype)) broken.push("Array.prototype");
if (!native(Array.prototype[Symbol.iterator])) broken.push("@@iterator");
if ("marker" in Object.getPrototypeOf(async function () {})) broken.push("AsyncFunction.prototype");
if (w.onerror !== null) broken.push("onerror");
if (navigator.mediaDevices && Object.hasOwn(navigator.mediaDevices, "getUserMedia")) broken.push("getUserMedia");
if ("marker" in document.body) broken.push("document.body");
if (document.querySelectorAll("video").length) broken.push("markup");
if (!native(Text.prototype.splitText)) broken.push("splitText");
if (!native(Element.prototype.remove)) broken.push("remove");
t.value("broken", broken.join(" "));
t.check(broken.length === 0, `changed by an earlier probe: ${broken.join(", ")}`);
"""


def probe_file(feature: str, body: str, extra: str = "") -> str:
    return f"/*---\nfeature: api.Isolation.{feature}\ntitle: {feature}\n{extra}---*/\n{body}\n"


def write_suite(folder: Path, hostile: dict[str, str], *, timeout_ms: int = 5000, lead: int = 0) -> Path:
    """`lead` observers, then observers before, between and after the hostile probes (ids sort so)."""
    probes = folder / "probes" / "isolation"
    probes.mkdir(parents=True)
    for number in range(lead):
        (probes / f"0-{number:03d}-observe.js").write_text(probe_file(f"lead_{number:03d}", OBSERVE))
    number = 0
    for name, body in hostile.items():
        for _ in range(3):  # a few observers between two hostile probes, so batches mix them
            (probes / f"{number:03d}-observe.js").write_text(probe_file(f"observe_{number:03d}", OBSERVE))
            number += 1
        (probes / f"{number:03d}-{name}.js").write_text(probe_file(f"n{number:03d}_{name.replace('-', '_')}", body))
        number += 1
    for _ in range(3):
        (probes / f"{number:03d}-observe.js").write_text(probe_file(f"observe_{number:03d}", OBSERVE))
        number += 1
    return write_matrix(folder, timeout_ms)


def write_matrix(folder: Path, timeout_ms: int = 5000) -> Path:
    """The shipped targets, for the probes in folder/probes."""
    shipped = yaml.safe_load((ROOT / "matrix.yaml").read_text())
    matrix = {
        "version": 1,
        "probes_dir": "probes",
        "probe_timeout_ms": timeout_ms,
        "targets": shipped["targets"],
    }
    (folder / "matrix.yaml").write_text(yaml.safe_dump(matrix, sort_keys=False))
    return folder / "matrix.yaml"


def run(folder: Path, *flags: str, code: int = 0) -> dict[str, Any]:
    proc = cli(
        "run",
        "-q",
        "-m",
        str(folder / "matrix.yaml"),
        "--results",
        str(folder / "r.json"),
        "-o",
        str(folder / "t.html"),
        *flags,
    )
    assert proc.returncode == code, proc.stderr
    return json.loads((folder / "r.json").read_text())


def test_no_probe_sees_what_an_earlier_one_changed(tmp_path: Path) -> None:
    write_suite(tmp_path, HOSTILE)
    results = run(tmp_path)
    assert {t["name"] for t in results["targets"]} == {"chromium", "firefox", "webkit"}
    for target in results["targets"]:
        outcomes = {o["probe"]: o for o in target["outcomes"]}
        assert len(outcomes) == 4 * len(HOSTILE) + 3
        for probe, outcome in outcomes.items():
            # Every probe, hostile or not, ran in a realm nobody else had changed.
            assert outcome["status"] == "supported", (target["name"], probe, outcome)


def harness_pass(probes_dir: Path, scope: str = "window") -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every probe in `probes_dir` through the harness in Chromium, in `scope`: the outcomes and the
    harness's counters."""
    probes = load_probes(probes_dir, ["*"])

    async def drive() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        with ProbeServer(probes, probes_dir) as server:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(**LOCAL_CHROMIUM)
                page = await browser.new_page()
                await page.goto(server.url)
                plan = {
                    "sources_url": server.url + "probes.json",
                    "probes": plan_columns([(p.id, scope) for p in probes], {p.id: 5000 for p in probes}),
                }
                await page.evaluate("(plan) => __compatprobe.start(plan)", plan)
                outcomes: list[dict[str, Any]] = []
                while True:
                    batch = await page.evaluate("() => __compatprobe.next(1000)")
                    outcomes += batch["results"]
                    if batch["done"]:
                        break
                stats = await page.evaluate("() => __compatprobe.stats()")
                await browser.close()
                return outcomes, stats

    return asyncio.run(drive())


def test_the_fast_path_is_taken_and_catches_each_change(tmp_path: Path) -> None:
    """Through the harness itself: probes shared realms, and every hostile batch was re-run, in halves."""
    write_suite(tmp_path, HOSTILE, lead=300)  # batches of 32, 64 and 128 observers only, at least
    ids = [p.id for p in load_probes(tmp_path / "probes", ["*"])]
    outcomes, stats = harness_pass(tmp_path / "probes")
    assert sorted(o["probe"] for o in outcomes) == sorted(ids)
    assert all(o["status"] == "supported" for o in outcomes), outcomes
    assert stats["shared"] >= len(ids)  # every probe first ran in a shared realm
    assert stats["dirty"] >= 1  # and the changes were caught
    # A changed batch runs again in halves, down to groups of two, which run each probe alone: each
    # hostile probe ends alone, with at most one neighbour, and no other probe does.
    assert len(HOSTILE) <= stats["isolated"] <= 2 * len(HOSTILE), stats


# Sources the harness runs as one call of `t`, uncompiled (common.js: compile), and sources that
# must be compiled: two statements, an argument that is an object, an array or an expression, text
# that is not JSON, or anything before the call.
ONE_CALLS = [
    't.value("a", "b");',
    "await t.sleep(0);",
    't.value("text", "a);b");',
    't.value("n", -0.5e3);',
    't.value("flags", true, null);',
]
COMPILED = [
    't.value("a", "b"); t.value("c", "d");',
    't.value("o", {"__proto__": []});',
    't.value("list", ["a"]);',
    't.value("sum", 1 + 1);',
    "t.value('quote', 'single');",
    '// a comment\nt.value("a", "b");',
]


def test_a_probe_that_is_one_call_runs_uncompiled_and_no_other(tmp_path: Path) -> None:
    folder = tmp_path / "probes"
    folder.mkdir()
    for number, body in enumerate(ONE_CALLS + COMPILED):
        (folder / f"{number:02d}.js").write_text(probe_file(f"call_{number:02d}", body))
    outcomes, stats = harness_pass(folder)
    assert len(outcomes) == len(ONE_CALLS + COMPILED)
    assert {o["status"] for o in outcomes} == {"supported"}, outcomes
    assert stats["dirty"] == 0 and stats["uncompiled"] == len(ONE_CALLS), stats  # each ran once
    values = {o["probe"]: o["values"] for o in outcomes}
    assert values["00"] == {"a": '"b"'} and values["02"] == {"text": '"a);b"'}
    assert values["05"] == {"a": '"b"', "c": '"d"'}


def worker_pass(tmp_path: Path, observe: str, changes: dict[int, str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """64 probes in a dedicated worker, each running `observe`, and the ones numbered in `changes`
    then their change: the outcomes and the worker scope's counters."""
    folder = tmp_path / "probes" / "workers"
    folder.mkdir(parents=True)
    for n in range(64):
        body = f"{observe} {changes[n]}" if n in changes else observe
        (folder / f"{n:03d}.js").write_text(probe_file(f"worker_{n:03d}", body))
    outcomes, stats = harness_pass(tmp_path / "probes", scope="worker")
    return outcomes, stats["scopes"]["worker"]


def test_a_changed_worker_batch_runs_again_carefully(tmp_path: Path) -> None:
    """In a worker, a probe that changes the global costs a worker or two, not one per probe of its batch."""
    # Two in a row that change the global, each after checking that nothing had. The new global
    # property comes with a change elsewhere: the batch is run again, carefully.
    observe = 't.check(!("marker" in self) && !("marker" in Array.prototype), "changed by an earlier probe");'
    change = "self.marker = 1; Array.prototype.marker = 1;"
    outcomes, worker = worker_pass(tmp_path, observe, {n: change for n in (40, 41)})
    assert len(outcomes) == 64
    assert {o["status"] for o in outcomes} == {"supported"}, outcomes  # none saw the marker
    assert worker["dirty"] >= 1 and worker["careful"] >= 1, worker  # the change was caught
    # Batches of 32: running the changed one each alone took 33 workers. Now: the first worker, the
    # one its batch changed, probe 40 alone, one for 41 (the first of its worker: as alone), one more.
    assert worker["workers"] <= 5, worker


def test_a_worker_global_that_only_gained_a_property_runs_nothing_twice(tmp_path: Path) -> None:
    """After a scope's first changed batch, a probe that only adds to a worker's global (as a CSP
    violation does in Firefox) ends its batch there: the probes before it stand, it runs again
    alone, and its batch does not run again carefully."""
    observe = 't.check(!Object.keys(self).some((k) => k.startsWith("marker")), "changed by an earlier probe");'
    outcomes, worker = worker_pass(tmp_path, observe, {n: f"self.marker{n} = 1;" for n in (10, 40)})
    assert sorted(o["probe"] for o in outcomes) == sorted(f"workers/{n:03d}" for n in range(64))
    assert {o["status"] for o in outcomes} == {"supported"}, outcomes  # none saw a marker
    # The first change: its batch of 32 ran again carefully, up to probe 10 and from 11 (two careful
    # batches; a batch also ends after 200 ms, so on a loaded machine the second may be cut in two).
    # The second change ended its batch at probe 40, and no careful batch followed (two more if one had).
    assert worker["dirty"] == 3 and 2 <= worker["careful"] <= 3, worker
    # The first worker, then for each marker: the probe alone and a fresh worker for the rest.
    assert worker["workers"] <= 6, worker


def test_requiring_a_promise_attribute_leaves_nothing_behind(tmp_path: Path) -> None:
    # Read on its prototype, a promise attribute returns a rejected promise. Left unhandled, it
    # surfaced as an uncaught error in the shared realm, and every such batch ran again, alone.
    folder = tmp_path / "probes" / "promises"
    folder.mkdir(parents=True)
    for member in ("ready", "finished"):
        (folder / f"1-{member}.js").write_text(probe_file(member, f't.require("Animation.prototype.{member}");'))
    for n in range(8):
        (folder / f"2-filler-{n}.js").write_text(probe_file(f"filler_{n}", "await t.sleep(10);"))
    outcomes, stats = harness_pass(tmp_path / "probes")
    assert {o["probe"]: o["status"] for o in outcomes} == {o["probe"]: "supported" for o in outcomes}
    assert len(outcomes) == 10
    assert (stats["shared"], stats["dirty"], stats["isolated"]) == (10, 0, 0), stats


def test_a_probe_that_hangs_the_page_is_found_and_blamed_alone(tmp_path: Path) -> None:
    # Spinning blocks the page, so the runner cannot tell which probe of a batch did it: it
    # re-runs them one at a time until the page hangs again, and blames that probe only.
    write_suite(tmp_path, {"spin": "while (true) {}"}, timeout_ms=500)
    # (WebKitGTK's WebDriver server stops answering while its page spins, on main too.)
    results = run(tmp_path, "-b", "chromium", "-b", "firefox")
    assert len(results["targets"]) == 2
    for target in results["targets"]:
        outcomes = {o["probe"].split("/")[-1]: o for o in target["outcomes"]}
        spin = outcomes.pop("003-spin")
        assert (spin["status"], spin["reason"]) == ("timeout", "unresponsive"), target["name"]
        assert {o["status"] for o in outcomes.values()} == {"supported"}, outcomes
        assert target["not_run"] == []


def test_isolate_runs_a_probe_alone_where_the_check_cannot_see(tmp_path: Path) -> None:
    # The custom element registry is state the check cannot enumerate: a name defined in a shared
    # realm stays defined for the probes after it. `isolate: true` gives such a probe its own realm.
    define = 'customElements.define("x-probe", class extends HTMLElement {});'
    folder = tmp_path / "probes" / "registry"
    folder.mkdir(parents=True)
    (folder / "1-define.js").write_text(probe_file("define", define, "isolate: true\n"))
    (folder / "2-define-again.js").write_text(probe_file("define_again", define))
    (folder / "3-define-once-more.js").write_text(probe_file("define_once_more", define))
    for n in range(16):  # plans of a few probes run each alone anyway
        (folder / f"4-filler-{n}.js").write_text(probe_file(f"filler_{n}", "t.value('n', 1);"))
    write_matrix(tmp_path)
    # Exit 4: probe 3 throws outside a checked call, which is the probe's own error.
    results = run(tmp_path, "-b", "chromium", code=4)
    outcomes = {o["probe"]: o for o in results["targets"][0]["outcomes"]}
    assert outcomes["registry/1-define"]["status"] == "supported"
    assert outcomes["registry/2-define-again"]["status"] == "supported"
    # Not isolated, and after 2 in the same realm: the registry shows through.
    assert outcomes["registry/3-define-once-more"]["exception"]["name"] == "NotSupportedError"
