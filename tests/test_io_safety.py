"""Issue 23, items 6 to 17 without a browser: outputs that cannot destroy, names from data that
cannot leave their folder, credentials in every spelling, bounded input, text from browsers as
data, a probe server that answers only its own origin, and a BCD extract that cannot be edited.
Every file is made in a temporary folder; the machine's /dev is never touched."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from bcd_fixtures import FIXTURE, firefox_48_results
from compatprobe.bcd.data import load_bcd
from compatprobe.config.envvars import Secrets
from compatprobe.errors import InputError
from compatprobe.results.model import Results, write_results
from compatprobe.run.server import ProbeServer
from conftest import cli
from factories import make_results
from test_server import get

NO_BROWSER = """version: 1
targets:
  - name: chromium
    engine: chromium
    use:
      - playwright: {executable: /nonexistent/compatprobe-test/chromium}
"""
PROBE = '/*---\nfeature: api.Thing.method\ntitle: "method() exists"\n---*/\nt.require("Thing");\n'


def one_line_error(proc: object) -> str:
    """The single stderr line of a command that failed on its input (exit 2)."""
    assert proc.returncode == 2, proc.stderr  # type: ignore[attr-defined]
    lines = proc.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("compatprobe: error: "), proc.stderr  # type: ignore[attr-defined]
    return lines[0]


def project(folder: Path, matrix: str = NO_BROWSER, probe: str = PROBE) -> Path:
    (folder / "probes").mkdir(parents=True, exist_ok=True)
    (folder / "probes" / "a.js").write_text(probe)
    (folder / "matrix.yaml").write_text(matrix)
    return folder / "matrix.yaml"


def results_file(folder: Path, results: Results | None = None) -> Path:
    path = folder / "r.json"
    write_results(results or make_results(), path)
    return path


# Item 6: output paths are never replaced whatever they are.


def test_outputs_follow_symlinks_and_write_into_fifos_and_devices(tmp_path: Path) -> None:
    source = results_file(tmp_path)
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert cli("render", str(source), "--format", "md", "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(real)  # followed, not replaced
    assert "rows observed" in real.read_text()
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert cli("render", str(source), "--format", "md", "-o", str(fifo)).returncode == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and b"rows observed" in received[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    # A character device made here (as /dev/null is made: 1, 3), never the machine's own.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:  # not root: the FIFO above is the special file written in place
        return
    assert cli("render", str(source), "-o", str(device)).returncode == 0
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_an_output_that_is_an_input_is_refused_before_anything_runs(tmp_path: Path) -> None:
    matrix = project(tmp_path)
    before = {p: p.read_bytes() for p in (matrix, tmp_path / "probes" / "a.js")}
    for flag, path in (("--results", matrix), ("-o", tmp_path / "probes" / "a.js")):
        proc = cli("run", "-m", str(matrix), flag, str(path), cwd=tmp_path)
        assert "is one of this command's inputs" in one_line_error(proc)
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "out").exists()  # nothing ran, nothing was written
    source = results_file(tmp_path)
    kept = source.read_bytes()
    assert "inputs" in one_line_error(cli("render", str(source), "-o", str(source)))
    assert "inputs" in one_line_error(cli("diff", str(source), str(source), "-o", str(source)))
    assert source.read_bytes() == kept


# Item 7: names from data never become paths unchecked.


def test_names_from_data_stay_inside_their_folder(tmp_path: Path) -> None:
    results = firefox_48_results()
    results.targets[0].name = "../../escaped"
    source = results_file(tmp_path, results)
    out = tmp_path / "a" / "b" / "collector"
    assert "cannot be a file name" in one_line_error(cli("collector-report", str(source), "-o", str(out)))
    assert not list(tmp_path.rglob("escaped*"))
    matrix = project(tmp_path / "p")
    for probe_id in ("../../x", str(tmp_path / "abs"), ".hidden/x", "a/../../x"):
        proc = cli("new", "api.Thing.other", "--id", probe_id, "-m", str(matrix))
        assert "not a probe id" in one_line_error(proc), probe_id
    assert not list(tmp_path.rglob("x.js")) and not list(tmp_path.rglob("abs*"))


# Item 9: credentials in every spelling a driver sends; short values refused; own data untouched.


def test_credentials_are_scrubbed_in_base64_and_by_halves() -> None:
    env = {"GRID_USER": "ann@example.org", "GRID_KEY": "k3yS3cr3tV4lu3xyz"}
    secrets = Secrets.of(["GRID_USER", "GRID_KEY"], env)
    basic = base64.b64encode(b"ann@example.org:k3yS3cr3tV4lu3xyz").decode()
    for echoed in (
        f"server said: Authorization: Basic {basic}",
        f"Basic {base64.b64encode(b'me:k3yS3cr3tV4lu3xyz').decode()}",  # a user written literally
        "half of it: k3yS3cr3tV",
        "the other half: tV4lu3xyz",
    ):
        scrubbed = secrets.scrub(echoed)
        assert "***" in scrubbed
        assert "k3yS3cr3t" not in scrubbed and "V4lu3xyz" not in scrubbed, scrubbed
        assert basic[8:24] not in scrubbed


def test_short_secrets_are_refused_and_own_data_is_never_scrubbed() -> None:
    with pytest.raises(InputError, match="GRID_KEY holds 1 characters, too few"):
        Secrets.of(["GRID_KEY"], {"GRID_KEY": "1"})
    results = make_results(firefox_message="echo 156.0.1.2 from the server")
    Secrets.of(["V"], {"V": "156.0.1.2"}).scrub_data(results)
    assert results.targets[0].browser.version == "156.0.1.2"  # type: ignore[union-attr]
    assert results.targets[1].outcomes[1].exception.message == "echo *** from the server"  # type: ignore[union-attr]


# Items 10 and 12: matrices and metadata, bounded; every case exit 2 with one line.

BAD_MATRICES = {
    "empty-version": ("version:\n" + NO_BROWSER.replace("version: 1\n", ""), "'version' must be a whole number"),
    "complex-key": ("? [a, b]\n: 1\n" + NO_BROWSER, "a key must be plain text"),
    "recursive-alias": ("probes: &a [*a]\n" + NO_BROWSER, "levels deep"),
    "deep-nesting": ("probes: " + "[" * 5000 + "]" * 5000 + "\n" + NO_BROWSER, "levels deep"),
    "billion-laughs": (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
        + NO_BROWSER,
        "values once its aliases are expanded",
    ),
    "timeout-231": ("probe_timeout_ms: 2147483648\n" + NO_BROWSER, "'probe_timeout_ms' must be at most 2147483647"),
    "privileged-port": ("probe_port: 22\n" + NO_BROWSER, "'probe_port' must be a port number, 1024 to 65535"),
    "unsafe-port": ("probe_port: 6000\n" + NO_BROWSER, "a port browsers refuse"),
}


@pytest.mark.parametrize("case", sorted(BAD_MATRICES))
def test_hostile_matrices_end_in_one_line(tmp_path: Path, case: str) -> None:
    text, message = BAD_MATRICES[case]
    matrix = project(tmp_path, text)
    assert message in one_line_error(cli("run", "-m", str(matrix), cwd=tmp_path))
    assert not (tmp_path / "out").exists()


def test_empty_use_entry_is_valid_and_special_files_are_refused(tmp_path: Path) -> None:
    matrix = project(
        tmp_path,
        NO_BROWSER.replace(
            "use:\n      - playwright: {executable:", "use:\n      - playwright:\n      - playwright: {executable:"
        ),
    )
    assert cli("probes", "-m", str(matrix)).returncode == 0  # `- playwright:` is Playwright's own build
    big = tmp_path / "big.yaml"
    big.write_text(NO_BROWSER + "#" * (2 * 1024 * 1024))
    assert "larger than" in one_line_error(cli("probes", "-m", str(big)))
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # no writer: reading it would wait for ever
    assert "not a regular file" in one_line_error(cli("probes", "-m", str(fifo)))
    os.mkfifo(tmp_path / "probes" / "y.js")
    assert "not a regular file" in one_line_error(cli("run", "-m", str(matrix), cwd=tmp_path))


def test_hostile_probe_metadata_ends_in_one_line(tmp_path: Path) -> None:
    for meta, message in (
        ("timeout: 2147483648", "at most 2147483647"),
        ("timeout: " + "9" * 5000, "cannot be read"),
        ("exposed: &a [*a]", "'exposed' must list names"),
        ("exposed: " + "[" * 3000 + "]" * 3000, "nested too deeply"),
        ("spec: javascript:alert(1)", "'spec' must be an http:// or https:// URL"),
    ):
        matrix = project(tmp_path, probe=PROBE.replace("---*/", f"{meta}\n---*/"))
        assert message in one_line_error(cli("run", "-m", str(matrix), cwd=tmp_path)), meta


# Item 11: results files that are valid JSON but hostile.


def test_hostile_results_files_end_in_one_line(tmp_path: Path) -> None:
    good = json.loads(results_file(tmp_path).read_text())
    for name, text, message in (
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("digits.json", json.dumps(good).replace('"schema_version": 3', '"schema_version": ' + "9" * 5000), "digits"),
        ("float.json", json.dumps(good).replace('"schema_version": 3', '"schema_version": 3.0'), "version 3.0 is not"),
        ("surrogate.json", json.dumps(good).replace("not supported anymore", "bad \\ud800"), "lone surrogate"),
    ):
        (tmp_path / name).write_text(text)
        for command in (["render", str(tmp_path / name)], ["diff", str(tmp_path / "r.json"), str(tmp_path / name)]):
            line = one_line_error(cli(*command))
            assert message in line and f"{tmp_path / name}: " in line and "schema.json" not in line, line


# Item 13: what reaches a terminal cannot drive it.

HOSTILE = "\x1b]0;TITLE\x07\x1b[2J\u202eevil\r\n" + "x" * 200_000


def test_browser_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    source = results_file(tmp_path, make_results(firefox_message=HOSTILE))
    old = results_file(tmp_path / "old")
    for command in (["diff", str(old), str(source)], ["render", str(source), "--format", "md"]):
        out = cli(*command).stdout
        assert not any(c in out for c in "\x1b\x07\r\u202e"), command
        title = next(line for line in out.splitlines() if "TITLE" in line)
        assert "u001b" in title and "u0007" in title and "u202e" in title
        assert max(len(line) for line in out.splitlines()) < 5000
    # Standard error: a message naming a file called like an escape sequence.
    line = one_line_error(cli("render", str(tmp_path / "\x1b]0;TITLE\x07.json")))
    assert "\x1b" not in line and "\\u001b]0;TITLE\\u0007" in line
    # Progress lines go through a stream that does the same, line by line as they are written.
    from compatprobe.terminal import TerminalStream  # new with this fix: imported here so that the rest runs on ce0f9ca

    written = io.StringIO()
    stream = TerminalStream(written, limit=20)
    stream.write("ok \x1b[2J " + "y" * 30)
    stream.write("z" * 10 + "\nnext\n")
    assert written.getvalue() == "ok \\u001b[2J " + "y" * 7 + "… (line cut)\nnext\n"


# Items 14 and 15: Markdown safe under GitHub's renderer; only http(s) links.


def test_markdown_defuses_links_mentions_and_code_span_escapes(tmp_path: Path) -> None:
    message = "see https://evil.example and www.evil.example, @everyone #1 GH-2 a_b"
    source = results_file(tmp_path, make_results(firefox_message=message))
    md = cli("render", str(source), "--format", "md").stdout
    for word in ("https://evil.example", "www.evil.example,", "@everyone", "#1", "GH-2"):
        assert f"`{word}`" in md, word
    assert "a\\_b" in md  # plain words keep their escapes
    spans = md.split("`")[1::2]  # no backslash shows inside a code span (feature ids are code too)
    assert spans and not any("\\" in span for span in spans)


def test_only_web_links_are_written(tmp_path: Path) -> None:
    results = make_results()
    results.probes[0].spec = "javascript:alert(document.domain)"
    results.probes[0].mdn = "https://developer.mozilla.org/docs/Web/API"
    source = results_file(tmp_path, results)
    html = cli("render", str(source), "-o", "-").stdout
    assert "javascript:" not in html and 'href="https://developer.mozilla.org/docs/Web/API"' in html


# Item 16: the probe server serves only probe files, and only to its own origin.


def test_probe_server_checks_host_and_serves_no_dotfiles(tmp_path: Path) -> None:
    probes_dir = tmp_path / "probes"
    probes_dir.mkdir()
    (probes_dir / "ok.js").write_text("// ok")
    (probes_dir / ".env").write_text("SECRET=1")
    (probes_dir / ".hidden").mkdir()
    (probes_dir / ".hidden" / "x.js").write_text("SECRET")
    (probes_dir / "notes.txt").write_text("SECRET")
    with ProbeServer([], probes_dir) as server:
        assert get(server.url, "/probes/ok.js")[0] == 200
        for path in ("/probes/.env", "/probes/.hidden/x.js", "/probes/notes.txt"):
            status, body = get(server.url, path)
            assert status == 404 and b"SECRET" not in body, path
        import http.client

        host, port = server.url.removeprefix("http://").rstrip("/").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("GET", "/probes/ok.js", headers={"Host": f"rebound.example:{port}"})
        assert conn.getresponse().status == 421


# Item 17: a cached BCD extract that was edited is not trusted.


def test_a_tampered_bcd_extract_is_derived_again(tmp_path: Path) -> None:
    feature = "api.RTCPeerConnection.removeStream"
    first = load_bcd(FIXTURE, [feature], cache_dir=tmp_path)
    [extract] = (tmp_path / "bcd").glob("*.json")
    text = extract.read_text()
    assert '"version_added": "22"' in text
    extract.write_text(text.replace('"version_added": "22"', '"version_added": "999"'))
    again = load_bcd(FIXTURE, [feature], cache_dir=tmp_path)
    assert again.compat(feature) == first.compat(feature)
    assert '"999"' not in extract.read_text()  # written anew from the source


# Item 8, in part: an output that cannot be written is named (a full disk raises from write() with no file name).


def test_a_failed_write_names_its_output_and_leaves_nothing(tmp_path: Path) -> None:
    import errno

    from compatprobe.files import write_atomic

    def full(handle: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    (tmp_path / "index.html").write_text("earlier")
    with pytest.raises(OSError, match="No space left on device") as caught:
        write_atomic(tmp_path / "index.html", full)
    assert caught.value.filename == str(tmp_path / "index.html")
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"] and (tmp_path / "index.html").read_text() == "earlier"


def test_an_input_reached_by_a_link_or_dots_is_refused_and_a_generated_name_is_no_input(tmp_path: Path) -> None:
    from compatprobe.errors import InputError
    from compatprobe.files import refuse_inputs

    source = tmp_path / "probes" / "a.js"
    source.parent.mkdir()
    source.write_text("t.check(true)")
    (tmp_path / "hard.js").hardlink_to(source)
    (tmp_path / "soft.js").symlink_to(source)
    for output in (tmp_path / "hard.js", tmp_path / "soft.js", tmp_path / "probes" / ".." / "probes" / "a.js"):
        with pytest.raises(InputError, match="is one of this command's inputs"):
            refuse_inputs(output, [Path("generated/api.X.js"), source], "-o")
    refuse_inputs(tmp_path / "other.js", [source], "-o")  # not there yet: nothing to destroy
    (tmp_path / "other.js").write_text("")
    refuse_inputs(tmp_path / "other.js", [Path("generated/api.X.js"), source], "-o")
