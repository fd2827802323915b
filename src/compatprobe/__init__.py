"""compatprobe: observe what browsers do and render it as a compatibility table.

The Python API is `compatprobe.api` (run, plan, execute, load_results, render, diff). It is not
re-exported here: `compatprobe.run` and `compatprobe.diff` are the subpackages of those names.
"""

from compatprobe.version import __version__

__all__ = ["__version__"]
