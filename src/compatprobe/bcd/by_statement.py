"""Values made from one of BCD's statements for a browser, remembered by what the statement says.

Most statements are plain: a bare `version_added`, perhaps with `version_removed` or
`partial_implementation`. A sweep's table shows 145,000 of them and its comparison reads 11,000,
of a few hundred kinds. A statement with notes or flags (lists) cannot be a key: it is read each
time, as is a list of statements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

Made = TypeVar("Made")


class ByStatement(Generic[Made]):
    """`make(*args)`'s value, once per `head` (what else it depends on) and plain statement."""

    def __init__(self) -> None:
        self._made: dict[tuple[Any, ...], Made] = {}

    def get(self, head: tuple[Any, ...], statement: Any, make: Callable[..., Made], *args: Any) -> Made:
        # `args`, not a closure: two of these run 140,000 times in a sweep's report.
        if not isinstance(statement, dict):
            return make(*args)
        key = (*head, *statement.items())
        try:
            return self._made[key]
        except KeyError:
            made = self._made[key] = make(*args)
            return made
        except TypeError:  # lists inside: no key
            return make(*args)
