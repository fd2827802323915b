  // ---- What the window harness (core.js) and the worker harness (worker.js) share -----------
  //
  // Outcomes as endings, how values and exceptions are written down, the probe API `t` built
  // for one global, and how one probe's body is run to its outcome. harness/__init__.py puts
  // this file inside each harness's closure, so a probe reaches none of it except through `t`.
  //
  // Uses: nothing from the other files; the helper files (helpers/*.js) are put in place of its
  //   marker and call helper(name, make).
  // Gives: the harness's captured globals (Object, Array, Promise, JSON, ...) and tools (apply,
  //   promiseThen, toTag, listen, unlisten, setTimer, clearTimer, later, cancel, assign, resolved,
  //   race, after, bounded); repr, exceptionOf, compile, unparsed; makeApi (a probe's `t`) and runBody.

  const MAX_REPR = 300;
  // An exception's message is cut to this many characters inside the browser, before it crosses
  // the protocol: a 50 MB message took Chromium and Firefox past the runner's patience.
  const MAX_MESSAGE = 2000;

  // The harness's own globals, taken before any probe runs: a window's probes can reach the
  // harness page (t.window.parent, top) and replace its globals (top.Promise = ...), and a
  // worker's probes share its global. What the harness calls on them is taken too where a probe
  // could otherwise forge an outcome through it; whatever else a probe changes in the harness
  // page is found by the page's check (core.js: checkHome), and in a worker by its batch's.
  const { Object, Array, Promise, JSON, String, Symbol, Set, Map, Error, RegExp, Reflect } = globalThis;
  const assign = Object.assign;
  const stringifyJSON = JSON.stringify;
  const isArray = Array.isArray;
  const promiseResolve = Promise.resolve;
  const promiseRace = Promise.race;
  const resolved = (value) => apply(promiseResolve, Promise, [value]);
  const race = (promises) => apply(promiseRace, Promise, [promises]);
  const after = (promise, onFulfilled, onRejected) => apply(promiseThen, promise, [onFulfilled, onRejected]);

  // The harness's own tools, taken before any probe runs: a worker's probes share its global,
  // and a window's can reach the harness page through t.window.parent.
  const apply = Reflect.apply;
  const promiseThen = Promise.prototype.then; // works on any realm's promises
  const toTag = Object.prototype.toString;
  // The harness global's own listener functions: they work on any realm's objects, and a probe
  // that replaced its realm's EventTarget.prototype methods cannot get the harness to call its code.
  const { addEventListener: addListener, removeEventListener: removeListener } = EventTarget.prototype;
  const listen = (target, type, fn) => apply(addListener, target, [type, fn]);
  const unlisten = (target, type, fn) => apply(removeListener, target, [type, fn]);
  const HOME = globalThis; // the harness's global: the harness page, or the worker
  const setTimer = HOME.setTimeout;
  const clearTimer = HOME.clearTimeout;
  const later = (fn, ms) => apply(setTimer, HOME, [fn, ms]);
  const cancel = (id) => apply(clearTimer, HOME, [id]);

  // An Ending ends a probe early; it is thrown through the probe's own code.
  class Ending {
    constructor(outcome) {
      this.outcome = outcome;
    }
  }

  function repr(value, depth = 0) {
    let text;
    try {
      if (value === null) text = "null";
      else if (value === undefined) text = "undefined";
      else if (typeof value === "string") text = stringifyJSON(value);
      else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = String(value);
      else if (typeof value === "symbol") text = value.toString();
      else if (typeof value === "function") text = `function ${value.name || "(anonymous)"}`;
      else if (isArray(value)) {
        text = depth > 1 ? `Array(${value.length})` : `[${value.slice(0, 10).map((v) => repr(v, depth + 1)).join(", ")}${value.length > 10 ? ", …" : ""}]`;
      } else text = apply(toTag, value, []);
    } catch (e) {
      text = "[unrepresentable]";
    }
    return text.length > MAX_REPR ? text.slice(0, MAX_REPR) + "…" : text;
  }

  // Text a probe controls, cut to `most` characters; the cut says how long it was.
  function bounded(text, most = MAX_MESSAGE) {
    return text.length > most ? `${text.slice(0, most)}… (${text.length} characters, cut)` : text;
  }

  function exceptionOf(e) {
    if (e !== null && typeof e === "object") {
      let name, message;
      try { name = bounded(String(e.name), MAX_REPR); } catch (_) { name = "?"; }
      try { message = bounded(String(e.message)); } catch (_) { message = ""; }
      return { name, message };
    }
    return { name: typeof e, message: repr(e) };
  }

  // Filled by the helper files harness/__init__.py puts in place of the marker below (the
  // worker harness gets those marked for workers): helper(name, make).
  const HELPERS = [];
  function helper(name, make) {
    HELPERS.push(make);
  }
  /*@HELPERS@*/

  // A value whose `then` is a function: awaited like a promise. Reading `then` may throw (a
  // probe's own object); such a value is not a promise.
  function isThenable(value) {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
    try {
      return typeof value.then === "function";
    } catch (_) {
      return false;
    }
  }

  function threw(label, e, name) {
    const ex = exceptionOf(e);
    const verb = name === undefined ? "threw" : ex.name === name ? `threw ${name}, as the spec says` : `threw ${ex.name}; the spec says ${name}`;
    return new Ending({
      status: "throws",
      exception: { ...ex, expected: name === undefined ? false : ex.name === name },
      message: `${label} ${name === undefined ? "threw" : verb}`,
    });
  }

  // A probe's `t` in the scope whose global is `global`; `window` is the window, in a window.
  // `where` ends the message of a path that does not resolve. `memo` (key, make) gives a value
  // made once for every probe of the realm, or made anew without one. `t` is one object literal
  // with every field in it: adding properties to it afterwards cost 20 times as much.
  function makeApi({ global, scope, window, where, probe, record, memo = (key, make) => make() }) {
    const cleanups = [];
    // Promises of checked calls: the probe ends with the first that rejects, awaited or not.
    const pending = [];
    const follow = (promise) => {
      apply(promiseThen, promise, [undefined, () => {}]); // handled here: the harness reads it at the end
      pending.push(promise);
      return promise;
    };
    const t = {
      __proto__: helperProto ?? Object.prototype,
      window, // undefined in a worker
      global, // the probe's global in every scope (a worker has no window)
      scope,
      id: probe.id,

      // Ends the probe as unsupported when a path such as "RTCPeerConnection.prototype.removeStream"
      // does not resolve. The first segment missing means the interface is missing. The path is
      // kept: one that no browser of the run has may be a typo rather than a gap (see suspects.py).
      require(path) {
        const parts = path.split(".");
        let obj = global;
        for (let i = 0; i < parts.length; i++) {
          const name = parts[i];
          if (obj === null || obj === undefined || !(name in Object(obj))) {
            throw new Ending({
              status: "unsupported",
              reason: i === 0 ? "interface-missing" : "member-missing",
              message: bounded(`${parts.slice(0, i + 1).join(".")} is not defined${where}`),
              path: bounded(path),
            });
          }
          try {
            obj = obj[name];
          } catch (e) {
            // An attribute read on its prototype throws (Illegal invocation); it is there all the same.
            if (i === parts.length - 1) return undefined;
            throw e;
          }
        }
        // A promise attribute read on its prototype (Animation.prototype.ready) returns a rejected
        // promise instead of throwing: handled here, it is not an error the probe left behind.
        if (typeof obj === "object" && obj !== null) {
          try {
            apply(promiseThen, obj, [undefined, () => {}]);
          } catch (_) { /* not a promise */ }
        }
        return obj;
      },

      // Calls the API under test. A throw, or a returned promise that rejects, ends the probe as
      // "throws" (not what the spec expects). A plain value is returned as it is; a promise is
      // followed and its value returned through a promise (await it).
      call(label, fn) {
        let value;
        try {
          value = fn();
        } catch (e) {
          throw threw(label, e);
        }
        if (!isThenable(value)) {
          record.values[label] = repr(value);
          return value;
        }
        return follow(after(
          resolved(value),
          (settled) => {
            record.values[label] = repr(settled);
            return settled;
          },
          (e) => {
            throw threw(label, e);
          },
        ));
      },

      // Calls the API under test where the spec says it throws `name` (or its promise rejects with it).
      throws(name, label, fn) {
        let value;
        try {
          value = fn();
        } catch (e) {
          throw threw(label, e, name);
        }
        const returned = (v, how) => {
          record.values[label] = repr(v);
          return new Ending({
            status: "unsupported",
            reason: "behaviour",
            message: `${label} ${how} ${repr(v)}; the spec says it ${how === "returned" ? "throws" : "rejects with"} ${name}`,
          });
        };
        if (!isThenable(value)) throw returned(value, "returned");
        return follow(after(
          resolved(value),
          (settled) => {
            throw returned(settled, "resolved with");
          },
          (e) => {
            throw threw(label, e, name);
          },
        ));
      },

      // The probe's own preparation (connections, tracks, a negotiation): when it fails the probe
      // ends as an error of its setup, never as the browser lacking the feature. A missing
      // interface (t.require) still ends it as unsupported; a failed t.check is a setup failure.
      setup(label, fn) {
        const failed = (e) => {
          if (e instanceof Ending) {
            const { status, reason } = e.outcome;
            // A missing interface is still the browser's answer, and an inner setup keeps its own label.
            if ((status === "unsupported" && reason !== "behaviour") || (status === "error" && reason === "setup")) return e;
          }
          const ex = e instanceof Ending ? e.outcome.exception : exceptionOf(e);
          const what = e instanceof Ending ? e.outcome.message : `${ex.name}: ${ex.message}`;
          const outcome = { status: "error", reason: "setup", message: `setup "${label}" failed: ${what}` };
          if (ex) outcome.exception = { name: ex.name, message: ex.message };
          return new Ending(outcome);
        };
        let value;
        try {
          value = fn();
        } catch (e) {
          throw failed(e);
        }
        if (!isThenable(value)) return value;
        return follow(after(resolved(value), undefined, (e) => {
          throw failed(e);
        }));
      },

      // A behaviour the row describes did not happen.
      check(condition, message) {
        if (!condition) throw new Ending({ status: "unsupported", reason: "behaviour", message: bounded(String(message)) });
      },

      value(key, value) {
        record.values[key] = repr(value);
        return value;
      },

      // Records every `type` event on `target` from now on. The watcher keeps each event as data
      // (`events`: its type and the `fields` asked for, read when it fired), its `count`, and
      // wait(ms, n = 1), which resolves true once n events in all were seen (those seen before
      // the call count), or false after ms. `options` may be a label string (the old form).
      watch(target, type, options = {}) {
        const { label = type, fields = [] } = typeof options === "string" ? { label: options } : options;
        const watcher = { count: 0, events: [], waiters: [] };
        const listener = (event) => {
          const seen = { type: event.type };
          for (const field of fields) {
            try {
              seen[field] = event[field];
            } catch (e) {
              seen[field] = `[threw ${exceptionOf(e).name}]`;
            }
          }
          watcher.count++;
          watcher.events.push(seen);
          record.events.push(bounded(String(label), MAX_REPR));
          watcher.waiters = watcher.waiters.filter((w) => !w());
        };
        target.addEventListener(type, listener);
        cleanups.push(() => target.removeEventListener(type, listener));
        watcher.wait = (ms, n = 1) => new Promise((resolve) => {
          if (watcher.count >= n) return resolve(true);
          const timer = later(() => resolve(watcher.count >= n), ms);
          watcher.waiters.push(() => {
            if (watcher.count < n) return false;
            cancel(timer);
            resolve(true);
            return true;
          });
        });
        // The n-th event (from 1), waiting up to ms for it; null when it did not come.
        watcher.nth = async (n, ms) => ((await watcher.wait(ms, n)) ? watcher.events[n - 1] : null);
        return watcher;
      },

      sleep(ms) {
        return new Promise((resolve) => later(resolve, ms));
      },

      _pending: pending,
      _cleanup() {
        for (const fn of cleanups.reverse()) {
          try { fn(); } catch (_) { /* a probe may have broken what cleanup uses */ }
        }
      },
      // What the helpers (helpers/*.js) are made with, and those made so far (see helperPrototype).
      _context: null,
      _made: [],
    };
    // Resource helpers (helpers/*.js) give `t` their methods; each gets this probe's global and cleanup list.
    t._context = { win: global, global, t, record, memo, cleanup: (fn) => cleanups.push(fn) };
    if (helperProto === null) {
      helperProto = helperPrototype(t);
      Object.setPrototypeOf(t, helperProto); // once: every later `t` is made with it
    }
    return t;
  }

  // Every `t` inherits the helpers' methods from one prototype, whose getter for each name makes
  // that helper for this probe the first time the probe reaches for one of its methods. Copying two
  // dozen methods onto each `t` (and checking their names) took 0.1 ms a probe: most of the
  // harness's time in a sweep of generated probes, which use one helper.
  let helperProto = null;

  function helperPrototype(t) {
    const proto = {};
    HELPERS.forEach((make, index) => {
      for (const name of Object.keys(make(t._context))) {
        // A helper that reused a name would silently replace another's method in every probe.
        if (name in t || name in proto) throw new Error(`two harness helpers define t.${name}`);
        Object.defineProperty(proto, name, {
          get() {
            return (this._made[index] ??= HELPERS[index](this._context))[name];
          },
          enumerable: true,
        });
      }
    });
    return proto;
  }

  // A probe's body, made with `AsyncFunction` (its global's constructor, so that its names are
  // that global's). A probe whose whole source is one call of a `t` method with literal
  // arguments (`t.member("Animation", "prototype", "timeline", "");`: nine generated probes in
  // ten) is that call, uncompiled: the Function constructor took 40 µs a probe, more than most
  // such probes take to run. Counts those in `stats.uncompiled`. Throws the constructor's
  // SyntaxError for a source that does not parse.
  function compile(AsyncFunction, source, stats) {
    const compiled = () => new AsyncFunction("t", `"use strict";\n${source}`);
    const call = oneCall(source, compiled);
    if (call === null) return compiled();
    stats.uncompiled++;
    return call;
  }

  // Arguments that are strings, numbers, booleans or null: the same values from JSON.parse as
  // from the source, and values of no realm (an array or object would be this page's, not the
  // probe's global's).
  const ONE_CALL = /^(await )?t\.([A-Za-z_$][\w$]*)\(([^]*)\);\n?$/;
  const regExpExec = RegExp.prototype.exec;
  const parseJSON = JSON.parse;

  function oneCall(source, compiled) {
    const match = apply(regExpExec, ONE_CALL, [source]);
    if (match === null) return null;
    let args;
    try {
      args = apply(parseJSON, JSON, [`[${match[3]}]`]);
    } catch (_) {
      return null; // not JSON: an expression, for the compiler
    }
    for (let i = 0; i < args.length; i++) if (args[i] !== null && typeof args[i] === "object") return null;
    const awaited = match[1] !== undefined;
    const name = match[2];
    return async (t) => {
      const method = t[name];
      // Not a method: the compiled source throws the engine's own TypeError, in its own words.
      if (typeof method !== "function") return apply(compiled(), undefined, [t]);
      if (awaited) await apply(method, t, args);
      else apply(method, t, args);
    };
  }

  // The outcome of a probe whose source does not parse.
  function unparsed(e) {
    const ex = exceptionOf(e);
    return { status: "error", reason: "syntax", exception: ex, message: `the probe does not parse: ${ex.message}` };
  }

  // What ends a probe besides its own promise: an error it threw outside that promise (in a
  // timer, an event handler, a promise nobody awaited) surfaces as an event on one of `targets`
  // (its global; in a window also the harness page, when it reached for `top`). Either one is
  // the probe's, since only it runs now.
  function watchUncaught(targets) {
    let report;
    const caught = new Promise((resolve) => {
      report = (event) => {
        const rejection = event.type === "unhandledrejection";
        resolve({ uncaught: rejection ? event.reason : event.error ?? event.message, rejection });
      };
    });
    for (const target of targets) {
      listen(target, "error", report);
      listen(target, "unhandledrejection", report);
    }
    const stop = () => {
      for (const target of targets) {
        try {
          unlisten(target, "error", report);
          unlisten(target, "unhandledrejection", report);
        } catch (_) { /* the probe may have broken its realm */ }
      }
    };
    return { caught, stop };
  }

  // Runs a compiled probe `body` with its `t` until it settles, its deadline passes or an error
  // escapes it onto one of `targets`; writes the outcome into `record` and returns it, then
  // removes what `t` set up. Never throws.
  async function runBody(body, t, probe, record, targets) {
    const uncaught = watchUncaught(targets);
    try {
      let timer;
      const deadline = new Promise((resolve) => {
        timer = later(() => resolve({ timedOut: true }), probe.timeout_ms);
      });
      const ran = after(resolved(undefined), () => apply(body, undefined, [t]));
      // A checked call's promise the probe did not await still decides its outcome.
      const awaited = after(ran, async () => {
        for (let i = 0; i < t._pending.length; i++) await t._pending[i];
      });
      const settled = after(awaited, () => ({ ok: true }), (e) => ({ thrown: e }));
      const result = await race([settled, deadline, uncaught.caught]);
      cancel(timer);
      if (result.timedOut) {
        assign(record, { status: "timeout", reason: "deadline", message: `did not settle within ${probe.timeout_ms} ms` });
      } else if (result.ok) {
        record.status = "supported";
      } else if (result.thrown instanceof Ending) {
        assign(record, result.thrown.outcome);
      } else if ("uncaught" in result) {
        const ex = exceptionOf(result.uncaught);
        const where = result.rejection ? "a promise it did not handle was rejected" : "it threw outside its own promise";
        assign(record, { status: "error", reason: "uncaught", exception: ex, message: `${where}: ${ex.name}: ${ex.message}` });
      } else {
        const ex = exceptionOf(result.thrown);
        assign(record, { status: "error", reason: "exception", exception: ex, message: `the probe threw outside a checked call: ${ex.name}: ${ex.message}` });
      }
      // Labels are the probe's text too: the message that names them stays bounded.
      if (typeof record.message === "string") record.message = bounded(record.message, 2 * MAX_MESSAGE);
      return record;
    } finally {
      uncaught.stop();
      t._cleanup();
    }
  }
