"""The field's reference tool, mdn-bcd-collector, timed in the same sitting as compatprobe: from just
before the browser's launch to its report parsed (issue #26 sets its goals as ratios to this time).

The collector is an outside program, run from a checkout of its own (built: `npm ci`, `npm run
build`); nothing of it is copied here. Its server (`node app.js`, in-memory storage) is started once,
untimed, and stopped at the end. Each run launches the engine exactly as compatprobe does (the target
of matrix.yaml, resolved and started by compatprobe.browsers.launch.start_session: same binary, same
options, Firefox under Xvfb), grants what the collector's own runner (scripts/selenium.ts) grants
(geolocation, notifications, camera, microphone: those Playwright can grant in that browser), then,
as that runner does, opens its tests page for api + javascript + css, clicks "run", waits for the
status to say the results were uploaded, fetches /api/results in the page (same session cookie) and
parses the JSON; the count of its results tells that the run was whole. Closing the browser is not
timed.

    .venv/bin/python bench/collector.py --checkout /work/collector --repeat 3 chromium firefox
    .venv/bin/python bench/collector.py --checkout DIR --node /path/to/node-26/bin/node firefox

Prints each run, then medians, ranges and result counts, with the load average; writes JSON to
bench/results/. Measures, asserts nothing.

What its time holds besides the tests (v10.20.7 here): its harness waits up to 5 s for the page's
resources, of which one (rtcStats) takes 4 s of its own timers; and it gives up on a test after 10 s,
which with nothing granted (--no-grant) Firefox's api.GeolocationPosition.timestamp does, waiting on
a prompt nobody answers: each run prints how many results timed out so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Playwright

from compatprobe.browsers.driver import playwright_driver
from compatprobe.browsers.launch import start_session
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.resolve import bundled_paths
from compatprobe.browsers.targets import Resolved, resolve
from compatprobe.config.matrix import load_matrix

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MATRIX = ROOT / "matrix.yaml"
ENGINES = ("chromium", "firefox")
# The collector's test paths other than api, javascript and css: its /tests route takes one path,
# or none for all of them, and `ignore` leaves out paths (as its selenium.ts does for some tests).
OTHER_PATHS = ("html", "mathml", "svg", "webassembly")
SELECTION = f"/tests/?selenium=true&ignore={','.join(OTHER_PATHS)}"
# The scopes its harness runs tests in (harness.js: doTests); those of worklets it leaves.
HARNESS_SCOPES = ("Window", "Worker", "SharedWorker", "ServiceWorker")
# The server's environment variables that would take it off its in-memory storage and console log.
CLOUD_VARIABLES = ("GOOGLE_CLOUD_PROJECT", "HDRIVE_GOOGLE_JSON_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "NODE_ENV")
SERVER_START_S = 60.0
PAGE_LOAD_MS = 60_000
CLICK_MS = 10_000
# What the collector's own runner (scripts/selenium.ts) allows both browsers: without it, a test that
# asks for the position waits on a prompt nobody answers until the harness gives up (10 s in Firefox).
PERMISSIONS = ("geolocation", "notifications", "camera", "microphone")
# Over this, a run is stuck (a test waiting on a permission or a device): the run fails, it does not wait.
UPLOAD_MS = 120_000
FETCH_S = 30.0
# Launch, page, tests, upload and report together.
RUN_S = 240.0
STATUS = "() => (document.getElementById('status') || {}).textContent || ''"
UPLOADED = "() => ((document.getElementById('status') || {}).textContent || '').includes('upload')"
REPORT = """async () => {
  const answer = await fetch('/api/results', {credentials: 'same-origin'});
  if (!answer.ok) throw new Error('GET /api/results answered ' + answer.status);
  return await answer.text();
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def collector_version(checkout: Path) -> str:
    return str(json.loads((checkout / "package.json").read_text())["version"])


def node_version(node: str) -> str:
    return subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout.strip()


def check_built(checkout: Path) -> None:
    """The server needs its compiled app.js, tests.json (test-builder) and generated/ (resources)."""
    needed = ("package.json", "node_modules", "app.js", "tests.json", "generated")
    missing = [name for name in needed if not (checkout / name).exists()]
    if missing:
        raise SystemExit(
            f"{checkout} is not built (no {', '.join(missing)}): run `npm ci` and `npm run build` there first"
        )


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the collector's server exited with {server.returncode}; see {log}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url + "/", timeout=5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the collector's server did not answer at {url} within {SERVER_START_S:.0f} s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to its process group, SIGKILL after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


@contextlib.contextmanager
def collector_server(checkout: Path, node: str = "node", log: Path | None = None) -> Iterator[str]:
    """The collector's server for `checkout` on a free loopback port, in-memory storage; yields its URL."""
    check_built(checkout)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in CLOUD_VARIABLES}
    env["PORT"] = str(port)
    made = log is None
    if log is None:
        handle, name = tempfile.mkstemp(prefix="collector-server-", suffix=".log")
        os.close(handle)
        log = Path(name)
    with log.open("wb") as out:
        server = subprocess.Popen(
            [node, "app.js"], cwd=checkout, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(url, server, log)
        yield url
    finally:
        stop_server(server)
    if made:  # kept when the server failed: the error names it
        log.unlink(missing_ok=True)


def target(engine: str, matrix: Path, bundled: dict[str, str]) -> Resolved:
    for spec in load_matrix(matrix).targets:
        if spec.engine == engine:
            resolved = resolve(spec, bundled)
            if resolved.chosen is None:
                raise SystemExit(f"{engine}: no way to start it on this machine ({matrix})")
            return resolved
    raise SystemExit(f"{engine}: not a target of {matrix}")


async def run_tests(page: Page, server_url: str) -> str:
    """The collector's flow: its tests page, "run", the status saying the results were uploaded; the
    report's JSON text, fetched in the page so that it goes with the page's session cookie."""
    await page.goto(server_url + SELECTION, wait_until="load", timeout=PAGE_LOAD_MS)
    await page.click("#run", timeout=CLICK_MS)
    try:
        await page.wait_for_function(UPLOADED, polling=100, timeout=UPLOAD_MS)
    except Exception as exc:
        status = await asyncio.wait_for(page.evaluate(STATUS), 10)
        raise RuntimeError(f"no upload within {UPLOAD_MS / 1000:.0f} s; the status says {status!r}") from exc
    status = await page.evaluate(STATUS)
    if "Failed" in status:
        raise RuntimeError(f"the collector's status says {status!r}")
    return str(await asyncio.wait_for(page.evaluate(REPORT), FETCH_S))


def expected_results(checkout: Path) -> int:
    """The tests of the selection in the scopes the collector's harness runs, from its tests.json: one
    result each in a whole run."""
    tests = json.loads((checkout / "tests.json").read_text())
    return sum(
        exposure in HARNESS_SCOPES
        for ident, test in tests.items()
        if not ident.startswith("__") and ident.split(".")[0] not in OTHER_PATHS
        for exposure in test["exposure"]
    )


def counts(report: dict[str, Any]) -> dict[str, Any]:
    """Results in all, per scope, how many the browser supports, how many hit the harness's 10 s
    limit for one test (one waiting on a permission or a device)."""
    results = [r for page_results in report["results"].values() for r in page_results]
    scopes: dict[str, int] = {}
    for r in results:
        scopes[r.get("exposure", "?")] = scopes.get(r.get("exposure", "?"), 0) + 1
    timed_out = sum("Timed out" in str(r.get("message", "")) for r in results)
    true = sum(r.get("result") is True for r in results)
    return {"results": len(results), "true": true, "timed_out": timed_out, "scopes": scopes}


async def grant_permissions(page: Page, origin: str) -> list[str]:
    """Those of PERMISSIONS the browser lets Playwright grant (Firefox over WebDriver BiDi: not camera
    nor microphone), granted to the collector's origin."""
    granted = []
    for name in PERMISSIONS:
        try:
            await page.context.grant_permissions([name], origin=origin)
        except PlaywrightError:
            continue
        granted.append(name)
    return granted


async def timed_run(
    engine: str, resolved: Resolved, pw: Playwright, server_url: str, grant: bool = True
) -> dict[str, Any]:
    """Seconds from just before the launch to the parsed report; closing is not timed."""
    assert resolved.chosen is not None
    children = ChildProcesses()
    began = time.monotonic()
    session = await start_session(engine, resolved.chosen, pw, os.environ, children)
    try:
        handle = await session.new_page()
        page: Page = handle._page  # type: ignore[attr-defined]  # Playwright's Page
        granted = await grant_permissions(page, server_url) if grant else []
        launched = time.monotonic() - began
        text = await run_tests(page, server_url)
        report = json.loads(text)
        seconds = time.monotonic() - began
    finally:
        await session.close()
        children.kill_all()
    browser = f"{session.browser.name} {session.browser.version}"
    timing = {"seconds": round(seconds, 2), "launch_s": round(launched, 2)}
    return {**timing, "browser": browser, "granted": granted, **counts(report)}


async def collector_run(engine: str, server_url: str, grant: bool = True, matrix: Path = MATRIX) -> dict[str, Any]:
    """One timed run; Playwright's driver is started before the timer and stopped after it."""
    async with playwright_driver() as pw:
        resolved = target(engine, matrix, await bundled_paths(pw))
        return await asyncio.wait_for(timed_run(engine, resolved, pw, server_url, grant), RUN_S)


def collector_seconds(
    engine: str, checkout: Path, server_url: str, grant: bool = True, matrix: Path = MATRIX
) -> dict[str, Any]:
    """For other bench scripts: one run of the collector at `server_url` (from collector_server(checkout))
    on `engine` as compatprobe launches it: seconds, result counts, browser, load average."""
    figures = asyncio.run(collector_run(engine, server_url, grant, matrix))
    return {**figures, "collector": collector_version(checkout), "load": round(os.getloadavg()[0], 2)}


def summary(engine: str, runs: list[dict[str, Any]]) -> str:
    seconds = [r["seconds"] for r in runs]
    results = sorted({r["results"] for r in runs})
    return (
        f"{engine:9} median {statistics.median(seconds):6.2f} s  range {min(seconds):.2f}-{max(seconds):.2f} s"
        f"  results {'/'.join(map(str, results))}  ({runs[0]['browser']}, {len(runs)} runs)"
    )


def bench(engines: list[str], checkout: Path, node: str, repeat: int, grant: bool) -> dict[str, Any]:
    """Runs interleaved by round (each engine once per round), on one server."""
    runs: dict[str, list[dict[str, Any]]] = {engine: [] for engine in engines}
    expected = expected_results(checkout)
    with collector_server(checkout, node) as url:
        for round_no in range(1, repeat + 1):
            for engine in engines:
                run = collector_seconds(engine, checkout, url, grant)
                runs[engine].append(run)
                print(
                    f"round {round_no} {engine:9} {run['seconds']:6.2f} s (launch {run['launch_s']:.2f} s)"
                    f"  results {run['results']} of {expected} ({run['true']} true, {run['timed_out']} timed out)"
                    f"  granted {','.join(run['granted']) or 'nothing'}"
                    f"  load {run['load']}",
                    flush=True,
                )
    return runs


def write_json(payload: dict[str, Any]) -> Path:
    out = BENCH / "results" / f"collector-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(payload, indent=2) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engines", nargs="*", metavar="ENGINE", help=f"of {', '.join(ENGINES)} (default: both)")
    parser.add_argument("--checkout", type=Path, required=True, help="the collector's built checkout")
    parser.add_argument("--node", default=os.environ.get("COLLECTOR_NODE", "node"), help="Node for its server")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-grant", action="store_true", help="leave permissions unanswered (its own runner grants them)"
    )
    args = parser.parse_args()
    engines = args.engines or list(ENGINES)
    if unknown := set(engines) - set(ENGINES):
        parser.error(f"not an engine the collector is timed on: {', '.join(sorted(unknown))}")
    checkout = args.checkout.resolve()
    check_built(checkout)
    head = f"mdn-bcd-collector {collector_version(checkout)}, node {node_version(args.node)}, selection {SELECTION}"
    print(f"{head}, load {os.getloadavg()[0]:.2f}", flush=True)
    runs = bench(engines, checkout, args.node, args.repeat, not args.no_grant)
    for engine, engine_runs in runs.items():
        print(summary(engine, engine_runs))
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"load average {load[0]} {load[1]} {load[2]}")
    print(f"wrote {write_json({'collector': head, 'runs': runs, 'load': load})}", file=sys.stderr)


if __name__ == "__main__":
    main()
