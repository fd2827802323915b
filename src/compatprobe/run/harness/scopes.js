  // ---- Worker scopes (inside core.js's closure) ----------------------------------------------
  //
  // Probes planned for a dedicated, shared or service worker run in a worker started from this
  // page with the worker harness (worker.js), in batches like realms: a batch's outcomes are
  // published once the worker reports its global unchanged after it; a worker found changed is
  // retired and that batch's probes run again in a fresh one, checked after each probe (careful
  // batches, below): the probe after which it changed runs alone. Once one has, a batch whose global
  // only gained properties ends at the probe that added them, as a careful batch would (worker.js).
  // This page watches each probe from here: a worker whose probe is silent past its deadline plus
  // WORKER_GRACE_MS spins (or closed itself) and is terminated, and that probe alone is blamed. A
  // scope that cannot start gives each of its probes an error with reason "scope-unavailable",
  // which the table shows as a probe that could not run, never as a feature that is missing.
  //
  // Uses, from core.js: state, inCall, answerCall, publish, MAX_UNCOLLECTED, now, createElement,
  //   appendChild, removeElement, contentWindowOf; from common.js: apply, listen, unlisten,
  //   exceptionOf, promiseThen, setTimer, clearTimer.
  // Gives core.js: runScopes(items) and scopeStats.

  const WORKER_URL = new URL("/worker.js", location.href).href;
  // Taken before any probe runs: a window probe can reach this page (top) and replace its globals.
  const WorkerCtor = typeof Worker === "function" ? Worker : null;
  const Channel = MessageChannel;
  const workerPost = WorkerCtor && Worker.prototype.postMessage;
  const workerTerminate = WorkerCtor && Worker.prototype.terminate;
  const { postMessage: portPost, close: portClose, start: portStart } = MessagePort.prototype;
  const container = navigator.serviceWorker || null;
  const register = container && ServiceWorkerContainer.prototype.register;
  const unregisterOf = container && ServiceWorkerRegistration.prototype.unregister;
  const swPost = container && ServiceWorker.prototype.postMessage;
  // setTimer and clearTimer, this page's own, come from common.js.
  const WORKER_START_MS = 10000; // a worker (or a service worker's registration) must be ready by then
  const WORKER_GRACE_MS = 2000; // beyond a probe's own deadline, before its worker counts as hung
  const WORKER_BATCH = 32;
  const SCOPE_WORDS = { worker: "dedicated worker", sharedworker: "shared worker", serviceworker: "service worker" };
  const scopeStats = {};
  let workerSerial = 0;
  // Service worker registrations outlive the page: each page's scopes are its own.
  const PAGE_KEY = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  class ScopeUnavailable extends Error {}

  function timeLimit(promise, ms, what) {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimer(() => reject(new ScopeUnavailable(what)), ms);
    });
    return Promise.race([promise, limit]).finally(() => clearTimer(timer));
  }

  // Resolves once the worker answers hello on `replies`; rejects when it reports an error first.
  function ready(replies, errors) {
    return new Promise((resolve, reject) => {
      const onReply = (event) => {
        if (event.data && event.data.type === "ready") {
          unlisten(replies, "message", onReply);
          resolve();
        }
      };
      listen(replies, "message", onReply);
      apply(portStart, replies, []);
      if (errors) {
        // A script that did not load gives an error event without a message.
        listen(errors, "error", (event) => reject(new ScopeUnavailable(event.message ? `its script failed: ${event.message}` : "its script did not load or run")));
      }
    });
  }

  // Starts a worker of `scope`: { replies (a MessagePort), send(message), retire() }.
  async function startWorker(scope) {
    const serial = ++workerSerial;
    const url = `${WORKER_URL}?scope=${scope}&n=${serial}`;
    if (scope === "worker") {
      if (!WorkerCtor) throw new ScopeUnavailable("this browser has no Worker here");
      const worker = new WorkerCtor(url);
      const channel = new Channel();
      const handle = {
        replies: channel.port1,
        send: (m) => apply(workerPost, worker, [m]),
        retire: () => { apply(workerTerminate, worker, []); apply(portClose, channel.port1, []); },
      };
      try {
        apply(workerPost, worker, [{ type: "hello" }, [channel.port2]]);
        await timeLimit(ready(channel.port1, worker), WORKER_START_MS, `the dedicated worker did not answer within ${WORKER_START_MS} ms`);
      } catch (e) {
        handle.retire();
        throw e;
      }
      return handle;
    }
    if (scope === "sharedworker") {
      // Started from a frame of its own: removing the frame leaves the worker without an owner,
      // and the HTML spec then has the browser terminate it, even one that spins.
      const frame = createElement("iframe");
      frame.style.display = "none";
      appendChild.call(document.body, frame);
      const owner = contentWindowOf.call(frame);
      const retireFrame = () => removeElement.call(frame);
      if (typeof owner.SharedWorker !== "function") {
        retireFrame();
        throw new ScopeUnavailable("this browser has no SharedWorker");
      }
      let worker;
      try {
        worker = new owner.SharedWorker(url, { name: `compatprobe-${serial}` });
      } catch (e) {
        retireFrame();
        throw new ScopeUnavailable(`new SharedWorker() threw ${exceptionOf(e).name}: ${exceptionOf(e).message}`);
      }
      const port = worker.port;
      const handle = { replies: port, send: (m) => apply(portPost, port, [m]), retire: () => { apply(portClose, port, []); retireFrame(); } };
      try {
        const answered = ready(port, worker);
        apply(portPost, port, [{ type: "hello" }]);
        await timeLimit(answered, WORKER_START_MS, `the shared worker did not answer within ${WORKER_START_MS} ms`);
      } catch (e) {
        handle.retire();
        throw e;
      }
      return handle;
    }
    if (scope === "serviceworker") {
      if (!container) throw new ScopeUnavailable(`this page has no navigator.serviceWorker (isSecureContext: ${isSecureContext})`);
      let registration;
      try {
        registration = await timeLimit(
          apply(register, container, [url, { scope: `/compatprobe-sw/${PAGE_KEY}-${serial}/` }]),
          WORKER_START_MS,
          `registering the service worker did not finish within ${WORKER_START_MS} ms`,
        );
      } catch (e) {
        if (e instanceof ScopeUnavailable) throw e;
        throw new ScopeUnavailable(`the service worker did not register: ${exceptionOf(e).name}: ${exceptionOf(e).message}`);
      }
      const unregister = () => apply(promiseThen, apply(unregisterOf, registration, []), [undefined, () => {}]);
      try {
        const worker = registration.installing || registration.waiting || registration.active;
        await timeLimit(
          new Promise((resolve, reject) => {
            const look = () => {
              if (worker.state === "activated") resolve();
              else if (worker.state === "redundant") reject(new ScopeUnavailable("the service worker became redundant before it was activated"));
            };
            listen(worker, "statechange", look);
            look();
          }),
          WORKER_START_MS,
          `the service worker was not activated within ${WORKER_START_MS} ms`,
        );
        const channel = new Channel();
        const handle = {
          replies: channel.port1,
          send: (m) => apply(swPost, worker, [m]),
          retire: () => { apply(portClose, channel.port1, []); unregister(); },
        };
        const answered = ready(channel.port1, null);
        apply(swPost, worker, [{ type: "hello" }, [channel.port2]]);
        await timeLimit(answered, WORKER_START_MS, `the service worker did not answer within ${WORKER_START_MS} ms`);
        return handle;
      } catch (e) {
        unregister();
        throw e;
      }
    }
    throw new ScopeUnavailable(`unknown scope ${scope}`);
  }

  // Sends one batch and follows it: { finished: [records], checked | null, hung, running, silentMs }.
  function runBatchOn(handle, batch, careful, watch) {
    return new Promise((resolve) => {
      const finished = [];
      const timeouts = Object.fromEntries(batch.map(({ probe }) => [probe.id, probe.timeout_ms]));
      let current = null;
      let timer;
      let limit = 0;
      const arm = (ms) => {
        clearTimer(timer);
        limit = ms;
        timer = setTimer(() => end({ hung: true }), ms);
      };
      const onReply = (event) => {
        const data = event.data || {};
        if (data.type === "started") {
          current = data.id;
          arm(timeouts[data.id] + WORKER_GRACE_MS);
        } else if (data.type === "finished") {
          finished.push(data.record);
          current = null;
          arm(WORKER_START_MS);
        } else if (data.type === "checked") {
          end({ checked: data });
        }
      };
      // hung: the worker fell silent; running: the probe it was running then, or null between probes.
      const end = (how) => {
        clearTimer(timer);
        unlisten(handle.replies, "message", onReply);
        resolve({ finished, checked: how.checked || null, hung: !!how.hung, running: current, silentMs: limit });
      };
      listen(handle.replies, "message", onReply);
      arm(WORKER_START_MS);
      handle.send({ type: "batch", items: batch, careful, watch });
    });
  }

  // A changed batch's probes run again as a careful batch: in a fresh worker that checks its
  // global after each probe and stops at the first change (worker.js). The probes before it are
  // published, each found unchanged after it ran; the one after which the global changed runs
  // again alone, unless it was the first probe of a fresh worker, which is what alone means.
  // A worker costs 20 to 50 ms to start (over 100 ms under load), a check in a worker 1 to 3 ms:
  // in Firefox, a report or a CSP violation in a worker defines its interface object on the
  // global, and each such probe changed its batch; running each probe of it alone took a worker
  // per probe, where this takes about one per probe that changes the global.
  function carefully(items) {
    return items.map((item) => ({ item, alone: false, careful: true }));
  }

  function scopeRecord(scope, id, fields) {
    return { probe: id, scope, values: {}, events: [], ...fields };
  }

  // Runs `items` ({probe, source}) in workers of `scope`, publishing outcomes as runAll does.
  async function runScope(scope, items) {
    const s = (scopeStats[scope] = { workers: 0, spares: 0, start_ms: 0, batches: 0, careful: 0, dirty: 0, hung: 0, probes: 0, run_ms: 0, last_change: null });
    const began = now();
    const words = SCOPE_WORDS[scope];
    // Each entry: { item, alone } (alone: run in a fresh worker of its own, which is retired after).
    const queue = items.map((item) => ({ item, alone: !!item.probe.isolate }));
    let handle = null;
    // Once a scope has had to replace a worker (a changed global, a probe run alone, a hang), the next
    // one starts while the current one runs: in Firefox, where a report's body defines its interface
    // object on a worker's global, a scope takes a worker per such probe, and a service worker takes
    // 50 to 100 ms to register and activate. A spare is started after the window's probes are done
    // (this runs after runAll), so no window probe finds it; one left over is retired at the end.
    let spare = null;
    let silences = 0; // workers that fell silent while no probe ran: twice, and the scope is given up
    const retire = () => {
      if (handle) handle.retire();
      handle = null;
    };
    try {
      while (queue.length) {
        const { alone, careful = false } = queue[0];
        const size = alone ? 1 : Math.min(WORKER_BATCH, MAX_UNCOLLECTED);
        // A batch runs inside a runner call, as realms do (see runAll); the call is answered first
        // when its time is up or the batch's outcomes would leave too many uncollected.
        await inCall();
        if (!state.call || state.call.expired || (state.results.length && state.results.length + size > MAX_UNCOLLECTED)) {
          answerCall();
          await inCall();
        }
        if (alone) retire();
        if (!handle) {
          const t0 = now();
          try {
            const next = spare || startWorker(scope);
            spare = null;
            handle = await next;
          } catch (e) {
            const reason = e instanceof ScopeUnavailable ? e.message : `${exceptionOf(e).name}: ${exceptionOf(e).message}`;
            for (const { item } of queue.splice(0)) {
              publish(scopeRecord(scope, item.probe.id, { status: "error", reason: "scope-unavailable", message: `the ${words} could not start: ${reason}` }));
            }
            return;
          }
          s.workers++;
          s.start_ms += now() - t0;
          handle.ran = 0;
          if (s.workers > 1 && queue.length > 1) {
            spare = startWorker(scope);
            apply(promiseThen, spare, [undefined, () => {}]); // a failure is met when it is taken
            s.spares++;
          }
        }
        let taken = alone ? queue.splice(0, 1) : [];
        // Careful entries make careful batches, and others plain ones (carefully).
        const joins = (entry) => !entry.alone && !!entry.careful === careful;
        while (!alone && taken.length < size && queue.length && joins(queue[0])) taken.push(queue.shift());
        state.current = taken[0].item.probe.id;
        s.batches++;
        if (careful) s.careful++;
        const fresh = handle.ran === 0;
        // Once a batch of the scope changed its global, each batch watches the global's keys (worker.js).
        const result = await runBatchOn(handle, taken.map(({ item }) => item), careful, s.dirty > 0);
        const ran = result.finished.length;
        handle.ran += ran;
        // What this batch did not get to goes back to the front of the queue, as it was.
        const blamed = result.hung && result.running !== null;
        const rest = taken.slice(ran + (blamed ? 1 : 0));
        if (result.hung && !blamed) {
          // Silent with no probe running (a service worker the browser stopped, say): no probe is to
          // blame. What finished was never checked, so it runs again alone, in a fresh worker.
          s.hung++;
          retire();
          if (alone && ran) {
            publish(result.finished[0]); // a probe alone in its worker needs no check
            continue;
          }
          if (++silences >= 2) {
            for (const { item } of [...taken, ...queue.splice(0)]) {
              publish(scopeRecord(scope, item.probe.id, { status: "error", reason: "scope-unavailable", message: `the ${words} stopped answering between probes, twice; it was given up` }));
            }
            return;
          }
          queue.unshift(...taken.map(({ item }, i) => ({ item, alone: i < ran || alone })));
          continue;
        }
        if (blamed) {
          s.hung++;
          retire();
          publish(scopeRecord(scope, result.running, {
            status: "timeout",
            reason: "unresponsive",
            message: `the ${words} stopped responding (no answer for ${Math.round(result.silentMs / 1000)} s) while this probe ran; it was terminated`,
          }));
          // Finished but never checked: each runs again alone.
          queue.unshift(...taken.slice(0, ran).map(({ item }) => ({ item, alone: true })), ...rest);
          continue;
        }
        const checked = result.checked;
        if (alone || checked.clean) {
          result.finished.forEach((record) => publish(record));
          queue.unshift(...rest);
        } else if ((checked.stopped && ran) || (fresh && ran === 1)) {
          // Checked after each probe, or only the first of a fresh worker ran: the global changed
          // after the last one that ran.
          s.dirty++;
          s.last_change = checked.change;
          result.finished.slice(0, ran - 1).forEach((record) => publish(record));
          // The first probe of a fresh worker ran as it would alone: its outcome stands.
          const firstOfFresh = fresh && ran === 1;
          if (firstOfFresh) publish(result.finished[0]);
          queue.unshift(...(firstOfFresh ? [] : [{ item: taken[ran - 1].item, alone: true }]), ...rest);
        } else {
          s.dirty++;
          s.last_change = checked.change;
          queue.unshift(...carefully(taken.slice(0, ran).map(({ item }) => item)), ...rest);
        }
        if (alone || !checked.clean || checked.timedOut) retire();
      }
    } finally {
      retire();
      if (spare) apply(promiseThen, spare, [(unused) => unused.retire(), () => {}]);
      s.probes = items.length;
      s.run_ms = now() - began;
    }
  }

  // Every worker scope of the plan, one after another.
  async function runScopes(items) {
    const byScope = new Map();
    for (const item of items) {
      if (!byScope.has(item.probe.scope)) byScope.set(item.probe.scope, []);
      byScope.get(item.probe.scope).push(item);
    }
    for (const [scope, scoped] of byScope) await runScope(scope, scoped);
  }
