"""`compatprobe bcd` over many features: counts first, contradictions grouped by interface, a
missing interface folding in its members' contradictions, and Markdown short enough for an issue."""

from __future__ import annotations

from bcd_fixtures import fixture_data
from compatprobe.bcd.compare import compare
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.summary import group_key, summarize
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.results.model import BrowserInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult

CHROME_156 = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
)
SUPPORTED = {"__compat": {"support": {"chrome": {"version_added": "50"}}, "status": {}}}
PARTIAL = {"support": {"chrome": {"version_added": "50", "partial_implementation": True, "notes": "Not on Linux."}}}


def made(interfaces: int, members: int) -> tuple[Results, BcdData]:
    """Chrome 156 lacking interfaces I0... whole (BCD: supported), and member m0 of J... ."""
    probes, outcomes, features = [], [], {}
    for i in range(interfaces):
        for feature in [f"api.I{i}"] + [f"api.I{i}.m{k}" for k in range(members)]:
            probes.append(ProbeInfo(feature, feature, feature, "0" * 64, generated="@webref/idl 3.85.0"))
            outcomes.append(Outcome(feature, "unsupported", reason="interface-missing", message=f"I{i} is not defined"))
            features[feature] = SUPPORTED["__compat"]
        feature = f"api.J{i}.m0"
        probes.append(ProbeInfo(feature, feature, f"J{i}.prototype.m0", "0" * 64))
        outcomes.append(
            Outcome(feature, "unsupported", reason="member-missing", message=f"m0 is not on J{i}.prototype")
        )
        features[feature] = PARTIAL
    target = TargetResult(
        "chromium", "chromium", browser=BrowserInfo("Chromium", "156.0", CHROME_156), outcomes=outcomes
    )
    results = Results(RunInfo("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00", "0.1.0", {}), probes, [target])
    browsers = fixture_data()["browsers"]
    browsers["chrome"]["releases"]["156"] = {"status": "current"}
    return results, BcdData("8.1.9", None, "test", browsers, features)


def test_a_missing_interface_stands_for_its_members_and_groups_are_per_interface() -> None:
    results, data = made(interfaces=3, members=5)
    summary = summarize(compare(results, data), results)
    assert summary.counts == {"chromium": {"contradicts": 21, "agrees": 0, "not-comparable": 0}}
    assert summary.against_partial == {"chromium": 3}  # the J members: BCD says partial, not on Linux
    by_key = {g.key: g for g in summary.groups}
    assert set(by_key) == {"api.I0", "api.I1", "api.I2", "api.J0", "api.J1", "api.J2"}
    head = by_key["api.I0"].items
    assert [(e.feature, e.folded) for e in head] == [("api.I0", 5)]
    assert by_key["api.I0"].count == 6
    assert head[0].bcd == "supported since 50" and head[0].statement == 'chrome: {"version_added": "50"}'
    assert head[0].observed == "missing (interface missing): I0 is not defined"
    member = by_key["api.J1"].items[0]
    assert (member.evaluated, member.observed) == (
        "J1.prototype.m0",
        "missing (member missing): m0 is not on J1.prototype",
    )
    assert [g.key for g in summary.groups][:3] == ["api.I0", "api.I1", "api.I2"]  # largest first


def test_markdown_of_thousands_of_contradictions_lists_every_lead_by_file() -> None:
    results, data = made(interfaces=300, members=20)
    comparison = compare(results, data)
    assert len(comparison.contradictions) == 300 * 22
    md = MarkdownFormat().bcd(comparison)
    assert "| chromium (Chrome 156) | 6300 | 300 | 0 | 0 | 0 | 0 |" in md  # leads, explained, ...
    assert md.count("\n### api/I") == 300  # every file with a lead, none cut
    assert md.count("The same change for 20 members of api.I") == 300  # members fold into one diff
    assert "| Chrome 156 | Not on Linux. | api.J0.m0, " in md  # the partial statements, by their note
    assert "left out" not in md
    shorter = MarkdownFormat().bcd(comparison, limit=10)
    assert shorter.count("\n### api/I") == 10
    assert "…and 6090 more leads left out by `--limit 10`" in shorter  # 10 interfaces, each with 20 members


def test_group_keys() -> None:
    assert group_key("api.RTCPeerConnection.removeStream.after_addStream") == "api.RTCPeerConnection"
    assert group_key("javascript.builtins.Intl.Collator.compare") == "javascript.builtins.Intl"
    assert group_key("css.properties.display.grid") == "css.properties.display"
    assert group_key("css.properties.display") == "css.properties"
