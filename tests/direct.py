"""Independent checks: evaluate JavaScript in the same browsers without compatprobe's harness."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from glob import glob
from typing import Any
from urllib.parse import unquote

from playwright.sync_api import Browser, sync_playwright

from compatprobe.browsers.launch import software_webgl
from direct_browsers import Check, SharedBrowsers
from loopback import Quiet, serve

PAGE = b"<!doctype html><title>direct check</title>"
# How the tests themselves launch Debian's browsers through Playwright (compatprobe's own launches
# come from the matrix). Chromium dials out for components and field trials unless told not to.
LOCAL_CHROMIUM: dict[str, Any] = {
    "executable_path": "/usr/bin/chromium",
    "args": ["--disable-background-networking", "--disable-component-update"],
}
LOCAL_FIREFOX: dict[str, Any] = {"channel": "moz-firefox", "executable_path": "/usr/bin/firefox-esr"}


@contextmanager
def blank_server() -> Iterator[str]:
    """A loopback server of one blank page and of /sw.js (a service worker that answers one
    expression: IN_SERVICE_WORKER): page_server with no headers of its own."""
    with page_server({}) as url:
        yield url


# A service worker cannot come from a Blob URL: blank_server() serves this script, with the
# expression (JSON text) in place of EXPRESSION, and it answers each message through its port.
# The value is awaited (as IN_WORKER's): a check may wait for what the worker is sent (a report).
SERVICE_WORKER = """const answer = Promise.resolve().then(() => (0, eval)(EXPRESSION))
  .then((value) => ({ value }), (e) => ({ error: String(e) }));
self.addEventListener("message", (event) => event.waitUntil(answer.then((a) => event.ports[0].postMessage(a))));"""
IN_SERVICE_WORKER = """async (expression) => {
  const url = "/sw.js?" + encodeURIComponent(JSON.stringify(expression));
  const registration = await navigator.serviceWorker.register(url);
  const worker = registration.installing || registration.waiting || registration.active;
  if (worker.state !== "activated") {
    const active = () => worker.state === "activated";
    await new Promise((resolve) => worker.addEventListener("statechange", () => active() && resolve()));
  }
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => { channel.port1.onmessage = (event) => resolve(event.data); });
  worker.postMessage(null, [channel.port2]);
  return answer;
}"""


def evaluate_in_service_worker_playwright(engine: str, expression: str) -> Any:
    """The value of `expression` in a service worker of a localhost page in Chromium or Firefox."""
    return _value(evaluate_in(engine, "service worker", [expression])[0])


def launch_options(engine: str) -> dict[str, Any]:
    """How to start Debian's Chromium or Firefox through Playwright."""
    return LOCAL_CHROMIUM if engine == "chromium" else LOCAL_FIREFOX


class SharedSessions:
    """The direct checks' browsers, each launched once per test session; conftest closes them at its
    end. Chromium and Firefox run in a process of their own (tests/direct_browsers.py says why);
    WebKitGTK's session (plain HTTP to a driver of ours) and the virtual screen are held here."""

    def __init__(self) -> None:
        self.playwright = SharedBrowsers()
        self._webkit: tuple[ExitStack, Callable[..., Any], str, dict[str, Any]] | None = None
        self._display: tuple[ExitStack, str] | None = None

    def webkit(self) -> tuple[Callable[..., Any], str, dict[str, Any]]:
        """(call, session id, capabilities) of the shared MiniBrowser session, started on first use."""
        if self._webkit is None:
            stack = ExitStack()
            self._webkit = (stack, *stack.enter_context(webkitgtk_session(300)))
        return self._webkit[1:]

    def display(self) -> str:
        """A virtual screen for the session's headed launches (Firefox with WebGL), started on first use."""
        if self._display is None:
            stack = ExitStack()
            self._display = (stack, stack.enter_context(xvfb_display()))
        return self._display[1]

    def drop_webkit(self) -> None:
        """End the MiniBrowser session (after a failed call): the next check starts a new one."""
        if self._webkit is not None:
            stack, self._webkit = self._webkit[0], None
            with suppress(Exception):  # it may be what failed
                stack.close()

    def close(self) -> None:
        self.drop_webkit()
        self.playwright.close()
        if self._display is not None:  # after the browsers that use it
            self._display[0].close()


