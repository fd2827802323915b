"""The npm registry, found at run time (never written into compatprobe), and tarballs checked against SRI hashes."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from compatprobe.errors import InputError

ENV_REGISTRY = "COMPATPROBE_NPM_REGISTRY"
HOW_TO = f"install npm (its 'npm config get registry' is used), or set {ENV_REGISTRY}=URL"
TIMEOUT_S = 60


@dataclass(frozen=True)
class Release:
    name: str
    version: str
    tarball: str
    integrity: str


def registry_url(env: dict[str, str] | None = None) -> str:
    """The registry's base URL: $COMPATPROBE_NPM_REGISTRY, else $npm_config_registry, else npm's own setting."""
    env = dict(os.environ) if env is None else env
    for name in (ENV_REGISTRY, "npm_config_registry"):
        if env.get(name):
            return env[name].rstrip("/") + "/"
    npm = shutil.which("npm")
    if npm is None:
        raise InputError("no npm registry is known", hint=HOW_TO)
    try:
        proc = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"'npm config get registry' failed: {exc}", hint=HOW_TO) from exc
    url = proc.stdout.strip()
    if proc.returncode != 0 or not url.startswith(("http://", "https://")):
        raise InputError("'npm config get registry' gave no registry URL", hint=HOW_TO)
    return url.rstrip("/") + "/"


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"the npm registry did not answer: {reason}", hint=f"check the network, or {HOW_TO}") from exc


def release(registry: str, name: str, version: str = "latest") -> Release:
    """What the registry says about one version (or the latest) of a package."""
    raw = _get(f"{registry}{quote(name, safe='@')}/{quote(version)}")
    try:
        doc: Any = json.loads(raw)
        dist = doc["dist"]
        return Release(name, str(doc["version"]), str(dist["tarball"]), str(dist["integrity"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"the registry's answer about {name}@{version} has no dist.integrity") from exc


def sri(data: bytes, algorithm: str = "sha512") -> str:
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


def matches(data: bytes, integrity: str) -> bool:
    """Does `data` match any of the SRI hashes in `integrity` (space-separated, as npm writes them)?"""
    for token in integrity.split():
        algorithm, _, _ = token.partition("-")
        if algorithm in ("sha512", "sha384", "sha256", "sha1") and sri(data, algorithm) == token:
            return True
    return False


def download(item: Release, integrity: str) -> bytes:
    """The tarball, checked against `integrity` (the pinned hash, not only what the registry says now)."""
    data = _get(item.tarball)
    if not matches(data, integrity):
        raise InputError(
            f"{item.name}@{item.version}: the tarball does not match the pinned integrity hash",
            hint="the registry serves different bytes than when it was pinned; do not use it",
        )
    return data
