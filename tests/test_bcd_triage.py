"""Each contradiction in one class with its reason: a partial note (its own or its interface's),
a note on the covering statement, what the machine lacks, compatprobe's doubt, else a lead."""

from __future__ import annotations

from typing import Any

from bcd_fixtures import fixture_data
from compatprobe.bcd.compare import compare
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.leads import find_leads
from compatprobe.results.model import BrowserInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult

CHROME_156 = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
)
FIREFOX_153 = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"


def compat(chrome: Any, firefox: Any = None) -> dict[str, Any]:
    support = {"chrome": chrome}
    if firefox is not None:
        support["firefox"] = firefox
    return {"support": support, "status": {}, "source_file": "api/X.json"}


FEATURES: dict[str, dict[str, Any] | None] = {
    # Its own partial note.
    "api.Gpu": compat({"version_added": "50", "partial_implementation": True, "notes": "Supports Windows only."}),
    # Members missing with an interface whose partial note says where.
    "api.Blue": compat(
        {"version_added": "56", "partial_implementation": True, "notes": "Linux support is not enabled by default."}
    ),
    "api.Blue.scan": compat({"version_added": "56"}),
    # A note on the covering statement that says it is not exposed.
    "api.Motion": compat(
        {"version_added": "6", "notes": "Supported, but not exposed on the <code>Window</code> scope."}
    ),
    # What the machine lacks.
    "api.TouchEvent": compat({"version_added": "22"}),
    # A member of a built-in only BCD's tree names, missing in both engines.
    "javascript.builtins.RegExp.n": compat({"version_added": "1"}, {"version_added": "1"}),
    # A lead: supported since 42, missing, no note.
    "api.Push.register": compat({"version_added": "42"}),
}
MISSING = {
    "api.Gpu": "interface-missing",
    "api.Blue": "interface-missing",
    "api.Blue.scan": "interface-missing",
    "api.Motion": "interface-missing",
    "api.TouchEvent": "interface-missing",
    "javascript.builtins.RegExp.n": "member-missing",
    "api.Push.register": "member-missing",
}


def made() -> tuple[Results, BcdData]:
    probes = []
    for feature in FEATURES:
        made_from = "@mdn/browser-compat-data 8.1.9" if feature.startswith("javascript") else "@webref/idl 3.85.0"
        probes.append(ProbeInfo(feature, feature, feature, "0" * 64, generated=made_from))
    chromium = TargetResult(
        "chromium",
        "chromium",
        browser=BrowserInfo("Chromium", "156.0", CHROME_156),
        outcomes=[Outcome(f, "unsupported", reason=r, message=f"{f} missing") for f, r in MISSING.items()],
    )
    firefox = TargetResult(
        "firefox",
        "firefox",
        browser=BrowserInfo("Firefox", "153.0", FIREFOX_153),
        outcomes=[Outcome("javascript.builtins.RegExp.n", "unsupported", reason="member-missing", message="n missing")],
    )
    run = RunInfo("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00", "0.1.0", {"system": "Linux"})
    browsers = fixture_data()["browsers"]
    browsers["chrome"]["releases"]["156"] = {"status": "current"}
    browsers["firefox"]["releases"]["153"] = {"status": "esr"}
    features = dict(FEATURES)
    for feature in FEATURES:
        for sub in ("worker_support", "sharedworker_support", "serviceworker_support"):
            features[f"{feature}.{sub}"] = None
    return Results(run, probes, [chromium, firefox]), BcdData("8.1.9", None, "test", browsers, features)


def test_each_contradiction_in_one_class_with_its_reason() -> None:
    results, data = made()
    leads = find_leads(compare(results, data))
    classes = {(t.comparison.feature, t.comparison.target): (t.klass, t.reason) for t in leads.triaged}
    assert classes == {
        ("api.Gpu", "chromium"): ("explained", "Supports Windows only."),
        ("api.Blue", "chromium"): ("explained", "Linux support is not enabled by default."),
        ("api.Blue.scan", "chromium"): ("explained", "Linux support is not enabled by default."),
        ("api.Motion", "chromium"): ("explained", "Supported, but not exposed on the Window scope."),
        ("api.TouchEvent", "chromium"): ("environment", "a touch input device: this machine has none"),
        ("javascript.builtins.RegExp.n", "chromium"): (
            "doubt",
            classes[("javascript.builtins.RegExp.n", "firefox")][1],
        ),
        ("javascript.builtins.RegExp.n", "firefox"): ("doubt", classes[("javascript.builtins.RegExp.n", "firefox")][1]),
        ("api.Push.register", "chromium"): ("lead", "BCD says supported; every scope that could tell lacks it"),
    }
    assert leads.triaged[0].klass == "lead"  # leads first
    assert leads.counts["chromium"] == {"lead": 1, "explained": 4, "environment": 1, "doubt": 1}
    assert [t.source for t in leads.triaged if t.comparison.feature == "api.Blue.scan"] == ["api.Blue"]
    [push] = leads.proposals
    assert (push.entry, push.change, push.proposed) == (
        "api.Push.register",
        "removed",
        {"version_added": "42", "version_removed": "≤156"},
    )