class WebDriverError(OSError):
    """A WebDriver call that failed, with the server's error and message (an OSError, as urllib's HTTPError is)."""

    def __init__(self, method: str, path: str, status: int, body: bytes) -> None:
        try:
            value = json.loads(body)["value"]
            self.error, message = str(value.get("error")), str(value.get("message"))
        except (ValueError, KeyError, TypeError, AttributeError):
            self.error, message = "?", body[:300].decode(errors="replace")
        super().__init__(f"{method} {path}: HTTP {status}: {self.error}: {message}")


# One per test session: module state on purpose, so that every evaluator shares the launches.
SHARED = SharedSessions()


def on_page(
    engine: str,
    calls: list[tuple[str, Any]],
    options: dict[str, Any] | None = None,
    timeout: float | None = None,
    headers: dict[str, str] | None = None,
    context: dict[str, Any] | None = None,
) -> list[Any]:
    """Each (function source, argument) of `calls` evaluated in turn on a localhost page (served with
    `headers`) in a new context (made with `context`) of the session's Debian Chromium or Firefox,
    launched with `options` (`timeout`: seconds per call)."""
    with page_server(headers or {}) as url:
        check = Check(engine, options or launch_options(engine), url, calls, timeout, context or {})
        return list(SHARED.playwright.run(check))


@contextmanager
def webkitgtk_page(timeout: float = 30, headers: dict[str, str] | None = None) -> Iterator[Callable[..., Any]]:
    """A localhost page (served with `headers`) in the session's MiniBrowser: a function (script,
    args, asynchronous=False) that runs WebDriver's execute/sync or execute/async there (`timeout`:
    seconds per call)."""
    call, sid, _ = SHARED.webkit()
    with page_server(headers or {}) as url:
        try:
            call("POST", f"/session/{sid}/url", {"url": url}, timeout=timeout)

            def execute(script: str, args: list[Any], asynchronous: bool = False) -> Any:
                kind = "async" if asynchronous else "sync"
                body = {"script": script, "args": args}
                try:
                    return call("POST", f"/session/{sid}/execute/{kind}", body, timeout=timeout)
                except WebDriverError as exc:
                    if exc.error == "javascript error":  # the script's own: it would throw again
                        raise
                # The browser's, not the script's (once, right after a page served with COOP and COEP
                # loaded, in a busy suite; which error it was went unrecorded): the page and the script
                # once more.
                call("POST", f"/session/{sid}/url", {"url": url}, timeout=timeout)
                return call("POST", f"/session/{sid}/execute/{kind}", body, timeout=timeout)

            yield execute
        except Exception:
            SHARED.drop_webkit()  # a session a check broke or hung serves no later check
            raise


def evaluate_in(engine: str, context: str, sources: Sequence[Any], timeout: float = 30) -> list[Any]:
    """The one evaluator: each of `sources` given to CONTEXTS[context] (a function of one argument,
    run in the page), all in one launch of the engine's browser (Playwright for Chromium and
    Firefox, WebKitWebDriver by hand for WebKitGTK); the function's answers, in order."""
    function = CONTEXTS[context]
    if engine == "webkit":
        script = (
            f"const done = arguments[arguments.length - 1]; Promise.resolve(({function})(arguments[0])).then(done);"
        )
        with webkitgtk_page(timeout) as execute:
            return [execute(script, [source], asynchronous=True) for source in sources]
    # A frame's check needs Firefox set up as compatprobe sets it up (see IN_FRAME).
    frame_prefs = context == "frame" and engine == "firefox"
    options = {**LOCAL_FIREFOX, "firefox_user_prefs": FIREFOX_PREFS} if frame_prefs else None
    return on_page(engine, [(function, source) for source in sources], options, timeout if context == "many" else None)


def _value(answer: dict[str, Any]) -> Any:
    assert "value" in answer, answer
    return answer["value"]


def evaluate_playwright(engine: str, script: str) -> Any:
    """Evaluate `script` (a function expression) on a localhost page in Debian's Chromium or Firefox."""
    return on_page(engine, [(script, None)])[0]


