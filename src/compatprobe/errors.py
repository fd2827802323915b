"""Errors that end a command with exit code 2 and one readable line."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from a user's file or flags: says where, what, and what to do."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text
