  // ---- realm.js: is a global as it was? (one check for the window's realms, the harness page and every worker)
  //
  // Uses, from common.js: apply, exceptionOf, listen, unlisten, toTag, later.
  // Gives: ownKeys, describe, getPrototypeOf, isExtensible, is (the harness's own Reflect tools);
  //   snapshotOf(global, singletons) and changeOf(snapshot, global, added): what differs, or "";
  //   propertiesOf(obj) (a record a snapshot can take in later, see core.js's remember);
  //   timersOf(global) and cancelTimers(timers): the timers a probe left behind;
  //   watchTaint(targets): the first error nobody caught on any of them.
  // harness/__init__.py puts this file inside each harness's closure, after common.js. Everything
  // here runs with the tools taken below, before any probe ran, and walks arrays by index (a
  // probe may have replaced Array.prototype[Symbol.iterator] in the very global being checked).

  const { ownKeys, getOwnPropertyDescriptor: describe, getPrototypeOf, isExtensible } = Reflect;
  const is = Object.is;
  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
  const regexpTest = RegExp.prototype.test;
  const setHas = Set.prototype.has;
  const setAdd = Set.prototype.add;
  const symbolDescription = describe(Symbol.prototype, "description").get;

  // Objects outside the global object's own properties that code in a realm can still change;
  // evaluated in the realm, so they are its own.
  const INTRINSICS = `[
    Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(function* () {}),
    Object.getPrototypeOf(async function* () {}),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(new Map().entries()),
    Object.getPrototypeOf(new Set().values()),
    Object.getPrototypeOf(""[Symbol.iterator]()),
    Object.getPrototypeOf("".matchAll(/a/g)),
    Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())),
    Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})())),
    Object.getPrototypeOf(Int8Array),
  ]`;

  // Stands for the value of a data property that is new at each read (WebKit makes some static
  // attributes, such as PerformanceObserver.supportedEntryTypes, look like that); only its
  // attributes are compared.
  const VOLATILE = Symbol("volatile");

  function attributes(d) {
    return (d.writable ? 1 : 0) | (d.enumerable ? 2 : 0) | (d.configurable ? 4 : 0) | ("value" in d ? 8 : 0);
  }

  // A window's own keys include an index for each child frame, which come and go with the
  // harness's own realms, and the names a driver adds when it first needs them (Playwright's
  // BiDi adds __pw_bidiInsertText to the harness page during a run; chromedriver, alone or behind a
  // Selenium Grid, adds ret_nodes and its cdc_ cache): the global's record leaves them out.
  const NOT_COMPARED = /^(\d+|__pw\w*|__playwright\w*|ret_nodes|\$?cdc_\w+|\$chrome_asyncScriptInfo)$/;
  function keysOfGlobal(obj) {
    const all = ownKeys(obj);
    const keys = [];
    for (let i = 0; i < all.length; i++) if (typeof all[i] !== "string" || !apply(regexpTest, NOT_COMPARED, [all[i]])) keys[keys.length] = all[i];
    return keys;
  }

  function propertiesOf(obj, keysOf = ownKeys) {
    const keys = keysOf(obj);
    const parts = new Array(keys.length * 4);
    for (let i = 0, j = 0; i < keys.length; i++, j += 4) {
      const d = describe(obj, keys[i]);
      const value = d.value;
      // Only an object can be new at each read; reading twice only those halves the snapshot's cost.
      parts[j] = typeof value === "object" && value !== null && !is(value, describe(obj, keys[i]).value) ? VOLATILE : value;
      parts[j + 1] = d.get;
      parts[j + 2] = d.set;
      parts[j + 3] = attributes(d);
    }
    return { obj, keys, keysOf, parts, proto: getPrototypeOf(obj), extensible: isExtensible(obj) };
  }

  // What differs between an object and its record, or "" when nothing does; with `added`, the
  // properties the object gained since are not a difference.
  function difference(r, added = false) {
    const obj = r.obj;
    if (getPrototypeOf(obj) !== r.proto) return "prototype";
    if (isExtensible(obj) !== r.extensible) return "extensibility";
    let keys = r.keysOf(obj);
    if (added && keys.length > r.keys.length) keys = recorded(keys, r.keys);
    if (keys.length !== r.keys.length) return keys.length > r.keys.length ? `${keyName(firstMissing(keys, r.keys))} added` : `${keyName(firstMissing(r.keys, keys))} removed`;
    const parts = r.parts;
    for (let i = 0, j = 0; i < keys.length; i++, j += 4) {
      if (keys[i] !== r.keys[i]) return `property order at ${keyName(keys[i])}`;
      const d = describe(obj, keys[i]);
      if ((!is(d.value, parts[j]) && parts[j] !== VOLATILE) || d.get !== parts[j + 1] || d.set !== parts[j + 2]) return keyName(keys[i]);
      if (attributes(d) !== parts[j + 3]) return `${keyName(keys[i])} attributes`;
    }
    return "";
  }

  // Those of `keys` that `others` has, in their order.
  function recorded(keys, others) {
    const known = new Set();
    for (let i = 0; i < others.length; i++) apply(setAdd, known, [others[i]]);
    const kept = [];
    for (let i = 0; i < keys.length; i++) if (apply(setHas, known, [keys[i]])) kept[kept.length] = keys[i];
    return kept;
  }

  // The first of `keys` that `others` lacks (only once a change was found: it is quadratic).
  function firstMissing(keys, others) {
    for (let i = 0; i < keys.length; i++) {
      let found = false;
      for (let k = 0; k < others.length && !found; k++) found = keys[i] === others[k];
      if (!found) return keys[i];
    }
    return "?";
  }

  function keyName(key) {
    return typeof key === "symbol" ? apply(symbolDescription, key, []) ?? "a symbol" : key;
  }

  // The object's name as its own properties give it, without running any getter a probe set.
  function nameOf(obj) {
    try {
      const own = (o, key) => describe(o, key)?.value;
      if (typeof obj === "function") return `${own(obj, "name")}`;
      const ctor = own(obj, "constructor");
      if (typeof ctor === "function" && own(ctor, "prototype") === obj) return `${own(ctor, "name")}.prototype`;
      const tag = own(obj, Symbol.toStringTag); // a namespace's: JSON, Math, Intl
      return typeof tag === "string" ? tag : apply(toTag, obj, []);
    } catch (_) {
      return "?";
    }
  }

  // What the probes after this one could see of `global`: the own properties (names and symbols,
  // values and accessors by identity, attributes), prototype and extensibility of the global
  // object, of every object it holds in a data property (interfaces, namespaces), of their
  // prototypes and namespace members, of the prototypes up their chains, of the intrinsics above
  // and of the `singletons` (paths such as "navigator.mediaDevices"); the values of the global's
  // event handlers; and the global bindings that `let`/`const`/`class` in global code would shadow.
  function snapshotOf(global, singletons) {
    const objects = [];
    const seen = new Set();
    const add = (obj) => {
      if (obj === null || (typeof obj !== "object" && typeof obj !== "function") || apply(setHas, seen, [obj])) return false;
      apply(setAdd, seen, [obj]);
      objects[objects.length] = obj;
      return true;
    };
    add(global);
    const namespaces = [];
    const bindings = [];
    const globalKeys = ownKeys(global);
    for (let i = 0; i < globalKeys.length; i++) {
      const key = globalKeys[i];
      const d = describe(global, key);
      if (!d || !("value" in d)) continue;
      if (typeof key === "string" && apply(regexpTest, IDENTIFIER, [key])) bindings[bindings.length] = key;
      if (add(d.value) && typeof d.value === "object") namespaces[namespaces.length] = d.value;
    }
    for (let i = 0; i < namespaces.length; i++) {
      const keys = ownKeys(namespaces[i]);
      for (let k = 0; k < keys.length; k++) {
        const d = describe(namespaces[i], keys[k]);
        if (d && "value" in d) add(d.value);
      }
    }
    const RealmFunction = describe(global, "Function").value;
    const intrinsics = new RealmFunction(`return ${INTRINSICS};`)();
    for (let i = 0; i < intrinsics.length; i++) add(intrinsics[i]);
    for (let i = 0; i < singletons.length; i++) {
      try {
        add(singletons[i].split(".").reduce((obj, key) => obj[key], global));
      } catch (_) { /* not in this engine or scope */ }
    }
    // Prototypes of functions, and prototype chains; `objects` grows while this walks it.
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i];
      add(getPrototypeOf(obj));
      if (typeof obj === "function") {
        const d = describe(obj, "prototype");
        if (d && "value" in d) add(d.value);
      }
    }
    const records = new Array(objects.length);
    let properties = 0;
    for (let i = 0; i < objects.length; i++) {
      records[i] = propertiesOf(objects[i], i === 0 ? keysOfGlobal : ownKeys);
      properties += records[i].keys.length;
    }
    const handlers = [];
    for (let i = 0; i < globalKeys.length; i++) {
      const key = globalKeys[i];
      if (typeof key !== "string" || key[0] !== "o" || key[1] !== "n") continue;
      const d = describe(global, key);
      if (d && d.get) handlers[handlers.length] = [key, d.get, apply(d.get, global, [])];
    }
    // Global `let`/`const`/`class` bindings would shadow these names: read them all at once.
    const readBindings = new RealmFunction(`return [${bindings.join(",")}];`);
    return { records, properties, handlers, readBindings, bindingValues: readBindings() };
  }

  // What differs in `global` from its snapshot `snap`, or "" when nothing does; with `added`, the
  // properties the global object gained are not a difference. Only native code of the snapshot's
  // own objects runs here (property lookups by key, the handlers' original getters), never code a
  // probe left.
  function changeOf(snap, global, added = false) {
    try {
      const records = snap.records;
      for (let i = 0; i < records.length; i++) {
        const what = difference(records[i], added && i === 0);
        if (what) return `${i === 0 ? "the global object" : nameOf(records[i].obj)}: ${what}`;
      }
      const handlers = snap.handlers;
      for (let i = 0; i < handlers.length; i++) {
        const [key, get, value] = [handlers[i][0], handlers[i][1], handlers[i][2]];
        if (!is(apply(get, global, []), value)) return key;
      }
      const values = apply(snap.readBindings, undefined, []);
      for (let i = 0; i < snap.bindingValues.length; i++) if (!is(values[i], snap.bindingValues[i])) return "a global binding";
      return "";
    } catch (e) {
      return `checking threw ${exceptionOf(e).name}`;
    }
  }

  // What a probe leaves running would die with its realm if it had one of its own; in a shared
  // global its timers are cancelled instead. Timer ids count up per global in every engine.
  function timersOf(global) {
    const timers = { global, set: global.setTimeout, clear: global.clearTimeout, last: 0 };
    timers.last = apply(timers.set, global, [() => {}, 0]);
    return timers;
  }

  // False when the ids did not count up: the global cannot be trusted.
  function cancelTimers(timers) {
    const last = apply(timers.set, timers.global, [() => {}, 0]);
    if (last - timers.last > 100000) return false;
    for (let id = timers.last + 1; id <= last; id++) apply(timers.clear, timers.global, [id]);
    timers.last = last;
    return true;
  }

  // Errors nobody caught on `targets` (a shared global, and in a window the harness page too) may
  // come from what an earlier probe left running: they make a batch's outcomes untrustworthy.
  // `what` says the first one; stop() stops listening.
  function watchTaint(targets) {
    const watch = { what: "", stop: null };
    const taint = (event) => {
      const { name, message } = exceptionOf(event.type === "error" ? event.error ?? event.message : event.reason);
      watch.what = watch.what || `an uncaught ${event.type}: ${name}: ${message}`;
    };
    for (let i = 0; i < targets.length; i++) {
      listen(targets[i], "error", taint);
      listen(targets[i], "unhandledrejection", taint);
    }
    watch.stop = () => {
      for (let i = 0; i < targets.length; i++) {
        try {
          unlisten(targets[i], "error", taint);
          unlisten(targets[i], "unhandledrejection", taint);
        } catch (_) { /* a probe may have broken its realm */ }
      }
    };
    return watch;
  }
