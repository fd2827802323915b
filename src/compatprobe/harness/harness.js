// compatprobe's in-page harness.
//
// The runner loads this page once per target, calls __compatprobe.start(plan) and then
// long-polls __compatprobe.next(ms) for outcomes. Each probe runs in a fresh same-origin
// iframe, so a probe that breaks a prototype or a global only breaks its own realm; the page
// itself is reused, which is what keeps a probe in the millisecond range instead of paying a
// new browser context each time.
(() => {
  "use strict";

  const HARNESS_VERSION = 1;
  const MAX_REPR = 300;

  // Verdicts end a probe early; they are thrown through the probe's own code.
  class Verdict {
    constructor(outcome) {
      this.outcome = outcome;
    }
  }

  function repr(value, depth = 0) {
    let text;
    try {
      if (value === null) text = "null";
      else if (value === undefined) text = "undefined";
      else if (typeof value === "string") text = JSON.stringify(value);
      else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = String(value);
      else if (typeof value === "symbol") text = value.toString();
      else if (typeof value === "function") text = `function ${value.name || "(anonymous)"}`;
      else if (Array.isArray(value)) {
        text = depth > 1 ? `Array(${value.length})` : `[${value.slice(0, 10).map((v) => repr(v, depth + 1)).join(", ")}${value.length > 10 ? ", …" : ""}]`;
      } else text = Object.prototype.toString.call(value);
    } catch (e) {
      text = "[unrepresentable]";
    }
    return text.length > MAX_REPR ? text.slice(0, MAX_REPR) + "…" : text;
  }

  function exceptionOf(e) {
    if (e !== null && typeof e === "object") {
      let name, message;
      try { name = String(e.name); } catch (_) { name = "?"; }
      try { message = String(e.message); } catch (_) { message = ""; }
      return { name, message };
    }
    return { name: typeof e, message: repr(e) };
  }

  function makeApi(win, probe, record) {
    const cleanups = [];
    const t = {
      window: win,
      id: probe.id,

      // Ends the probe as unsupported when a path such as "RTCPeerConnection.prototype.removeStream"
      // does not resolve. The first segment missing means the interface is missing.
      require(path) {
        const parts = path.split(".");
        let obj = win;
        for (let i = 0; i < parts.length; i++) {
          const name = parts[i];
          if (obj === null || obj === undefined || !(name in Object(obj))) {
            throw new Verdict({
              status: "unsupported",
              reason: i === 0 ? "interface-missing" : "member-missing",
              message: `${parts.slice(0, i + 1).join(".")} is not defined`,
            });
          }
          obj = obj[name];
        }
        return obj;
      },

      // Calls the API under test. A throw ends the probe as "throws" (not what the spec expects).
      call(label, fn) {
        let value;
        try {
          value = fn();
        } catch (e) {
          throw new Verdict({ status: "throws", exception: { ...exceptionOf(e), expected: false }, message: `${label} threw` });
        }
        record.values[label] = repr(value);
        return value;
      },

      // Calls the API under test where the spec says it throws `name`.
      throws(name, label, fn) {
        let value;
        try {
          value = fn();
        } catch (e) {
          const ex = exceptionOf(e);
          throw new Verdict({
            status: "throws",
            exception: { ...ex, expected: ex.name === name },
            message: ex.name === name ? `${label} threw ${name}, as the spec says` : `${label} threw ${ex.name}; the spec says ${name}`,
          });
        }
        record.values[label] = repr(value);
        throw new Verdict({
          status: "unsupported",
          reason: "behaviour",
          message: `${label} returned ${repr(value)}; the spec says it throws ${name}`,
        });
      },

      // A behaviour the row describes did not happen.
      check(condition, message) {
        if (!condition) throw new Verdict({ status: "unsupported", reason: "behaviour", message });
      },

      value(key, value) {
        record.values[key] = repr(value);
        return value;
      },

      // Records every `type` event on `target` from now on; returns a watcher with a count and wait().
      watch(target, type, label = type) {
        const watcher = { count: 0, waiters: [] };
        const listener = () => {
          watcher.count++;
          record.events.push(label);
          watcher.waiters.splice(0).forEach((resolve) => resolve(true));
        };
        target.addEventListener(type, listener);
        cleanups.push(() => target.removeEventListener(type, listener));
        watcher.wait = (ms) => {
          const seen = watcher.count;
          return new Promise((resolve) => {
            if (watcher.count > seen) return resolve(true);
            watcher.waiters.push(resolve);
            setTimeout(() => resolve(watcher.count > seen), ms);
          });
        };
        return watcher;
      },

      sleep(ms) {
        return new Promise((resolve) => setTimeout(resolve, ms));
      },

      pc(config) {
        const pc = new win.RTCPeerConnection(config);
        cleanups.push(() => pc.close());
        return pc;
      },

      // Tracks made without devices; getUserMedia with fake devices only as a fallback.
      async videoTrack() {
        try {
          const canvas = win.document.createElement("canvas");
          canvas.width = canvas.height = 16;
          canvas.getContext("2d").fillRect(0, 0, 16, 16);
          const track = canvas.captureStream(1).getVideoTracks()[0];
          if (track) return own(track);
        } catch (_) { /* fall through */ }
        return own((await win.navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]);
      },

      async audioTrack() {
        try {
          const ctx = new win.AudioContext();
          cleanups.push(() => ctx.close());
          const track = ctx.createMediaStreamDestination().stream.getAudioTracks()[0];
          if (track) return own(track);
        } catch (_) { /* fall through */ }
        return own((await win.navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0]);
      },

      async stream({ audio = true, video = true } = {}) {
        const tracks = [];
        if (audio) tracks.push(await t.audioTrack());
        if (video) tracks.push(await t.videoTrack());
        return new win.MediaStream(tracks);
      },

      // Completes an offer/answer between two local connections, leaving both "stable".
      async negotiate(offerer, answerer) {
        await offerer.setLocalDescription(await offerer.createOffer());
        await answerer.setRemoteDescription(offerer.localDescription);
        await answerer.setLocalDescription(await answerer.createAnswer());
        await offerer.setRemoteDescription(answerer.localDescription);
      },
    };

    function own(track) {
      cleanups.push(() => track.stop());
      return track;
    }

    t._cleanup = () => {
      for (const fn of cleanups.reverse()) {
        try { fn(); } catch (_) { /* a probe may have broken what cleanup uses */ }
      }
    };
    return t;
  }

  // What ends a probe besides its own promise: an error it threw outside that promise (in a
  // timer, an event handler, a promise nobody awaited) surfaces as an event on its realm, or on
  // the harness page when it reached for `top`. Either one is the probe's, since only it runs now.
  function watchUncaught(targets) {
    let report;
    const caught = new Promise((resolve) => {
      report = (event) => {
        const rejection = event.type === "unhandledrejection";
        resolve({ uncaught: rejection ? event.reason : event.error ?? event.message, rejection });
      };
    });
    for (const target of targets) {
      target.addEventListener("error", report);
      target.addEventListener("unhandledrejection", report);
    }
    const stop = () => {
      for (const target of targets) {
        try {
          target.removeEventListener("error", report);
          target.removeEventListener("unhandledrejection", report);
        } catch (_) { /* the probe may have broken its realm */ }
      }
    };
    return { caught, stop };
  }

  async function runProbe(probe, source) {
    const record = { probe: probe.id, status: "error", values: {}, events: [] };
    const frame = document.createElement("iframe");
    frame.style.display = "none";
    document.body.appendChild(frame);
    const win = frame.contentWindow;
    let t;
    let uncaught;
    try {
      let body;
      try {
        // Built with the iframe's own constructor so the probe's globals are the iframe's.
        const AsyncFunction = win.eval("(async function () {}).constructor");
        body = new AsyncFunction("t", `"use strict";\n${source}`);
      } catch (e) {
        Object.assign(record, { status: "error", reason: "syntax", exception: exceptionOf(e), message: `the probe does not parse: ${exceptionOf(e).message}` });
        return record;
      }
      t = makeApi(win, probe, record);
      uncaught = watchUncaught([win, window]);
      let timer;
      const deadline = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ timedOut: true }), probe.timeout_ms);
      });
      const settled = Promise.resolve()
        .then(() => body.call(undefined, t))
        .then(
          () => ({ ok: true }),
          (e) => ({ thrown: e }),
        );
      const result = await Promise.race([settled, deadline, uncaught.caught]);
      clearTimeout(timer);
      if (result.timedOut) {
        Object.assign(record, { status: "timeout", reason: "deadline", message: `did not settle within ${probe.timeout_ms} ms` });
      } else if (result.ok) {
        record.status = "supported";
      } else if (result.thrown instanceof Verdict) {
        Object.assign(record, result.thrown.outcome);
      } else if ("uncaught" in result) {
        const ex = exceptionOf(result.uncaught);
        const where = result.rejection ? "a promise it did not handle was rejected" : "it threw outside its own promise";
        Object.assign(record, { status: "error", reason: "uncaught", exception: ex, message: `${where}: ${ex.name}: ${ex.message}` });
      } else {
        const ex = exceptionOf(result.thrown);
        Object.assign(record, { status: "error", reason: "exception", exception: ex, message: `the probe threw outside a checked call: ${ex.name}: ${ex.message}` });
      }
      return record;
    } finally {
      if (uncaught) uncaught.stop();
      if (t) t._cleanup();
      frame.remove();
    }
  }

  // Outcomes the runner has not collected yet are lost with the page if a probe breaks it, and the
  // runner must then re-run them to tell who broke it: a bound on them bounds that work.
  const MAX_UNCOLLECTED = 32; // runner: rounds.MAX_UNCOLLECTED

  const state = { results: [], waiters: [], collected: [], done: false, current: null, fatal: null };

  function drain() {
    const results = state.results.splice(0);
    state.collected.splice(0).forEach((resume) => resume());
    return { results, done: state.done && state.results.length === 0, current: state.current, fatal: state.fatal };
  }

  function publish(record) {
    state.results.push(record);
    state.waiters.splice(0).forEach((wake) => wake());
  }

  async function start(plan) {
    state.results = [];
    state.done = false;
    state.fatal = null;
    try {
      const response = await fetch(plan.sources_url, { cache: "no-store" });
      if (!response.ok) throw new Error(`${plan.sources_url}: HTTP ${response.status}`);
      const sources = await response.json();
      for (const probe of plan.probes) {
        state.current = probe.id;
        const source = sources[probe.id];
        if (typeof source !== "string") {
          publish({ probe: probe.id, status: "error", reason: "setup", message: "the harness was not given this probe's source", values: {}, events: [] });
          continue;
        }
        publish(await runProbe(probe, source));
        if (state.results.length >= MAX_UNCOLLECTED) await new Promise((resume) => state.collected.push(resume));
      }
    } catch (e) {
      state.fatal = `${exceptionOf(e).name}: ${exceptionOf(e).message}`;
    } finally {
      state.current = null;
      state.done = true;
      state.waiters.splice(0).forEach((wake) => wake());
    }
  }

  // Resolves with the outcomes finished since the last call, waiting up to `ms` for at least one.
  function next(ms) {
    if (state.results.length || state.done) return Promise.resolve(drain());
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(drain());
      };
      // A poll that times out must withdraw its waiter: left behind, it would drain the next
      // outcomes into a promise nobody awaits any more, and those outcomes would be lost.
      const timer = setTimeout(() => {
        state.waiters = state.waiters.filter((w) => w !== wake);
        resolve(drain());
      }, ms);
      state.waiters.push(wake);
    });
  }

  // What the browser says about the system it runs on: for a remote browser that is not the
  // machine running compatprobe. userAgentData (Chromium, secure contexts) gives more than the UA.
  async function about() {
    const report = { platform: navigator.platform || null };
    const data = navigator.userAgentData;
    if (data) {
      report.ua_platform = data.platform || null;
      try {
        const waited = new Promise((resolve) => setTimeout(() => resolve({}), 1000));
        const high = await Promise.race([data.getHighEntropyValues(["platformVersion"]), waited]);
        report.ua_platform_version = high.platformVersion || null;
      } catch (e) {
        report.ua_platform_version = null;
      }
    }
    return report;
  }

  Object.defineProperty(window, "__compatprobe", {
    value: Object.freeze({
      version: HARNESS_VERSION,
      start(plan) {
        start(plan); // runs on; next() reports
        return about().then((platform) => ({ harness: HARNESS_VERSION, user_agent: navigator.userAgent, platform }));
      },
      next,
    }),
    configurable: false,
    writable: false,
  });
})();
