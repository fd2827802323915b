"""The pinned versions of the data packages, kept in one file: pins.json beside this module."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from compatprobe.errors import InputError
from compatprobe.files import write_atomic

PIN_FILE = "pins.json"
COMMENT = (
    "The data packages compatprobe generates probes from and compares with. Written by "
    "'compatprobe data update'; integrity is the registry's sha512 of each tarball."
)
# What each package is for, and the environment variable that points at a copy of it instead of the cache.
PACKAGES = {
    "@webref/idl": ("Web IDL of the specifications (api.* probes)", "COMPATPROBE_IDL"),
    "@webref/css": ("CSS definitions (css.properties.* probes)", "COMPATPROBE_CSS"),
    "@mdn/browser-compat-data": ("MDN's browser-compat-data (javascript.* probes, comparisons)", "COMPATPROBE_BCD"),
    "web-features": ("web-features (feature groups)", "COMPATPROBE_WEB_FEATURES"),
}


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    integrity: str  # Subresource Integrity text, "sha512-<base64>"

    @property
    def slug(self) -> str:
        """A file name for the package: `@webref/idl` 3.85.0 -> `webref-idl@3.85.0`."""
        return f"{self.name.removeprefix('@').replace('/', '-')}@{self.version}"


def pin_file() -> Path:
    return Path(str(resources.files(__package__).joinpath(PIN_FILE)))


def load_pins(path: Path | None = None) -> dict[str, Pin]:
    path = path or pin_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {name: Pin(name, entry["version"], entry["integrity"]) for name, entry in data["packages"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(
            f"cannot read the data pins: {exc}", path=path, hint="restore it from compatprobe's source"
        ) from exc


def save_pins(pins: dict[str, Pin], path: Path | None = None) -> None:
    packages = {name: {"version": p.version, "integrity": p.integrity} for name, p in sorted(pins.items())}
    write_atomic(path or pin_file(), json.dumps({"comment": COMMENT, "packages": packages}, indent=2) + "\n")