# Evaluates an expression inside a dedicated worker started from the page (a Blob URL, so no
# harness is involved) and resolves with its value (a promise's once it settles), or with
# {"error": ...} when it throws, rejects, or the worker fails.
IN_WORKER = """(expression) => new Promise((resolve) => {
  const code = `Promise.resolve().then(() => (${expression}))
    .then((value) => ({ value }), (e) => ({ error: String(e) }))
    .then((answer) => { try { postMessage(answer); } catch (e) { postMessage({ error: String(e) }); } });`;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  worker.onmessage = (event) => { resolve(event.data); worker.terminate(); };
  worker.onerror = (event) => resolve({ error: String(event.message) });
})"""


def evaluate_in_worker_playwright(engine: str, expression: str) -> Any:
    """The value of `expression` in a dedicated worker of a localhost page in Chromium or Firefox."""
    return _value(evaluate_in(engine, "worker", [expression])[0])


def evaluate_in_worker_webkitgtk(expression: str) -> Any:
    """The value of `expression` in a dedicated worker of a localhost page in MiniBrowser."""
    return _value(evaluate_in("webkit", "worker", [expression])[0])


@contextmanager
def local_chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright's sync API, closed afterwards (the `chromium` fixture)."""
    with sync_playwright() as p:
        browser = p.chromium.launch(**LOCAL_CHROMIUM)
        try:
            yield browser
        finally:
            browser.close()


def playwright_version(engine: str) -> str:
    """The version Debian's Chromium or Firefox gives Playwright when asked directly."""
    return str(SHARED.playwright.run(Check(engine, launch_options(engine))))


def evaluate_many_playwright(engine: str, calls: Sequence[tuple[str, Any]]) -> list[Any]:
    """Evaluate each (function expression, argument) in turn on one localhost page, in one launch of
    Debian's Chromium or Firefox. A script must leave nothing running (close what it opened): on a
    loaded machine a new page costs a second or more, so the page is shared rather than renewed."""
    return on_page(engine, list(calls))


def evaluate_webkitgtk(script: str | list[str], *, asynchronous: bool = False) -> Any:
    """Evaluate a statement list with `return` in MiniBrowser through WebKitWebDriver, by hand.

    A list of scripts runs in one session and gives a list of values; `asynchronous` uses
    execute/async, where a script ends by calling its last argument with the value.
    """
    with webkitgtk_page() as execute:
        values = [execute(s, [], asynchronous) for s in (script if isinstance(script, list) else [script])]
        return values if isinstance(script, list) else values[0]


def evaluate_webkitgtk_with(script: str, args: list[Any], timeout: float = 30) -> Any:
    """evaluate_webkitgtk with `arguments` for the script (`timeout`: seconds per WebDriver call)."""
    with webkitgtk_page(timeout) as execute:
        return execute(script, args)


def webkitgtk_version() -> str:
    """The browserVersion MiniBrowser's WebDriver session reports."""
    return str(SHARED.webkit()[2]["browserVersion"])


