"""Observed targets as BCD browsers and releases, with channels from BCD's release status."""

from __future__ import annotations

from typing import Any

import pytest

from bcd_fixtures import FIXTURE_VERSION, fixture_data
from compatprobe.bcd.mapping import NO_WEBKIT, BcdMapping, map_target
from compatprobe.results.model import BrowserInfo, TargetResult

BROWSERS: dict[str, Any] = fixture_data()["browsers"]
LINUX = "Mozilla/5.0 (X11; Linux x86_64)"
CHROMIUM_HEADLESS = f"{LINUX} AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
FIREFOX_ESR = f"{LINUX.rstrip(')')}; rv:153.0) Gecko/20100101 Firefox/153.0"
WEBKITGTK = f"{LINUX} AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15"
MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"


def target(engine: str, name: str, version: str, ua: str | None, via: str = "playwright") -> TargetResult:
    return TargetResult(engine, engine, browser=BrowserInfo(name, version, ua), launch={"via": via})


def mapped(t: TargetResult) -> BcdMapping:
    return map_target(t, BROWSERS, FIXTURE_VERSION)


def chrome_ua(system: str, version: str) -> str:
    return f"{system} AppleWebKit/537.36 Chrome/{version}.0.0.0 Safari/537.36"


def firefox_ua(version: str) -> str:
    return f"{LINUX} Gecko/20100101 Firefox/{version}"


def safari_ua(version: str) -> str:
    # Safari by Version/X.Y: the AppleWebKit token is frozen at 605.1.15.
    return f"{MAC} AppleWebKit/605.1.15 Version/{version} Safari/605.1.15"


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        # This machine's browsers: Debian's headless Chromium and Firefox ESR.
        (target("chromium", "Chromium", "156.0.8078.79", CHROMIUM_HEADLESS), "chrome 156 retired release"),
        (target("firefox", "Firefox", "153.7.0", FIREFOX_ESR), "firefox 153 esr ESR"),
        # Playwright's own builds and the stock browsers through channels.
        (target("chromium", "Chrome", "157.0.1", chrome_ua(LINUX, "157")), "chrome 157 current release"),
        (target("firefox", "Firefox", "161.0", firefox_ua("161.0")), "firefox 161 beta beta"),
        (target("firefox", "Firefox", "162.0a1", firefox_ua("162.0")), "firefox 162 nightly nightly"),
        (target("chromium", "Edge", "157.0", chrome_ua(MAC, "157") + " Edg/157.0.1"), "edge 157 current release"),
        (target("webkit", "Safari", "17.4.1", safari_ua("17.4.1"), "webdriver"), "safari 17.4 retired release"),
        (target("webkit", "Safari", "17.0", safari_ua("17.0"), "webdriver"), "safari 17 retired release"),
    ],
)
def test_maps_to_bcd_release(t: TargetResult, expected: str) -> None:
    """`expected`: BCD's browser, release, release status and channel."""
    m = mapped(t)
    assert (m.browser, m.release, m.status, m.channel) == tuple(expected.split())
    assert m.mapped and m.reason is None
    assert BcdMapping.from_dict(m.to_dict()) == m


@pytest.mark.parametrize(
    ("t", "words"),
    [
        (
            target("webkit", "WebKitGTK MiniBrowser", "2.50.6", WEBKITGTK, "webdriver"),
            "WebKitGTK MiniBrowser is not Safari",
        ),
        (
            target("webkit", "WebKit", "26.0", WEBKITGTK.replace("60.5", "26.0")),
            "Playwright's WebKit build is not Safari",
        ),
    ],
)
def test_webkit_builds_are_not_safari(t: TargetResult, words: str) -> None:
    m = mapped(t)
    assert m.browser is None and not m.mapped
    assert m.reason is not None and m.reason.startswith(NO_WEBKIT) and words in m.reason
    assert m.label() == m.reason


def test_release_bcd_does_not_know() -> None:
    m = mapped(target("chromium", "Chromium", "999.0", CHROMIUM_HEADLESS.replace("156.0.0.0", "999.0.0.0")))
    assert (m.browser, m.release, m.mapped) == ("chrome", "999", False)
    assert m.reason == f"BCD {FIXTURE_VERSION} does not list Chrome 999"
    assert m.label(BROWSERS) == f"Chrome 999 (not in BCD {FIXTURE_VERSION})"


def test_target_that_did_not_run() -> None:
    m = mapped(TargetResult("webkit", "webkit", status="unavailable"))
    assert m.browser is None and m.reason == "the target did not run"


def test_labels() -> None:
    assert mapped(target("firefox", "Firefox", "153.7.0", FIREFOX_ESR)).label(BROWSERS) == "Firefox 153, ESR"
    assert mapped(target("chromium", "Chromium", "156", CHROMIUM_HEADLESS)).label(BROWSERS) == "Chrome 156"
