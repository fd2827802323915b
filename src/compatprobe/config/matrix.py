"""matrix.yaml: which targets (browsers) run which probes."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compatprobe.config.endpoints import literal_password
from compatprobe.config.envvars import broken_reference, references
from compatprobe.config.yamlfile import Node, check_keys, expect, load_yaml, plain
from compatprobe.engines import ENGINES
from compatprobe.errors import InputError
from compatprobe.scopes import SCOPES

MATRIX_VERSION = 1
DEFAULT_PROBE_TIMEOUT_MS = 5000
DEFAULT_TARGET_TIMEOUT_S = 300
DEFAULT_CONCURRENCY = 8
# A remote browser lives on another machine; it reaches our loopback probe server through the client.
DEFAULT_EXPOSE_NETWORK = "<loopback>"
# Browsers keep timers in signed 32-bit milliseconds: a longer timeout fires at once.
MAX_TIMEOUT_MS = 2**31 - 1
# Ports browsers refuse to fetch from (the Fetch standard's "bad ports"), besides the privileged ones below 1024.
BAD_PORTS = frozenset({1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668})
BAD_PORTS |= {6669, 6679, 6697, 10080}
# What a probe may reach: "loopback" (the default) confines the browser to this machine's loopback;
# "open" lets probes that need the network reach it (see docs/reliability.md).
NETWORKS = ("loopback", "open")


@dataclass(frozen=True, kw_only=True)
class LaunchCommon:
    """What every `use` entry has, whichever way it launches or connects."""

    args: tuple[str, ...] = ()  # the browser's command-line arguments
    hint: str | None = None  # how to get the browser when it is missing here
    headers: dict[str, str] = field(default_factory=dict)  # may hold ${NAME}; only for a remote server
    line: int = field(default=0, compare=False)  # where it is in the matrix, for errors
    network: str = "loopback"  # the matrix's `network` (NETWORKS)


@dataclass(frozen=True, kw_only=True)
class PlaywrightLaunch(LaunchCommon):
    """Launch through Playwright: its own build, a system executable, or a channel; or connect to a
    Playwright browser server (`connect`), which launches the browser with the same options."""

    executable: str | None = None
    channel: str | None = None
    headless: bool = True
    connect: str | None = None  # ws:// endpoint of `playwright run-server` or a hosted service
    expose_network: str | None = None  # Playwright's rules, e.g. "<loopback>"; only with connect
    launch_options: dict[str, Any] = field(default_factory=dict)  # more of Playwright's launch options
    via: str = field(default="playwright", init=False)

    @property
    def remote(self) -> bool:
        return self.connect is not None


@dataclass(frozen=True, kw_only=True)
class WebDriverLaunch(LaunchCommon):
    """Drive a browser through a W3C WebDriver server that compatprobe starts (`driver`), or through
    an existing one (`url`: a Selenium Grid, a cloud grid, safaridriver, chromedriver)."""

    driver: str | None = None
    display: str = "inherit"  # or "xvfb": compatprobe starts a virtual screen for the browser
    binary: str | None = None
    capabilities: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    via: str = field(default="webdriver", init=False)

    @property
    def remote(self) -> bool:
        return self.url is not None


Launch = PlaywrightLaunch | WebDriverLaunch


@dataclass(frozen=True)
class TargetSpec:
    name: str
    engine: str
    use: tuple[Launch, ...]
    line: int
    retries: int | None = None  # launch retries after infrastructure failures; None: the run's default
    # Builds of the engine to run as well (`versions: [92, 103, system]` or "92..156"): majors and
    # ranges of cached npm builds, "system" for the target's own `use`; empty: only the target's own.
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Matrix:
    path: Path
    probes_dir: Path
    probes: tuple[str, ...]
    targets: tuple[TargetSpec, ...]
    probe_timeout_ms: int = DEFAULT_PROBE_TIMEOUT_MS
    target_timeout_s: int = DEFAULT_TARGET_TIMEOUT_S
    probes_line: int | None = None
    concurrency: int = DEFAULT_CONCURRENCY  # targets at once
    local_concurrency: int | None = None  # browsers started on this machine at once; None: CPU count
    retries: int | None = None  # None: 2 for remote targets, 0 for local ones (see retry.py)
    probe_port: int = 0  # the probe server's loopback port; 0: any free one
    # BCD id patterns (`api.RTCPeerConnection*`): generated probes, and the hand-written ones of those features.
    features: tuple[str, ...] = ()
    features_line: int | None = None
    # Where every probe runs (scopes.SCOPES); None: the window plus where each probe is exposed.
    scopes: tuple[str, ...] | None = None
    network: str = "loopback"  # NETWORKS: what probes may reach


def cpu_count() -> int:
    return os.cpu_count() or 1


TOP_KEYS = {
    "version",
    "probes_dir",
    "probes",
    "features",
    "targets",
    "probe_timeout_ms",
    "target_timeout_s",
    "concurrency",
    "local_concurrency",
    "retries",
    "probe_port",
    "scopes",
    "network",
}
TARGET_KEYS = {"name", "engine", "use", "retries", "versions"}
PLAYWRIGHT_KEYS = {"executable", "channel", "args", "headless", "hint"}
PLAYWRIGHT_KEYS |= {"connect", "expose_network", "headers", "launch_options"}
PLAYWRIGHT_REMOTE_ONLY = ("expose_network", "headers", "launch_options")
WEBDRIVER_KEYS = {"driver", "url", "headers", "display", "binary", "args", "capabilities", "hint"}


def load_matrix(path: Path) -> Matrix:
    # Checked here, where the flag is known: load_yaml's own errors only name the file.
    if path.is_dir():
        raise InputError(
            "is a folder, not a matrix file",
            path=path,
            hint=f"pass the matrix file itself with -m, such as -m {path / 'matrix.yaml'}",
        )
    if not path.exists():
        raise InputError(
            "matrix file not found",
            path=path,
            hint="pass an existing matrix with -m FILE; without -m, compatprobe reads ./matrix.yaml",
        )
    top = check_keys(load_yaml(path), TOP_KEYS, {"targets"}, "the matrix")
    _version(top, path)
    probes_dir = (
        path.parent / expect(top["probes_dir"], str, "'probes_dir'") if "probes_dir" in top else path.parent / "probes"
    )
    # With only `features`, hand-written probes are those of the features; with neither, every probe.
    patterns: tuple[str, ...] = () if "features" in top else ("*",)
    features, features_line = _patterns(
        top, "features", "a feature pattern", "BCD id patterns such as 'api.URL*'", path
    )
    listed, probes_line = _patterns(
        top, "probes", "a probe pattern", "probe patterns such as 'RTCPeerConnection/*'", path
    )
    network = _network(top)
    return Matrix(
        path=path,
        probes_dir=probes_dir,
        probes=listed or patterns,
        targets=_targets(top["targets"], network),
        probe_timeout_ms=_positive(top, "probe_timeout_ms", DEFAULT_PROBE_TIMEOUT_MS, MAX_TIMEOUT_MS),
        target_timeout_s=_positive(top, "target_timeout_s", DEFAULT_TARGET_TIMEOUT_S, MAX_TIMEOUT_MS // 1000),
        probes_line=probes_line,
        concurrency=_positive(top, "concurrency", DEFAULT_CONCURRENCY),
        local_concurrency=_positive(top, "local_concurrency", 0) or None,
        retries=_retries(top),
        probe_port=_port(top),
        features=features,
        features_line=features_line,
        scopes=_scopes(top),
        network=network,
    )


def _version(top: dict[str, Node], path: Path) -> None:
    if "version" not in top:
        return
    version = expect(top["version"], int, "'version'")
    if version != MATRIX_VERSION:
        raise InputError(
            f"matrix version {version} is not one this compatprobe reads",
            path=path,
            line=top["version"].line,
            hint=f"write version: {MATRIX_VERSION}",
        )


def _network(top: dict[str, Node]) -> str:
    if "network" not in top:
        return "loopback"
    network = expect(top["network"], str, "'network'")
    if network not in NETWORKS:
        raise at(top["network"], f"'network' must be one of {', '.join(NETWORKS)}, not '{network}'")
    return network


def _targets(node: Node, network: str) -> tuple[TargetSpec, ...]:
    items = expect(node, list, "'targets'")
    if not items:
        raise InputError("'targets' is an empty list", path=node.path, line=node.line)
    targets: list[TargetSpec] = []
    for item in items:
        target = _target(item, network)
        clash = next((t for t in targets if t.name == target.name), None)
        if clash:
            raise InputError(
                f"target name '{target.name}' is already used on line {clash.line}",
                path=node.path,
                line=target.line,
                hint="give each target its own name",
            )
        targets.append(target)
    return tuple(targets)


def _scopes(top: dict[str, Node]) -> tuple[str, ...] | None:
    if "scopes" not in top:
        return None
    node = top["scopes"]
    items = expect(node, list, "'scopes'")
    names = [expect(item, str, "a scope") for item in items]
    hint = f"scopes are {', '.join(SCOPES)}"
    if not names:
        raise InputError("'scopes' is an empty list", path=node.path, line=node.line, hint=hint)
    for item, name in zip(items, names, strict=True):
        if name not in SCOPES:
            close = difflib.get_close_matches(name, SCOPES, n=1)
            raise InputError(
                f"unknown scope '{name}'",
                path=item.path,
                line=item.line,
                hint=f"did you mean '{close[0]}'?" if close else hint,
            )
    return tuple(s for s in SCOPES if s in names)


def _port(top: dict[str, Node]) -> int:
    if "probe_port" not in top:
        return 0
    node = top["probe_port"]
    port = expect(node, int, "'probe_port'")
    if not 1024 <= port < 65536:
        raise at(node, "'probe_port' must be a port number, 1024 to 65535", "ports below 1024 are privileged")
    if port in BAD_PORTS:
        raise at(node, f"'probe_port' {port} is a port browsers refuse to load pages from", "choose another one")
    return port


def _retries(keys: dict[str, Node]) -> int | None:
    if "retries" not in keys:
        return None
    value = expect(keys["retries"], int, "'retries'")
    if value < 0:
        raise InputError("'retries' must be zero or more", path=keys["retries"].path, line=keys["retries"].line)
    return value


def _positive(top: dict[str, Node], key: str, default: int, most: int = MAX_TIMEOUT_MS) -> int:
    if key not in top:
        return default
    value = expect(top[key], int, f"'{key}'")
    if value <= 0:
        raise InputError(f"'{key}' must be above zero", path=top[key].path, line=top[key].line)
    if value > most:
        raise at(top[key], f"'{key}' must be at most {most}", "browsers' timers overflow past 2^31 - 1 ms")
    return value


def _target(node: Node, network: str = "loopback") -> TargetSpec:
    keys = check_keys(node, TARGET_KEYS, {"name", "engine", "use"}, "a target")
    name = expect(keys["name"], str, "a target's 'name'")
    engine = expect(keys["engine"], str, f"target '{name}': 'engine'")
    if engine not in ENGINES:
        close = difflib.get_close_matches(engine, ENGINES, n=1)
        raise InputError(
            f"target '{name}': unknown engine '{engine}'",
            path=node.path,
            line=keys["engine"].line,
            hint=f"did you mean '{close[0]}'?" if close else f"engines: {', '.join(ENGINES)}",
        )
    options = expect(keys["use"], list, f"target '{name}': 'use'")
    if not options:
        raise InputError(f"target '{name}': 'use' is an empty list", path=node.path, line=keys["use"].line)
    return TargetSpec(
        name=name,
        engine=engine,
        use=tuple(_launch(name, o, network) for o in options),
        line=node.line,
        retries=_retries(keys),
        versions=_versions(keys, name, engine),
    )


def _versions(keys: dict[str, Node], target: str, engine: str) -> tuple[str, ...]:
    """`versions`: a list of majors, ranges ("92..120") and "system", or one range."""
    if "versions" not in keys:
        return ()
    node = keys["versions"]
    items = [node] if isinstance(node.value, (str, int)) else expect(node, list, f"target '{target}': 'versions'")
    found = []
    for item in items:
        text = str(item.value)
        low, _, high = text.partition("..")
        if not (
            text in ("system", "*") or ((low.isdigit() or not low) and (high.isdigit() or not high) and text != "..")
        ):
            raise at(
                item,
                f"target '{target}': '{text}' is not a version",
                "write majors (92), ranges (92..120), * or system",
            )
        if engine != "chromium" and text != "system":
            raise at(item, f"target '{target}': builds by version exist only for chromium", "remove 'versions'")
        found.append(text)
    return tuple(found)


def _launch(target: str, node: Node, network: str = "loopback") -> Launch:
    what = f"target '{target}': a 'use' entry"
    entry = check_keys(node, {"playwright", "webdriver"}, set(), what)
    if len(entry) != 1:
        raise InputError(
            f"{what} must name exactly one of playwright, webdriver",
            path=node.path,
            line=node.line,
        )
    ((via, body),) = entry.items()
    if body.value is None:
        body = Node({}, body.line, body.path)
    if via == "playwright":
        return _playwright(target, body, node.line, network)
    return _webdriver(target, body, node.line, network)


def _playwright(target: str, body: Node, line: int, network: str) -> PlaywrightLaunch:
    keys = check_keys(body, PLAYWRIGHT_KEYS, set(), f"target '{target}': playwright")
    connect = _url(keys, "connect", target, ("ws", "wss"))
    if connect is None:
        extra = next((k for k in PLAYWRIGHT_REMOTE_ONLY if k in keys), None)
        if extra:
            raise InputError(
                f"target '{target}': '{extra}' is only for a Playwright server",
                path=body.path,
                line=keys[extra].line,
                hint="add connect: ws://host:port/ or remove it",
            )
    return PlaywrightLaunch(
        executable=_opt_str(keys, "executable", target),
        channel=_opt_str(keys, "channel", target),
        args=_str_list(keys, "args", target),
        headless=expect(keys["headless"], bool, f"target '{target}': 'headless'") if "headless" in keys else True,
        hint=_opt_str(keys, "hint", target),
        connect=connect,
        expose_network=_opt_str(keys, "expose_network", target)
        if "expose_network" in keys
        else (DEFAULT_EXPOSE_NETWORK if connect else None),
        headers=_headers(keys, target),
        launch_options=_mapping(keys, "launch_options", target),
        line=line,
        network=network,
    )


def _webdriver(target: str, body: Node, line: int, network: str) -> WebDriverLaunch:
    keys = check_keys(body, WEBDRIVER_KEYS, set(), f"target '{target}': webdriver")
    url = _url(keys, "url", target, ("http", "https"))
    if ("driver" in keys) == (url is not None):
        raise InputError(
            f"target '{target}': a webdriver entry needs exactly one of 'driver' (a server compatprobe starts) "
            "or 'url' (an existing server)",
            path=body.path,
            line=body.line,
        )
    display = _opt_str(keys, "display", target) or "inherit"
    if display not in ("inherit", "xvfb"):
        raise InputError(
            f"target '{target}': display must be 'inherit' or 'xvfb', not '{display}'",
            path=body.path,
            line=keys["display"].line,
        )
    for key, wrong in (("display", url is not None), ("headers", url is None)):
        if key in keys and wrong:
            raise InputError(
                f"target '{target}': '{key}' is only for a webdriver entry with "
                + ("'driver'" if key == "display" else "'url'"),
                path=body.path,
                line=keys[key].line,
            )
    return WebDriverLaunch(
        driver=_opt_str(keys, "driver", target),
        display=display,
        binary=_opt_str(keys, "binary", target),
        args=_str_list(keys, "args", target),
        capabilities=_mapping(keys, "capabilities", target),
        hint=_opt_str(keys, "hint", target),
        url=url,
        headers=_headers(keys, target),
        line=line,
        network=network,
    )


def _url(keys: dict[str, Node], key: str, target: str, schemes: tuple[str, ...]) -> str | None:
    if key not in keys:
        return None
    node = keys[key]
    url = _checked_references(node, expect(node, str, f"target '{target}': '{key}'"), target)
    scheme = url.partition("://")[0]
    if scheme not in schemes:
        raise at(
            node, f"target '{target}': '{key}' must be a {' or '.join(s + '://' for s in schemes)} URL, not '{url}'"
        )
    if literal_password(url):
        raise at(
            node,
            f"target '{target}': '{key}' holds a password",
            "put it in an environment variable and write ${NAME} in its place",
        )
    return url


def _headers(keys: dict[str, Node], target: str) -> dict[str, str]:
    headers = _mapping(keys, "headers", target)
    for name, value in headers.items():
        if not isinstance(value, str):
            raise InputError(
                f"target '{target}': header '{name}' must be a string",
                path=keys["headers"].path,
                line=keys["headers"].value[name].line,
            )
    return headers


def _mapping(keys: dict[str, Node], key: str, target: str) -> dict[str, Any]:
    if key not in keys:
        return {}
    expect(keys[key], dict, f"target '{target}': '{key}'")
    return _checked_references(keys[key], plain(keys[key]), target)


def _checked_references(node: Node, value: Any, target: str) -> Any:
    """`value` (the plain form of `node`), once no string in it holds a malformed `${...}`."""
    for item in _nodes(node):
        broken = broken_reference(item.value)
        if broken is not None:
            raise InputError(
                f"target '{target}': '{broken}' has a malformed environment variable reference",
                path=item.path,
                line=item.line,
                hint="write ${NAME}, with a name of letters, digits and _",
            )
    return value


def _nodes(node: Node) -> list[Node]:
    """The scalar nodes under `node`, to point at the line of the one at fault."""
    if isinstance(node.value, dict):
        return [leaf for child in node.value.values() for leaf in _nodes(child)]
    if isinstance(node.value, list):
        return [leaf for child in node.value for leaf in _nodes(child)]
    return [node]


def launch_references(launch: Launch) -> list[str]:
    """The environment variables a launch expands when it connects."""
    if isinstance(launch, PlaywrightLaunch):
        return references([launch.connect or "", launch.headers, launch.launch_options])
    return references([launch.url or "", launch.headers, launch.capabilities])


def _opt_str(keys: dict[str, Node], key: str, target: str) -> str | None:
    return expect(keys[key], str, f"target '{target}': '{key}'") if key in keys else None


def _str_list(keys: dict[str, Node], key: str, target: str) -> tuple[str, ...]:
    if key not in keys:
        return ()
    return tuple(
        expect(item, str, f"target '{target}': an item of '{key}'")
        for item in expect(keys[key], list, f"target '{target}': '{key}'")
    )


def _patterns(
    top: dict[str, Node], key: str, what: str, example: str, path: Path
) -> tuple[tuple[str, ...], int | None]:
    """A list of patterns under `key` (empty when absent) and its line."""
    if key not in top:
        return (), None
    line = top[key].line
    items = expect(top[key], list, f"'{key}'")
    if not items:
        raise InputError(f"'{key}' is an empty list", path=path, line=line, hint=f"list {example}")
    return tuple(expect(item, str, what) for item in items), line


def at(node: Node, message: str, hint: str | None = None) -> InputError:
    """An error about the value of `node`, pointing at its file and line."""
    return InputError(message, path=node.path, line=node.line, hint=hint)
