"""Observations next to BCD's statements: which probes speak for an entry, and the agreements."""

from __future__ import annotations

from pathlib import Path

import pytest

from bcd_fixtures import FIXTURE, firefox_48_results
from compatprobe.bcd.compare import Observation, bcd_speakers, compare, fold_anywhere, fold_scopes, judge, observe
from compatprobe.bcd.data import load_bcd
from compatprobe.bcd.support import BcdStatement
from compatprobe.report.assemble import assemble_table
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.results.model import ExceptionInfo, Outcome, ProbeInfo


def probe(pid: str, feature: str, bcd: str | None = None) -> ProbeInfo:
    return ProbeInfo(pid, feature, pid, "0" * 64, bcd=bcd)


def test_which_probes_speak_for_bcd_entries() -> None:
    probes = [
        probe("I/exists", "api.I"),
        probe("I/m/exists", "api.I.m"),
        probe("I/m/throws-on-closed", "api.I.m.closed_connection"),
        probe("I/n/exists", "api.I.n", bcd="api.I.n_renamed"),
        probe("I/n/behaviour", "api.I.n.behaviour"),
        probe("I/m/options", "api.I.m.options_parameter", bcd="api.I.m.options_parameter"),
        probe("J/orphan", "api.J.k.behaviour"),  # no head probe: informs nothing
    ]
    speakers, informs = bcd_speakers(probes)
    assert {k: v.id for k, v in speakers.items()} == {
        "api.I": "I/exists",
        "api.I.m": "I/m/exists",
        "api.I.n_renamed": "I/n/exists",
        "api.I.m.options_parameter": "I/m/options",
    }
    assert informs == {"I/m/throws-on-closed": "api.I.m", "I/n/behaviour": "api.I.n_renamed"}


def throws(name: str, expected: bool) -> Outcome:
    return Outcome("p", "throws", message="f() threw", exception=ExceptionInfo(name, "msg", expected))


@pytest.mark.parametrize(
    ("direct", "behaviour", "kind"),
    [
        (None, [], "unknown"),
        (Outcome("p", "timeout", message="deadline"), [], "unknown"),
        (Outcome("p", "error", message="syntax"), [], "unknown"),
        (Outcome("p", "unsupported", reason="member-missing"), [], "not-supported"),
        (Outcome("p", "unsupported", reason="interface-missing"), [], "not-supported"),
        (Outcome("p", "unsupported", reason="behaviour", message="no event"), [], "partial"),
        (Outcome("p", "supported"), [], "supported"),
        (throws("InvalidStateError", True), [], "supported"),
        (throws("NotSupportedError", False), [], "partial"),
        # Exists, but a behaviour probe of its group throws what the spec does not expect: partial.
        (Outcome("p", "supported"), [throws("NotSupportedError", False)], "partial"),
        # An exception the spec expects, or a behaviour that merely differs, is not "throws".
        (Outcome("p", "supported"), [throws("InvalidStateError", True)], "supported"),
        (Outcome("p", "supported"), [Outcome("b", "unsupported", reason="behaviour")], "supported"),
    ],
)
def test_observe(direct: Outcome | None, behaviour: list[Outcome], kind: str) -> None:
    pairs = [(probe("b", "api.I.m.b"), o) for o in behaviour]
    assert observe(direct, pairs).kind == kind


@pytest.mark.parametrize(
    ("observed", "bcd", "agreement", "way"),
    [
        ("supported", "supported", "agrees", None),
        ("partial", "supported", "contradicts", "observed-less"),
        ("not-supported", "supported", "contradicts", "observed-less"),
        ("partial", "partial", "agrees", None),
        ("supported", "partial", "not-comparable", None),
        ("not-supported", "partial", "contradicts", "observed-less"),
        ("supported", "prefixed", "contradicts", "observed-more"),
        ("not-supported", "prefixed", "agrees", None),
        ("supported", "removed", "contradicts", "observed-more"),
        ("partial", "removed", "contradicts", "observed-more"),
        ("not-supported", "removed", "agrees", None),
        ("supported", "not-supported", "contradicts", "observed-more"),
        ("not-supported", "not-supported", "agrees", None),
        ("supported", "unknown", "not-comparable", None),
        ("unknown", "supported", "not-comparable", None),
    ],
)
def test_judge(observed: str, bcd: str, agreement: str, way: str | None) -> None:
    got = judge(Observation(observed, "x"), BcdStatement(bcd, "y", "z"))  # type: ignore[arg-type]
    assert got[:2] == (agreement, way)


