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


def test_a_report_heap_freezes_what_was_loaded_then_the_table_it_holds() -> None:
    from compatprobe.commands import report_heap

    with report_heap() as hold:
        loaded = gc.get_freeze_count()
        table = [[i] for i in range(1000)]  # a table's objects, made inside
        # Nothing made inside is frozen yet (a frozen object another thread drops leaves the count).
        assert gc.get_freeze_count() <= loaded
        hold()
        assert gc.get_freeze_count() >= loaded + len(table)
    assert gc.get_freeze_count() == 0  # thawed for a caller that goes on


def test_a_report_paused_holds_what_it_made_before_the_collector_resumes() -> None:
    from compatprobe.commands import report_heap, report_paused

    was = gc.isenabled()
    gc.enable()
    try:
        with report_heap() as hold:
            enabled_at_hold: list[bool] = []

            def holding() -> None:
                enabled_at_hold.append(gc.isenabled())
                hold()

            with report_paused(holding):
                assert not gc.isenabled()
                table = [[i] for i in range(1000)]
            assert enabled_at_hold == [False]  # held while no collection could walk it
            assert gc.isenabled()
            assert gc.get_freeze_count() >= len(table)
        assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()


def test_the_loop_comes_first_while_the_plan_is_made_and_the_interval_is_as_it_was_after() -> None:
    import sys

    from compatprobe.commands import LOOP_SWITCH_S, loop_first

    was = sys.getswitchinterval()
    with loop_first():
        assert sys.getswitchinterval() == min(was, LOOP_SWITCH_S) < 0.005  # Python's default: 5 ms
    assert sys.getswitchinterval() == was
