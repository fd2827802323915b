"""A probe's own steps evaluated directly in a browser, without compatprobe: no runner, server, realms
or harness. A small `t` written here, apart from core.js and helpers/*.js, runs the probe's body on
a plain page and reports what happened in the shape of an outcome, so a test can compare it with
what `compatprobe run` recorded for the same probe in the same browser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compatprobe.probes.loader import Probe
from direct import evaluate_many_playwright

# Values are compared as compatprobe writes them (repr() in core.js: JSON for strings, arrays in
# brackets, other objects as [object Name]), so this writes them the same way.
DIRECT_T = r"""async ([source, deadline]) => {
  const outcome = { status: "supported", values: {}, events: [] };
  const undo = [];
  class End { constructor(fields) { this.fields = fields; } }
  const show = (v, depth = 0) => {
    if (v === null) return "null";
    if (v === undefined) return "undefined";
    if (typeof v === "string") return JSON.stringify(v);
    if (["number", "boolean", "bigint"].includes(typeof v)) return String(v);
    if (typeof v === "function") return `function ${v.name || "(anonymous)"}`;
    if (Array.isArray(v)) {
      if (depth > 1) return `Array(${v.length})`;
      return "[" + v.slice(0, 10).map((x) => show(x, depth + 1)).join(", ") + (v.length > 10 ? ", …" : "") + "]";
    }
    return Object.prototype.toString.call(v);
  };
  const said = (e) => ({ name: String(e.name), message: String(e.message) });
  const notDoing = (message) => new End({ status: "unsupported", reason: "behaviour", message });
  const timeline = [];
  const happened = (label) => { timeline.push(label); outcome.events.push(label); };
  const later = (ms) => new Promise((r) => setTimeout(r, ms));

  const t = {
    window,
    require(path) {
      let here = window;
      const names = path.split(".");
      for (let i = 0; i < names.length; i++) {
        if (here == null || !(names[i] in Object(here))) {
          throw new End({ status: "unsupported", reason: i === 0 ? "interface-missing" : "member-missing" });
        }
        try { here = here[names[i]]; } catch (e) { return undefined; }
      }
      return here;
    },
    call(label, fn) {
      let v;
      try { v = fn(); } catch (e) { throw new End({ status: "throws", exception: { ...said(e), expected: false } }); }
      outcome.values[label] = show(v);
      return v;
    },
    throws(name, label, fn) {
      let v;
      try {
        v = fn();
      } catch (e) {
        throw new End({ status: "throws", exception: { ...said(e), expected: e.name === name } });
      }
      outcome.values[label] = show(v);
      throw notDoing(`${label} returned`);
    },
    check(ok, message) { if (!ok) throw notDoing(message); },
    value(key, v) { outcome.values[key] = show(v); return v; },
    sleep: later,
    watch(target, type, label = type) {
      const w = { count: 0 };
      const seen = () => { w.count++; outcome.events.push(label); };
      target.addEventListener(type, seen);
      w.wait = async (ms) => {
        const before = w.count;
        for (const end = Date.now() + ms; Date.now() < end && w.count === before; ) await later(10);
        return w.count > before;
      };
      return w;
    },
    event(target, type, { within = 3000, label = type, quiet = false, setup = false } = {}) {
      const p = new Promise((resolve, reject) => {
        const missed = setup ? new End({ status: "error", reason: "setup" }) : notDoing(`no ${type} event`);
        const timer = setTimeout(() => reject(missed), within);
        target.addEventListener(type, (e) => {
          clearTimeout(timer);
          if (!quiet) happened(label);
          resolve(e);
        }, { once: true });
      });
      p.catch(() => {});
      return p;
    },
    mark: happened,
    timeline: () => [...timeline],

    pc(config) { const pc = new RTCPeerConnection(config); undo.push(() => pc.close()); return pc; },
    pair(config) {
      const a = t.pc(config), b = t.pc(config);
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => {});
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => {});
      return [a, b];
    },
    async offer(a, b) {
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
    },
    async answer(a, b) {
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
    },
    async negotiate(a, b, { beforeAnswer } = {}) {
      await t.offer(a, b);
      if (beforeAnswer) await beforeAnswer();
      await t.answer(a, b);
    },
    async unmuted(track, { within = 4000 } = {}) {
      if (track.muted) await t.event(track, "unmute", { within, quiet: true, setup: true });
    },
    async audioTrack({ live = false } = {}) {
      const ctx = new AudioContext();
      undo.push(() => ctx.close());
      const sink = ctx.createMediaStreamDestination();
      if (live) { const o = ctx.createOscillator(); o.connect(sink); o.start(); ctx.resume(); }
      const track = sink.stream.getAudioTracks()[0];
      undo.push(() => track.stop());
      return track;
    },
    async videoTrack({ live = false } = {}) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 16;
      const g = canvas.getContext("2d");
      g.fillRect(0, 0, 16, 16);
      const track = (live ? canvas.captureStream() : canvas.captureStream(1)).getVideoTracks()[0];
      if (live) {
        let n = 0;
        const id = setInterval(() => { g.fillStyle = n++ % 2 ? "#000" : "#fff"; g.fillRect(0, 0, 16, 16); }, 50);
        undo.push(() => clearInterval(id));
      }
      undo.push(() => track.stop());
      return track;
    },
    async stream({ audio = true, video = true, live = false } = {}) {
      const tracks = [];
      if (audio) tracks.push(await t.audioTrack({ live }));
      if (video) tracks.push(await t.videoTrack({ live }));
      return new MediaStream(tracks);
    },
  };

  const body = new (async function () {}).constructor("t", `"use strict";\n${source}`);
  try {
    await Promise.race([body(t), later(deadline).then(() => { throw new End({ status: "timeout" }); })]);
  } catch (e) {
    if (e instanceof End) Object.assign(outcome, e.fields);
    else Object.assign(outcome, { status: "error", exception: said(e) });
  } finally {
    undo.reverse().forEach((fn) => { try { fn(); } catch (_) {} });
  }
  return outcome;
}"""

# What of an outcome the two evaluations must share: messages are left out, since compatprobe's
# harness words its own (the probe's t.check() messages are compared through the status anyway).
COMPARED = ("status", "reason", "exception", "values", "events")


def comparable(outcome: dict[str, Any]) -> dict[str, Any]:
    """The parts of an outcome (compatprobe's or a direct one) that both must agree on."""
    return {key: outcome.get(key) or None for key in COMPARED}


def run_directly(engine: str, probes: Sequence[Probe], deadline_ms: int = 5000) -> dict[str, dict[str, Any]]:
    """Each probe's body run directly in `engine` (one browser launch, one page; each run closes what
    it opened), by id; `deadline_ms` for probes that set no timeout (the shipped matrix's value)."""
    answers = evaluate_many_playwright(engine, [(DIRECT_T, [p.source, p.timeout_ms or deadline_ms]) for p in probes])
    return {probe.id: comparable(answer) for probe, answer in zip(probes, answers, strict=True)}


def run_directly_in_build(
    executable: str, probes: Sequence[Probe], deadline_ms: int = 5000
) -> dict[str, dict[str, Any]]:
    """run_directly in the Chromium build at `executable` (a build from the cache)."""
    from direct import evaluate_calls_in_build

    calls = [(DIRECT_T, [p.source, p.timeout_ms or deadline_ms]) for p in probes]
    answers = evaluate_calls_in_build(executable, calls)
    return {probe.id: comparable(answer) for probe, answer in zip(probes, answers, strict=True)}
