"""@webref/idl, parsed with widlparser and flattened: partials merged, mixins folded in through
`includes`, implied members (constructors, iterable/maplike/setlike, stringifiers) spelled out.

Parsing all 334 files takes 5 to 8 s, so the flattened model is cached as JSON, keyed by the
package's version and a hash of its files; generation then reads only that file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from compatprobe.data.cache import package_version
from compatprobe.errors import InputError
from compatprobe.files import write_atomic

MODEL_FORMAT = 2  # 2: Member.isolated
# The mixin whose members BCD lists at the top of api (api.fetch, api.setTimeout), not per global.
GLOBAL_MIXIN = "WindowOrWorkerGlobalScope"
EXT_ATTR = re.compile(r"^\s*(\w+)\s*(?:=\s*(\(.*?\)|[\w*]+))?", re.DOTALL)


@dataclass
class Member:
    name: str
    kind: str  # attribute, operation, constructor, factory, symbol
    static: bool = False
    unforgeable: bool = False
    event_handler: bool = False  # an `onfoo` attribute of type EventHandler (BCD: foo_event)
    exposed: list[str] | None = None  # narrower than the definition's, from the member, its partial or mixin
    isolated: bool = False  # [CrossOriginIsolated]: only in cross-origin isolated realms


@dataclass
class Definition:
    name: str
    kind: str  # interface or namespace
    exposed: list[str] = field(default_factory=list)
    inherits: str | None = None
    globals: list[str] = field(default_factory=list)  # [Global=...]: its members are on the global object
    legacy_namespace: str | None = None
    no_interface_object: bool = False
    unforgeable: bool = False  # [LegacyUnforgeable] on the interface: every member is on instances
    secure_context: bool = False
    members: list[Member] = field(default_factory=list)


@dataclass
class IdlModel:
    version: str
    sha256: str
    definitions: dict[str, Definition]
    global_members: list[Member]  # WindowOrWorkerGlobalScope's, which BCD names api.<member>
    scopes: list[str]  # every [Global] name, what [Exposed=*] stands for

    def to_json(self) -> str:
        return json.dumps({"format": MODEL_FORMAT, **asdict(self)}, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IdlModel:
        defs = {
            name: Definition(**{**d, "members": [Member(**m) for m in d["members"]]})
            for name, d in data["definitions"].items()
        }
        return cls(data["version"], data["sha256"], defs, [Member(**m) for m in data["global_members"]], data["scopes"])


def idl_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.idl"))
    if not files:
        raise InputError("no .idl files here", path=folder, hint="run 'compatprobe data fetch' or set $COMPATPROBE_IDL")
    return files


def load_model(folder: Path, cache_dir: Path) -> IdlModel:
    """The flattened model of the IDL files in `folder`, from the cache when it holds this version."""
    files = idl_files(folder)
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    sha = digest.hexdigest()
    version = package_version(folder)
    safe = re.sub(r"[^\w.+-]", "_", version)
    # The format in the name: other versions of compatprobe sharing the cache keep their own file.
    cached = cache_dir / "idl" / f"{safe}-{sha[:16]}-f{MODEL_FORMAT}.json"
    if cached.is_file():
        try:
            data = json.loads(cached.read_text())
            if data.get("format") == MODEL_FORMAT and data.get("sha256") == sha:
                return IdlModel.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # rebuilt below
    model = parse_files(files, version, sha)
    with contextlib.suppress(OSError):  # no writable cache: slower, still correct
        write_atomic(cached, model.to_json())
    return model


# ---- Parsing -----------------------------------------------------------------------------------


def _ext_attrs(node: Any) -> dict[str, str]:
    """[Name=value] of a construct or member, as text: {"Exposed": "(Window,Worker)", "Global": "Window"}."""
    found: dict[str, str] = {}
    for attr in getattr(node, "extended_attributes", None) or []:
        match = EXT_ATTR.match(str(attr))
        if match:
            found.setdefault(match.group(1), match.group(2) or "")
    return found


def _names(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in value.strip("()").split(",") if v.strip()]


def _factory_name(attr: Any) -> str | None:
    match = re.match(r"\s*LegacyFactoryFunction\s*=\s*(\w+)", str(attr))
    return match.group(1) if match else None


@dataclass
class _Raw:
    """One construct's contribution (a definition, a partial or a mixin), before flattening."""

    kind: str
    name: str
    attrs: dict[str, str]
    inherits: str | None
    members: list[Member]
    partial: bool


