"""bcd/compare.py split by job: who speaks (speakers), what was seen (observe), the agreement (judge),
the orchestration (compare), and the words (report/bcd_words). Old import paths keep working."""

from __future__ import annotations

import compatprobe.bcd.compare as compare_module
from bcd_fixtures import firefox_48_results, fixture_data
from compatprobe.bcd import judge, observe, speakers
from compatprobe.bcd.compare import compare
from compatprobe.bcd.data import BcdData
from compatprobe.report import bcd_words


def test_old_names_still_importable_from_compare() -> None:
    assert compare_module.bcd_speakers is speakers.bcd_speakers
    assert compare_module.observe is observe.observe
    assert compare_module.judge is judge.judge
    for name in compare_module.__all__:
        assert hasattr(compare_module, name), name


def test_words_come_from_report() -> None:
    raw = fixture_data()
    rtc = raw["api"]["RTCPeerConnection"]
    features = {"api.RTCPeerConnection": rtc["__compat"]}
    features["api.RTCPeerConnection.removeStream"] = rtc["removeStream"]["__compat"]
    for feature in list(features):
        for scope in ("worker_support", "sharedworker_support", "serviceworker_support"):
            features[f"{feature}.{scope}"] = None
    data = BcdData("8.1.9", "2026-11-12T00:00:00Z", "test", raw["browsers"], features)
    results = firefox_48_results()
    comparison = compare(results, data)
    assert bcd_words.heading(comparison).startswith(
        "Compared with @mdn/browser-compat-data 8.1.9 (2026-11-12): 1 contradict"
    )
    c = comparison.contradictions[0]
    assert bcd_words.who(comparison, c) == "firefox (Firefox 48.0, as Firefox 48)"
    assert bcd_words.where(c) == ""
    assert bcd_words.WAY_TEXT[c.way or ""] == "the browser does less than BCD says"
