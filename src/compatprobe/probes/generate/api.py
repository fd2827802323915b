"""api.* (and webassembly.api.*) features from the flattened Web IDL, with BCD's ids.

The ids follow BCD's conventions: `api.X` for an interface or namespace, `api.X.m` for a member,
`api.X.m_static` for a static member or a namespace's, `api.X.X` for the constructor, `api.X.Image`
for a [LegacyFactoryFunction], `api.X.foo_event` for an `onfoo` event handler attribute,
`api.X.@@iterator` for iteration, `api.m` for WindowOrWorkerGlobalScope's members, and
`webassembly.api.*` for the WebAssembly namespace and its [LegacyNamespace] interfaces.
"""

from __future__ import annotations

import re

from compatprobe.probes.generate.features import Generated, Generation, js
from compatprobe.probes.generate.firing import firing
from compatprobe.probes.generate.idl import Definition, IdlModel, Member
from compatprobe.probes.generate.instances import FORMER_NAMES, ROUTES, route
from compatprobe.probes.isolation import MARK
from compatprobe.scopes import SUBFEATURES, UNKNOWN_EXPOSURE

SOURCE = "@webref/idl"


def _base(definition: Definition) -> tuple[str, str]:
    """(BCD id of the definition, the path to it from the global object)."""
    ns = definition.legacy_namespace
    if definition.name == "WebAssembly":
        return "webassembly.api", "WebAssembly"
    if ns == "WebAssembly":
        return f"webassembly.api.{definition.name}", f"WebAssembly.{definition.name}"
    if ns:
        return f"api.{ns}.{definition.name}", f"{ns}.{definition.name}"
    return f"api.{definition.name}", definition.name


WEBGL_EXTENSION = re.compile(r"^(ANGLE|EXT|KHR|OES|OVR|WEBGL)_\w+$")


# Objects that WebGL 1 extensions make, with no interface object of their own.
EXTENSION_OBJECTS = {
    "WebGLVertexArrayObjectOES": ("OES_vertex_array_object", "createVertexArrayOES"),
    "WebGLTimerQueryEXT": ("EXT_disjoint_timer_query", "createQueryEXT"),
}


def webgl_extension(name: str) -> str | None:
    """How to get a WebGL extension object (or an object one makes) without side effects; None for
    other interfaces."""
    # One canvas per context kind: a canvas keeps the first kind asked of it. WebGL 1 first, for
    # extensions that WebGL 2 made core and no longer offers.
    gl = 'document.createElement("canvas").getContext'
    if name in EXTENSION_OBJECTS:
        extension, make = EXTENSION_OBJECTS[name]
        return f'{gl}("webgl")?.getExtension("{extension}")?.{make}()'
    if not WEBGL_EXTENSION.match(name):
        return None
    return f'{gl}("webgl")?.getExtension("{name}") ?? {gl}("webgl2")?.getExtension("{name}")'


def _member_id(definition: Definition, member: Member) -> str:
    if member.kind == "constructor":
        return definition.name
    if member.event_handler:
        return f"{member.name[2:]}_event"
    if member.static or definition.kind == "namespace":
        return f"{member.name}_static"
    return member.name


