"""Results: plain data classes, their JSON form, and reading it back with validation.

Rendering and diffing read only this data, so a table can be made again without a browser.
The JSON form is described by `schema/results-3.schema.json` (files of versions 1 and 2 are still
read; version 2 added generated probes' data, where an outcome was observed (`scope`), and a broken
probe's line; version 3 says which generated features ran in workers); bump SCHEMA_VERSION on any
change that an older reader would misread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TextIO

from compatprobe.config.yamlfile import read_text
from compatprobe.errors import InputError
from compatprobe.files import Staged, stage
from compatprobe.probes.info import ProbeInfo
from compatprobe.results.heap import collector_paused
from compatprobe.scopes import SCOPES, WINDOW

SCHEMA_VERSION = 3


def _from_1(data: dict[str, Any]) -> dict[str, Any]:
    # Version 2 only adds optional fields (run.generated, probes' exposed; outcomes' scope, line, path,
    # suspect): a version 1 file is already one. Version 1 ran every probe in the window (no scope).
    return {**data, "schema_version": 2}


def _from_2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 2 ran generated probes in the window only, and listed those not exposed there as not run.
    generated = data["run"].get("generated")
    if generated is not None and "not_exposed_on_window" in generated:
        generated = {**generated, "not_run": generated["not_exposed_on_window"]}
        del generated["not_exposed_on_window"]
        data = {**data, "run": {**data["run"], "generated": generated}}
    return {**data, "schema_version": 3}


# A file of an older version is validated against its own schema, then brought up to date one
# version at a time: UPGRADES[n] turns version n's data into version n + 1's.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1, 2: _from_2}
READABLE_SCHEMA_VERSIONS = tuple(sorted({*UPGRADES, SCHEMA_VERSION}))
REWRITE_HINT = "it is not as compatprobe wrote it; run 'compatprobe run' again to get a new one"

Status = Literal["supported", "unsupported", "throws", "error", "timeout"]
STATUSES: tuple[Status, ...] = ("supported", "unsupported", "throws", "error", "timeout")


@dataclass(slots=True)
class ExceptionInfo:
    name: str
    message: str
    expected: bool | None = None  # did the spec (as the probe states it) expect this exception?


@dataclass(slots=True)
class Outcome:
    probe: str
    status: Status
    reason: str | None = None
    message: str | None = None
    exception: ExceptionInfo | None = None
    values: dict[str, str] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    line: int | None = None  # error: the probe file's line the browser named (a syntax error)
    path: str | None = None  # unsupported: the t.require path that did not resolve (the message names the part)
    # Set after the run when no browser has `path` and no data (BCD) knows it: the probe's mistake, likely.
    suspect: str | None = None
    # With --repeat: how many runs there were; when they differed, flaky is true, the fields above
    # are the most frequent outcome, and variants are the others.
    runs: int | None = None
    flaky: bool | None = None
    variants: list[Variant] | None = None
    # Where the probe ran (scopes.SCOPES); the file leaves the window out, as version 1 did.
    scope: str = WINDOW


# What one run of a probe observed: the fields a Variant shares with its Outcome.
OBSERVED = ("status", "reason", "message", "exception", "values", "events")


@dataclass(kw_only=True, slots=True)
class Variant(Outcome):
    """Another outcome a repeated probe gave (see Outcome.variants), and in how many runs."""

    count: int

    @classmethod
    def of(cls, outcome: Outcome, count: int) -> Variant:
        observed = {name: copy(getattr(outcome, name)) for name in OBSERVED}
        return cls(probe=outcome.probe, scope=outcome.scope, count=count, **observed)


@dataclass(slots=True)
class BrowserInfo:
    name: str
    version: str
    user_agent: str | None = None


@dataclass(slots=True)
class Where:
    """Where a target's browser ran. `os`, `os_version` and `platform` are what the browser or its
    WebDriver server reported, which for a remote browser is not this machine."""

    kind: Literal["local", "remote"] = "local"
    server: str | None = None  # the Playwright server or WebDriver URL as written, without credentials
    os: str | None = None
    os_version: str | None = None
    platform: str | None = None  # navigator.platform


@dataclass(slots=True)
class TargetResult:
    name: str
    engine: str
    status: Literal["ok", "partial", "unavailable", "failed"] = "ok"
    error: str | None = None
    browser: BrowserInfo | None = None
    launch: dict[str, Any] = field(default_factory=dict)
    started: str | None = None
    finished: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    # Which BCD browser and release this is (bcd_mapping.BcdMapping.to_dict()), when run with --bcd.
    bcd: dict[str, str] | None = None
    where: Where | None = None
    attempts: int | None = None  # how many times the browser was started or connected to
    attempt_errors: list[str] | None = None  # the infrastructure error of each failed attempt, in order
    host: dict[str, str] | None = None  # set when the run was merged from shards on different machines
    # Pages lost or hung, and how the browser was recovered, in words (absent when none).
    incidents: list[str] | None = None


@dataclass(slots=True)
class ShardInfo:
    """One shard of a merged run: the results file it came from, and when and where it ran."""

    source: str
    started: str
    finished: str
    host: dict[str, str]


@dataclass(slots=True)
class RunInfo:
    """The run as a whole: when, by which compatprobe, on which machine, from which matrix."""

    started: str
    finished: str
    tool_version: str
    host: dict[str, str]
    matrix: str | None = None
    shards: list[ShardInfo] | None = None
    repeat: int | None = None  # --repeat N, when above 1
    # With generated probes: the patterns, data versions, and what was not run or not generated (select.py).
    generated: dict[str, Any] | None = None


@dataclass(slots=True, repr=False)
class Results:
    run: RunInfo
    probes: list[ProbeInfo]
    targets: list[TargetResult]
    schema_version: int = SCHEMA_VERSION

    def __repr__(self) -> str:
        # Short: asyncio.run's SIGINT check ends by putting the main task, and so its result, in an
        # error message (Python 3.11's signal.getsignal), and a sweep's full repr is 16 MB (0.2 s).
        outcomes = sum(len(t.outcomes) for t in self.targets)
        names = ", ".join(t.name for t in self.targets)
        return f"<Results of {len(self.probes)} probes in {names}: {outcomes} outcomes>"

    @property
    def complete(self) -> bool:
        return all(t.status == "ok" for t in self.targets)


_SCALARS = frozenset((str, int, bool, float))


def _plain(value: Any) -> Any:
    """Dataclasses as dicts without None values, for a compact, stable file: in one pass, since
    asdict's deep copy and a second pass to drop the Nones held a run's results three times."""
    if type(value) in _SCALARS:  # most values: nothing to look up
        return value
    names = _field_names(type(value))
    if names:
        return {n: _plain(v) for n in names if (v := getattr(value, n)) is not None}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind)) if is_dataclass(kind) else ()


def to_dict(results: Results) -> dict[str, Any]:
    data = _plain(results)
    data["$schema"] = f"https://compatprobe.invalid/schema/results-{SCHEMA_VERSION}.json"
    data["probes"].sort(key=lambda p: p["id"])
    for target in data["targets"]:
        target["outcomes"].sort(key=lambda o: (o["probe"], _scope_order(o.get("scope"))))
        for outcome in target["outcomes"]:
            if outcome.get("scope") == WINDOW:
                del outcome["scope"]
            for variant in outcome.get("variants", []):
                # A variant's probe and scope are its outcome's; the file keeps only what was observed.
                for name in ("probe", "scope", "runs", "flaky", "variants"):
                    variant.pop(name, None)
        target["not_run"].sort()
    return data


def _scope_order(scope: str | None) -> int:
    return SCOPES.index(scope) if scope in SCOPES else 0  # absent: the window, first


def dumps(results: Results) -> str:
    data = to_dict(results)
    encoded = _orjson_bytes(data)
    if encoded is not None:
        return encoded.decode("utf-8")
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _orjson_bytes(data: dict[str, Any]) -> bytes | None:
    """The file's bytes (two spaces of indent, keys sorted, UTF-8 as is) from orjson: byte for byte
    what the standard library writes for a results file, which holds no floats, in 15 ms instead
    of 0.4 s for a three-engine sweep (the standard library's indenting encoder is pure Python).
    None without orjson, or for a string it refuses (a lone surrogate)."""
    try:
        import orjson
    except ImportError:
        return None
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    except orjson.JSONEncodeError:
        return None


def write_results(results: Results, path: Path) -> None:
    """Write the results file (see stage_results), replacing `path` whole."""
    stage_results(results, path).commit()


def stage_results(results: Results, path: Path) -> Staged:
    """The file dumps() gives, staged beside `path` (files.stage), to be moved into place by its
    commit."""
    return stage(path, results_text(results))


def results_text(results: Results) -> Callable[[TextIO], None]:
    """What writes the file dumps() gives into an open file. As bytes (a str of it would hold it
    again, four times over when one character is beyond the BMP); the standard library's text is
    written as it is encoded: the whole text at once held the encoder's million pieces as well
    (70 MB for a sweep of 12,000 probes in three browsers)."""
    data = to_dict(results)
    encoded = _orjson_bytes(data)

    def write(handle: TextIO) -> None:
        if encoded is not None:
            handle.flush()
            handle.buffer.write(encoded)
            return
        json.dump(data, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")

    return write


@cache
def schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    text = resources.files("compatprobe.results").joinpath("schema", f"results-{version}.schema.json").read_text()
    return json.loads(text)


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Data of any readable (already validated) version, as the current version's data."""
    version = data["schema_version"]
    while version != SCHEMA_VERSION:
        data = UPGRADES[version](data)
        version = data["schema_version"]
    return data


def from_dict(data: Any, source: Path | str) -> Results:
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(
            "not a compatprobe results file (no schema_version)", path=source, hint="give the results.json of a run"
        )
    version = data["schema_version"]
    # `True in (1,)` and `3.0 in (3,)` hold in Python: only a whole number is a version.
    if type(version) is not int or version not in READABLE_SCHEMA_VERSIONS:
        newer = type(version) is int and version > SCHEMA_VERSION
        shown = (
            repr(version) if len(repr(version)) < 40 else f"{repr(version)[:20]}... ({len(repr(version))} characters)"
        )
        raise InputError(
            f"results schema version {shown} is not one this compatprobe reads "
            f"({', '.join(map(str, READABLE_SCHEMA_VERSIONS))})",
            path=source,
            hint="it was written by a newer compatprobe; upgrade this one"
            if newer
            else "re-run compatprobe, or use the compatprobe version that wrote it",
        )
    error = None if _valid(data, version) else _schema_error(data, version)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputError(
            f"does not match the results schema at {where}: {error.message}", path=source, hint=REWRITE_HINT
        )
    data = upgrade(data)
    return Results(
        schema_version=data["schema_version"],
        run=_run(data["run"]),
        probes=[ProbeInfo(**p) for p in data["probes"]],
        targets=[_target(t) for t in data["targets"]],
    )


def _valid(data: Any, version: int) -> bool:
    """Whether jsonschema-rs finds `data` valid: 10 ms for a three-engine sweep, where jsonschema
    takes 2.6 s of CPU. False without it; jsonschema then says what is wrong, in its words."""
    try:
        return bool(_fast_validator(version).is_valid(data))
    except (ImportError, AttributeError):  # not installed, or too old to have validator_for
        return False


@cache
def _fast_validator(version: int) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema(version))


