"""Shared fixtures: one real run of the shipped matrix, the CLI in-process and as a child process,
and folders for test output."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from compatprobe.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
# The engines with WebRTC here: WebKitGTK on this machine has no RTCPeerConnection.
WEBRTC_ENGINES = ("chromium", "firefox")


@dataclass(frozen=True)
class CliResult:
    """What one in-process call of the CLI returned and printed (the fields of a CompletedProcess)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(extra: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def cli(*args: str, cwd: Path = ROOT, check: bool = False, env: dict[str, str] | None = None) -> CliResult:
    """Run the CLI in this process through its entry function, `compatprobe.cli.main` (`env`: extra
    environment variables). Argparse's own exits (usage errors, --help) count as the exit code."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd),
        _environment(env or {}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    result = CliResult(args, code, out.getvalue(), err.getvalue())
    if check and code != 0:
        raise AssertionError(f"compatprobe {' '.join(args)} exited {code}\n{result.stderr}")
    return result


def command_names() -> list[str]:
    """Every command the CLI has, in its order."""
    return [command.NAME for command in COMMANDS]


def child(args: tuple[str, ...], env: dict[str, str] | None = None) -> dict[str, Any]:
    """How a child process runs the CLI: this Python, unbuffered output, text; `env` on top of ours."""
    command = [sys.executable, "-m", "compatprobe", *args]
    return {"args": command, "text": True, "env": {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}}


def compatprobe(
    *args: str, cwd: Path = ROOT, check: bool = False, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a child process (`env`: extra environment variables): for
    what only a real process shows (signals, child processes, its exit, a whole run end to end)."""
    proc = subprocess.run(**child(args, env), cwd=cwd, capture_output=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"compatprobe {' '.join(args)} exited {proc.returncode}\n{proc.stderr}")
    return proc


# pytest-xdist (two workers, pyproject.toml) gives each worker whole groups of tests: a module, or
# the modules that share a session fixture's runs, so that the runs are made once. The slowest
# groups go first, so that neither worker is left with one at the end while the other idles.
SHARED_RUNS = {
    "test_hostile": "hostile",
    "test_security": "hostile",
    "test_diff": "runs_ab",
    "test_history": "runs_ab",
    "test_remote_webdriver": "grid",
    "test_selenium_grid": "grid",
}
SLOWEST_FIRST = (
    "hostile",
    "test_cells",
    "test_scopes",
    "grid",
    "test_wpt_depth",
    "test_generated",
    "test_versions_builds",
    "test_scheduled_sequence",
    "test_isolation",
    "test_faults",
    "test_selenium_grid_failures",
)


def group_of(module: str) -> str:
    return SHARED_RUNS.get(module, module)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        group = group_of(item.path.stem)
        return SLOWEST_FIRST.index(group) if group in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)  # stable: within a group, the order of collection


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's, known only with it
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        """LoadScopeScheduling with a group for a scope, taken in the order of collection."""

        def _split_scope(self, nodeid: str) -> str:
            return group_of(Path(nodeid.split("::", 1)[0]).stem)

    config.option.loadscopereorder = False
    return ByGroup(config, log)


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder `make` fills once for the whole test session, shared by pytest-xdist's workers: the
    first to ask makes it while the others wait (a lock file beside it), then each reads it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the workers' basetemps are folders of one shared one
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed left
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of the session's own: what `compatprobe data fetch` put in the user's cache
    (BCD is then compared with by default) must not change what the tests see."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("COMPATPROBE_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def temporary_folder_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every temporary file of the session in a folder of pytest's (which keeps its last three
    sessions), not in the machine's /tmp: what the browsers and Playwright's drivers make there
    (profiles, sockets), this process's and the commands' it starts. Browsers killed on purpose, and
    remote servers stopped mid-run, leave theirs behind. A short path: beyond about 60 characters
    Chromium keeps its socket in a folder of its own and leaves it even when it closes normally."""
    folder = tmp_path_factory.getbasetemp() / "t"
    folder.mkdir(exist_ok=True)
    was = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # computed again from $TMPDIR
    try:
        yield folder
    finally:
        if was is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = was
        tempfile.tempdir = None


@pytest.fixture(scope="session", autouse=True)
def checkout_out_left_alone() -> Iterator[None]:
    """No test writes into the checkout's out/: a run without -o writes out/index.html where it
    runs, and the suite runs in the checkout (whose out/ may hold the user's own report)."""
    folder = ROOT / "out"
    before = _listing(folder)
    yield
    assert _listing(folder) == before, f"a test wrote into {folder}: give its run -o in a temporary folder"


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.fixture(scope="session", autouse=True)
def direct_browsers() -> Iterator[None]:
    """The browsers of the direct checks (tests/direct.py: each launched once per session), closed at its end."""
    yield
    from direct import SHARED

    SHARED.close()


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    """A folder for screenshots and files to look at after the run: in the test's temporary folder,
    which pytest keeps for its last three runs (under /tmp/pytest-of-$USER/), never in the tree."""
    path = tmp_path / "look"
    path.mkdir()
    return path


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """A local Chromium (Debian's) for looking at a report or driving a page directly."""
    from direct import local_chromium

    with local_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def observed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`compatprobe run` with the shipped matrix.yaml, in all three engines, once per test session."""

    def make(out: Path) -> None:
        proc = compatprobe("run", "--results", str(out / "results.json"), "-o", str(out / "index.html"))
        assert proc.returncode == 0, proc.stderr
        (out / "stderr.txt").write_text(proc.stderr)

    out = made_once(tmp_path_factory, "observed", make)
    stderr = (out / "stderr.txt").read_text()
    yield {"dir": out, "results": json.loads((out / "results.json").read_text()), "stderr": stderr}


@pytest.fixture(scope="session")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A real Selenium Grid 4 on loopback, once per session: a hub, a Chromium node with three slots
    and, where WebKitGTK is installed, a relay node for WebKitWebDriver (tests/selenium_grid.py)."""
    from selenium_grid import add_webkit_node, chromium_node, selenium_grid

    with selenium_grid(tmp_path_factory.mktemp("grid")) as hub:
        hub.add_node("chromium-node", chromium_node(max_sessions=3))
        yield {"grid": hub, "webkit": add_webkit_node(hub)}


@pytest.fixture(scope="session")
def direct_versions() -> dict[str, str]:
    """Each local engine's version, asked of the browser directly rather than read from compatprobe."""
    from direct import playwright_version, webkitgtk_version

    return {
        "chromium": playwright_version("chromium"),
        "firefox": playwright_version("firefox"),
        "webkit": webkitgtk_version(),
    }


def release(engine: str, version: str) -> str:
    """The release a version is part of, as MDN and the table name them: Chromium 156, Firefox 153,
    but WebKitGTK 2.50 (a port's minor versions are releases)."""
    parts = version.split(".")
    return parts[0] if engine in ("chromium", "firefox") else ".".join(parts[:2])


def browser_of(results: dict[str, Any], target: str) -> dict[str, str]:
    """A target's browser as the run observed it: name, version, and its release."""
    t = next(t for t in results["targets"] if t["name"] == target)
    return {**t["browser"], "release": release(t["engine"], t["browser"]["version"])}


def outcome(results: dict[str, Any], target: str, probe: str) -> dict[str, Any]:
    t = next(t for t in results["targets"] if t["name"] == target)
    return next(o for o in t["outcomes"] if o["probe"] == probe)


@pytest.fixture(scope="session")
def runs_ab(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two real runs, A then B, with every kind of change between them (see runs_ab.py); once per session."""
    from runs_ab import make_runs

    return make_runs(tmp_path_factory.mktemp("runs_ab"))


FIXTURES = ROOT / "tests" / "fixtures"


def run_watched(
    *args: str,
    cwd: Path = ROOT,
    tick: Callable[[subprocess.Popen[str]], None] | None = None,
    new_session: bool = False,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], set[Any]]:
    """Run the CLI like compatprobe(); also return every process it started along the way.

    `tick` is called every tenth of a second while it runs (to kill or signal something mid-run);
    `new_session` puts it in a process group of its own, as a shell puts a command it starts;
    `env`: extra environment variables.
    """
    from processes import wait_for_exit

    seen: set[Any] = set()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        popen = child(args, env)
        proc = subprocess.Popen(**popen, cwd=cwd, stdout=out, stderr=err, start_new_session=new_session)
        wait_for_exit(proc, seen, tick=(lambda: tick(proc)) if tick else None)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read()), seen


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """tests/fixtures/hostile run twice in all three engines: every probe, then the clean ones alone."""
    out = tmp_path_factory.mktemp("hostile")
    matrix = str(FIXTURES / "hostile" / "matrix.yaml")
    # The clean run beside the hostile one (a child process each, watched apart): the hostile run
    # mostly waits out deadlines and silences.
    clean = ("run", "-m", matrix, "-p", "*clean*", "--results", str(out / "clean.json"), "-o", str(out / "clean.html"))
    whole = ("run", "-m", matrix, "--results", str(out / "results.json"), "-o", str(out / "index.html"))
    with (out / "clean.err").open("w+") as err, subprocess.Popen(**child(clean), stderr=err) as beside:
        proc, seen = run_watched(*whole)
        beside.wait(timeout=600)
        err.seek(0)
        assert beside.returncode == 0, err.read()
    return {
        "dir": out,
        "proc": proc,
        "seen": seen,
        "results": json.loads((out / "results.json").read_text()),
        "clean": json.loads((out / "clean.json").read_text()),
    }


@pytest.fixture(scope="session")
def real_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real @mdn/browser-compat-data and web-features packages, as users get them: npm pack."""
    packs = {"bcd": ("@mdn/browser-compat-data", "8.1.9"), "web_features": ("web-features", "3.40.0")}

    def make(folder: Path) -> None:
        for name, version in packs.values():
            proc = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--pack-destination", str(folder)],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert proc.returncode == 0, proc.stderr

    folder = made_once(tmp_path_factory, "packages", make)
    found = {
        key: folder / f"{name.removeprefix('@').replace('/', '-')}-{version}.tgz"
        for key, (name, version) in packs.items()
    }
    for path in found.values():
        assert path.is_file(), sorted(folder.iterdir())
    return found


@pytest.fixture(scope="session")
def pinned_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pinned data packages, fetched and checked by `compatprobe data fetch` once a session
    (with what the generators cache beside them, which later modules then reuse)."""

    def make(folder: Path) -> None:
        with as_cache(folder):
            assert main(["data", "fetch"]) == 0

    return made_once(tmp_path_factory, "data-cache", make)


@pytest.fixture(scope="module")
def pinned_cache(pinned_data: Path) -> Iterator[Path]:
    """The session's pinned data packages (pinned_data) as the cache while the module asking for it runs."""
    with as_cache(pinned_data) as folder:
        yield folder


@contextlib.contextmanager
def as_cache(folder: Path) -> Iterator[Path]:
    """`folder` stands as the cache (and no data path from the environment) until the block ends."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COMPATPROBE_CACHE", str(folder))
        for name in ("COMPATPROBE_IDL", "COMPATPROBE_CSS", "COMPATPROBE_BCD", "COMPATPROBE_WEB_FEATURES"):
            patch.delenv(name, raising=False)
        yield folder
