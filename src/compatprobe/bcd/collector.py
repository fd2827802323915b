"""Observations as a report in mdn-bcd-collector's format, which BCD's update tooling reads.

A report is one browser: `{"__version", "userAgent", "results": {URL: [entry, ...]}}`, where an
entry is `{"name": BCD id, "exposure": "Window", "result": true | false | null, "message"?}`.
The format answers one question per feature, "is it there?", so:
- a feature that exists is `true`, also when it exists but throws (the collector has no "partial";
  the message then names the exception, and `compatprobe bcd` lists the contradiction);
- a missing feature is `false`;
- a probe that failed or timed out is `null`, with a message saying why (the format requires one).
Only probes that speak for a BCD id are exported: behaviour probes' ids are not BCD entries, and
BCD's tooling would take them for new features.

The results are keyed by the URL the probe was served from, without the run's random port.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from compatprobe.bcd.mapping import identify
from compatprobe.bcd.observe import observe
from compatprobe.bcd.speakers import bcd_speakers
from compatprobe.results.model import Outcome, Results, TargetResult
from compatprobe.scopes import SCOPE_TITLES, SCOPES

EXPOSURES = ("ServiceWorker", "SharedWorker", "Window", "Worker", "WebAssembly")
# The collector's name for each scope: its "Worker" is a dedicated worker.
ENTRY_KEYS = ("name", "exposure", "result", "message")
REPORT_KEYS = ("__version", "userAgent", "results", "extensions")
NAME = re.compile(r"[A-Za-z0-9_$@.-]*")
VERSION = re.compile(r"[0-9.]+")
MAX_TEXT = 1000  # the collector refuses longer strings
RESULT = {"supported": True, "partial": True, "not-supported": False, "unknown": None}


def exportable(target: TargetResult) -> str | None:
    """None when the target can be exported, else why not."""
    browser, _, reason = identify(target)
    if browser is None:
        # A WebKit build's user agent says Safari; BCD's tooling would file its results under Safari.
        return reason
    if target.browser is None or not target.browser.user_agent:
        return "no user agent was recorded"
    return None


def collector_user_agent(user_agent: str) -> str:
    # The collector's parser calls HeadlessChrome another browser, one BCD does not have, and
    # ignores the report; headless Chrome is Chrome.
    return user_agent.replace("HeadlessChrome/", "Chrome/")


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def build_report(results: Results, target: TargetResult) -> dict[str, Any]:
    assert target.browser is not None and target.browser.user_agent
    speakers, informs = bcd_speakers(results.probes)
    probes = {p.id: p for p in results.probes}
    informing: dict[str, list[str]] = {}  # BCD id -> its behaviour probes, by id
    for pid, feature in sorted(informs.items()):
        informing.setdefault(feature, []).append(pid)
    by_scope: dict[str, dict[str, Outcome]] = {}
    for outcome in target.outcomes:
        by_scope.setdefault(outcome.scope, {})[outcome.probe] = outcome
    entries: dict[str, list[dict[str, Any]]] = {}
    for feature, probe in sorted(speakers.items()):
        # One entry for each scope the probe ran in, with that scope's exposure and its behaviour probes.
        for scope in SCOPES:
            outcomes = by_scope.get(scope, {})
            if probe.id not in outcomes:
                continue  # never ran here: nothing to say
            behaviour = [(probes[p], outcomes[p]) for p in informing.get(feature, ()) if p in outcomes]
            observed = observe(outcomes[probe.id], behaviour)
            entry: dict[str, Any] = {"exposure": SCOPE_TITLES[scope], "name": feature, "result": RESULT[observed.kind]}
            if observed.kind != "supported":
                entry["message"] = _short(observed.summary)
            entries.setdefault(f"http://127.0.0.1/probes/{probe.id}.js", []).append(entry)
    version = VERSION.match(results.run.tool_version)
    return {
        "__version": version.group(0) if version else "0",
        "results": entries,
        "userAgent": collector_user_agent(target.browser.user_agent),
    }


def validate_report(report: Any) -> list[str]:
    """Every way `report` breaks mdn-bcd-collector's report format, each naming where; [] when it is valid."""
    if not isinstance(report, dict):
        return ["(top level): must be an object"]
    errors = [f"{key}: unknown key" for key in report if key not in REPORT_KEYS]
    errors += [f"{key}: missing" for key in ("__version", "userAgent", "results") if key not in report]
    version = report.get("__version")
    if "__version" in report and not (isinstance(version, str) and VERSION.fullmatch(version)):
        errors.append("__version: must be a string of digits and dots")
    if "userAgent" in report and not isinstance(report["userAgent"], str):
        errors.append("userAgent: must be a string")
    extensions = report.get("extensions", [])
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        errors.append("extensions: must be a list of strings")
    results = report.get("results")
    if "results" not in report:
        return errors
    if not isinstance(results, dict):
        return [*errors, "results: must be an object keyed by URL"]
    if not results:
        errors.append("results: must hold at least one URL")
    for url, entries in results.items():
        where = f"results[{url!r}]"
        parts = urlsplit(url)
        if "://" not in url or not parts.scheme or not parts.netloc:
            errors.append(f"{where}: the key must be an absolute URL")
        if not isinstance(entries, list):
            errors.append(f"{where}: must be a list")
            continue
        for i, entry in enumerate(entries):
            errors += _entry_errors(entry, f"{where}[{i}]")
    return errors


def _entry_errors(entry: Any, where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: must be an object"]
    errors = [f"{where}.{key}: unknown key" for key in entry if key not in ENTRY_KEYS]
    errors += [f"{where}.{key}: missing" for key in ("name", "exposure", "result") if key not in entry]
    name = entry.get("name")
    if "name" in entry and not (isinstance(name, str) and NAME.fullmatch(name) and len(name) <= MAX_TEXT):
        errors.append(f"{where}.name: must be a dotted feature id (letters, digits, _ $ @ . -)")
    if "exposure" in entry and entry["exposure"] not in EXPOSURES:
        errors.append(f"{where}.exposure: must be one of {', '.join(EXPOSURES)}")
    result = entry.get("result")
    # bool before anything else: in Python 1 == True, and the format wants JSON true/false/null.
    if "result" in entry and not (isinstance(result, bool) or result is None):
        errors.append(f"{where}.result: must be true, false or null")
    if "message" in entry:
        message = entry["message"]
        if not isinstance(message, str) or len(message) > MAX_TEXT:
            errors.append(f"{where}.message: must be a string of at most {MAX_TEXT} characters")
    elif "result" in entry and result is None:
        errors.append(f"{where}.message: required when result is null")
    return errors
