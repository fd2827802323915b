"""The loopback server serves the harness and probe files, and nothing outside the probes folder."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from compatprobe.errors import InputError
from compatprobe.probes.loader import load_probes
from compatprobe.run.server import ProbeServer

ROOT = Path(__file__).resolve().parents[1]


def get(url: str, path: str) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def test_serves_harness_and_probes(tmp_path: Path) -> None:
    probes = load_probes(ROOT / "probes", ["RTCPeerConnection/removeTrack/*"])
    with ProbeServer(probes, ROOT / "probes") as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, body = get(server.url, "/")
        assert status == 200 and b"/harness.js" in body
        status, body = get(server.url, "/probes.json")
        assert set(json.loads(body)) == {p.id for p in probes}
        status, body = get(server.url, "/probes/RTCPeerConnection/removeTrack/exists.js")
        assert status == 200 and b"feature: api.RTCPeerConnection.removeTrack" in body


def test_refuses_paths_out_of_the_folder(tmp_path: Path) -> None:
    probes_dir = tmp_path / "probes"
    probes_dir.mkdir()
    (probes_dir / "ok.js").write_text("// ok")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (probes_dir / "link.js").symlink_to(secret)
    with ProbeServer([], probes_dir) as server:
        assert get(server.url, "/probes/ok.js")[0] == 200
        for path in (
            "/probes/../secret.txt",
            "/probes/%2e%2e/secret.txt",
            "/probes//etc/passwd",
            "/probes/link.js",
            "/etc/passwd",
            "/probes/..%2fsecret.txt",
        ):
            status, body = get(server.url, path)
            # 421: the absolute form names a Host without the port, which is not the run's origin.
            assert status in (404, 421) and b"secret" not in body, path


def test_a_fixed_port_for_tunnels(tmp_path: Path) -> None:
    with ProbeServer([], ROOT / "probes") as first:
        port = int(first.url.rsplit(":", 1)[1].strip("/"))
        # Taken by `first`: a clear input error, not a traceback.
        with pytest.raises(InputError, match=rf"cannot serve probes on 127.0.0.1:{port}: .*'probe_port'"):
            ProbeServer([], ROOT / "probes", port)
    with ProbeServer([], ROOT / "probes", port) as again:
        assert again.url == f"http://127.0.0.1:{port}/"


def request(url: str, method: str, path: str) -> int:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request(method, path)
    return conn.getresponse().status


def test_refuses_more_ways_out(tmp_path: Path) -> None:
    probes_dir = tmp_path / "probes"
    (probes_dir / "inner").mkdir(parents=True)
    (probes_dir / "inner" / "ok.js").write_text("// ok")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.js").write_text("secret")
    (probes_dir / "linked-dir").symlink_to(outside, target_is_directory=True)
    (probes_dir / "inner" / "up.js").symlink_to(probes_dir / ".." / "outside" / "secret.js")
    with ProbeServer([], probes_dir) as server:
        # Loopback only, on a port the system picked.
        assert server._httpd.server_address[0] == "127.0.0.1"
        assert get(server.url, "/probes/inner/ok.js")[0] == 200
        for path in (
            "/probes/linked-dir/secret.js",  # a symlinked folder out of the probes folder
            "/probes/inner/up.js",  # a symlink climbing out
            "/probes/inner/..%2f..%2foutside/secret.js",
            "/probes/inner\\..\\..\\outside\\secret.js",
            "/probes/%2Fetc%2Fpasswd",
            "/probes/inner",  # a folder: no listing
            "/probes/",
            "http://127.0.0.1/../outside/secret.js",  # absolute-form request target
            "/../outside/secret.js",
        ):
            status, body = get(server.url, path)
            # 421: the absolute form names a Host without the port, which is not the run's origin.
            assert status in (404, 421) and b"secret" not in body, path
        # Only GET: nothing can be written or probed with other methods.
        for method in ("POST", "PUT", "DELETE", "HEAD"):
            assert request(server.url, method, "/probes/inner/ok.js") == 501, method
