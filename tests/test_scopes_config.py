"""Which scopes a probe runs in: `exposed:` metadata, the matrix's `scopes:`, and their mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from compatprobe.config.matrix import load_matrix
from compatprobe.errors import InputError
from compatprobe.probes.loader import parse_probe
from compatprobe.scopes import planned_scopes, scopes_of

TARGETS = "targets:\n  - name: chromium\n    engine: chromium\n    use: [playwright: {}]\n"


def probe_file(tmp_path: Path, exposed: str) -> Path:
    path = tmp_path / "p.js"
    path.write_text(f"/*---\nfeature: api.X\ntitle: X\n{exposed}\n---*/\nt.require('X');\n")
    return path


def test_exposed_names_are_web_idls() -> None:
    assert scopes_of(["Window", "Worker"]) == ("window", "worker", "sharedworker", "serviceworker")
    assert scopes_of(["DedicatedWorker", "SharedWorker"]) == ("worker", "sharedworker")
    assert scopes_of(["AudioWorklet"]) == ()  # a global compatprobe does not run


def test_by_default_the_window_and_where_it_is_exposed() -> None:
    assert planned_scopes(("Window",), None) == ("window",)
    assert planned_scopes(("DedicatedWorker",), None) == ("window", "worker")
    # The matrix's scopes are where every probe runs.
    assert planned_scopes(("Window",), ("window", "serviceworker")) == ("window", "serviceworker")


def test_a_probe_reads_its_exposure(tmp_path: Path) -> None:
    assert parse_probe(probe_file(tmp_path, "exposed: [Window, Worker]"), "p").exposed == ("Window", "Worker")
    assert parse_probe(probe_file(tmp_path, ""), "p").exposed == ("Window",)


@pytest.mark.parametrize(
    ("exposed", "error"),
    [
        ("exposed: [Window, Wroker]", "p.js:4: 'exposed' names an unknown scope 'Wroker' (did you mean 'Worker'?)"),
        (
            "exposed: []",
            "p.js:4: 'exposed' names no scope (write it as Web IDL's [Exposed], such as exposed: [Window, Worker])",
        ),
        (
            "exposed: Window",
            "p.js:4: 'exposed' must be a list, not text (write it as Web IDL's [Exposed], "
            "such as exposed: [Window, Worker])",
        ),
    ],
)
def test_bad_exposure(tmp_path: Path, exposed: str, error: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_probe(probe_file(tmp_path, exposed), "p")
    assert str(caught.value).endswith(error), str(caught.value)


def test_matrix_scopes(tmp_path: Path) -> None:
    path = tmp_path / "matrix.yaml"
    path.write_text(f"scopes: [worker, window]\n{TARGETS}")
    assert load_matrix(path).scopes == ("window", "worker")
    path.write_text(TARGETS)
    assert load_matrix(path).scopes is None


@pytest.mark.parametrize(
    ("scopes", "error"),
    [
        (
            "scopes: [window, sharedwroker]",
            "matrix.yaml:1: unknown scope 'sharedwroker' (did you mean 'sharedworker'?)",
        ),
        (
            "scopes: []",
            "matrix.yaml:1: 'scopes' is an empty list (scopes are window, worker, sharedworker, serviceworker)",
        ),
        ("scopes: window", "matrix.yaml:1: 'scopes' must be a list, not a string"),
    ],
)
def test_bad_matrix_scopes(tmp_path: Path, scopes: str, error: str) -> None:
    path = tmp_path / "matrix.yaml"
    path.write_text(f"{scopes}\n{TARGETS}")
    with pytest.raises(InputError) as caught:
        load_matrix(path)
    assert str(caught.value).endswith(error), str(caught.value)