def api_features(model: IdlModel, generation: Generation) -> None:
    out = generation.features
    seen: set[str] = set()

    def add(item: Generated) -> None:
        if item.feature not in seen:
            seen.add(item.feature)
            out.append(item)

    for definition in model.definitions.values():
        base, path = _base(definition)
        exposed = tuple(definition.exposed)
        if definition.no_interface_object:
            # Nothing on the global object to start from: WebGL extensions are reached through
            # getExtension() (where there is no WebGL context, the probe cannot tell); others are left out.
            instance = webgl_extension(definition.name)
            if instance is None:
                generation.leave_out(
                    "[LegacyNoInterfaceObject]: no interface object to check", 1 + len(definition.members)
                )
                continue
            add(
                Generated(base, f"{definition.name} (WebGL extension)", f"t.instance({js(instance)});", exposed, SOURCE)
            )
            for member in definition.members:
                check = f"t.member({js('', 'instance', member.name, instance)});"
                add(
                    Generated(
                        f"{base}.{_member_id(definition, member)}",
                        f"{definition.name}.{member.name}",
                        check,
                        exposed,
                        SOURCE,
                    )
                )
            continue
        if definition.kind == "namespace" and not definition.members:
            continue
        if definition.name != "WebAssembly":
            add(Generated(base, f"{path} {definition.kind}", interface_check(path), exposed, SOURCE))
        for member in definition.members:
            feature = f"{base}.{_member_id(definition, member)}"
            where = tuple(member.exposed) if member.exposed else exposed
            check = _check(definition, path, member)
            if check is None:
                generation.leave_out("[LegacyUnforgeable] member with no side-effect-free instance")
                continue
            check = f"{MARK}\n{check}" if member.isolated else check
            add(Generated(feature, _title(path, definition, member), check, where, SOURCE))
    for member in model.global_members:
        add(
            Generated(
                f"api.{member.name}",
                f"{member.name} (global)",
                f"t.member({js('', 'global', member.name, '')});",
                ("Window", "Worker"),
                SOURCE,
            )
        )


def interface_check(path: str) -> str:
    """`typeof X` on the global; where an engine may have X with no interface object, an instance too.
    One call of `t` either way, which the harness runs without compiling it (common.js: compile)."""
    instance = ROUTES.get(path)
    if not instance:
        return f"t.iface({js(path)});"
    return _awaited(f"t.iface({js(path, instance, FORMER_NAMES.get(path, []))});", path)


def member_check(owner: str, on: str, name: str) -> str:
    """A member on `on` of `owner`, and on an instance where there is a way to get one."""
    instance = route(owner)
    also = FORMER_NAMES.get(owner)
    args = js(owner, on, name, instance, also) if also else js(owner, on, name, instance)
    return _awaited(f"t.member({args});", owner)


def _awaited(check: str, owner: str) -> str:
    # An instance made asynchronously (a file system, a report) is awaited by the probe.
    return f"await {check}" if "Promise" in ROUTES.get(owner, "") else check


def _title(path: str, definition: Definition, member: Member) -> str:
    if member.kind in ("constructor", "factory"):
        return f"{member.name if member.kind == 'factory' else path}() constructor"
    if member.event_handler:
        return f"{member.name[2:]} event ({path}.{member.name})"
    on = path if member.static or definition.kind == "namespace" else f"{path}.prototype"
    call = "()" if member.kind == "operation" else ""
    return f"{on}.{member.name}{call}"


def _check(definition: Definition, path: str, member: Member) -> str | None:
    if member.kind == "constructor":
        return f"t.construct({js(path)});"
    if member.kind == "factory":
        return f"t.construct({js(member.name)});"
    if member.static or definition.kind == "namespace":
        return f"t.member({js(path, 'static', member.name, '')});"
    if definition.globals:
        return f"t.member({js(path, 'global', member.name, '')});"
    if member.unforgeable or definition.unforgeable:
        return member_check(path, "instance", member.name) if route(definition.name) else None
    return member_check(path, "prototype", member.name)


BCD_SOURCE = "@mdn/browser-compat-data"
IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
# BCD subfeatures that are IDL extended attributes ([Transferable], [Serializable]), not properties.
BEHAVIOURS = {"transferable", "serializable", "secure_context_required"}


def _behaviour(name: str, description: str) -> bool:
    """A BCD subfeature that names a behaviour (worker_support, permission_camera, type_codec, an
    options parameter), not a property: described as anything but the member's own name, or with
    a name that is no JavaScript name."""
    if name.endswith("_event"):
        return bool(description) and not description.endswith("</code> event")
    if name in BEHAVIOURS:
        return True
    bare = name.removesuffix("_static")
    # "<code>exception()</code> static method (an alias ...)" names the member; "<code>camera</code>
    # permission" under permission_camera names something else.
    if description and not (description.startswith((f"<code>{bare}</code>", f"<code>{bare}()</code>"))):
        return True
    return not IDENTIFIER.match(bare) or "_parameter" in name


