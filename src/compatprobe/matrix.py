"""matrix.yaml: which targets (browsers) run which probes."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compatprobe.errors import InputError
from compatprobe.yamlfile import Node, check_keys, expect, load_yaml, plain

ENGINES = ("chromium", "firefox", "webkit")
MATRIX_VERSION = 1
DEFAULT_PROBE_TIMEOUT_MS = 5000
DEFAULT_TARGET_TIMEOUT_S = 300


@dataclass(frozen=True)
class PlaywrightLaunch:
    """Launch through Playwright: its own build, a system executable, or a channel."""

    executable: str | None = None
    channel: str | None = None
    args: tuple[str, ...] = ()
    headless: bool = True
    hint: str | None = None
    via: str = field(default="playwright", init=False)


@dataclass(frozen=True)
class WebDriverLaunch:
    """Drive a browser through a W3C WebDriver server that compatprobe starts."""

    driver: str
    display: str = "inherit"  # or "xvfb": compatprobe starts a virtual screen for the browser
    binary: str | None = None
    args: tuple[str, ...] = ()
    capabilities: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None
    via: str = field(default="webdriver", init=False)


Launch = PlaywrightLaunch | WebDriverLaunch


@dataclass(frozen=True)
class TargetSpec:
    name: str
    engine: str
    use: tuple[Launch, ...]
    line: int


@dataclass(frozen=True)
class Matrix:
    path: Path
    probes_dir: Path
    probes: tuple[str, ...]
    targets: tuple[TargetSpec, ...]
    probe_timeout_ms: int = DEFAULT_PROBE_TIMEOUT_MS
    target_timeout_s: int = DEFAULT_TARGET_TIMEOUT_S
    probes_line: int | None = None


TOP_KEYS = {"version", "probes_dir", "probes", "targets", "probe_timeout_ms", "target_timeout_s"}
TARGET_KEYS = {"name", "engine", "use"}
PLAYWRIGHT_KEYS = {"executable", "channel", "args", "headless", "hint"}
WEBDRIVER_KEYS = {"driver", "display", "binary", "args", "capabilities", "hint"}


def load_matrix(path: Path) -> Matrix:
    root = load_yaml(path)
    top = check_keys(root, TOP_KEYS, {"targets"}, "the matrix")
    if "version" in top:
        version = expect(top["version"], int, "'version'")
        if version != MATRIX_VERSION:
            raise InputError(
                f"matrix version {version} is not one this compatprobe reads",
                path=path,
                line=top["version"].line,
                hint=f"write version: {MATRIX_VERSION}",
            )
    probes_dir = (
        path.parent / expect(top["probes_dir"], str, "'probes_dir'") if "probes_dir" in top else path.parent / "probes"
    )
    patterns: tuple[str, ...] = ("*",)
    probes_line = None
    if "probes" in top:
        probes_line = top["probes"].line
        items = expect(top["probes"], list, "'probes'")
        if not items:
            raise InputError(
                "'probes' is an empty list",
                path=path,
                line=probes_line,
                hint="list probe patterns such as 'RTCPeerConnection/*'",
            )
        patterns = tuple(expect(item, str, "a probe pattern") for item in items)
    targets_node = top["targets"]
    target_items = expect(targets_node, list, "'targets'")
    if not target_items:
        raise InputError("'targets' is an empty list", path=path, line=targets_node.line)
    targets: list[TargetSpec] = []
    for item in target_items:
        target = _target(item)
        clash = next((t for t in targets if t.name == target.name), None)
        if clash:
            raise InputError(
                f"target name '{target.name}' is already used on line {clash.line}",
                path=path,
                line=target.line,
                hint="give each target its own name",
            )
        targets.append(target)
    return Matrix(
        path=path,
        probes_dir=probes_dir,
        probes=patterns,
        targets=tuple(targets),
        probe_timeout_ms=_positive(top, "probe_timeout_ms", DEFAULT_PROBE_TIMEOUT_MS),
        target_timeout_s=_positive(top, "target_timeout_s", DEFAULT_TARGET_TIMEOUT_S),
        probes_line=probes_line,
    )


def _positive(top: dict[str, Node], key: str, default: int) -> int:
    if key not in top:
        return default
    value = expect(top[key], int, f"'{key}'")
    if value <= 0:
        raise InputError(f"'{key}' must be above zero", path=top[key].path, line=top[key].line)
    return value


def _target(node: Node) -> TargetSpec:
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
    return TargetSpec(name=name, engine=engine, use=tuple(_launch(name, o) for o in options), line=node.line)


def _launch(target: str, node: Node) -> Launch:
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
        keys = check_keys(body, PLAYWRIGHT_KEYS, set(), f"target '{target}': playwright")
        return PlaywrightLaunch(
            executable=_opt_str(keys, "executable", target),
            channel=_opt_str(keys, "channel", target),
            args=_str_list(keys, "args", target),
            headless=expect(keys["headless"], bool, f"target '{target}': 'headless'") if "headless" in keys else True,
            hint=_opt_str(keys, "hint", target),
        )
    keys = check_keys(body, WEBDRIVER_KEYS, {"driver"}, f"target '{target}': webdriver")
    display = _opt_str(keys, "display", target) or "inherit"
    if display not in ("inherit", "xvfb"):
        raise InputError(
            f"target '{target}': display must be 'inherit' or 'xvfb', not '{display}'",
            path=body.path,
            line=keys["display"].line,
        )
    return WebDriverLaunch(
        driver=expect(keys["driver"], str, f"target '{target}': 'driver'"),
        display=display,
        binary=_opt_str(keys, "binary", target),
        args=_str_list(keys, "args", target),
        capabilities=plain(keys["capabilities"]) if "capabilities" in keys else {},
        hint=_opt_str(keys, "hint", target),
    )


def _opt_str(keys: dict[str, Node], key: str, target: str) -> str | None:
    return expect(keys[key], str, f"target '{target}': '{key}'") if key in keys else None


def _str_list(keys: dict[str, Node], key: str, target: str) -> tuple[str, ...]:
    if key not in keys:
        return ()
    return tuple(
        expect(item, str, f"target '{target}': an item of '{key}'")
        for item in expect(keys[key], list, f"target '{target}': '{key}'")
    )
