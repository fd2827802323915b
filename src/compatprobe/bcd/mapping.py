"""Which BCD browser and release an observed target is.

Chrome, Edge (and Opera) and Firefox are named by major version in BCD; Safari by `major.minor`,
taken from `Version/X.Y` in its user agent because the `AppleWebKit/605.1.15` token is frozen.
Playwright's Chromium and Firefox builds are the engines of Chrome and Firefox, so they map there.
Playwright's WebKit build and WebKitGTK also say `Version/X.Y Safari/...` in their user agents
(WebKitGTK 2.50 claims `Version/60.5`), but they are not Safari, and BCD has no browser for them.
The user agent's platform is ignored: an emulated phone is still a desktop engine.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from compatprobe.bcd.data import BcdData
from compatprobe.results.model import Results, TargetResult

NO_WEBKIT = "WebKit, no matching BCD browser"
# BCD release status -> the channel it means for a user.
CHANNELS = {
    "retired": "release",
    "current": "release",
    "esr": "ESR",
    "beta": "beta",
    "nightly": "nightly",
    "planned": "planned",
}


@dataclass(frozen=True)
class BcdMapping:
    """A target as BCD names it; `browser` is None when BCD has no such browser or release."""

    bcd_version: str
    browser: str | None = None
    release: str | None = None
    status: str | None = None  # BCD's status of that release: retired, current, esr, beta, nightly, planned
    channel: str | None = None
    reason: str | None = None  # why there is no mapping, or how it was made when that is not obvious

    @property
    def mapped(self) -> bool:
        """True when BCD lists this browser release (only then has BCD something to say about it)."""
        return self.status is not None

    def label(self, browsers: dict[str, Any] | None = None) -> str:
        if self.browser is None:
            return self.reason or "no BCD browser"
        name = (browsers or {}).get(self.browser, {}).get("name", self.browser)
        if not self.mapped:
            return f"{name} {self.release} (not in BCD {self.bcd_version})"
        channel = f", {self.channel}" if self.channel and self.channel != "release" else ""
        return f"{name} {self.release}{channel}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BcdMapping:
        return cls(**data)


def _token(user_agent: str, *names: str) -> str | None:
    for name in names:
        found = re.search(rf"(?<![A-Za-z]){re.escape(name)}/(\d+(?:\.\d+)*)", user_agent)
        if found:
            return found.group(1)
    return None


def _major(version: str) -> str:
    return version.split(".")[0]


def identify(target: TargetResult) -> tuple[str | None, str | None, str | None]:
    """(BCD browser id, its version as the user agent gives it, reason when there is none), without BCD data."""
    if target.browser is None:
        return None, None, "the target did not run"
    ua = target.browser.user_agent or ""
    name = target.browser.name.lower()
    if target.engine == "webkit":
        if name != "safari":
            kind = "Playwright's WebKit build" if target.launch.get("via") == "playwright" else target.browser.name
            return None, None, f"{NO_WEBKIT}: {kind} is not Safari"
        version = _token(ua, "Version")
        if version is None:
            return None, None, "Safari without Version/X.Y in its user agent"
        return "safari", version, None
    if target.engine == "firefox":
        return "firefox", _token(ua, "Firefox") or target.browser.version, None
    if target.engine == "chromium":
        edge = _token(ua, "Edg", "EdgA")
        if edge or name == "edge":
            return "edge", edge or target.browser.version, None
        opera = _token(ua, "OPR")
        if opera:
            return "opera", opera, None
        # Playwright's Chromium and Debian's chromium are Chrome's engine at the same major version;
        # headless mode says HeadlessChrome/N.
        return "chrome", _token(ua, "Chrome", "HeadlessChrome") or target.browser.version, None
    return None, None, f"engine {target.engine!r} has no BCD browser"


def map_target(target: TargetResult, browsers: dict[str, Any], bcd_version: str) -> BcdMapping:
    """The BCD browser and release of a target that ran, by its engine, browser name and user agent."""
    browser, version, reason = identify(target)
    if browser is None or version is None:
        return BcdMapping(bcd_version, reason=reason)
    release = _safari_release(version, browsers) if browser == "safari" else _major(version)
    return _with_release(bcd_version, browsers, browser, release)


def _safari_release(version: str, browsers: dict[str, Any]) -> str:
    """`17.4.1` -> `17.4`; `17.0` -> `17` (BCD writes major releases without `.0`)."""
    parts = version.split(".")
    major_minor = ".".join(parts[:2])
    releases = browsers.get("safari", {}).get("releases", {})
    if major_minor not in releases and len(parts) > 1 and parts[1] == "0" and parts[0] in releases:
        return parts[0]
    return major_minor


def _with_release(bcd_version: str, browsers: dict[str, Any], browser: str, release: str) -> BcdMapping:
    entry = browsers.get(browser)
    if entry is None:
        return BcdMapping(bcd_version, reason=f"BCD {bcd_version} has no browser {browser!r}")
    info = entry.get("releases", {}).get(release)
    if info is None:
        reason = f"BCD {bcd_version} does not list {entry.get('name', browser)} {release}"
        return BcdMapping(bcd_version, browser, release, reason=reason)
    status = info.get("status")
    return BcdMapping(bcd_version, browser, release, status, CHANNELS.get(status or "", status))


def map_targets(targets: list[TargetResult], browsers: dict[str, Any], bcd_version: str) -> dict[str, BcdMapping]:
    return {t.name: map_target(t, browsers, bcd_version) for t in targets}


def record_mappings(results: Results, bcd: BcdData) -> None:
    """Record in the results which BCD browser and release each target is."""
    for target in results.targets:
        target.bcd = map_target(target, bcd.browsers, bcd.version).to_dict()
