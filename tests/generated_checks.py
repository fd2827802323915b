"""Independent JavaScript for each generated probe: the same question put to the page directly,
written from the probe's parameters without compatprobe's harness. Each expression answers
"yes", "no", "unknown" (the page could not give an instance to look at) or "inconclusive" (an
event with no handler attribute to look up)."""

from __future__ import annotations

import json
import re

CALL = re.compile(r"^(?:await )?t\.(\w+)\((.*)\);\s*$", re.DOTALL)
TYPEOF = re.compile(r'^"typeof [^"]*", typeof t\.require\((".*")\)$')
NOT_CONSTRUCTIBLE = "/Illegal constructor|not a constructor|cannot be constructed/i"


def _walk(path: str) -> str:
    """An expression for the value at `path` from globalThis, or a thrown "missing"."""
    expr = "globalThis"
    for part in path.split("."):
        key = json.dumps(part)
        expr = f"((o) => {{ if (o == null || !({key} in Object(o))) throw 'missing'; return o[{key}]; }})({expr})"
    return expr


def _get(expr: str) -> str:
    """A value from an expression, or null when it throws."""
    return f"(() => {{ try {{ return ({expr}); }} catch (e) {{ return null; }} }})()"


def _key(name: str) -> str:
    return f"Symbol[{json.dumps(name[2:])}]" if name.startswith("@@") else json.dumps(name)


def _answer(body: str) -> str:
    return (
        f"(() => {{ try {{ {body} }} catch (e) {{ if (e === 'missing') return 'no';"
        " if (e === 'unknown') return 'unknown'; throw e; } })()"
    )


def _async_answer(body: str) -> str:
    return f"(async () => {{ {body} }})().catch((e) => {{ if (e === 'missing') return 'no'; throw e; }})"


def _chain_has(names: str) -> str:
    """Whether instance `i` has a class named in the JSON list `names` on its prototype chain."""
    return (
        f"((n) => {{ for (let p = Object.getPrototypeOf(i); p; p = Object.getPrototypeOf(p))"
        " if (n.includes(Object.getOwnPropertyDescriptor(p, Symbol.toStringTag)?.value)) return true;"
        f" return false; }})({names})"
    )