def bcd_extras(model: IdlModel, ids: dict[str, str], generation: Generation) -> None:
    """Interfaces and members that BCD lists and today's Web IDL no longer has (removeStream,
    prefixed and retired members): the same lookups, on what BCD names. Deeper ids are behaviours."""
    seen = {g.feature for g in generation.features}
    handlers = {m.name for d in model.definitions.values() for m in d.members if m.event_handler}
    known = {f"api.{d.name}": d for d in model.definitions.values() if not d.legacy_namespace}
    for feature, description in ids.items():
        if not feature.startswith("api.") or feature in seen:
            continue
        parts = feature.split(".")
        if parts[-1] in SUBFEATURES:
            continue  # its parent's probe, run in that worker scope, checks it (build.plan_scopes)
        # Below a lowercase name (api.setTimeout.worker_support) are behaviours, except in namespaces (console).
        lowercase = len(parts) == 3 and not parts[1][:1].isupper() and f"api.{parts[1]}" not in known
        if _behaviour(parts[-1], description) or lowercase:
            generation.leave_out("api: a BCD subfeature that names a behaviour, not a property")
            continue
        extension = webgl_extension(parts[1])
        if extension is not None and f"api.{parts[1]}" not in known:
            # A WebGL extension BCD knows and @webref/idl does not (EXT_clip_control): through getExtension().
            if len(parts) == 2:
                check = f"t.instance({js(extension)});"
            else:
                check = f"t.member({js('', 'instance', parts[2], extension)});"
            generation.features.append(Generated(feature, ".".join(parts[1:]), check, ("Window",), BCD_SOURCE))
            continue
        if len(parts) == 2:
            name = parts[1]
            if feature in known:
                continue  # [LegacyNoInterfaceObject]: left out above
            generation.features.append(
                Generated(feature, f"{name} interface", interface_check(name), (UNKNOWN_EXPOSURE,), BCD_SOURCE)
            )
            continue
        if len(parts) != 3:
            continue
        owner, name = parts[1], parts[2]
        definition = known.get(f"api.{owner}")
        if definition is not None and (definition.no_interface_object or definition.globals):
            if definition.globals and not name.endswith("_event"):
                generation.features.append(
                    Generated(
                        feature,
                        f"{owner}.{name}",
                        f"t.member({js(owner, 'global', name.removesuffix('_static'), '')});",
                        ("Window",),
                        BCD_SOURCE,
                    )
                )
            continue
        check = _extra_check(owner, name, handlers)
        if check is None:
            generation.leave_out("api: an event with no on... attribute to look up")
            continue
        exposed = tuple(definition.exposed) if definition is not None else (UNKNOWN_EXPOSURE,)
        generation.features.append(Generated(feature, f"{owner}.{name}", check, exposed, BCD_SOURCE))


def _extra_check(owner: str, name: str, handlers: set[str]) -> str | None:
    """The check of BCD's member `name` of `owner`; None for an event with no handler attribute."""
    if name.endswith("_event"):
        handler = "on" + name.removesuffix("_event")
        if handler not in handlers:
            return None
        # BCD puts an event where it fires (Element); the IDL may put its handler lower (HTMLElement).
        fire = firing(owner, name.removesuffix("_event"))
        if fire:
            return f"await t.eventHandler({js(owner, handler, route(owner), fire)});"
        return _awaited(f"t.eventHandler({js(owner, handler, route(owner))});", owner)
    if name == owner:
        return f"t.construct({js(owner)});"
    if name.endswith("_static"):
        return f"t.member({js(owner, 'static', name.removesuffix('_static'), '')});"
    return member_check(owner, "prototype", name)
