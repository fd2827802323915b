// compatprobe's worker harness: the same script for a dedicated, a shared and a service worker.
//
// The window harness (core.js, scopes.js) starts the worker, hands it a MessagePort for replies
// and sends it batches of probes. A worker has one global and no iframes, so probes of a batch
// share it; after each batch the global is compared with a snapshot taken before the first
// probe ran, and the window retires a worker found changed and runs that batch's probes again,
// each alone in a fresh worker (as core.js does with realms). Verdicts, the `t` API and how a
// probe's body runs to its outcome are common.js, shared with the window harness; `t` has no
// `window` here, and gets only the helper files that need no DOM.
(() => {
  "use strict";

  /*@COMMON@*/

  const G = self;
  const { ownKeys, getOwnPropertyDescriptor: describe, getPrototypeOf, isExtensible } = Reflect;
  const is = Object.is;
  const now = performance.now.bind(performance);
  const portPost = MessagePort.prototype.postMessage;
  const portStart = MessagePort.prototype.start;
  const AsyncFunction = (async function () {}).constructor;
  const waitUntil = typeof ExtendableEvent === "function" ? ExtendableEvent.prototype.waitUntil : null;

  const SCOPE =
    typeof ServiceWorkerGlobalScope === "function" && G instanceof ServiceWorkerGlobalScope
      ? "serviceworker"
      : typeof SharedWorkerGlobalScope === "function" && G instanceof SharedWorkerGlobalScope
        ? "sharedworker"
        : "worker";

  // Runs one probe on this worker's global and returns its outcome record; never throws.
  async function runProbe(probe, source) {
    const record = { probe: probe.id, scope: SCOPE, status: "error", values: {}, events: [] };
    let body;
    try {
      body = new AsyncFunction("t", `"use strict";\n${source}`);
    } catch (e) {
      return Object.assign(record, unparsed(e));
    }
    const t = makeApi({ global: G, scope: SCOPE, where: ` in a ${SCOPE}`, probe, record });
    return runBody(body, t, probe, record, [G]);
  }

  // ---- The global's snapshot (core.js does the same for a realm, with its document) ----------

  const INTRINSICS = () => [
    getPrototypeOf(async function () {}),
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(new Map().entries()),
    getPrototypeOf(new Set().values()),
    getPrototypeOf(""[Symbol.iterator]()),
    getPrototypeOf("".matchAll(/a/g)),
    getPrototypeOf(getPrototypeOf((function* () {})())),
    getPrototypeOf(getPrototypeOf((async function* () {})())),
    getPrototypeOf(Int8Array),
  ];
  const SINGLETONS = ["navigator", "location", "performance", "crypto", "crypto.subtle", "indexedDB", "caches", "clients", "registration", "serviceWorker"];
  const VOLATILE = Symbol("volatile");

  function attributes(d) {
    return (d.writable ? 1 : 0) | (d.enumerable ? 2 : 0) | (d.configurable ? 4 : 0) | ("value" in d ? 8 : 0);
  }

  function propertiesOf(obj) {
    const keys = ownKeys(obj);
    const parts = new Array(keys.length * 4);
    for (let i = 0, j = 0; i < keys.length; i++, j += 4) {
      const d = describe(obj, keys[i]);
      const value = d.value;
      parts[j] = typeof value === "object" && value !== null && !is(value, describe(obj, keys[i]).value) ? VOLATILE : value;
      parts[j + 1] = d.get;
      parts[j + 2] = d.set;
      parts[j + 3] = attributes(d);
    }
    return { obj, keys, parts, proto: getPrototypeOf(obj), extensible: isExtensible(obj) };
  }

  function difference(r) {
    const obj = r.obj;
    if (getPrototypeOf(obj) !== r.proto) return "prototype";
    if (isExtensible(obj) !== r.extensible) return "extensibility";
    const keys = ownKeys(obj);
    if (keys.length !== r.keys.length) return "number of properties";
    const parts = r.parts;
    for (let i = 0, j = 0; i < keys.length; i++, j += 4) {
      if (keys[i] !== r.keys[i]) return `property order at ${String(keys[i])}`;
      const d = describe(obj, keys[i]);
      if ((!is(d.value, parts[j]) && parts[j] !== VOLATILE) || d.get !== parts[j + 1] || d.set !== parts[j + 2]) return String(keys[i]);
      if (attributes(d) !== parts[j + 3]) return `${String(keys[i])} attributes`;
    }
    return "";
  }

  function nameOf(obj) {
    try {
      const d = describe(obj, "constructor");
      const ctor = d && d.value;
      if (typeof obj === "function") return obj.name;
      return ctor && describe(ctor, "prototype")?.value === obj ? `${ctor.name}.prototype` : apply(toTag, obj, []);
    } catch (_) {
      return "?";
    }
  }

  function snapshot() {
    const objects = [];
    const seen = new Set();
    const add = (obj) => {
      if (obj === null || (typeof obj !== "object" && typeof obj !== "function") || seen.has(obj)) return false;
      seen.add(obj);
      objects.push(obj);
      return true;
    };
    add(G);
    const namespaces = [];
    const bindings = [];
    for (const key of ownKeys(G)) {
      const d = describe(G, key);
      if (!d || !("value" in d)) continue;
      if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) bindings.push(key);
      if (add(d.value) && typeof d.value === "object") namespaces.push(d.value);
    }
    for (const ns of namespaces) {
      for (const key of ownKeys(ns)) {
        const d = describe(ns, key);
        if (d && "value" in d) add(d.value);
      }
    }
    for (const obj of INTRINSICS()) add(obj);
    for (const path of SINGLETONS) {
      try {
        add(path.split(".").reduce((obj, key) => obj[key], G));
      } catch (_) { /* not in this scope */ }
    }
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i];
      add(getPrototypeOf(obj));
      if (typeof obj === "function") {
        const d = describe(obj, "prototype");
        if (d && "value" in d) add(d.value);
      }
    }
    const handlers = [];
    for (const key of ownKeys(G)) {
      if (typeof key !== "string" || !key.startsWith("on")) continue;
      const d = describe(G, key);
      if (d && d.get) handlers.push([key, d.get, apply(d.get, G, [])]);
    }
    // Global `let`/`const`/`class` bindings would shadow these names: read them all at once.
    const readBindings = new Function(`return [${bindings.join(",")}];`);
    return { records: objects.map(propertiesOf), handlers, readBindings, bindingValues: readBindings() };
  }

  // What differs from the snapshot, or "" when nothing does.
  function change(snap) {
    try {
      for (const r of snap.records) {
        const what = difference(r);
        if (what) return `${nameOf(r.obj)}: ${what}`;
      }
      for (const [key, get, value] of snap.handlers) if (!is(apply(get, G, []), value)) return key;
      const values = snap.readBindings();
      for (let i = 0; i < values.length; i++) if (!is(values[i], snap.bindingValues[i])) return "a global binding";
      return "";
    } catch (e) {
      return `checking threw ${exceptionOf(e).name}`;
    }
  }

  // ---- Talking to the window ---------------------------------------------------------------

  const BATCH_MS = 200; // a batch ends after this long, so outcomes keep flowing
  let port = null;
  let snap = null;
  let lastTimer = 0;
  let tainted = "";
  const stats = { probes: 0, probe_ms: 0, snapshot_ms: 0, check_ms: 0 };

  function send(message) {
    apply(portPost, port, [message]);
  }

  const taint = (event) => {
    const { name, message } = exceptionOf(event.type === "error" ? event.error ?? event.message : event.reason);
    tainted = tainted || `an uncaught ${event.type}: ${name}: ${message}`;
  };

  // Timers a probe left behind are cancelled; ids count up in every engine.
  function cancelTimers() {
    const last = apply(setTimer, G, [() => {}, 0]);
    if (last - lastTimer > 100000) return false;
    for (let id = lastTimer + 1; id <= last; id++) apply(clearTimer, G, [id]);
    lastTimer = last;
    return true;
  }

  async function runBatch(items) {
    if (!snap) {
      const began = now();
      snap = snapshot();
      stats.snapshot_ms += now() - began;
      lastTimer = apply(setTimer, G, [() => {}, 0]);
      listen(G, "error", taint);
      listen(G, "unhandledrejection", taint);
    }
    const began = now();
    let ran = 0;
    let timedOut = false;
    for (const { probe, source } of items) {
      send({ type: "started", id: probe.id });
      const t0 = now();
      const record = await runProbe(probe, source);
      stats.probes++;
      stats.probe_ms += now() - t0;
      ran++;
      send({ type: "finished", record });
      if (!cancelTimers()) tainted = tainted || "timer ids did not count up";
      if (record.status === "timeout") {
        timedOut = true;
        break;
      }
      if (tainted || now() - began >= BATCH_MS) break;
    }
    const t1 = now();
    const what = tainted || change(snap);
    stats.check_ms += now() - t1;
    send({ type: "checked", ran, clean: !what, change: what || null, timedOut, stats });
  }

  function onMessage(event) {
    const data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "hello") {
      if (!port) {
        port = (event.ports && event.ports[0]) || event.target;
        apply(portStart, port, []);
      }
      send({ type: "ready", scope: SCOPE });
    } else if (data.type === "batch" && port) {
      const done = runBatch(data.items);
      // A service worker may be stopped between events; this one lasts until the batch is done.
      if (waitUntil && event instanceof ExtendableEvent) {
        try { apply(waitUntil, event, [done]); } catch (_) { /* not extendable any more */ }
      }
    }
  }

  if (SCOPE === "sharedworker") {
    listen(G, "connect", (event) => {
      const p = event.ports[0];
      port = p;
      listen(p, "message", onMessage);
      apply(portStart, p, []);
    });
  } else {
    listen(G, "message", onMessage);
  }
})();
