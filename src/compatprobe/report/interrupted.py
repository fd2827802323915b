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