YES, NO, UNKNOWN = (
    Observation("supported", "exists"),
    Observation("not-supported", "missing"),
    Observation("unknown", "?"),
)


@pytest.mark.parametrize(
    ("scopes", "window", "kind", "summary"),
    [
        ({"worker": YES, "sharedworker": YES}, NO, "supported", "exists in a dedicated worker, in a shared worker"),
        (
            {"worker": YES, "serviceworker": NO},
            NO,
            "partial",
            "exists in a dedicated worker, but missing in a service worker",
        ),
        ({"worker": NO}, NO, "not-supported", "missing in a dedicated worker"),
        # Chromium's MediaStreamTrackProcessor: on Window, not in the dedicated worker Web IDL names.
        ({"worker": NO}, YES, "partial", "exists on Window instead: missing in a dedicated worker"),
        # A scope that could not tell is not the browser lacking it.
        (
            {"worker": YES, "sharedworker": UNKNOWN},
            NO,
            "supported",
            "exists in a dedicated worker (a shared worker could not tell)",
        ),
        ({"worker": UNKNOWN}, NO, "unknown", "?"),
    ],
)
def test_worker_only_features_are_judged_from_all_their_scopes(
    scopes: dict[str, Observation], window: Observation, kind: str, summary: str
) -> None:
    got = fold_scopes(scopes, window)
    assert (got.kind, got.summary) == (kind, summary)


def test_a_feature_of_unknown_exposure_is_there_if_any_scope_has_it() -> None:
    assert fold_anywhere({"window": NO, "worker": NO, "serviceworker": YES}).kind == "supported"
    assert fold_anywhere({"window": NO, "worker": NO, "serviceworker": NO}).kind == "not-supported"
    # Missing where it could be told, and one scope could not start: it may be there.
    assert fold_anywhere({"window": NO, "worker": NO, "serviceworker": UNKNOWN}).kind == "unknown"


def test_firefox_22_to_50_removeStream_throws_is_a_contradiction(tmp_path: Path) -> None:
    """The case that started compatprobe: BCD says plain support; every call threw NotSupportedError."""
    results = firefox_48_results()
    data = load_bcd(FIXTURE, ["api.RTCPeerConnection", "api.RTCPeerConnection.removeStream"], cache_dir=tmp_path)
    comparison = compare(results, data)
    agreements = {c.feature: c for c in comparison.comparisons}
    interface = agreements["api.RTCPeerConnection"]
    assert interface.bcd is not None and (interface.bcd.summary, interface.agreement) == (
        "supported since 44",
        "agrees",
    )
    c = agreements["api.RTCPeerConnection.removeStream"]
    assert c.mapping.label(data.browsers) == "Firefox 48"
    assert c.bcd is not None and (c.bcd.kind, c.bcd.summary) == ("supported", "supported since 22")
    assert c.bcd.quote == 'firefox: {"version_added": "22", "version_last": "50", "version_removed": "51"}'
    assert c.observed.kind == "partial"
    assert c.observed.summary == (
        "exists, but removeStream(stream) threw NotSupportedError (“Operation is not supported”) "
        "in “removeStream(stream) after addStream(stream) returns”"
    )
    assert c.observed.evidence == ("RTCPeerConnection/removeStream/after-addStream",)
    assert (c.agreement, c.way) == ("contradicts", "observed-less")
    assert comparison.status["api.RTCPeerConnection.removeStream"] == ["deprecated", "non-standard"]

    md = MarkdownFormat().table(assemble_table(results, bcd=data))
    row = next(line for line in md.splitlines() if line.startswith("| exists"))
    assert "**≠ BCD**" in row and "*(BCD: deprecated, non-standard)*" in row
    note = next(line for line in md.splitlines() if "removeStream contradicts BCD" in line)
    assert "BCD says supported since 22" in note and "NotSupportedError" in note and '"version\\_removed": "51"' in note
