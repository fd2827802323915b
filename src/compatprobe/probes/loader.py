"""Probe files: JavaScript with a YAML metadata block, found under a probes folder."""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compatprobe.config.matrix import MAX_TIMEOUT_MS
from compatprobe.config.yamlfile import read_text, too_deep
from compatprobe.errors import InputError
from compatprobe.features import group_of
from compatprobe.scopes import EXPOSED_NAMES

# test262's convention: the metadata is a YAML block in a /*--- ... ---*/ comment at the top.
FRONTMATTER = re.compile(r"\A\s*/\*---\n(?P<yaml>.*?)\n---\*/\n?", re.DOTALL)
# libyaml's loader when PyYAML has it: parsing 5,000 metadata blocks drops from 1.5 s to 0.35 s.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_PROBE_BYTES = 1024 * 1024
FEATURE_ID = re.compile(r"^[a-z]+(\.[A-Za-z_][A-Za-z0-9_-]*)+$")

REQUIRED = {"feature": str, "title": str}
OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "spec": str,
    "mdn": str,
    "expect": str,
    "deprecated": bool,
    "standard": bool,
    "timeout": int,
    "bcd": str,
    "isolate": bool,
    "exposed": list,
}


@dataclass(kw_only=True)
class ProbeMetadata:
    """What a probe's metadata block says beside its feature and title, as the probe file and the
    results file (probes.info.ProbeInfo) both hold it; keyword-only, so after each one's own fields."""

    spec: str | None = None
    mdn: str | None = None
    expect: str | None = None
    deprecated: bool = False
    standard: bool = True
    bcd: str | None = None  # the BCD id from the probe's `bcd:` metadata, when it has one
    # Generated probes (probes/generate/): the data they came from ("@webref/idl 3.85.0"); None when hand-written.
    generated: str | None = None


@dataclass
class Probe(ProbeMetadata):
    """One probe: its id is its path under the probes folder, without `.js`."""

    id: str
    path: Path
    feature: str
    title: str
    source: str
    timeout_ms: int | None = None
    isolate: bool = False  # always run alone in a fresh realm, never in a shared one
    exposed: tuple[str, ...] = ("Window",)  # the scopes ([Exposed]) the feature exists in
    # Where it runs when the matrix names no scopes; None: the window plus where it is exposed.
    scopes: tuple[str, ...] | None = None
    first_line: int = 1  # the file's line where `source` begins, after the metadata block

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()

    @property
    def group(self) -> str:
        """The method (or interface) the probe belongs to: `api.X.y` for `api.X.y.behaviour`."""
        return group_of(self.feature)


def parse_probe(path: Path, probe_id: str) -> Probe:
    # Bounded, and never a FIFO (which would block) or a device (which might never end).
    text = read_text(path, MAX_PROBE_BYTES, "probe file")
    match = FRONTMATTER.match(text)
    if not match and text.lstrip().startswith("/*---"):
        raise InputError(
            "the metadata block is never closed",
            path=path,
            line=text[: text.index("/*---")].count("\n") + 1,
            hint="end it with a line of its own that reads ---*/, before the probe's code",
        )
    if not match:
        raise InputError(
            "no metadata block",
            path=path,
            line=1,
            hint="start the file with /*--- feature: api.X.y / title: ... ---*/",
        )
    first_line = text[: match.start("yaml")].count("\n") + 1
    if too_deep(match.group("yaml")):
        raise InputError("metadata is nested too deeply", path=path, line=first_line)
    try:
        meta = _load_metadata(match.group("yaml"))
    except RecursionError as exc:
        raise InputError("metadata is nested too deeply", path=path, line=first_line) from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise InputError(f"metadata holds a value that cannot be read ({exc})", path=path, line=first_line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            f"metadata is not valid YAML: {problem}", path=path, line=line, hint=_yaml_hint(text, line)
        ) from exc
    if not isinstance(meta, dict):
        raise InputError(
            "metadata must be a mapping of keys to values",
            path=path,
            line=first_line,
            hint="write one 'key: value' per line, such as feature: api.X.y",
        )
    meta = _check_metadata(meta, path, match.group("yaml"), first_line)
    return Probe(
        id=probe_id,
        path=path,
        feature=meta["feature"],
        title=meta["title"],
        source=text[match.end() :],
        spec=meta.get("spec"),
        mdn=meta.get("mdn"),
        expect=meta.get("expect"),
        deprecated=meta.get("deprecated", False),
        standard=meta.get("standard", True),
        timeout_ms=meta.get("timeout"),
        bcd=meta.get("bcd"),
        isolate=meta.get("isolate", False),
        first_line=text[: match.end()].count("\n") + 1,
        exposed=tuple(meta.get("exposed", ("Window",))),
    )