def _schema_error(data: Any, version: int) -> Any:
    import jsonschema  # only reading needs it; a run would import it for nothing (~60 ms)

    return jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema(version)).iter_errors(data))


def _run(data: dict[str, Any]) -> RunInfo:
    shards = data.get("shards")
    return RunInfo(**{**data, "shards": [ShardInfo(**s) for s in shards] if shards is not None else None})


def _target(data: dict[str, Any]) -> TargetResult:
    # The schema has checked every key: each is a field, and what is absent takes its default.
    browser, where = data.get("browser"), data.get("where")
    return TargetResult(
        **{
            **data,
            "browser": BrowserInfo(**browser) if browser else None,
            "where": Where(**where) if where else None,
            "outcomes": [outcome_from_dict(o) for o in data["outcomes"]],
        }
    )


def outcome_from_dict(data: dict[str, Any]) -> Outcome:
    """An outcome from its JSON form (a results file's, or the harness's once made plain)."""
    exception, variants = data.get("exception"), data.get("variants")
    return Outcome(
        **{
            **data,
            "scope": data.get("scope") or WINDOW,
            "exception": ExceptionInfo(**exception) if exception else None,
            "variants": [_variant(v, data) for v in variants] if variants is not None else None,
        }
    )


def _variant(data: dict[str, Any], parent: dict[str, Any]) -> Variant:
    seen = {k: v for k, v in data.items() if k != "count"}
    observed = outcome_from_dict({**seen, "probe": parent["probe"], "scope": parent.get("scope") or WINDOW})
    return Variant.of(observed, data["count"])


