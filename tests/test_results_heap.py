"""The collector paused while a large file is parsed, and left as the caller had it."""

from __future__ import annotations

import gc

import pytest

from compatprobe.results.heap import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_as_it_was_after(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), collector_paused():
            raise ValueError("a parse that fails")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
