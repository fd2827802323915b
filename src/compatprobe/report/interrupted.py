"""What an interrupted run kept, in one line: the files written, the targets in them, the targets left out."""

from __future__ import annotations

from collections.abc import Sequence

from compatprobe.results.model import Results


def kept_line(signal_name: str, results: Results, finished: Sequence[str], wrote: Sequence[str]) -> str:
    """Which files hold which finished targets, and which targets the signal stopped."""
    stopped = [t.name for t in results.targets if t.name not in finished]
    return (
        f"{signal_name}: kept the {len(finished)} of {len(results.targets)} targets that had finished "
        f"({', '.join(finished)}) as a partial run in {', '.join(wrote)}; not finished, so marked failed "
        f"with no outcomes: {', '.join(stopped) or 'none'}"
    )


def stopped_after_writing(signal_name: str, wrote: Sequence[str]) -> str:
    """A signal that came while a finished run's files were written: it waited until all were in place."""
    return f"{signal_name} came while the outputs were written: wrote {', '.join(wrote)} (the whole run), then stopped"


def nothing_written(signal_name: str) -> str:
    """A signal that stopped a run before it wrote any file."""
    return f"{signal_name}: stopped before any output was written; the earlier ones are as they were"
