// Checks that generated probes call (probes/generate/): where a definition puts a member, and
// what a constructor does when called with no arguments. Each records which check answered.
// compatprobe: workers too
// Instances made asynchronously, kept for the whole page (or worker): Chromium queues the report of
// a deprecated call once per page, so the realms after the first would have none to look at.
const pageInstances = new Map();
helper("generated", ({ win, t, record, memo }) => {
  // An engine that says an interface has no constructor, in its own words.
  const NOT_CONSTRUCTIBLE = /Illegal constructor|is not a constructor|not a constructor|cannot be constructed/i;

  const keyOf = (name) => (name.startsWith("@@") ? win.Symbol[name.slice(2)] : name);

  const missing = (message) => new Ending({ status: "unsupported", reason: "member-missing", message });

  // An object to look at, made by a side-effect-free expression, once per realm (a WebGL context
  // costs 8 ms in Chromium, and 140 probes look at one). When the environment cannot give one (no
  // WebGL context, no voices), that says nothing about the member: the probe cannot tell.
  // An expression may give a promise (an instance made asynchronously: the probe awaits what
  // this returns), or false: what would make one is missing, and so is the interface `owner`.
  function instanceFrom(expr, owner = "") {
    let value;
    try {
      value = pageInstances.has(expr) ? pageInstances.get(expr) : memo(expr, () => new win.Function(`return (${expr});`)());
      // Kept once it settles (a promise of a frame that is gone may never settle), an object or null.
      if (value instanceof win.Promise) {
        value.then((v) => { if (v === null || typeof v === "object") pageInstances.set(expr, v); }, () => {});
      }
    } catch (e) {
      const ex = exceptionOf(e);
      throw new Ending({ status: "error", reason: "environment", exception: ex, message: `no instance to check: ${expr} threw ${ex.name}: ${ex.message}` });
    }
    const usable = (v) => {
      if (v === false && owner) {
        throw new Ending({ status: "unsupported", reason: "interface-missing", message: `${owner} is not defined, and nothing here makes one (${expr})`, path: owner });
      }
      if (v === false) throw missing(`not on the prototype, and nothing here makes an instance (${expr})`);
      if (v === null || v === undefined || (typeof v !== "object" && typeof v !== "function")) {
        throw new Ending({ status: "error", reason: "environment", message: `no instance to check: ${expr} gave ${repr(v)} here` });
      }
      return v;
    };
    const failed = (e) => {
      const ex = exceptionOf(e);
      throw new Ending({ status: "error", reason: "environment", exception: ex, message: `no instance to check: ${expr} rejected with ${ex.name}: ${ex.message}` });
    };
    return typeof value?.then === "function" ? value.then(usable, failed) : usable(value);
  }

  // Runs `then` on an instance now, or once its promise settles.
  const withInstance = (value, then) => (typeof value?.then === "function" ? value.then(then) : then(value));

  // Whether `obj` is an instance of interface `owner` (or of a former name of it, in `also`), by
  // the @@toStringTag of the prototypes on its chain: there is no interface object to compare.
  function isA(obj, owner, also) {
    const names = [owner, ...also];
    for (let p = Object.getPrototypeOf(obj); p !== null; p = Object.getPrototypeOf(p)) {
      const tag = Object.getOwnPropertyDescriptor(p, Symbol.toStringTag);
      if (tag && names.includes(tag.value)) return true;
    }
    return false;
  }

  // The member on an instance. Only an instance of this interface says anything about it
  // (Chromium's element.style is a CSSStyleDeclaration, not a CSSStyleProperties); with no
  // interface object to compare, the classes on its chain say which interface it is.
  function onInstance(obj, ctor, owner, on, name, key, where, instance, also) {
    const proto = ctor && ctor.prototype;
    if (proto && typeof proto === "object" && !Object.prototype.isPrototypeOf.call(proto, obj)) {
      throw missing(`${name} is not on ${where}, and ${instance} is no ${owner} here`);
    }
    if (owner && !ctor && !isA(obj, owner, also)) {
      const message = `${owner} is not defined, and ${instance} is a ${apply(toTag, obj, []).slice(8, -1)} here`;
      throw new Ending({ status: "unsupported", reason: "interface-missing", message, path: owner });
    }
    if (key in obj) return t.value("found on", `an instance (${instance})`);
    throw missing(on === "instance" ? `${name} is not on ${instance}` : `${name} is neither on ${where} nor on ${instance}`);
  }

  // An intrinsic that no global names (%TypedArray%, AsyncFunction): the syntax that makes one.
  function reach(expr) {
    try {
      return new win.Function(`return (${expr});`)();
    } catch (e) {
      const ex = exceptionOf(e);
      throw new Ending({ status: "unsupported", reason: "interface-missing", exception: ex, message: `${expr} threw ${ex.name}: ${ex.message}` });
    }
  }

  return {
    // An instance, for an interface with no interface object: there when the expression gives one.
    // Returns nothing: the instance is the realm's, shared by its probes, so no probe's code gets it.
    instance(expr) {
      t.value(expr, instanceFrom(expr));
    },

    // `on`: "prototype", "static" (the interface or namespace object), "global", or "instance"
    // (only an instance has it: [LegacyUnforgeable]). `instance`: an expression for one, or "".
    // An interface: on the global object, else (an engine may implement one with no interface
    // object) an instance from `instance`, an expression the spec says gives one.
    iface(path, instance, also = []) {
      try {
        return t.value(`typeof ${path}`, typeof t.require(path));
      } catch (e) {
        if (!(e instanceof Ending) || !instance) throw e;
      }
      return withInstance(instanceFrom(instance, path), (obj) => {
        const cls = apply(toTag, obj, []).slice(8, -1);
        if (!isA(obj, path, also)) {
          throw new Ending({ status: "unsupported", reason: "interface-missing", message: `${path} is not defined, and ${instance} is a ${cls} here`, path });
        }
        return t.value("found on", `an instance (a ${cls}), with no interface object`);
      });
    },

    // `also`: former class names of the interface (an instance of one is an instance of it).
    member(owner, on, name, instance, also = []) {
      const key = keyOf(name);
      if (on === "global") {
        if (key in win) return t.value("found on", "the global object");
        throw missing(`${name} is not on the global object`);
      }
      // No owner: an interface without an interface object ([LegacyNoInterfaceObject]), seen only on
      // instances. An engine may also expose an instance but no interface object (Firefox's
      // window.external): then the instance answers.
      let ctor = null;
      if (owner) {
        try {
          ctor = t.require(owner);
        } catch (e) {
          if (!(e instanceof Ending) || !instance) throw e;
          on = "instance";
        }
      }
      let where = owner;
      if (on !== "instance") {
        const target = on === "static" ? ctor : ctor.prototype;
        where = on === "static" ? owner : `${owner}.prototype`;
        if (target !== null && target !== undefined && key in Object(target)) return t.value("found on", where);
      }
      if (instance) {
        return withInstance(instanceFrom(instance, ctor ? "" : owner), (obj) => onInstance(obj, ctor, owner, on, name, key, where, instance, also));
      }
      throw missing(`${name} is not on ${where}`);
    },

    // An event BCD lists where it fires, through its handler attribute: a handler says the event is
    // there; no handler says nothing (engines fire events they have no handler for, such as
    // compositionend, and hide ontouchstart without a touch screen).
    // `fire`: an expression that makes the event fire here (probes/generate/firing.py), giving a
    // promise of the event or of null; the event seen firing answers, not seeing it says nothing.
    eventHandler(owner, handler, instance, fire = "") {
      const inconclusive = (e, also = "") => {
        if (!(e instanceof Ending) || e.outcome.reason !== "member-missing") throw e;
        throw new Ending({ status: "error", reason: "inconclusive", message: `${e.outcome.message}; the event may fire all the same${also}` });
      };
      try {
        return this.member(owner, "prototype", handler, instance);
      } catch (e) {
        if (!fire) inconclusive(e);
        return after(resolved(new win.Function(`return (${fire});`)()), (event) => {
          if (!event) inconclusive(e, `, and did not here (${fire})`);
          return t.value("fired", `a ${apply(toTag, event, []).slice(8, -1)} (${event.type}) at ${owner}, with no ${handler}`);
        });
      }
    },

    // `new X()` without arguments. Throwing for want of arguments still shows a constructor; the
    // engine saying there is none shows there is none. Either way the exception is the evidence.
    construct(path) {
      const ctor = t.require(path);
      const label = `new ${path}()`;
      if (typeof ctor !== "function") throw missing(`${path} is ${repr(ctor)}, not a function`);
      let made;
      try {
        made = new ctor();
      } catch (e) {
        const ex = exceptionOf(e);
        if (ex.name === "TypeError" && NOT_CONSTRUCTIBLE.test(ex.message)) {
          throw new Ending({ status: "unsupported", reason: "member-missing", exception: { ...ex, expected: false }, message: `${label} threw ${ex.name}: ${ex.message}` });
        }
        record.exception = { ...ex, expected: true };
        return t.value(label, `threw ${ex.name}: ${ex.message}`);
      }
      t.value(label, made);
      // What a constructor opened (an audio context, a peer connection) is closed again.
      try {
        if (made && typeof made.close === "function") made.close();
      } catch (_) { /* not closable that way */ }
      return made;
    },

    // A JavaScript built-in's member: on the prototype, else on the constructor or namespace, else
    // on an `instance` (an error's stack). `isolated`: exposed only to cross-origin isolated pages
    // (SharedArrayBuffer); elsewhere its absence says nothing.
    builtin(owner, name, isolated = false, instance = "") {
      if (isolated && !win.crossOriginIsolated && !(owner.split(".")[0] in win)) {
        throw new Ending({ status: "error", reason: "environment", message: `${owner} is only exposed to cross-origin isolated pages, and this one is not` });
      }
      const obj = owner.includes("(") ? reach(owner) : t.require(owner);
      const key = keyOf(name);
      let proto;
      try {
        proto = typeof obj === "function" ? obj.prototype : undefined;
      } catch (_) { /* a getter that throws */ }
      if (proto !== null && (typeof proto === "object" || typeof proto === "function") && key in proto) {
        return t.value("found on", `${owner}.prototype`);
      }
      if (key in Object(obj)) return t.value("found on", owner);
      if (instance && key in instanceFrom(instance)) return t.value("found on", `an instance (${instance})`);
      throw missing(`${name} is neither on ${owner}.prototype nor on ${owner}${instance ? ` nor on ${instance}` : ""}`);
    },

    // A function that takes `value` as an argument (Intl.supportedValuesOf("calendar")): a RangeError
    // or TypeError says it does not; the values it returns are kept.
    argument(path, value) {
      const fn = t.require(path);
      const label = `${path}(${JSON.stringify(value)})`;
      if (typeof fn !== "function") throw missing(`${path} is ${repr(fn)}, not a function`);
      try {
        const result = apply(fn, undefined, [value]);
        return t.value(label, Array.isArray(result) ? `${result.length} values` : result);
      } catch (e) {
        const ex = exceptionOf(e);
        if (ex.name === "RangeError" || ex.name === "TypeError") {
          throw new Ending({ status: "unsupported", reason: "member-missing", exception: { ...ex, expected: false }, message: `${label} threw ${ex.name}: ${ex.message}` });
        }
        throw e;
      }
    },

    // A property an engine may parse without applying: set to `value` on an element of the realm's
    // (rendered) document, it must give `longhand` the computed value `expected`.
    styled(name, value, longhand, expected) {
      const doc = win.document;
      if (!doc || !doc.body) throw new Ending({ status: "error", reason: "environment", message: "no document to style here" });
      const el = doc.createElement("div");
      doc.body.appendChild(el);
      try {
        el.style.setProperty(name, value);
        const got = win.getComputedStyle(el).getPropertyValue(longhand);
        t.value(`${longhand} with ${name}: ${value}`, got);
        if (got !== expected) {
          throw new Ending({ status: "unsupported", reason: "member-missing", message: `${name}: ${value} gives ${longhand} ${JSON.stringify(got)}, not ${expected}` });
        }
      } finally {
        el.remove();
      }
    },

    // A CSS property, through CSS.supports with a value its definition allows, and with "initial";
    // `alone`: that value only (the feature is the value).
    property(name, value, alone = false) {
      const css = win.CSS;
      if (!css || typeof css.supports !== "function") {
        throw new Ending({ status: "error", reason: "environment", message: "CSS.supports is not there to ask" });
      }
      const tries = alone || value === "initial" ? [value] : [value, "initial"];
      for (const v of tries) {
        if (t.value(`CSS.supports(${JSON.stringify(name)}, ${JSON.stringify(v)})`, css.supports(name, v))) return;
      }
      throw new Ending({ status: "unsupported", reason: "member-missing", message: `CSS.supports says no to ${name}: ${tries.join(", ")}` });
    },
  };
});
