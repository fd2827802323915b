"""Resolving each matrix target to a way of getting its engine that exists on this machine."""

from __future__ import annotations

import glob
import os
import shutil
from dataclasses import dataclass

from compatprobe.config.endpoints import public_url
from compatprobe.config.matrix import Launch, PlaywrightLaunch, TargetSpec, WebDriverLaunch


@dataclass(frozen=True)
class Option:
    """One `use` entry of a target, checked against this machine."""

    launch: Launch
    available: bool
    description: str
    executable: str | None = None  # resolved path of the browser (Playwright) or driver (WebDriver)
    binary: str | None = None  # resolved browser binary for a WebDriver server
    missing: str | None = None
    hint: str | None = None

    @property
    def remote(self) -> bool:
        """On a server compatprobe does not start: counted against no local CPU, retried by default."""
        return self.launch.remote


@dataclass(frozen=True)
class Resolved:
    spec: TargetSpec
    options: tuple[Option, ...]

    @property
    def chosen(self) -> Option | None:
        return next((o for o in self.options if o.available), None)

    def unavailable_reason(self) -> str:
        lines = [f"{o.description}: {o.missing}" + (f" (to get it: {o.hint})" if o.hint else "") for o in self.options]
        return "no way to run this engine here: " + "; ".join(lines)


def find_file(pattern: str) -> str | None:
    """The first existing file for a path that may hold glob patterns, or a command on PATH."""
    if os.sep not in pattern:
        return shutil.which(pattern)
    matches = sorted(m for m in glob.glob(pattern) if os.path.isfile(m))
    return matches[0] if matches else None


def check_option(engine: str, launch: Launch, bundled: dict[str, str]) -> Option:
    if launch.remote:
        # Whether a server answers can only be learnt by connecting, which has costs and side effects
        # (a grid queues a session). So a remote option counts as available; if it fails when the run
        # connects, that is an infrastructure error of its target, retried and then reported.
        if isinstance(launch, PlaywrightLaunch):
            assert launch.connect is not None
            return Option(launch, True, f"Playwright server {public_url(launch.connect)}", hint=launch.hint)
        assert launch.url is not None
        return Option(launch, True, f"WebDriver server {public_url(launch.url)}", hint=launch.hint)
    if isinstance(launch, PlaywrightLaunch):
        if launch.executable:
            found = find_file(launch.executable)
            what = f"Playwright with {launch.executable}" + (f" (channel {launch.channel})" if launch.channel else "")
            return Option(
                launch,
                found is not None,
                what,
                executable=found,
                missing=None if found else f"{launch.executable} not found",
                hint=launch.hint or f"install the package that provides {launch.executable}",
            )
        if launch.channel:
            # Playwright finds channel installs (chrome, msedge) itself; it says so if it cannot.
            return Option(launch, True, f"Playwright channel {launch.channel}", hint=launch.hint)
        path = bundled.get(engine)
        found = path is not None and os.path.exists(path)
        return Option(
            launch,
            found,
            f"Playwright's {engine} build",
            executable=path if found else None,
            missing=None if found else "not installed",
            hint=launch.hint or f"python -m playwright install --with-deps {engine}",
        )
    assert isinstance(launch, WebDriverLaunch) and launch.driver is not None
    driver = find_file(launch.driver)
    binary = find_file(launch.binary) if launch.binary else None
    missing = []
    if driver is None:
        missing.append(f"{launch.driver} not found")
    if launch.binary and binary is None:
        missing.append(f"{launch.binary} not found")
    if launch.display == "xvfb" and shutil.which("Xvfb") is None:
        missing.append("Xvfb not found")
    return Option(
        launch,
        not missing,
        f"WebDriver via {launch.driver}",
        executable=driver,
        binary=binary,
        missing="; ".join(missing) or None,
        hint=launch.hint,
    )


def resolve(spec: TargetSpec, bundled: dict[str, str]) -> Resolved:
    """`bundled` maps an engine to where Playwright's own build would be."""
    return Resolved(spec, tuple(check_option(spec.engine, launch, bundled) for launch in spec.use))
