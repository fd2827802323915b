// compatprobe's worker harness: the same script for a dedicated, a shared and a service worker.
//
// The window harness (core.js, scopes.js) starts the worker, hands it a MessagePort for replies
// and sends it batches of probes. A worker has one global and no iframes, so probes of a batch
// share it; after each batch the global is compared with a snapshot taken before the first
// probe ran, and the window retires a worker found changed and runs that batch's probes again in
// a fresh worker, as a careful batch: checked after each probe, and ended at the first change.
// After that, a batch ends early where its global's own keys change (runBatch).
// `t` has no `window` here, and gets only the helper files that need no DOM.
//
// Uses, from common.js: makeApi, runBody, compile, unparsed, exceptionOf, apply, listen and the harness's
//   captured globals; from realm.js: ownKeys, snapshotOf, changeOf, timersOf, cancelTimers, watchTaint.
// Gives: nothing to the other files; the window's scopes.js its messages (ready, started,
//   finished, checked).
(() => {
  "use strict";

  /*@COMMON@*/

  /*@REALM@*/

  const G = self;
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
      body = compile(AsyncFunction, source, stats);
    } catch (e) {
      return Object.assign(record, unparsed(e));
    }
    const t = makeApi({ global: G, scope: SCOPE, where: ` in a ${SCOPE}`, probe, record });
    return runBody(body, t, probe, record, [G]);
  }

  // The global's snapshot, as core.js takes a realm's (realm.js), with a worker's singletons.
  const SINGLETONS = ["navigator", "location", "performance", "crypto", "crypto.subtle", "indexedDB", "caches", "clients", "registration", "serviceWorker"];

  // ---- Talking to the window ---------------------------------------------------------------

  const BATCH_MS = 200; // a batch ends after this long, so outcomes keep flowing
  let port = null;
  let snap = null;
  let timers = null;
  let taint = null;
  let broken = "";
  const stats = { probes: 0, probe_ms: 0, uncompiled: 0, snapshot_ms: 0, check_ms: 0 };

  function send(message) {
    apply(portPost, port, [message]);
  }

  // `careful`: the global is compared after each probe, and the batch ends at the first change
  // (scopes.js: carefully), so the change is the last probe's or came while it ran. `watch`: the
  // global object's own keys are counted after each probe, and the batch ends where the count
  // changes; when the global then differs only by the properties it gained, the batch is as careful
  // as it was (`stopped`). In Firefox, a probe's report or CSP violation defines its interface
  // object on a worker's global (SecurityPolicyViolationEvent), and each such batch ran again,
  // carefully. Counting costs Chromium's workers about 60 us a probe, so only a scope that has
  // had a changed batch watches.
  async function runBatch(items, careful, watch) {
    if (!snap) {
      const began = now();
      snap = snapshotOf(G, SINGLETONS);
      stats.snapshot_ms += now() - began;
      timers = timersOf(G);
      taint = watchTaint([G]);
    }
    const began = now();
    const keyCount = watch ? ownKeys(G).length : 0;
    let ran = 0;
    let timedOut = false;
    let changed = "";
    let keysChanged = false;
    for (let i = 0; i < items.length; i++) {
      const { probe, source } = items[i];
      send({ type: "started", id: probe.id });
      const t0 = now();
      const record = await runProbe(probe, source);
      stats.probes++;
      stats.probe_ms += now() - t0;
      ran++;
      send({ type: "finished", record });
      if (!cancelTimers(timers)) broken = broken || "timer ids did not count up";
      if (record.status === "timeout") {
        timedOut = true;
        break;
      }
      if (careful) {
        const t1 = now();
        changed = broken || taint.what || changeOf(snap, G) || "";
        stats.check_ms += now() - t1;
        if (changed) break;
      } else if (watch && ownKeys(G).length !== keyCount) {
        keysChanged = true;
        break;
      }
      if (broken || taint.what || now() - began >= BATCH_MS) break;
    }
    const t1 = now();
    // A careful batch was compared after its last probe already, unless that probe timed out.
    const what = careful && !timedOut ? changed : broken || taint.what || changeOf(snap, G);
    const stopped = careful || (keysChanged && !!what && !broken && !taint.what && !changeOf(snap, G, true));
    stats.check_ms += now() - t1;
    send({ type: "checked", ran, clean: !what, change: what || null, stopped, timedOut, stats });
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
      const done = runBatch(data.items, data.careful === true, data.watch === true);
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