def _yaml_hint(text: str, line: int) -> str:
    """What to do about a YAML error on `line`: most often a value holding ': ' or '#', which must be quoted."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    key, sep, value = here.partition(":")
    value = value.strip()
    if sep and (": " in value or " #" in value) and not value.startswith(("'", '"')):
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"a value holding ': ' or ' #' must be quoted: {key.strip()}: {quoted}"
    return "check the quoting of this line"


def _load_metadata(block: str) -> Any:
    try:
        return yaml.load(block, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        # Parse again in Python for its error, which points at the offending line more exactly.
        return yaml.load(block, Loader=yaml.SafeLoader)


def _check_metadata(meta: dict[Any, Any], path: Path, block: str, first_line: int) -> dict[str, Any]:
    def line_of(key: str) -> int:
        for offset, line in enumerate(block.splitlines()):
            if line.startswith(f"{key}:"):
                return first_line + offset
        return first_line

    known = {**REQUIRED, **OPTIONAL}
    for key, value in meta.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            raise InputError(f"unknown metadata key '{key}'", path=path, line=line_of(str(key)), hint=hint)
        expected = known[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise InputError(
                f"'{key}' must be {_kind(expected)}, not {_kind(type(value))}",
                path=path,
                line=line_of(key),
                hint=EXAMPLES.get(str(key)),
            )
    for key in REQUIRED:
        if key not in meta:
            raise InputError(
                f"metadata lacks '{key}'", path=path, line=first_line, hint=f"add a line {key}: {EXAMPLES[key]}"
            )
    if not FEATURE_ID.match(meta["feature"]):
        raise InputError(
            f"feature '{meta['feature']}' is not a browser-compat-data id",
            path=path,
            line=line_of("feature"),
            hint="write it like api.RTCPeerConnection.removeStream",
        )
    if "exposed" in meta:
        _check_exposed(meta["exposed"], path, line_of("exposed"))
    for key in ("spec", "mdn"):
        # Written as links in the report: only the web's own (a javascript: link would run when clicked).
        if key in meta and not re.match(r"https?://\S", meta[key], re.IGNORECASE):
            raise InputError(
                f"'{key}' must be an http:// or https:// URL", path=path, line=line_of(key), hint=EXAMPLES[key]
            )
    if "exposed" in meta and not meta["exposed"]:
        raise InputError("'exposed' names no scope", path=path, line=line_of("exposed"), hint=EXAMPLES["exposed"])
    if "timeout" in meta and not 0 < meta["timeout"] <= MAX_TIMEOUT_MS:
        raise InputError(
            f"'timeout' must be a positive number of milliseconds, at most {MAX_TIMEOUT_MS}",
            path=path,
            line=line_of("timeout"),
            hint="browsers' timers overflow past 2^31 - 1 ms (about 24.8 days)",
        )
    return meta


def _check_exposed(names: list[Any], path: Path, line: int) -> None:
    """Every name in `exposed` one of Web IDL's scopes (an empty list is checked after the links)."""
    for name in names:
        if not isinstance(name, str):  # str() of a list of aliases can be a billion items long
            raise InputError("'exposed' must list names", path=path, line=line, hint=EXAMPLES["exposed"])
        if name not in EXPOSED_NAMES:
            close = difflib.get_close_matches(str(name), EXPOSED_NAMES, n=1)
            raise InputError(
                f"'exposed' names an unknown scope {name!r}",
                path=path,
                line=line,
                hint=f"did you mean '{close[0]}'?" if close else f"write Web IDL's names: {', '.join(EXPOSED_NAMES)}",
            )


KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a decimal number"}
EXAMPLES = {
    "feature": "api.Interface.member",
    "title": "what the row says",
    "timeout": "write it in milliseconds, such as timeout: 5000",
    "deprecated": "write deprecated: true or deprecated: false",
    "standard": "write standard: true or standard: false",
    "exposed": "write it as Web IDL's [Exposed], such as exposed: [Window, Worker]",
    "spec": "such as spec: https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-removetrack",
    "mdn": "such as mdn: https://developer.mozilla.org/docs/Web/API/RTCPeerConnection/removeTrack",
}


def _kind(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(_kind(k) for k in kind)
    if kind is type(None):
        return "nothing"
    return KIND_NAMES.get(kind, "a list" if kind is list else "a mapping" if kind is dict else kind.__name__)


def _line_of_feature(path: Path) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("feature:"):
            return number
    return None


def discover(probes_dir: Path) -> list[tuple[str, Path]]:
    """Every probe file under the folder, as (id, path), sorted by id."""
    found = []
    for path in probes_dir.rglob("*.js"):
        if any(part.startswith((".", "_")) for part in path.relative_to(probes_dir).parts):
            continue
        found.append((path.relative_to(probes_dir).with_suffix("").as_posix(), path))
    return sorted(found)


def select(ids: list[str], patterns: list[str]) -> list[str]:
    """The ids matching any of the shell-style patterns (`*` also crosses `/`)."""
    return [pid for pid in ids if any(fnmatch.fnmatchcase(pid, pat) for pat in patterns)]


def load_probes(
    probes_dir: Path,
    patterns: list[str],
    *,
    source: str = "--probe",
    line: int | None = None,
) -> list[Probe]:
    """Load the probes matching `patterns`; a pattern that matches nothing is an error."""
    if not probes_dir.is_dir():
        raise InputError(
            f"probes folder {probes_dir} does not exist",
            path=source,
            line=line,
            hint="create it, or set probes_dir (relative to the matrix file)",
        )
    found = discover(probes_dir)
    ids = [pid for pid, _ in found]
    for pattern in patterns:
        if not select(ids, [pattern]):
            close = difflib.get_close_matches(pattern, ids, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"probe ids look like '{ids[0]}'" if ids else None
            raise InputError(
                f"probe pattern '{pattern}' matches no probe in {probes_dir}", path=source, line=line, hint=hint
            )
    chosen = set(select(ids, patterns))
    probes = [parse_probe(path, pid) for pid, path in found if pid in chosen]
    seen: dict[str, Probe] = {}
    for probe in probes:
        if probe.feature in seen:
            raise InputError(
                f"feature '{probe.feature}' is also the feature of {seen[probe.feature].path}",
                path=probe.path,
                line=_line_of_feature(probe.path),
                hint="give each probe its own feature id",
            )
        seen[probe.feature] = probe
    return probes
