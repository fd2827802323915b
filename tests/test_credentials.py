"""Credentials come only from environment variables: expanded when connecting, never recorded or shown."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from compatprobe.config.endpoints import literal_password, public_url, resolve_endpoint
from compatprobe.config.envvars import ScrubbingStream, Secrets, expand, references
from compatprobe.results.model import dumps
from conftest import ROOT, cli
from factories import make_results

ENV = {"GRID_USER": "ann@example.org", "GRID_KEY": "k/3y:s3cr3t", "TOKEN": "tok123"}


def test_references_and_expansion() -> None:
    value = {"url": "https://${GRID_USER}@hub", "opts": ["${TOKEN}", 3, {"k": "${TOKEN}-x"}]}
    assert references(value) == ["GRID_USER", "TOKEN"]
    assert expand(value, ENV) == {"url": "https://ann@example.org@hub", "opts": ["tok123", 3, {"k": "tok123-x"}]}
    assert expand("$HOME and ${ NOT}", ENV) == "$HOME and ${ NOT}"


def test_url_credentials_become_a_basic_header() -> None:
    template = "https://${GRID_USER}:${GRID_KEY}@hub.example:4444/wd/hub?build=${TOKEN}"
    endpoint = resolve_endpoint(template, {"X-Token": "Bearer ${TOKEN}"}, ENV)
    assert endpoint.url == "https://hub.example:4444/wd/hub?build=tok123"
    user, key = base64.b64decode(endpoint.headers["Authorization"].split()[1]).decode().split(":", 1)
    assert (user, key) == ("ann@example.org", "k/3y:s3cr3t")  # values are used as they are, not URL-decoded
    assert endpoint.headers["X-Token"] == "Bearer tok123"
    assert public_url(template) == "https://hub.example:4444/wd/hub?build=${TOKEN}"


def test_literal_passwords_are_recognised() -> None:
    assert literal_password("https://me:hunter2@hub/")
    assert not literal_password("https://me:${KEY}@hub/")
    assert not literal_password("https://me@hub/")
    assert not literal_password("http://hub:4444/")


def test_secrets_are_scrubbed_from_results_and_streams() -> None:
    secrets = Secrets.of(["GRID_KEY", "TOKEN", "UNSET"], ENV)
    results = make_results(firefox_message="server said k/3y:s3cr3t and k%2F3y%3As3cr3t")
    results.targets[2].error = "wss://x/?token=tok123 refused"
    secrets.scrub_data(results)
    text = dumps(results)
    assert "s3cr3t" not in text and "tok123" not in text
    assert "server said *** and ***" in text and "wss://x/?token=*** refused" in text
    stream = io.StringIO()
    print("compatprobe: tok123 down", file=ScrubbingStream(stream, secrets))
    assert stream.getvalue() == "compatprobe: *** down\n"


def test_an_unset_variable_is_an_input_error(tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(
        f"probes_dir: {ROOT / 'probes'}\n"
        "targets:\n"
        "  - name: grid\n"
        "    engine: chromium\n"
        "    use:\n"
        "      - webdriver:\n"
        "          url: https://me:${COMPATPROBE_TEST_UNSET_KEY}@hub.example/wd/hub\n"
    )
    proc = cli("run", "-m", str(matrix), "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"compatprobe: error: {matrix}:6: target 'grid': environment variable COMPATPROBE_TEST_UNSET_KEY is not set "
        "(export COMPATPROBE_TEST_UNSET_KEY=... before the run, or choose other targets with -b)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.yaml"]