@contextmanager
def webkitgtk_session(timeout: float = 30) -> Iterator[tuple[Callable[..., Any], str, dict[str, Any]]]:
    """A MiniBrowser session through WebKitWebDriver under its own Xvfb: (call, session id, capabilities)."""
    with xvfb_display() as display:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        driver = subprocess.Popen(
            ["WebKitWebDriver", f"--port={port}"],
            env={**os.environ, "DISPLAY": display},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def call(method: str, path: str, body: Any = None, timeout: float = timeout) -> Any:
            req = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                method=method,
                data=None if body is None else json.dumps(body).encode(),
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(req, timeout=timeout) as r:
                    return json.load(r)["value"]
            except urllib.error.HTTPError as exc:  # WebDriver's error is in the body: say it
                raise WebDriverError(method, path, exc.code, exc.read()) from exc

        try:
            for _ in range(200):
                try:
                    call("GET", "/status")
                    break
                except OSError:
                    time.sleep(0.05)
            binary = sorted(glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser"))[0]
            session = call(
                "POST",
                "/session",
                {
                    "capabilities": {
                        "alwaysMatch": {
                            "browserName": "MiniBrowser",
                            "webkitgtk:browserOptions": {"binary": binary, "args": ["--automation"]},
                        }
                    }
                },
            )
            sid = session["sessionId"]
            try:
                yield call, sid, session["capabilities"]
            finally:
                call("DELETE", f"/session/{sid}")
        finally:
            driver.terminate()
            driver.wait()


# Evaluates every expression of a {key: expression} object in the page, each in its own try, and
# answers {key: {"value": ...}} or {key: {"error": "Name: message"}}: many checks, one launch. The
# answer crosses the protocol as JSON text: Firefox's BiDi serializes a tree of objects node by node.
MANY = """(exprs) => {
  const out = {};
  for (const [key, expr] of Object.entries(exprs)) {
    try {
      out[key] = { value: (0, eval)(expr) };
    } catch (e) {
      out[key] = { error: `${e && e.name}: ${e && e.message}` };
    }
  }
  return JSON.stringify(out);
}"""


def evaluate_many(engine: str, expressions: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """Evaluate many JavaScript expressions in one launch of the engine's browser (Debian's
    Chromium or Firefox through Playwright, WebKitGTK through WebKitWebDriver by hand)."""
    return json.loads(evaluate_in(engine, "many", [expressions], timeout)[0])


def evaluate_many_in_worker(engine: str, expressions: dict[str, str]) -> dict[str, Any]:
    """evaluate_many's answers from inside a dedicated worker of a localhost page (no harness)."""
    expression = f"({MANY})({json.dumps(expressions)})"
    if engine == "webkit":
        return json.loads(evaluate_in_worker_webkitgtk(expression))
    return json.loads(evaluate_in_worker_playwright(engine, expression))


# Each function is called as `async (w) => ...` with `w` the window of a new same-origin iframe,
# made inside the call: frames that exist when a driver's call begins get its transient user
# activation, and a page nobody clicked is what every check here means. Firefox gets the same
# preference compatprobe gives it (browsers/playwright_session.py), as a fact of the browser set-up:
# without it Firefox hands each call's activation on to new frames too.
IN_FRAME = """async (source) => {
  const frame = document.createElement("iframe");
  document.body.appendChild(frame);
  try {
    const fn = frame.contentWindow.eval(`(${source})`);
    return await fn(frame.contentWindow);
  } catch (e) {
    return `harness-free check threw ${e && e.name}: ${e && e.message}`;
  } finally {
    frame.remove();
  }
}"""
FIREFOX_PREFS = {"dom.user_activation.transient.timeout": 1}


def evaluate_in_frames_playwright(engine: str, functions: list[str]) -> list[Any]:
    """Each of `functions` (source text of `async (w) => value`) in its own fresh frame, one browser launch."""
    return evaluate_in(engine, "frame", functions)


def evaluate_in_frames_webkitgtk(functions: list[str]) -> list[Any]:
    """The same in MiniBrowser, through WebKitWebDriver's execute/async, one session."""
    return evaluate_in("webkit", "frame", functions)


def evaluate_in_frames(engine: str, functions: list[str]) -> list[Any]:
    """Each of `functions` (`async (w) => value`) in a fresh same-origin frame, one launch of the engine's browser."""
    return evaluate_in(engine, "frame", functions)


# Where evaluate_in runs a source: each a function of one argument, evaluated in the page.
CONTEXTS: dict[str, str] = {
    "worker": IN_WORKER,  # an expression, in a dedicated worker: {"value"} or {"error"}
    "service worker": IN_SERVICE_WORKER,  # an expression, in a service worker: {"value"} or {"error"}
    "frame": IN_FRAME,  # `async (w) => value`, in a fresh same-origin frame: its value
    "many": MANY,  # {key: expression}, each in its own try, in the page: JSON text
}


def chromium_brands() -> list[str]:
    """navigator.userAgentData.brands of Debian's Chromium, on a localhost page (a secure context)."""
    script = "() => navigator.userAgentData.brands.map((b) => b.brand)"
    (brands,) = evaluate_many_playwright("chromium", [(script, None)])
    return list(brands)


# MANY, with each value awaited (an instance some checks make asynchronously), all at once.
MANY_AWAITED = """async (exprs) => {
  const out = {};
  await Promise.all(Object.entries(exprs).map(async ([key, expr]) => {
    try {
      out[key] = { value: await (0, eval)(expr) };
    } catch (e) {
      out[key] = { error: `${e && e.name}: ${e && e.message}` };
    }
  }));
  return JSON.stringify(out);
}"""
# What a page needs to be cross-origin isolated (SharedArrayBuffer, measureUserAgentSpecificMemory).
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


@contextmanager
def page_server(headers: dict[str, str]) -> Iterator[str]:
    """A loopback server of one blank page (and of /sw.js, as blank_server), sent with `headers`."""

    class Handler(Quiet):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            script = path == "/sw.js"
            body = SERVICE_WORKER.replace("EXPRESSION", unquote(query)).encode() if script else PAGE
            self.reply(200, body, {"Content-Type": "text/javascript" if script else "text/html", **headers})

    with serve(Handler) as url:
        yield url


def evaluate_many_awaited(
    engine: str, expressions: dict[str, str], *, headers: dict[str, str] | None = None, worker: bool = False
) -> dict[str, Any]:
    """evaluate_many with each value awaited, on a page served with `headers` (ISOLATION_HEADERS:
    cross-origin isolated), in the page or in a dedicated worker of it, one launch."""
    if worker:
        expression = f"({MANY_AWAITED})({json.dumps(expressions)})"
        script = f"() => ({IN_WORKER})({json.dumps(expression)})"
    else:
        script = f"() => ({MANY_AWAITED})({json.dumps(expressions)})"
    if engine == "webkit":
        body = f"const done = arguments[arguments.length - 1]; ({script})().then(done);"
        with webkitgtk_page(300, headers) as execute:
            answer = execute(body, [], asynchronous=True)
    else:
        (answer,) = on_page(engine, [(script, None)], timeout=300, headers=headers)
    return _many_answer(answer, worker)


def _many_answer(answer: Any, worker: bool) -> dict[str, Any]:
    """MANY_AWAITED's JSON text, read; from a worker it comes wrapped as {value} (IN_WORKER, IN_SERVICE_WORKER)."""
    if worker:
        assert "value" in answer, answer
        answer = answer["value"]
    return dict(json.loads(answer))


@contextmanager
def xvfb_display() -> Iterator[str]:
    """A virtual screen of the test's own (Xvfb picks its number), stopped afterwards: ':N'."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp"], pass_fds=(write_fd,), stderr=subprocess.DEVNULL
    )
    os.close(write_fd)
    # Xvfb writes the number and the newline separately; closing early kills it with EPIPE.
    raw = b""
    while not raw.endswith(b"\n"):
        chunk = os.read(read_fd, 16)
        if not chunk:
            break
        raw += chunk
    os.close(read_fd)
    try:
        yield f":{raw.decode().strip()}"
    finally:
        xvfb.terminate()
        xvfb.wait()


def on_a_touch_screen(
    engine: str,
    headers: dict[str, str],
    prefs: dict[str, Any],
    calls: list[tuple[str, Any]],
    chromium_args: Sequence[str] = (),
) -> Any:
    """on_page in a browser set up as a machine with a screen and touch (the first call's answer):
    Chromium with a touch context and `chromium_args`, Firefox not headless (under Xvfb: WebGL) with
    touch events on and `prefs`."""
    if engine == "chromium":
        options = {**LOCAL_CHROMIUM, "args": [*LOCAL_CHROMIUM["args"], *chromium_args]}
        return on_page(engine, calls, options, 300, headers, {"has_touch": True})[0]
    touch = {"dom.w3c_touch_events.enabled": 1, "dom.w3c_touch_events.legacy_apis.enabled": True}
    env = {**os.environ, "DISPLAY": SHARED.display()}
    options = {**LOCAL_FIREFOX, "headless": False, "env": env, "firefox_user_prefs": {**prefs, **touch}}
    return on_page(engine, calls, options, 300, headers)[0]


def evaluate_many_on_a_touch_screen(engine: str, expressions: dict[str, str]) -> dict[str, Any]:
    """evaluate_many's answers from a browser set up as on_a_touch_screen does."""
    return dict(json.loads(on_a_touch_screen(engine, {}, {}, [(MANY, expressions)])))


# What the run adds (a worker's report-only policy, which a worker made from a blob: URL takes from
# its page; SwiftShader chosen for WebGL), as the test's own settings.
RUN_WORKER_CSP = {"Content-Security-Policy-Report-Only": "connect-src 'self'"}
RUN_CHROMIUM_ARGS = list(software_webgl("chromium"))  # SwiftShader chosen where there is no GPU


def evaluate_many_as_run(
    engine: str, expressions: dict[str, str], *, worker: bool = False, service_worker: bool = False
) -> dict[str, Any]:
    """evaluate_many_awaited on a page as compatprobe's run has it, set up by this test's own code:
    cross-origin isolated (COOP and COEP), with a report-only CSP, Chromium with a touch context and
    SwiftShader chosen, Firefox not headless under Xvfb (WebGL) with touch events on; in the page,
    in a dedicated worker of it, or (Chromium and Firefox) in a service worker of its origin, whose
    script the test's server sends with the same headers."""
    if engine == "webkit":
        return evaluate_many_awaited(
            engine, expressions, headers={**ISOLATION_HEADERS, **RUN_WORKER_CSP}, worker=worker
        )
    inner = f"({MANY_AWAITED})({json.dumps(expressions)})"
    where = IN_SERVICE_WORKER if service_worker else IN_WORKER if worker else None
    script = f"() => ({where})({json.dumps(inner)})" if where else f"() => {inner}"
    answer = on_a_touch_screen(
        engine, {**ISOLATION_HEADERS, **RUN_WORKER_CSP}, FIREFOX_PREFS, [(script, None)], RUN_CHROMIUM_ARGS
    )
    return _many_answer(answer, worker or service_worker)


def evaluate_many_launched(
    engine: str, options: dict[str, Any], expressions: dict[str, str], timeout: float = 300
) -> dict[str, Any]:
    """evaluate_many's answers from `engine` launched through Playwright with `options` (once a session)."""
    return dict(json.loads(on_page(engine, [(MANY, expressions)], options, timeout)[0]))


def build_launch_options(executable: str) -> dict[str, Any]:
    """How the tests start a Chromium build from the cache (data/builds.py): its binary, no flags
    beyond those Debian's Chromium gets (Playwright adds --no-sandbox and --headless)."""
    return {**LOCAL_CHROMIUM, "executable_path": executable}


def evaluate_many_in_build(executable: str, expressions: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """evaluate_many's answers from the Chromium build at `executable` (one launch a session)."""
    return evaluate_many_launched("chromium", build_launch_options(executable), expressions, timeout)


def evaluate_calls_in_build(executable: str, calls: Sequence[tuple[str, Any]]) -> list[Any]:
    """evaluate_many_playwright's answers from the Chromium build at `executable`."""
    return on_page("chromium", list(calls), build_launch_options(executable))


def build_version(executable: str) -> str:
    """The version the Chromium build at `executable` reports when asked directly."""
    return str(SHARED.playwright.run(Check("chromium", build_launch_options(executable))))


# A dedicated worker whose script the test's own server sends with `headers` (a worker's CSP comes
# from its script's response): it answers the awaited value of EXPRESSION once.
SERVED_WORKER = """Promise.resolve().then(() => (0, eval)(EXPRESSION))
  .then((value) => postMessage({ value }), (e) => postMessage({ error: String(e) }));"""
FROM_SERVED_WORKER = """(url) => new Promise((resolve) => {
  const worker = new Worker(url);
  worker.onmessage = (event) => { resolve(event.data); worker.terminate(); };
  worker.onerror = (event) => resolve({ error: String(event.message) });
})"""


def evaluate_in_worker_served_with(engine: str, expression: str, headers: dict[str, str]) -> Any:
    """The awaited value of `expression` in a dedicated worker of Chromium or Firefox whose script
    is served with `headers` (its page without them)."""

    class Handler(Quiet):
        def do_GET(self) -> None:
            if not self.path.startswith("/worker.js"):
                self.reply(200, PAGE, {"Content-Type": "text/html"})
                return
            body = SERVED_WORKER.replace("EXPRESSION", json.dumps(expression)).encode()
            self.reply(200, body, {"Content-Type": "text/javascript", **headers})

    with serve(Handler) as url, sync_playwright() as p:
        browser = getattr(p, engine).launch(**launch_options(engine))
        try:
            page = browser.new_page()
            page.goto(url)
            return _value(page.evaluate(FROM_SERVED_WORKER, "/worker.js"))
        finally:
            browser.close()
