"""Where a target ran, completed with what its page reports about the operating system."""

from __future__ import annotations

from typing import Any

from compatprobe.browsers.targets import Option
from compatprobe.config.endpoints import public_url
from compatprobe.config.matrix import PlaywrightLaunch
from compatprobe.results.model import Where

# Only names: user agents freeze OS versions (macOS 10_15_7, Windows NT 10.0), so a version from
# one would be wrong with confidence.
UA_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


# WebDriver's platformName is lower case by convention ("linux", "mac"); show systems by their names.
PLATFORM_NAMES = {
    "linux": "Linux",
    "mac": "macOS",
    "macos": "macOS",
    "windows": "Windows",
    "android": "Android",
    "ios": "iOS",
}


def os_name(platform_name: str) -> str:
    return PLATFORM_NAMES.get(platform_name.lower(), platform_name)


def os_from_user_agent(user_agent: str | None) -> str | None:
    return next((name for token, name in UA_SYSTEMS if user_agent and token in user_agent), None)


def note_browser_report(where: Where, report: Any, user_agent: str | None) -> None:
    """Fill what the driver did not say with what the harness page reported (see harness.js `about`).

    A WebDriver server's own report comes first; then Chromium's userAgentData; then the user agent.
    """
    report = report if isinstance(report, dict) else {}
    if not where.platform and report.get("platform"):
        where.platform = str(report["platform"])
    if not where.os:
        where.os = report.get("ua_platform") or os_from_user_agent(user_agent)
        if where.os and report.get("ua_platform") and report.get("ua_platform_version"):
            where.os_version = str(report["ua_platform_version"])


def planned_where(option: Option) -> Where:
    """Where a target is to run, known before it starts: kept when the browser never does."""
    launch = option.launch
    server = launch.connect if isinstance(launch, PlaywrightLaunch) else launch.url
    return Where(kind="remote", server=public_url(server)) if server else Where(kind="local")
