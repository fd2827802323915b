"""compatprobe: observe what browsers do and render it as a compatibility table.

The Python API (see `compatprobe.api`): `run`, `plan`, `execute`, `load_results`, `render`, `diff`.
"""

from __future__ import annotations

from typing import Any

from compatprobe.version import __version__

_API = ("run", "plan", "execute", "load_results", "render", "diff", "Plan")
__all__ = [*_API, "InputError", "__version__"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `compatprobe --help` and the CLI's quick commands stay fast.
    if name in _API:
        from compatprobe import api

        return getattr(api, name)
    if name == "InputError":
        from compatprobe.errors import InputError

        return InputError
    raise AttributeError(f"module 'compatprobe' has no attribute {name!r}")
