"""css.properties.* features from @webref/css, checked with CSS.supports(property, value).

A property is asked about with a value its definition allows (the first keyword of its syntax,
else its initial value when that is a plain token) and with `initial`, which every engine accepts
for every property it knows. BCD's value subfeatures (`css.properties.display.grid`) are asked
about with that keyword alone, when the property's syntax has it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from compatprobe.errors import InputError
from compatprobe.probes.generate.features import Generated, Generation, js

SOURCE = "@webref/css"
PREFIX = "css.properties."
# A keyword: not inside <a-type>, not a function's name (fit-content( ... ), nor the start of one).
KEYWORD = re.compile(r"(?<![<\w'-])([a-z][a-z0-9-]*)(?![\w-]*[>(])")
PLAIN = re.compile(r"^-?[a-z][a-z0-9-]*$|^-?\d+(\.\d+)?(px|%|s|ms)?$")


# Properties an engine parses without applying them: CSS.supports is no answer, the computed value
# of a longhand it sets is (Chromium parses `size`, @page's descriptor, and sizes nothing with it).
EFFECTS = {"size": ("10px 20px", "width", "10px")}
# Prefixed properties whose values differ from the standard one's (@webref/css files them as its
# aliases): asked with a value of their own syntax (WebKit's <composite-style>), alone.
OWN_VALUES = {"-webkit-mask-composite": "source-over"}


def _property_check(name: str, value: str) -> str:
    if name in EFFECTS:
        return f"t.styled({js(name, *EFFECTS[name])});"
    if name in OWN_VALUES:
        return f"t.property({js(name, OWN_VALUES[name])}, true);"
    return f"t.property({js(name, value)});"


def css_definitions(folder: Path) -> list[dict[str, Any]]:
    source = folder / "css.json"
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        return [p for p in data["properties"] if isinstance(p, dict) and "name" in p]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read @webref/css: {exc}", path=source, hint="run 'compatprobe data fetch'") from exc


def keywords(syntax: str) -> list[str]:
    return KEYWORD.findall(re.sub(r"<[^>]*>", " ", syntax))


MULTIPLIERS = re.compile(r"(\?|\+|\*|#|!|\{[^}]*\})+$")


def _alternatives(syntax: str) -> list[str]:
    """The syntax's top-level alternatives, split at `|` and `||` outside brackets."""
    parts, depth, current, i = [], 0, "", 0
    while i < len(syntax):
        ch = syntax[i]
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if depth == 0 and ch == "|":
            parts.append(current)
            current = ""
            i += 2 if syntax[i : i + 2] == "||" else 1
            continue
        current += ch
        i += 1
    return [*(part.strip() for part in parts), current.strip()]


def _one_group(text: str) -> bool:
    """Whether `text` is one bracketed group, [ ... ], and not a sequence of them."""
    if not (text.startswith("[") and text.endswith("]")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def valid_alone(syntax: str, keyword: str) -> bool:
    """Whether `keyword` by itself is a value of `syntax`: an alternative, at the top or in a group
    that is one. `text-indent: hanging` is not (it goes with a length); asked alone, CSS.supports
    would say no for a browser that has it."""
    for alternative in _alternatives(syntax):
        alternative = MULTIPLIERS.sub("", alternative).strip()
        if alternative == keyword or (_one_group(alternative) and valid_alone(alternative[1:-1], keyword)):
            return True
    return False


def sample_value(prop: dict[str, Any]) -> str:
    words = keywords(str(prop.get("syntax") or ""))
    if words:
        return words[0]
    initial = str(prop.get("initial") or "").strip()
    return initial if PLAIN.match(initial) else "initial"


def css_features(definitions: list[dict[str, Any]], ids: dict[str, str], generation: Generation) -> None:
    seen: set[str] = set()
    syntax: dict[str, str] = {}
    for prop in definitions:
        name = str(prop["name"])
        if prop.get("legacyAliasOf") or name.startswith("--"):
            continue  # BCD lists prefixed aliases inside the standard property's statements
        syntax[name] = str(prop.get("syntax") or "")
        feature = PREFIX + name
        seen.add(feature)
        generation.features.append(
            Generated(feature, f"{name} property", _property_check(name, sample_value(prop)), ("Window",), SOURCE)
        )
    for feature, _ in ids.items():
        if not feature.startswith(PREFIX) or feature in seen:
            continue
        rest = feature[len(PREFIX) :].split(".")
        if len(rest) == 1:
            if rest[0] == "custom-property":
                continue
            # Properties BCD has and @webref/css does not (prefixed, retired): the same question.
            generation.features.append(
                Generated(
                    feature,
                    f"{rest[0]} property",
                    _property_check(rest[0], "initial"),
                    ("Window",),
                    "@mdn/browser-compat-data",
                )
            )
        elif len(rest) == 2 and rest[0] in syntax and rest[1].replace("_", "-") in keywords(syntax[rest[0]]):
            value = rest[1].replace("_", "-")
            if not valid_alone(syntax[rest[0]], value):
                generation.leave_out("css: a keyword that is a value only with others (text-indent: hanging)")
                continue
            generation.features.append(
                Generated(
                    feature, f"{rest[0]}: {value}", f"t.property({js(rest[0], value)}, true);", ("Window",), SOURCE
                )
            )
        else:
            generation.leave_out("css: a value or behaviour that no keyword of the syntax names")