def direct_expression(check: str) -> str:
    # A comment line says where the probe runs (a cross-origin isolated page), not what it asks.
    check = "\n".join(line for line in check.strip().splitlines() if not line.startswith("//"))
    match = CALL.match(check)
    assert match, check
    method, raw = match.groups()
    if method == "value":
        typeof = TYPEOF.match(raw)
        assert typeof, check
        return _answer(f"{_walk(json.loads(typeof.group(1)))}; return 'yes';")
    args = json.loads(f"[{raw}]")
    if method == "iface" and len(args) == 1:  # no instance to fall back on: the interface object alone
        return _answer(f"{_walk(args[0])}; return 'yes';")
    if method == "iface":
        path, instance, also = args
        return _async_answer(
            f"try {{ {_walk(path)}; return 'yes'; }} catch (e) {{ if (e !== 'missing') throw e; }}"
            f" const i = await (() => {{ try {{ return ({instance}); }} catch (e) {{ return null; }} }})();"
            " if (i === false) return 'no'; if (i == null || typeof i !== 'object') return 'unknown';"
            f" return {_chain_has(json.dumps([path, *also]))} ? 'yes' : 'no';"
        )
    if method == "member" and "Promise" in args[3]:
        owner, on, name, instance, *rest = args
        also = rest[0] if rest else []
        return _async_answer(
            f"let C = null; try {{ C = {_walk(owner)}; }} catch (e) {{ if (e !== 'missing') throw e; }}"
            f" if (C !== null && {_key(name)} in C.prototype) return 'yes';"
            f" const i = await (() => {{ try {{ return ({instance}); }} catch (e) {{ return null; }} }})();"
            " if (i === false) return 'no'; if (i == null || typeof i !== 'object') return 'unknown';"
            " if (C !== null && !(i instanceof C)) return 'no';"
            f" if (C === null && !{_chain_has(json.dumps([owner, *also]))}) return 'no';"
            f" return {_key(name)} in i ? 'yes' : 'no';"
        )
    if method == "member":
        owner, on, name, instance, *rest = args
        also = rest[0] if rest else []
        key = _key(name)
        if on == "global":
            return f"({key} in globalThis) ? 'yes' : 'no'"
        parts = ["let C = null;"]
        if owner:
            # With an instance to look at, a missing interface object leaves the instance to answer.
            rethrow = "throw e;" if not instance else "if (e !== 'missing') throw e;"
            parts.append(f"try {{ C = {_walk(owner)}; }} catch (e) {{ {rethrow} }}")
        if on == "prototype":
            parts.append(f"if (C !== null && C.prototype != null && {key} in Object(C.prototype)) return 'yes';")
        elif on == "static":
            parts.append(f"if (C !== null && {key} in Object(C)) return 'yes';")
        if instance:
            parts.append(f"const i = {_get(instance)};")
            parts.append("if (i === false) return 'no';")
            parts.append("if (i == null || (typeof i !== 'object' && typeof i !== 'function')) return 'unknown';")
            parts.append("if (C !== null && C.prototype != null && !(i instanceof C)) return 'no';")
            if owner:
                parts.append(f"if (C === null && !{_chain_has(json.dumps([owner, *also]))}) return 'no';")
            parts.append(f"return {key} in i ? 'yes' : 'no';")
        else:
            parts.append("return 'no';")
        return _answer(" ".join(parts))
    if method == "eventHandler":
        owner, handler, instance, *fire = args
        found = direct_expression(
            f't.member({json.dumps(owner)}, "prototype", {json.dumps(handler)}, {json.dumps(instance)});'
        )
        if fire:
            return _fired(found, handler.removeprefix("on"))
        # No handler attribute says nothing about the event itself.
        return f"(() => {{ const a = {found}; return a === 'no' ? 'inconclusive' : a; }})()"
    if method == "construct":
        (path,) = args
        return _answer(
            f"const C = {_walk(path)}; if (typeof C !== 'function') return 'no';"
            " try { const o = new C();"
            " try { if (o && typeof o.close === 'function') o.close(); } catch (_) {} return 'yes'; }"
            f" catch (e) {{ return e instanceof TypeError && {NOT_CONSTRUCTIBLE}.test(e.message) ? 'no' : 'yes'; }}"
        )
    if method == "builtin":
        owner, name, *rest = args
        isolated = rest[0] if rest else False
        instance = rest[1] if len(rest) > 1 else ""
        key = _key(name)
        base = _get(owner) if "(" in owner else _walk(owner)
        if isolated:
            head = json.dumps(owner.split(".")[0])
            base = f"(!crossOriginIsolated && !({head} in globalThis)) ? (() => {{ throw 'unknown'; }})() : {base}"
        return _answer(
            f"const O = {base}; if (O === null) return 'no';"
            f" const P = typeof O === 'function' ? O.prototype : undefined;"
            f" if (P != null && (typeof P === 'object' || typeof P === 'function') && {key} in P) return 'yes';"
            f" if ({key} in Object(O)) return 'yes';"
            + (
                f" const i = {_get(instance)}; if (i == null) return 'unknown';"
                f" return {key} in Object(i) ? 'yes' : 'no';"
                if instance
                else " return 'no';"
            )
        )
    if method == "property":
        name, value, *alone = args
        values = [value] if alone or value == "initial" else [value, "initial"]
        tests = " || ".join(f"CSS.supports({json.dumps(name)}, {json.dumps(v)})" for v in values)
        missing = "typeof CSS === 'undefined' || typeof CSS.supports !== 'function'"
        return f"({missing}) ? 'unknown' : ({tests}) ? 'yes' : 'no'"
    if method == "styled":
        name, value, longhand, expected = args
        return (
            "(() => { const e = document.createElement('p'); document.body.append(e);"
            f" e.style.setProperty({json.dumps(name)}, {json.dumps(value)});"
            f" const v = getComputedStyle(e)[{json.dumps(longhand)}]; e.remove();"
            f" return v === {json.dumps(expected)} ? 'yes' : 'no'; }})()"
        )
    if method == "argument":
        path, value = args
        return _answer(
            f"const f = {_walk(path)}; try {{ f({json.dumps(value)}); return 'yes'; }}"
            " catch (e) { if (e instanceof RangeError || e instanceof TypeError) return 'no'; throw e; }"
        )
    if method == "instance":
        (expr,) = args
        return f"(() => {{ const i = {_get(expr)}; return i === null || i === undefined ? 'unknown' : 'yes'; }})()"
    raise AssertionError(f"no direct form for {check}")


def harness_answer(outcome: dict[str, object]) -> str:
    """What compatprobe's outcome says, in the same three words."""
    status, reason = outcome["status"], outcome.get("reason")
    if status in ("supported", "throws") and reason is None:
        return "yes"
    if status == "unsupported" and reason in ("interface-missing", "member-missing"):
        return "no"
    if status == "error" and reason == "environment":
        return "unknown"
    if status == "error" and reason == "inconclusive":
        return "inconclusive"
    return f"{status}/{reason}: {outcome.get('message')}"


def _fired(found: str, event: str) -> str:
    """With no handler attribute, whether `event` fires at the worker's global: the direct check
    breaks the run's report-only policy its own way (an XMLHttpRequest, not the probe's fetch)."""
    assert event == "securitypolicyviolation", event  # the only event probes/generate/firing.py fires
    return (
        f"(async () => {{ const a = {found}; if (a !== 'no') return a;"
        " const heard = await new Promise((ok) => {"
        " self.addEventListener('securitypolicyviolation', () => ok(true), { once: true });"
        " const x = new XMLHttpRequest(); x.open('GET', 'data:,direct'); x.send();"
        " setTimeout(() => ok(false), 2000); });"
        " return heard ? 'yes' : 'inconclusive'; })()"
    )
