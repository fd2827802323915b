"""Signals as exceptions, and holding them while output files are written (no browsers)."""

from __future__ import annotations

import os
import signal

import pytest

from compatprobe.interrupts import Interrupted, deferred, signals_interrupt


def test_sigterm_raises_with_exit_code_143() -> None:
    with pytest.raises(Interrupted) as info, signals_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
    assert info.value.exit_code == 143 and str(info.value) == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # put back as it was


def test_a_signal_waits_until_the_files_are_written() -> None:
    written = []
    with pytest.raises(Interrupted) as info, signals_interrupt():
        with deferred():
            os.kill(os.getpid(), signal.SIGINT)
            written.append("results.json")
            written.append("index.html")
        written.append("after")  # not reached: the held signal arrives as the block ends
    assert written == ["results.json", "index.html"]
    assert info.value.exit_code == 130
