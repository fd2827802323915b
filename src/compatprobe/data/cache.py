"""Data packages in the user's cache: fetched and verified here, read offline by everything else.

Layout under the cache folder ($COMPATPROBE_CACHE, else $XDG_CACHE_HOME/compatprobe, else
~/.cache/compatprobe): `packages/<slug>.tgz` as the registry served it, `packages/<slug>/` its
unpacked contents, and `packages/<slug>/.compatprobe.json` saying which integrity hash it matched.
A folder without that file (an interrupted fetch) does not count as cached.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from compatprobe.data.pins import PACKAGES, Pin, load_pins
from compatprobe.data.registry import download, matches, registry_url, release
from compatprobe.errors import InputError

ENV_CACHE = "COMPATPROBE_CACHE"
STAMP = ".compatprobe.json"


def cache_root() -> Path:
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "compatprobe"


def _packages_dir(root: Path | None) -> Path:
    return (root or cache_root()) / "packages"


@dataclass(frozen=True)
class PackageStatus:
    pin: Pin
    folder: Path | None  # the unpacked package, when cached
    verified: bool  # the cached tarball still matches the pinned hash
    override: str | None = None  # the environment variable that points elsewhere, and where

    def line(self) -> str:
        where = f"{self.folder}" if self.folder else "not cached"
        state = "verified" if self.verified else "NOT verified" if self.folder else "run 'compatprobe data fetch'"
        text = f"{self.pin.name}@{self.pin.version}: {where} ({state})"
        return f"{text}; {self.override}" if self.override else text


def package_folder(pin: Pin, root: Path | None = None) -> Path:
    return _packages_dir(root) / pin.slug


def cached_package(name: str, root: Path | None = None) -> Path | None:
    """The unpacked folder of the pinned version of `name`, or of the copy its environment variable
    names; None when neither is there. Nothing is fetched."""
    env = PACKAGES.get(name, ("", ""))[1]
    if env and os.environ.get(env):
        return _unpacked(Path(os.environ[env]), env, root)
    pins = load_pins()
    if name not in pins:
        raise InputError(f"no data package {name!r} is pinned", hint=f"known: {', '.join(pins)}")
    folder = package_folder(pins[name], root)
    return folder if (folder / STAMP).is_file() else None


def _unpacked(path: Path, env: str, root: Path | None) -> Path:
    """A folder holding the package's files, from an unpacked folder or a .tgz (unpacked into the cache)."""
    if path.is_dir():
        return path / "package" if (path / "package" / "package.json").is_file() else path
    if path.is_file() and path.name.endswith((".tgz", ".tar.gz")):
        data = path.read_bytes()
        from compatprobe.data.registry import sri

        folder = _packages_dir(root) / "given" / sri(data, "sha256").split("-", 1)[1].replace("/", "_")[:16]
        if not (folder / STAMP).is_file():
            _unpack(data, folder, {"source": str(path)})
        return folder
    raise InputError(f"${env} names neither a folder nor a .tgz", path=path, hint="point it at an unpacked npm package")


def fill_folder(folder: Path, stamp: dict[str, str], fill: Callable[[Path], None]) -> None:
    """`folder` whole or not at all: `fill` writes into a fresh folder beside it, which then gets
    its stamp (STAMP: what makes a cached folder complete) and takes `folder`'s place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        fill(work)
        (work / STAMP).write_text(json.dumps(stamp, indent=2) + "\n")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _unpack(data: bytes, folder: Path, stamp: dict[str, str]) -> None:
    """Unpack an npm tarball (its files under `package/`) into `folder`, whole or not at all."""
    fill_folder(folder, stamp, lambda work: _extract(data, work))


def _extract(data: bytes, work: Path) -> None:
    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.seek(0)
        with tarfile.open(fileobj=handle, mode="r:gz") as archive:
            for member in archive.getmembers():
                parts = Path(member.name).parts
                # Only regular files and folders inside package/: no links, nothing outside.
                if not (member.isfile() or member.isdir()) or not parts or ".." in parts or parts[0] != "package":
                    continue
                target = work.joinpath(*parts[1:])
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                if source is not None:
                    with source, target.open("wb") as out:
                        shutil.copyfileobj(source, out)


def fetch(names: list[str] | None = None, *, root: Path | None = None, force: bool = False) -> list[PackageStatus]:
    """Fetch the pinned packages (all, or those named) into the cache, each checked against its pin."""
    pins = load_pins()
    chosen = _chosen(pins, names)
    registry: str | None = None
    for pin in chosen:
        folder = package_folder(pin, root)
        if not force and _verified(pin, root):
            continue
        registry = registry or registry_url()
        item = release(registry, pin.name, pin.version)
        data = download(item, pin.integrity)
        tgz = folder.with_name(folder.name + ".tgz")
        tgz.parent.mkdir(parents=True, exist_ok=True)
        tmp = tgz.with_name(f".{tgz.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, tgz)
        when = datetime.now(UTC).isoformat(timespec="seconds")
        _unpack(data, folder, {"name": pin.name, "version": pin.version, "integrity": pin.integrity, "fetched": when})
    return status(names, root=root)


def _chosen(pins: dict[str, Pin], names: list[str] | None) -> list[Pin]:
    for name in names or []:
        if name not in pins:
            raise InputError(f"no data package {name!r} is pinned", hint=f"known: {', '.join(pins)}")
    return [pins[n] for n in (names or list(pins))]


def _verified(pin: Pin, root: Path | None) -> bool:
    folder = package_folder(pin, root)
    tgz = folder.with_name(folder.name + ".tgz")
    if not (folder / STAMP).is_file() or not tgz.is_file():
        return False
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except ValueError:
        return False
    return stamp.get("integrity") == pin.integrity and matches(tgz.read_bytes(), pin.integrity)


def status(names: list[str] | None = None, *, root: Path | None = None) -> list[PackageStatus]:
    """What is cached for each pinned package, and whether it still matches its pin."""
    pins = load_pins()
    found = []
    for pin in _chosen(pins, names):
        folder = package_folder(pin, root)
        env = PACKAGES.get(pin.name, ("", ""))[1]
        override = f"${env}={os.environ[env]} is used instead" if env and os.environ.get(env) else None
        cached = folder if (folder / STAMP).is_file() else None
        found.append(PackageStatus(pin, cached, cached is not None and _verified(pin, root), override))
    return found


def latest(names: list[str] | None = None) -> dict[str, Pin]:
    """The registry's latest version of each pinned package (all, or those named), as new pins."""
    pins = load_pins()
    registry = registry_url()
    newer = dict(pins)
    for pin in _chosen(pins, names):
        item = release(registry, pin.name)
        sha512 = next((t for t in item.integrity.split() if t.startswith("sha512-")), None)
        if sha512 is None:
            raise InputError(f"{item.name}@{item.version}: the registry gives no sha512 integrity hash")
        newer[pin.name] = Pin(pin.name, item.version, sha512)
    return newer


def data_versions(names: list[str]) -> dict[str, str]:
    """name -> version of the data actually used (the pin, or 'given' for an environment override)."""
    pins = load_pins()
    versions = {}
    for name in names:
        env = PACKAGES.get(name, ("", ""))[1]
        if env and os.environ.get(env):
            folder = cached_package(name)
            versions[name] = package_version(folder, "given") if folder else "given"
        else:
            versions[name] = pins[name].version
    return versions


def package_version(folder: Path, unknown: str = "unknown") -> str:
    """The version an unpacked npm package's package.json states, or `unknown`."""
    try:
        return str(json.loads((folder / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return unknown