def _members(construct: Any, attrs: dict[str, str]) -> list[Member]:
    members: list[Member] = []
    # A partial's or mixin's [Exposed] narrows its members (the definition's own applies to the rest).
    outer = _names(attrs.get("Exposed")) or None
    for item in construct.members:
        kind = type(item).__name__
        if kind == "ExtendedAttribute":
            name = _factory_name(item)
            if name:
                members.append(Member(name, "factory"))
            continue
        inner = getattr(item, "member", None)
        if inner is None:
            continue
        own = _ext_attrs(item)
        exposed = _names(own.get("Exposed")) or outer
        unforgeable = "LegacyUnforgeable" in own
        isolated = "CrossOriginIsolated" in own or "CrossOriginIsolated" in attrs
        inner_kind = type(inner).__name__

        def add(name: str, member_kind: str, *, static: bool = False, handler: bool = False) -> None:
            members.append(Member(name, member_kind, static, unforgeable, handler, exposed, isolated))  # noqa: B023

        if inner_kind in ("Attribute", "MixinAttribute"):
            type_text = str(inner.attribute.type).strip().rstrip("?") if getattr(inner, "attribute", None) else ""
            add(item.name, "attribute", handler=type_text.endswith("EventHandler") and item.name.startswith("on"))
        elif inner_kind in ("Operation", "SpecialOperation"):
            if item.name and not item.name.startswith("__"):
                add(item.name, "operation")
        elif inner_kind == "StaticMember":
            add(item.name, "attribute" if inner.attribute is not None else "operation", static=True)
        elif inner_kind == "Stringifier":
            if getattr(inner, "attribute", None) is not None:
                add(item.name, "attribute")
            add("toString", "operation")
        elif inner_kind == "Constructor":
            if "HTMLConstructor" not in own:  # custom elements' constructors, not the element's
                add(construct.name, "constructor")
        elif inner_kind == "Iterable":
            add("@@iterator", "symbol")
            for name in ("entries", "forEach", "keys", "values"):
                add(name, "operation")
        elif inner_kind == "AsyncIterable":
            add("@@asyncIterator", "symbol")
            add("values", "operation")
            if getattr(inner, "key_type", None) is not None:
                add("entries", "operation")
                add("keys", "operation")
        elif inner_kind in ("Maplike", "Setlike"):
            add("@@iterator", "symbol")
            names = ["entries", "forEach", "has", "keys", "values"] + (["get"] if inner_kind == "Maplike" else [])
            for name in names:
                add(name, "operation")
            add("size", "attribute")
            if not getattr(inner, "readonly", None):
                for name in ("clear", "delete", "set" if inner_kind == "Maplike" else "add"):
                    add(name, "operation")
        # Constants are left out, as BCD leaves most of them out.
    return members


def parse_files(files: list[Path], version: str, sha: str) -> IdlModel:
    import widlparser  # only when the cache misses: importing and parsing take seconds

    raws: list[_Raw] = []
    includes: list[tuple[str, str]] = []
    for file in files:
        parser = widlparser.parser.Parser()
        try:
            parser.parse(file.read_text(encoding="utf-8"))
        except Exception as exc:  # widlparser raises plain exceptions on what it cannot read
            raise InputError(f"widlparser cannot parse this file: {exc}", path=file) from exc
        for construct in parser.constructs:
            kind = type(construct).__name__
            if kind == "IncludesStatement":
                includes.append((str(construct.name), str(construct.includes)))
                continue
            if kind not in ("Interface", "Mixin", "Namespace"):
                continue
            attrs = _ext_attrs(construct)
            inherits = getattr(construct, "inheritance", None)
            base = getattr(inherits, "base", None) if inherits is not None else None
            raws.append(
                _Raw(
                    {"Interface": "interface", "Mixin": "mixin", "Namespace": "namespace"}[kind],
                    str(construct.name),
                    attrs,
                    str(base) if base else None,
                    _members(construct, attrs),
                    bool(getattr(construct, "partial", None)),
                )
            )
    return flatten(raws, includes, version, sha)


def _merge(target: list[Member], more: list[Member]) -> None:
    seen = {(m.name, m.static) for m in target}
    for member in more:
        if (member.name, member.static) not in seen:
            target.append(member)
            seen.add((member.name, member.static))


def flatten(raws: list[_Raw], includes: list[tuple[str, str]], version: str, sha: str) -> IdlModel:
    definitions: dict[str, Definition] = {}
    mixins: dict[str, list[Member]] = {}
    # Whole definitions first, so that a partial (in whichever file) has a definition to merge into.
    for raw in sorted(raws, key=lambda r: r.partial):
        if raw.kind == "mixin":
            _merge(mixins.setdefault(raw.name, []), raw.members)
            continue
        known = definitions.get(raw.name)
        if known is None:
            if raw.partial:
                continue  # a partial of something @webref/idl does not define: nothing to attach it to
            known = definitions[raw.name] = Definition(
                raw.name,
                raw.kind,
                exposed=_names(raw.attrs.get("Exposed")),
                inherits=raw.inherits,
                globals=_names(raw.attrs.get("Global")),
                legacy_namespace=raw.attrs.get("LegacyNamespace") or None,
                no_interface_object="LegacyNoInterfaceObject" in raw.attrs,
                unforgeable="LegacyUnforgeable" in raw.attrs,
                secure_context="SecureContext" in raw.attrs,
            )
        _merge(known.members, raw.members)
    global_members: list[Member] = []
    for target, mixin in includes:
        if mixin == GLOBAL_MIXIN:
            _merge(global_members, mixins.get(mixin, []))
        elif target in definitions and mixin in mixins:
            _merge(definitions[target].members, mixins[mixin])
    scopes = sorted({g for d in definitions.values() for g in d.globals})
    for definition in definitions.values():
        if "*" in definition.exposed:
            definition.exposed = list(scopes)
        for member in definition.members:
            if member.exposed and "*" in member.exposed:
                member.exposed = None
            elif member.exposed and set(member.exposed) >= set(definition.exposed):
                member.exposed = None  # no narrower than the definition
    return IdlModel(version, sha, dict(sorted(definitions.items())), global_members, scopes)
