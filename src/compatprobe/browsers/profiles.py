"""Firefox profiles started once and copied for each launch.

Firefox's first start of a new profile creates its databases, registers its built-in add-ons and
fills its startup cache: about a second of every launch from the fresh profile Playwright makes.
A profile that Firefox has started once, with the run's own options and nowhere browsed, is kept
in the cache (one per build of Firefox, Playwright release and options), and each launch gets a
copy of it, so that no launch finds another's state. What the copy holds is no site's data: no
page was ever loaded in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from compatprobe.browsers.processes import start_time

# What a profile holds only while its Firefox runs.
LOCKS = ("lock", ".parentlock")
COPY_PREFIX = "compatprobe-firefox-"
# In a copy's folder: the pid and start time of the process it is for. A run killed before it could
# remove its copy leaves it behind (36 MB); the next launch removes those whose process is gone.
OWNER = "owner"
# Options that name this launch only (its screen), not what the profile is made with.
PER_LAUNCH = ("env", "handle_sigint", "handle_sigterm", "handle_sighup")


def template_key(executable: str, options: dict[str, Any], playwright: str) -> str | None:
    """The name of the template for this build of Firefox, Playwright and launch options; None
    when the executable cannot be read (nothing to tell one build from another)."""
    try:
        found = Path(executable).resolve(strict=True)
        built = found.stat()
    except OSError:
        return None
    made_with = {k: v for k, v in options.items() if k not in PER_LAUNCH}
    identity = [str(found), built.st_size, built.st_mtime_ns, playwright, made_with]
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:16]


async def profile_copy(root: Path, key: str, make: Callable[[Path], Awaitable[None]]) -> Path:
    """A new folder holding a copy of the template `key` under `root` (made with `make` the first
    time); the caller removes it. Concurrent runs may both make one: the first in place is kept."""
    template = root / f"firefox-{key}"
    if not template.is_dir():
        await _make_template(root, template, make)
    _remove_orphans(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=COPY_PREFIX))
    try:
        (folder / OWNER).write_text(f"{os.getpid()} {start_time(os.getpid())}")
        await asyncio.to_thread(_copy, template, folder / "profile")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


async def _make_template(root: Path, template: Path, make: Callable[[Path], Awaitable[None]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    making = Path(tempfile.mkdtemp(prefix=".making-", dir=root))
    try:
        await make(making / "profile")
        for name in LOCKS:
            with contextlib.suppress(FileNotFoundError):
                (making / "profile" / name).unlink()
        with contextlib.suppress(OSError):  # another run put its template in place first
            os.rename(making / "profile", template)
    finally:
        shutil.rmtree(making, ignore_errors=True)


def _copy(template: Path, to: Path) -> None:
    """By one `cp` where there is one: copytree's 194 files take about 2,000 system calls, and while
    the plan's thread computes, each waits for the interpreter lock (0.1 to 0.2 s of a Firefox
    launch, 0.02 s alone)."""
    cp = shutil.which("cp") if os.name == "posix" else None
    if cp is not None:
        done = subprocess.run([cp, "-RPp", "--", str(template), str(to)], capture_output=True, check=False)
        if done.returncode == 0:
            for name in LOCKS:  # a template holds none (_make_template); no copy does, as with copytree
                with contextlib.suppress(FileNotFoundError):
                    (to / name).unlink()
            return
        shutil.rmtree(to, ignore_errors=True)  # copytree then says what went wrong, in Python's words
    shutil.copytree(template, to, symlinks=True, ignore=shutil.ignore_patterns(*LOCKS))


def _remove_orphans(temporary: Path) -> None:
    """Remove the copies whose process is gone. Only where /proc tells when a process started: a
    pid alone may have been reused by a live run's process."""
    if start_time(os.getpid()) is None:
        return
    for folder in temporary.glob(f"{COPY_PREFIX}*"):
        try:
            pid, started = (int(n) for n in (folder / OWNER).read_text().split())
        except (OSError, ValueError):
            continue  # being made now, or not one of ours
        if start_time(pid) != started:
            shutil.rmtree(folder, ignore_errors=True)


def forget(root: Path, key: str) -> None:
    """Remove a template that a launch failed with: the next launch makes it again."""
    shutil.rmtree(root / f"firefox-{key}", ignore_errors=True)
