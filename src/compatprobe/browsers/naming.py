"""One name for one browser, whichever way it was reached: from what the browser says of itself.

A WebDriver server names every Chromium-based browser "chrome" (chromedriver, a Selenium Grid node),
and Playwright names what it launched after the launch options; the browser's own brand list
(`navigator.userAgentData.brands`, which the harness page reports) says which product it is.
"""

from __future__ import annotations

import re
from typing import Any

# Brands that name a product built on Chromium, as compatprobe shows them.
PRODUCTS = {"Google Chrome": "Chrome", "Microsoft Edge": "Edge", "Opera": "Opera", "Brave": "Brave"}
# The brand list carries a made-up entry on purpose (GREASE: "Not)A;Brand", "Not_A Brand"), and
# headless builds add "HeadlessChrome"; neither names a product.
NOT_A_PRODUCT = re.compile(r"^(Not.A.Brand|HeadlessChrome)$", re.IGNORECASE)


def product_name(reported: str, brands: Any) -> str:
    """The product the brands name ("Chromium", "Chrome", "Edge"...), else `reported` (no brands: not Chromium)."""
    if not isinstance(brands, list) or not brands:
        return reported
    names = [str(b) for b in brands if isinstance(b, str) and not NOT_A_PRODUCT.match(b)]
    products = [n for n in names if n != "Chromium"]
    if products:
        return PRODUCTS.get(products[0], products[0])
    return "Chromium" if "Chromium" in names else reported