def read_results(path: Path) -> Results:
    """Read and validate a results file; any problem is an InputError naming the file."""
    if not path.exists() and not path.is_symlink():
        raise InputError("file not found", path=path, hint="check the path; 'compatprobe run' writes out/results.json")
    if path.is_dir():
        raise InputError("is a folder, not a results file", path=path, hint="name the results.json inside it")
    try:
        text = read_text(path, MAX_RESULTS_BYTES, "results file")
    except InputError as exc:
        raise InputError(exc.message, path=path, hint=exc.hint or REWRITE_HINT) from exc
    if not text or text.isspace():  # strip() would copy a sweep's 15 MB to find that out (10 ms)
        raise InputError("file is empty", path=path, hint=REWRITE_HINT)
    with collector_paused():
        return _parsed(path, text)


def _parsed(path: Path, text: str) -> Results:
    """The results in `text`, read from `path`, validated."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON (truncated?): {exc.msg}", path=path, line=exc.lineno, hint=REWRITE_HINT
        ) from exc
    except RecursionError as exc:
        raise InputError("nested too deeply for a results file", path=path, hint=REWRITE_HINT) from exc
    except ValueError as exc:  # a number of more digits than Python converts
        raise InputError(f"holds a value that cannot be read ({exc})", path=path, hint=REWRITE_HINT) from exc
    if LONE_SURROGATE.search(text) and _has_lone_surrogate(data):
        raise InputError("holds text that is not valid Unicode (a lone surrogate)", path=path, hint=REWRITE_HINT)
    try:
        return from_dict(data, path)
    except RecursionError as exc:
        raise InputError("nested too deeply for a results file", path=path, hint=REWRITE_HINT) from exc


# JSON's escape of a UTF-16 surrogate: only when one is in the text can the data hold a lone one.
LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
MAX_RESULTS_BYTES = 4 * 1024**3


def _has_lone_surrogate(value: Any) -> bool:
    """Whether any string in the data (keys included) holds a lone surrogate, which no UTF-8 file can."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def release_of(engine: str, version: str) -> str:
    """Chromium and Firefox name releases by major version; WebKit ports by major.minor."""
    parts = version.split(".")
    if not parts[0].isdigit():
        return version
    return parts[0] if engine in ("chromium", "firefox") else ".".join(parts[:2])
