"""javascript.builtins.* features from BCD's own tree (the ECMAScript built-ins have no Web IDL).

Which nodes are members: `X` (a global), `X.m` (on X.prototype or on X), and `X.Y.m` inside the
namespaces that hold classes (Intl, Temporal). `X.X` is the constructor. Nodes below those, and
nodes whose description is prose ("Stable sorting"), are behaviours a lookup cannot check.
"""

from __future__ import annotations

import re

from compatprobe.probes.generate.features import Generated, Generation, js
from compatprobe.probes.isolation import MARK

SOURCE = "@mdn/browser-compat-data"
NAMESPACES_WITH_CLASSES = ("Intl", "Temporal")
# Intrinsics BCD lists that are not properties of the global object: expressions that reach them.
INTRINSICS = {
    "TypedArray": "Object.getPrototypeOf(Int8Array)",
    "AsyncFunction": "(async function () {}).constructor",
    "GeneratorFunction": "(function* () {}).constructor",
    "AsyncGeneratorFunction": "(async function* () {}).constructor",
    # %GeneratorPrototype%, where next/return/throw are: the prototype of a generator function's prototype.
    "Generator": "Object.getPrototypeOf(function* () {}).prototype",
    "AsyncGenerator": "Object.getPrototypeOf(async function* () {}).prototype",
    "AsyncIterator": "Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype)",
    # %SegmentsPrototype%: what Intl.Segmenter's segment() returns inherits from it.
    "Intl.Segments": "Object.getPrototypeOf(new Intl.Segmenter().segment(''))",
}
# BCD names a few members apart from their property: lookupGetter is __lookupGetter__.
DUNDER = re.compile(r"^<code>(__\w+__)</code>")
# Built-ins whose instances have members of their own (an error's stack, a RegExp's lastIndex):
# an instance to look at when neither the prototype nor the constructor has the member.
INSTANCES = {
    "Error": "new Error('', { cause: 0 })",
    "AggregateError": "new AggregateError([])",
    "SuppressedError": "new SuppressedError(0, 0)",
    "RegExp": "/a/g",
}
# BCD ids that name no property, read from what BCD's description says they are: `RegExp.n` is
# "<code>RegExp.$1-$9</code>" (the first of them is looked up); an id under a function whose
# description is a string is an argument value (Intl.supportedValuesOf("calendar")).
NUMBERED = re.compile(r"^<code>[\w.]+\.(\$1)-\$9</code>$")
ARGUMENT = re.compile(r'^<code>"(\w+)"</code>$')
# Members the spec puts on each concrete constructor, not on the intrinsic BCD files them under.
CONCRETE = {"TypedArray.BYTES_PER_ELEMENT": "Int8Array"}
# Members BCD lists that no lookup can check: structured cloning, and a name only tools read.
NOT_LOOKUPS = {"serializable_object", "displayName"}
PREFIX = "javascript.builtins."
# Exposed only to cross-origin isolated realms: run in a page served with COOP and COEP.
ISOLATED = {"SharedArrayBuffer"}


def javascript_features(ids: dict[str, str], generation: Generation) -> None:
    for feature, description in ids.items():
        if not feature.startswith(PREFIX):
            continue
        parts = feature[len(PREFIX) :].split(".")
        if (description and not description.startswith("<code>")) or parts[-1] in NOT_LOOKUPS:
            generation.leave_out("javascript: a behaviour, not a name to look up")
            continue
        argument = ARGUMENT.match(description or "")
        if len(parts) == 3 and argument and parts[1][:1].islower():
            check = f"t.argument({js('.'.join(parts[:2]), argument.group(1))});"
            title = f"{'.'.join(parts[:2])}({argument.group(1)!r})"
            generation.features.append(Generated(feature, title, check, ("Window", "Worker"), SOURCE))
            continue
        if len(parts) == 3 and parts[0] in NAMESPACES_WITH_CLASSES:
            owner, name = f"{parts[0]}.{parts[1]}", parts[2]
        elif len(parts) == 2:
            owner, name = parts[0], parts[1]
        elif len(parts) == 1:
            owner, name = "", parts[0]
        else:
            generation.leave_out("javascript: deeper than a member")
            continue
        isolated = ", true" if parts[0] in ISOLATED else ""
        renamed = DUNDER.match(description or "") or NUMBERED.match(description or "")
        key = renamed.group(1) if renamed else name
        owner = CONCRETE.get(f"{owner}.{name}", owner)
        if not owner and name in ISOLATED:
            check = f"t.builtin({js(name, 'constructor')}, true);"
            title = name
        elif not owner:
            expr = INTRINSICS.get(name)
            check = (
                f"t.builtin({js(expr)}, {js('constructor')});"
                if expr
                else f"t.value({js('typeof ' + name)}, typeof t.require({js(name)}));"
            )
            title = name
        elif name == owner.split(".")[-1]:
            ref = INTRINSICS.get(owner, owner)
            check = f"t.builtin({js(ref)}, {js('constructor')}{isolated});"
            title = f"{owner}() constructor"
        elif f"{owner}.{name}" in INTRINSICS:
            check = f"t.instance({js(INTRINSICS[f'{owner}.{name}'])});"  # reached, it is there
            title = f"{owner}.{name}"
        elif owner in INSTANCES:
            check = f"t.builtin({js(owner, key)}, false, {js(INSTANCES[owner])});"
            title = f"{owner}.{key}"
        else:
            check = f"t.builtin({js(INTRINSICS.get(owner, owner), key)}{isolated});"
            title = f"{owner}.{name}"
        check = f"{MARK}\n{check}" if parts[0] in ISOLATED else check
        generation.features.append(Generated(feature, title, check, ("Window", "Worker"), SOURCE))
