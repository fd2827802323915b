"""Chromium chooses SwiftShader only where it would fall back to it: on a machine with no GPU render
node. (The answers it then gives are checked directly in tests/test_cells.py.)"""

from __future__ import annotations

from pathlib import Path

from compatprobe.browsers.launch import software_webgl


def test_swiftshader_is_chosen_only_without_a_render_node(tmp_path: Path) -> None:
    nodes = str(tmp_path / "dri" / "renderD*")
    assert software_webgl("chromium", nodes) == ("--use-angle=swiftshader",)
    assert software_webgl("firefox", nodes) == software_webgl("webkit", nodes) == ()
    (tmp_path / "dri").mkdir()
    (tmp_path / "dri" / "renderD128").touch()  # a GPU to render with: WebGL stays the GPU's
    assert software_webgl("chromium", nodes) == ()
