// compatprobe's in-page harness.
//
// The runner loads this page once per target, calls __compatprobe.start(plan) and then
// long-polls __compatprobe.next(ms) for outcomes. Probes run in same-origin iframes (realms):
// in batches in a realm that is checked after each batch, or each in a fresh one (see Realms
// below), so a probe that breaks a prototype or a global changes no other probe's outcome. The
// page itself is reused, which keeps a probe well under a millisecond instead of paying a new
// browser context each time.
//
// Uses, from common.js: the probe API (makeApi, runBody, compile, unparsed, exceptionOf), the harness's own
//   tools (apply, listen, unlisten, promiseThen, setTimer, clearTimer) and its captured globals;
//   from realm.js: snapshotOf, changeOf, propertiesOf, timersOf, cancelTimers, watchTaint and the
//   Reflect tools; from scopes.js: runScopes, scopeStats.
// Gives scopes.js: state, inCall, answerCall, publish, MAX_UNCOLLECTED, now, createElement,
//   appendChild, removeElement, contentWindowOf; and the page: window.__compatprobe.
(() => {
  "use strict";

  const HARNESS_VERSION = 1;

  // Ending, repr, exceptionOf, the helper files, the probe API `t` and runBody, shared with the
  // worker harness: common.js, put here by harness_script().
  /*@COMMON@*/

  // The realm check (snapshot, comparison, timers, uncaught errors), shared with worker.js: realm.js.
  /*@REALM@*/

  // The line of a probe's syntax error, as the browser reports it for a classic script: the
  // Function constructor reports none. The source is compiled (never run) as a function
  // expression in this page: WebKit mutes the error of a script in an about:blank frame. A
  // capturing listener on the window itself runs before the realm watchers, and stops the event.
  function syntaxLine(source) {
    let line = null;
    const seen = (event) => {
      line = event.lineno || null;
      event.stopImmediatePropagation();
      event.preventDefault();
    };
    apply(addListener, window, ["error", seen, true]);
    const script = createElement("script");
    try {
      // One line of wrapper, so the browser's line numbers count the probe's source from 1.
      script.textContent = `(async function (t) { "use strict";\n${source}\n});`;
      appendChild.call(document.head, script);
      return line ? line - 1 : null;
    } catch (_) {
      return null;
    } finally {
      removeElement.call(script);
      apply(removeListener, window, ["error", seen, true]);
    }
  }

  // Waits until neither the realm nor this page has transient user activation (see runAll): a
  // probe runs as on a page nobody clicked. Chromium and WebKit never give a new realm any, so
  // this costs one property read there; Firefox can pass the page's on to a realm, for a short
  // while with the preference compatprobe starts it with. Bounded, so a browser whose activation
  // never expires still runs its probes (the runner allows a probe its deadline plus a grace).
  const ACTIVATION_WAIT_MS = 2500;
  // This page's own getters, so that a probe that replaced its realm's cannot run code here.
  const getter = (obj, key) => obj && Object.getOwnPropertyDescriptor(obj, key)?.get;
  const navigatorOf = getter(window, "navigator") || getter(Window.prototype, "navigator");
  const userActivationOf = getter(Navigator.prototype, "userActivation");
  const isActiveOf = getter(globalThis.UserActivation?.prototype, "isActive");
  function isActive(win) {
    if (!navigatorOf || !userActivationOf || !isActiveOf) return false; // no API: nothing to wait for
    try {
      return apply(isActiveOf, apply(userActivationOf, apply(navigatorOf, win, []), []), []);
    } catch (_) {
      return false;
    }
  }
  async function withoutActivation(win) {
    if (!isActive(win)) return;
    const began = now();
    stats.activation_waits++;
    while ((isActive(win) || isActive(window)) && now() - began < ACTIVATION_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    stats.activation_ms += now() - began;
  }

  // Runs one probe in `realm` and returns its outcome record; never throws.
  async function runProbe(realm, probe, source) {
    const record = { probe: probe.id, status: "error", values: {}, events: [] };
    let body;
    try {
      body = compile(realm.AsyncFunction, source, stats); // the realm's, so the probe's globals are the realm's
    } catch (e) {
      const line = syntaxLine(source);
      Object.assign(record, unparsed(e));
      if (line) record.line = line; // of the source; the runner adds the file and its metadata lines
      return record;
    }
    await withoutActivation(realm.win);
    const memo = realm.snapshot ? (key, make) => remember(realm, key, make) : undefined;
    const t = makeApi({ global: realm.win, scope: "window", window: realm.win, where: "", probe, record, memo });
    return runBody(body, t, probe, record, [realm.win, window]);
  }

  // ---- Realms -------------------------------------------------------------------------------
  //
  // A realm is a same-origin iframe. Making one costs 5 to 15 ms, far more than a small probe,
  // so probes share a realm in batches. After each batch the realm is compared with a snapshot
  // taken when it was new (see snapshot()); if anything differs, the batch's outcomes are
  // dropped and its probes run again in halves, each checked as a batch, down to each alone in a
  // realm of its own (regroup). So every outcome comes from a realm that was verified clean after
  // the probe ran, or from a fresh one.

  // Probes between two checks: 32 at first, twice as many after each clean batch, up to 1024, and
  // 32 again after a dirty one, whose probes all run again (regroup). A check compares the whole
  // realm (4,000 objects in a sweep, 5-7 ms) whatever the batch's size, so a sweep of read-only
  // probes checks 30 times, not 65 as with batches of 256 or 200 ms. A realm lives for its call
  // either way: a batch's size changes how soon a change is caught and how many probes run again,
  // not which outcomes are kept.
  const BATCH_FIRST = 32;
  const BATCH_MOST = 1024;
  const BATCH_MS = 500; // a batch also ends after this long, so outcomes keep flowing
  const REALM_PROBES = 3000; // a realm is replaced after this many probes, to bound what leaks
  const YIELD_EVERY_MS = 50; // how often the loop lets the page run its other tasks
  // Plans this short run each probe alone. A realm costs 7-15 ms in the page, and about as much
  // again in the browser process and Playwright's driver, which instrument every frame; a
  // snapshot costs 20-60 ms: beyond a handful of probes, one checked realm is cheaper.
  const SMALL_PLAN = 4;

  // The harness's own tools, taken before any probe runs: a probe can reach this page through
  // t.window.parent, and must not be able to change how realms are checked.
  const now = performance.now.bind(performance);
  const documentElementOf = Object.getOwnPropertyDescriptor(Document.prototype, "documentElement").get;
  const outerHTMLOf = Object.getOwnPropertyDescriptor(Element.prototype, "outerHTML").get;
  const createElement = Document.prototype.createElement.bind(document);
  const appendChild = Node.prototype.appendChild;
  const removeElement = Element.prototype.remove;
  const contentWindowOf = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow").get;
  const isConnectedOf = Object.getOwnPropertyDescriptor(Node.prototype, "isConnected").get;

  // Objects reached through getters that probes commonly touch (a probe that sets
  // navigator.mediaDevices.getUserMedia gives that object an own property).
  const SINGLETONS = [
    "document", "document.documentElement", "document.head", "document.body", "navigator",
    "navigator.mediaDevices", "navigator.permissions", "location", "history", "screen",
    "performance", "crypto", "crypto.subtle", "customElements",
  ];

  const stats = { home_checks: 0, home_ms: 0, realms: 0, realm_ms: 0, snapshot_ms: 0, objects: 0, properties: 0, checks: 0, check_ms: 0, dirty: 0, last_change: null, shared: 0, isolated: 0, probe_ms: 0, uncompiled: 0, run_ms: 0, yields: 0, yield_ms: 0, activation_waits: 0, activation_ms: 0, lent: 0, borrowed: 0 };

  function openRealm() {
    const began = now();
    const frame = createElement("iframe");
    // Rendered, as a page is (a display: none frame gets no computed style in Firefox, and no
    // layout anywhere), yet unseen and out of the way of the pointer.
    frame.style.cssText = "position: absolute; left: 0; top: 0; border: 0; opacity: 0; pointer-events: none; z-index: -1";
    appendChild.call(document.body, frame);
    const win = contentWindowOf.call(frame);
    const realm = { frame, win, AsyncFunction: win.eval("(async function () {}).constructor"), probes: 0, snapshot: null, memo: new Map() };
    stats.realms++;
    stats.realm_ms += now() - began;
    return realm;
  }

  function closeRealm(realm) {
    if (realm.taint) realm.taint.stop();
    removeElement.call(realm.frame);
  }

  // What the probes after this one could see of the realm: its global (realm.js: snapshotOf) and
  // the document's markup.
  function snapshot(realm) {
    const began = now();
    const snap = snapshotOf(realm.win, SINGLETONS);
    snap.document = realm.win.document;
    snap.markup = outerHTMLOf.call(documentElementOf.call(snap.document));
    realm.snapshot = snap;
    stats.objects = snap.records.length;
    stats.properties = snap.properties;
    stats.snapshot_ms += now() - began;
  }

  // A value the probes of a shared realm look at (an instance), made by the first that asks. It
  // joins the snapshot with the objects up its prototype chain that the snapshot had not reached
  // (a WebGL extension's prototype has no interface object), so a probe that changes it dirties
  // its batch like any change to the realm.
  // An object whose properties cannot all be read back (Chromium's element.style) is not shared:
  // each probe makes its own, as without a memo.
  function remember(realm, key, make) {
    if (realm.memo.has(key)) return realm.memo.get(key);
    const value = make();
    const snap = realm.snapshot;
    snap.seen ??= new Set(snap.records.map((r) => r.obj));
    const records = [];
    try {
      for (let obj = value; obj !== null && (typeof obj === "object" || typeof obj === "function") && !snap.seen.has(obj); obj = getPrototypeOf(obj)) {
        records.push(propertiesOf(obj));
      }
    } catch (_) {
      return value;
    }
    for (const r of records) {
      snap.seen.add(r.obj);
      snap.records.push(r);
    }
    realm.memo.set(key, value);
    return value;
  }

  // A changed batch's probes run again as its two halves, each a batch of its own in a checked
  // realm, and a half found changed is halved again; a group of this many or fewer runs each probe
  // alone. One probe that changes its realm then costs about two realms per halving instead of a
  // realm for each probe of its batch (Firefox resolves some interface objects of a realm only
  // when a probe first names them, and a probe's ReportingObserver can throw after it settled).
  // An outcome still comes from a realm found unchanged after the probe ran, or from its own.
  const SPLIT_ALONE = 2;

  // `finished` ({probe, source}) as groups to run again: halves, each ending at a probe marked
  // `last` (a batch never runs past it), or alone when few.
  function regroup(finished) {
    if (finished.length <= SPLIT_ALONE) return finished.map(({ probe, source }) => ({ probe, source, alone: true }));
    const half = Math.ceil(finished.length / 2);
    return finished.map(({ probe, source }, i) => ({ probe, source, again: true, last: i === half - 1 || i === finished.length - 1 }));
  }

  // Is the realm as its snapshot saw it? (realm.js: changeOf), with its frame and document.
  function isClean(realm) {
    const began = now();
    stats.checks++;
    const changed = (what) => {
      stats.last_change = what;
      return false;
    };
    try {
      const snap = realm.snapshot;
      if (!apply(isConnectedOf, realm.frame, []) || contentWindowOf.call(realm.frame) !== realm.win) return changed("the realm's frame");
      const what = changeOf(snap, realm.win);
      if (what) return changed(what);
      if (realm.win.document !== snap.document) return changed("document");
      if (outerHTMLOf.call(documentElementOf.call(snap.document)) !== snap.markup) return changed("the document's markup");
      return true;
    } catch (e) {
      return changed(`checking threw ${exceptionOf(e).name}`);
    } finally {
      stats.check_ms += now() - began;
    }
  }

  // A probe alone in a realm made for it.
  async function runIsolated(probe, source) {
    const realm = openRealm();
    try {
      stats.isolated++;
      return await runProbe(realm, probe, source);
    } finally {
      closeRealm(realm);
    }
  }

  // Lets the page run its queued tasks (such as the runner's next() call) between probes. A
  // message, unlike setTimeout(0), is not clamped to 4 ms when the loop runs from a timer.
  const channel = new MessageChannel();
  const resumes = [];
  channel.port1.onmessage = () => resumes.shift()();
  function yieldToPage() {
    return new Promise((resolve) => {
      resumes.push(resolve);
      channel.port2.postMessage(null);
    });
  }

  // Runs `items` ({probe, source}) and publishes each outcome once it can be trusted: after its
  // batch's realm was found clean, or from a realm of its own. At most MAX_UNCOLLECTED probes
  // ever finish without the runner having their outcomes (published or still in a batch).
  //
  // Probes run only while a runner call (next()) is open, and every realm is closed before the
  // call is answered. The reason: Playwright's drivers give the page transient user activation
  // at the start of each call (CDP userGesture, BiDi userActivation), and Chromium and Firefox
  // hand it to every same-origin frame that exists at that moment, for 5 s. A realm that lived
  // across a call would then run its later probes "after a click" and a fresh realm would not:
  // in Firefox navigator.clipboard.readText() waits for a paste menu nobody answers in the one
  // and rejects NotAllowedError in the other, so an outcome depended on its batch companions.
  // A realm made after the call began has no activation, and no call begins while a probe runs.
  async function runAll(items) {
    let realm = null;
    let batch = [];
    let batchBegan = 0;
    let lastYield = now();
    const small = items.length <= SMALL_PLAN;
    let batchLimit = BATCH_FIRST;
    // The probes of changed batches, to run (regroup) before the plan goes on, in the plan's order.
    let again = [];
    // Shared with lend(): the runner may hand the plan's last movable probes to another page.
    const queue = { items, taken: 0 };
    state.queue = queue;

    const pace = async () => {
      if (now() - lastYield >= YIELD_EVERY_MS) {
        const began = now();
        await yieldToPage();
        lastYield = now();
        stats.yields++;
        stats.yield_ms += lastYield - began;
      }
    };
    // Ends the open call once its time is up or enough outcomes wait, and only after the realm
    // it saw is settled and closed.
    const endCall = async (force) => {
      if (!state.call) return;
      if (!force && !state.call.expired && !state.lent.length && state.results.length + batch.length < MAX_UNCOLLECTED) return;
      await settle(true);
      answerCall();
    };
    const settle = async (retire) => {
      if (!realm) return;
      const taint = realm.broken || realm.taint.what;
      if (taint) stats.last_change = taint;
      const clean = !taint && (batch.length === 0 || isClean(realm));
      const finished = batch;
      batch = [];
      if (clean) {
        finished.forEach(({ record }) => publish(record));
        if (finished.length >= batchLimit) batchLimit = Math.min(2 * batchLimit, BATCH_MOST);
      } else {
        stats.dirty++;
        batchLimit = BATCH_FIRST;
      }
      if (!clean || retire || realm.probes >= REALM_PROBES) {
        closeRealm(realm);
        realm = null;
      }
      if (!clean) again = [...regroup(finished), ...again];
    };

    for (;;) {
      const item = again.length ? again.shift() : queue.taken < items.length ? items[queue.taken++] : null;
      if (!item) {
        if (!realm) {
          state.queue = null;
          break;
        }
        await inCall(); // a realm only lives inside a call, so this returns at once
        await settle(true);
        continue;
      }
      const { probe, source } = item;
      await inCall();
      state.current = probe.id;
      if (small || probe.isolate || item.alone) {
        publish(await runIsolated(probe, source));
        await endCall(false);
        await pace();
        continue;
      }
      if (!realm) {
        realm = openShared();
        batchBegan = now();
      }
      const began = now();
      const outcome = await runProbe(realm, probe, source);
      stats.probe_ms += now() - began;
      stats.shared++;
      realm.probes++;
      batch.push({ probe, source, record: outcome });
      if (!cancelTimers(realm.timers)) realm.broken = "timer ids did not count up";
      // A probe that timed out may still be running: check what it did so far, then let the realm go.
      const timedOut = outcome.status === "timeout";
      // A group run again ends at its last probe (regroup), not at the batch limit.
      const full = item.again ? item.last : batch.length >= batchLimit;
      if (timedOut || realm.broken || realm.taint.what || full || now() - batchBegan >= BATCH_MS || realm.probes >= REALM_PROBES) {
        await settle(timedOut);
        batchBegan = now();
      }
      await endCall(false);
      await pace();
    }
  }

  // A realm for many probes: its snapshot, its own timer functions, and a watch for errors that
  // nobody caught, in it or in this page (realm.js: watchTaint).
  function openShared() {
    const realm = openRealm();
    snapshot(realm);
    realm.timers = timersOf(realm.win);
    realm.taint = watchTaint([realm.win, window]);
    realm.broken = "";
    return realm;
  }

  /*@SCOPES@*/

  // Outcomes the runner has not collected yet are lost with the page if a probe breaks it, and the
  // runner must then re-run them to tell who broke it: a bound on them bounds that work.
  const MAX_UNCOLLECTED = /*@MAX_UNCOLLECTED@*/ 32; // set by harness_script() (harness/__init__.py)

  // `call`: the runner's open next() call, if any (see runAll); `busy`: the scheduler is running
  // a probe, so the call is answered at its next safe point rather than by its timer;
  // `compromised`: what a probe changed of this page (see checkHome), after which nothing runs.
  const state = { results: [], call: null, callWaiters: [], busy: false, calls: 0, done: false, current: null, fatal: null, started: false, compromised: "", token: null, sources: null, queue: null, lent: [] };

  // ---- This page itself ---------------------------------------------------------------------
  //
  // A probe reaches this page through t.window.parent or top, and could replace what the harness
  // uses (Object.assign, Promise, Array.prototype methods, JSON.stringify) to forge every later
  // outcome. The harness uses its own references, taken before any probe ran (common.js,
  // realm.js and the constants above), and checks this page as it checks a realm before any
  // outcome leaves it: once the page differs from its snapshot, the harness drops every outcome
  // not yet handed over, runs nothing more and answers only `compromised` (what changed). The
  // runner then finds the probe that does it again alone (rounds.py) and blames it alone.
  // The document's markup is left out: the harness adds and removes its realms' frames.
  const HOME_SINGLETONS = ["document", "navigator", "location", "history", "performance", "crypto"];
  let home = null;

  function checkHome() {
    if (state.compromised) return false;
    const began = now();
    const what = changeOf(home, window);
    stats.home_checks++;
    stats.home_ms += now() - began;
    if (what) state.compromised = `it found its own page changed (${what})`;
    return !what;
  }

  // Stops the scheduler at its next safe point once this page cannot be trusted.
  const COMPROMISED = Symbol("compromised");

  // The outcomes to hand over, once this page is found as it was. The answer is built and read
  // with the harness's own references only: for a compromised page, no object that a probe's
  // toJSON or getters could reach.
  function drain() {
    if (state.results.length && !checkHome()) state.results = [];
    if (state.compromised) return { __proto__: null, compromised: state.compromised, done: true };
    const results = state.results;
    state.results = [];
    const answer = { results, done: state.done, current: state.current, fatal: state.fatal };
    if (state.lent.length) {
      answer.lent = state.lent;
      state.lent = [];
    }
    return answer;
  }

  function answerCall() {
    const call = state.call;
    if (!call) return;
    state.call = null;
    apply(clearTimer, window, [call.timer]);
    call.resolve(drain());
  }

  // Returns once a runner call is open (at once when one is): probes run only inside one (see
  // runAll), and while they run the call is answered only at the scheduler's safe points.
  async function inCall() {
    if (!state.call) {
      state.busy = false;
      await new Promise((wake) => { state.callWaiters[state.callWaiters.length] = wake; });
    }
    if (state.compromised) throw COMPROMISED;
    state.busy = true;
  }

  function publish(record) {
    state.results[state.results.length] = record;
  }

  async function start(plan) {
    if (state.started) {
      // Only a probe calls start() again: it reached for the harness.
      state.compromised = "it was started again";
      return;
    }
    state.started = true;
    state.token = typeof plan.token === "string" && plan.token ? plan.token : null;
    const began = now();
    home = snapshotOf(window, HOME_SINGLETONS);
    stats.home_ms += now() - began; // the snapshot, then each check
    try {
      const response = await fetch(plan.sources_url, { cache: "no-store" });
      if (!response.ok) throw new Error(`${plan.sources_url}: HTTP ${response.status}`);
      state.sources = await response.json();
      const items = itemsOf(unitsOf(plan.probes));
      const began = now();
      // Window probes first, in realms; then each worker scope's (scopes.js).
      await runAll(items.filter(({ probe }) => !probe.scope || probe.scope === "window"));
      stats.run_ms = now() - began;
      await runScopes(items.filter(({ probe }) => probe.scope && probe.scope !== "window"));
    } catch (e) {
      failed(e);
    } finally {
      finish();
    }
  }

  // The plan's units, which arrive in columns (plan_columns in harness/__init__.py), an object each.
  function unitsOf(columns) {
    const { ids, scopes, scope_names: names, timeout_ms: deadlines, isolate, movable } = columns;
    const units = [];
    for (let i = 0; i < ids.length; i++) {
      units[i] = { id: ids[i], scope: names[scopes[i]], timeout_ms: deadlines[i], isolate: isolate[i] === 1, movable: movable[i] === 1 };
    }
    return units;
  }

  // The plan's probes with their sources; a probe without one gets an outcome that says so.
  function itemsOf(probes) {
    const items = [];
    for (const probe of probes) {
      const source = state.sources[probe.id];
      if (typeof source === "string") items.push({ probe, source });
      else publish({ probe: probe.id, scope: probe.scope, status: "error", reason: "setup", message: "the harness was not given this probe's source", values: {}, events: [] });
    }
    return items;
  }

  function failed(e) {
    if (e !== COMPROMISED) state.fatal = `${exceptionOf(e).name}: ${exceptionOf(e).message}`;
  }

  function finish() {
    state.current = null;
    state.done = true;
    state.busy = false;
    answerCall();
  }

  // The runner's token, which only it and this closure know: lend() and more() obey only it.
  function fromRunner(arg, what) {
    if (state.token && arg && arg.token === state.token) return true;
    state.compromised = `it was asked to ${what}`;
    return false;
  }

  // Sets aside the last `share` of the window probes not yet started whose plan marks them
  // `movable` (generated ones, which ask what exists: no page or origin changes that), for the
  // runner to give to a page done with its own plan; at least `least`, or none. Runs only between
  // probes: a call begins only then.
  function lend(share, least) {
    const queue = state.queue;
    if (!queue) return;
    const items = queue.items;
    let first = items.length;
    while (first > queue.taken && items[first - 1].probe.movable) first--;
    const count = Math.floor((items.length - first) * share);
    if (!(count >= least)) return;
    for (let i = items.length - count; i < items.length; i++) {
      state.lent[state.lent.length] = [items[i].probe.id, items[i].probe.scope || "window"];
    }
    items.length -= count;
    stats.lent += count;
  }

  // Window probes that another page lent, for this page once it is done with its own plan.
  async function more(plan) {
    if (!fromRunner(plan, "run more probes") || !state.done || state.compromised) {
      state.compromised = state.compromised || "it was given more probes before it was done";
      return;
    }
    state.done = false;
    try {
      const items = itemsOf(unitsOf(plan.probes));
      stats.borrowed += items.length;
      await runAll(items);
    } catch (e) {
      failed(e);
    } finally {
      finish();
    }
  }

  // Gives `deliver` the outcomes finished since the last call, after about `ms` or sooner when
  // enough wait; never while a probe runs (so it may take up to that probe's deadline longer).
  function nextThen(arg, deliver) {
    // A number (how long to wait), or {ms, lend, least, token}: the runner asks for probes to lend.
    const ms = typeof arg === "number" ? arg : arg && arg.ms;
    if (typeof arg === "object" && arg !== null && fromRunner(arg, "lend probes")) lend(arg.lend, arg.least);
    // A call the runner gave up on gets nothing: the outcomes stay for the call that replaced it.
    if (state.call) {
      const old = state.call;
      apply(clearTimer, window, [old.timer]);
      old.resolve(state.compromised ? drain() : { results: [], done: false, current: state.current, fatal: state.fatal });
    }
    const call = { resolve: deliver, expired: false, timer: 0 };
    state.call = call;
    state.calls++;
    if (state.done || state.compromised || (!state.busy && (state.results.length || state.lent.length))) {
      answerCall();
      return;
    }
    call.timer = apply(setTimer, window, [() => {
      call.expired = true;
      if (!state.busy && state.call === call) answerCall();
    }, ms]);
    const waiters = state.callWaiters;
    state.callWaiters = [];
    for (let i = 0; i < waiters.length; i++) waiters[i]();
  }

  function next(ms) {
    return new Promise((resolve) => nextThen(ms, resolve));
  }

  // What the browser says about the system it runs on: for a remote browser that is not the
  // machine running compatprobe. userAgentData (Chromium, secure contexts) gives more than the UA.
  async function about() {
    const report = { platform: navigator.platform || null };
    const data = navigator.userAgentData;
    if (data) {
      report.ua_platform = data.platform || null;
      // Which product this is (Chromium, Google Chrome, Edge): a WebDriver server says "chrome" for all.
      report.brands = (data.brands || []).map((b) => b.brand);
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

  const stringify = JSON.stringify;
  const parse = JSON.parse;
  // Any method of the api below, asked and answered in JSON text: a browser's protocol carries one
  // string much faster than a tree of objects (Firefox's BiDi serializes each node in JavaScript;
  // a plan of 12,000 probes took 4.8 s to arrive as objects). `done` gets the text: next()'s
  // answer is never a promise handed to code a probe could have replaced (Promise.prototype.then).
  function answer(method, text, done, failed) {
    try {
      const arg = text === undefined ? undefined : parse(text);
      if (method === "next") return nextThen(arg, (value) => done(stringify(value)));
      apply(promiseThen, Promise.resolve(api[method](arg)), [(value) => done(stringify(value)), failed]);
    } catch (e) {
      failed(e);
    }
  }
  const api = {
    version: HARNESS_VERSION,
    start(plan) {
      start(plan); // runs on; next() reports
      return about().then((platform) => ({ harness: HARNESS_VERSION, user_agent: navigator.userAgent, platform }));
    },
    next,
    more(plan) {
      more(plan); // runs on; next() reports
      return true;
    },
    // Counters and times (ms) of the realm strategy, for bench/ and for debugging.
    stats: () => ({ ...stats, scopes: { ...scopeStats } }),
    json: (method, text) => new Promise((resolve, reject) => answer(method, text, resolve, reject)),
    // The same for a WebDriver script, which is given a callback.
    answer,
  };

  Object.defineProperty(window, "__compatprobe", {
    value: Object.freeze(api),
    configurable: false,
    writable: false,
  });
})();
