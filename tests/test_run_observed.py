"""`compatprobe run` with the shipped matrix, checked against direct evaluation in the same browsers."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import outcome
from direct import evaluate_playwright, evaluate_webkitgtk

pytestmark = pytest.mark.browsers

PRESENCE = """() => {
  const has = (name) => typeof RTCPeerConnection === "function" && name in RTCPeerConnection.prototype;
  return {interface: typeof RTCPeerConnection === "function", removeStream: has("removeStream"),
          addStream: has("addStream"), removeTrack: has("removeTrack"), addTrack: has("addTrack")};
}"""

CLOSED_REMOVE_TRACK = """async () => {
  const pc = new RTCPeerConnection();
  const track = new AudioContext().createMediaStreamDestination().stream.getAudioTracks()[0];
  const sender = pc.addTrack(track, new MediaStream([track]));
  pc.close();
  try { pc.removeTrack(sender); return null; } catch (e) { return [e.name, e.message]; }
}"""

NON_SENDER = """() => {
  try { new RTCPeerConnection().removeTrack({}); return null; } catch (e) { return [e.name, e.message]; }
}"""


def test_all_three_engines_ran(observed: dict[str, Any], direct_versions: dict[str, str]) -> None:
    targets = {t["name"]: t for t in observed["results"]["targets"]}
    assert set(targets) == {"chromium", "firefox", "webkit"}
    for target in targets.values():
        assert target["status"] == "ok", target
        assert target["not_run"] == []
        assert len(target["outcomes"]) == len(observed["results"]["probes"])
    assert targets["chromium"]["browser"]["name"] == "Chromium"
    # The versions recorded are the ones the browsers report when asked directly.
    for engine in ("chromium", "firefox", "webkit"):
        assert targets[engine]["browser"]["version"] == direct_versions[engine], engine
    assert targets["webkit"]["browser"]["name"] == "WebKitGTK MiniBrowser"
    assert targets["webkit"]["launch"]["via"] == "webdriver"
    assert targets["firefox"]["launch"]["channel"] == "moz-firefox"


@pytest.mark.parametrize("engine", ["chromium", "firefox"])
def test_presence_agrees_with_direct_check(observed: dict[str, Any], engine: str) -> None:
    direct = evaluate_playwright(engine, PRESENCE)
    results = observed["results"]
    for method in ("removeStream", "addStream", "removeTrack", "addTrack"):
        seen = outcome(results, engine, f"RTCPeerConnection/{method}/exists")
        assert (seen["status"] == "supported") == direct[method], (method, seen, direct)
        if not direct[method]:
            assert seen["reason"] == "member-missing"


def test_expected_presence_on_this_machine(observed: dict[str, Any]) -> None:
    """The facts the issue names: Chromium has both methods, Firefox ESR only removeTrack."""
    results = observed["results"]
    assert outcome(results, "chromium", "RTCPeerConnection/removeStream/exists")["status"] == "supported"
    assert outcome(results, "chromium", "RTCPeerConnection/removeTrack/exists")["status"] == "supported"
    assert outcome(results, "firefox", "RTCPeerConnection/removeTrack/exists")["status"] == "supported"
    missing = outcome(results, "firefox", "RTCPeerConnection/removeStream/exists")
    assert (missing["status"], missing["reason"]) == ("unsupported", "member-missing")


def test_webkitgtk_has_no_rtcpeerconnection(observed: dict[str, Any]) -> None:
    assert evaluate_webkitgtk("return typeof RTCPeerConnection") == "undefined"
    webkit = next(t for t in observed["results"]["targets"] if t["name"] == "webkit")
    assert webkit["outcomes"], "no WebKit outcomes"
    for seen in webkit["outcomes"]:
        assert (seen["status"], seen["reason"]) == ("unsupported", "interface-missing"), seen


@pytest.mark.parametrize("engine", ["chromium", "firefox"])
def test_closed_connection_removeTrack_agrees(observed: dict[str, Any], engine: str) -> None:
    name, message = evaluate_playwright(engine, CLOSED_REMOVE_TRACK)
    assert name == "InvalidStateError"
    seen = outcome(observed["results"], engine, "RTCPeerConnection/removeTrack/closed-connection")
    assert seen["status"] == "throws"
    assert seen["exception"] == {"name": name, "message": message, "expected": True}


@pytest.mark.parametrize("engine", ["chromium", "firefox"])
def test_non_sender_argument_agrees(observed: dict[str, Any], engine: str) -> None:
    name, message = evaluate_playwright(engine, NON_SENDER)
    seen = outcome(observed["results"], engine, "RTCPeerConnection/removeTrack/non-sender")
    assert seen["exception"]["name"] == name == "TypeError"
    assert seen["exception"]["message"] == message


@pytest.mark.parametrize("engine", ["chromium", "firefox"])
def test_removeTrack_behaviours(observed: dict[str, Any], engine: str) -> None:
    results = observed["results"]
    nulled = outcome(results, engine, "RTCPeerConnection/removeTrack/sender-track-null")
    assert nulled["status"] == "supported"
    assert nulled["values"]["sender.track"] == "null"
    assert nulled["values"]["getSenders().includes(sender)"] == "true"
    direction = outcome(results, engine, "RTCPeerConnection/removeTrack/transceiver-direction")
    assert (direction["values"]["direction before"], direction["values"]["direction after"]) == (
        '"sendrecv"',
        '"recvonly"',
    )
    foreign = outcome(results, engine, "RTCPeerConnection/removeTrack/foreign-sender")
    assert foreign["exception"]["name"] == "InvalidAccessError"
    assert outcome(results, engine, "RTCPeerConnection/removeTrack/remove-twice")["status"] == "supported"
    needed = outcome(results, engine, "RTCPeerConnection/removeTrack/negotiationneeded")
    assert needed["status"] == "supported"
    assert "negotiationneeded" in needed["events"]


def test_chromium_legacy_removeStream_behaviour(observed: dict[str, Any]) -> None:
    results = observed["results"]
    after = outcome(results, "chromium", "RTCPeerConnection/removeStream/after-addStream")
    assert after["status"] == "supported"
    assert after["values"]["removeStream(stream)"] == "undefined"
    closed = outcome(results, "chromium", "RTCPeerConnection/removeStream/closed-connection")
    assert closed["exception"]["name"] == "InvalidStateError"
    needed = outcome(results, "chromium", "RTCPeerConnection/removeStream/negotiationneeded")
    assert needed["events"] == ["negotiationneeded"]


def test_run_reports_progress(observed: dict[str, Any]) -> None:
    stderr = observed["stderr"]
    for name in ("chromium", "firefox", "webkit"):
        assert f"compatprobe: {name}: started" in stderr
        assert f"compatprobe: {name}: ok in" in stderr
