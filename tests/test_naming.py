"""One browser name from the brand list a Chromium-based browser gives (browsers/naming.py)."""

from __future__ import annotations

import pytest

from compatprobe.browsers.naming import product_name


@pytest.mark.parametrize(
    ("reported", "brands", "name"),
    [
        ("Chrome", ["Chromium", "Not)A;Brand"], "Chromium"),  # Debian's Chromium behind chromedriver
        ("Chrome", ["Not_A Brand", "Chromium", "HeadlessChrome"], "Chromium"),  # a headless shell
        ("Chromium", ["Google Chrome", "Chromium", "Not=A?Brand"], "Chrome"),
        ("Chrome", ["Microsoft Edge", "Not.A/Brand", "Chromium"], "Edge"),
        ("Chrome", ["Chromium", "SomeBrowser"], "SomeBrowser"),
        ("Firefox", None, "Firefox"),  # no userAgentData: the name the driver gave stands
        ("WebKitGTK MiniBrowser", [], "WebKitGTK MiniBrowser"),
        ("Chrome", ["Not)A;Brand"], "Chrome"),  # nothing but the made-up entry: nothing to go by
    ],
)
def test_product_name(reported: str, brands: list[str] | None, name: str) -> None:
    assert product_name(reported, brands) == name
