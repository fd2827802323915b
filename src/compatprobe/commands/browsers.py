"""Resolve every target of the matrix on this machine without starting a browser; or fetch, list
and prune Chromium builds from the npm registry (fetch, status, prune)."""

from __future__ import annotations

import argparse

from compatprobe import api
from compatprobe.commands import EXIT_OK, EXIT_PARTIAL
from compatprobe.commands.builds import add_actions, handle_action
from compatprobe.commands.flags import matrix_flag

NAME = "browsers"
SUMMARY = "show which browser each target would use here, and how to get missing ones"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    matrix_flag(parser)
    add_actions(parser)


def handle(args: argparse.Namespace) -> int:
    if getattr(args, "action", None):
        return handle_action(args)
    missing = 0
    for target in api.resolve_targets(args.matrix):
        chosen = target.chosen
        print(
            f"{target.spec.name} ({target.spec.engine}): "
            + (f"will use {chosen.description}" if chosen else "UNAVAILABLE")
        )
        for option in target.options:
            mark = "*" if option is chosen else " "
            if option.remote:
                state = "remote: checked when a run connects"
            elif option.available:
                state = f"found {option.binary or option.executable or ''}"
            else:
                state = f"missing: {option.missing}"
            print(f"  {mark} {option.description}: {state.strip()}")
            if not option.available and option.hint:
                print(f"      to get it: {option.hint}")
        missing += chosen is None
    return EXIT_OK if not missing else EXIT_PARTIAL
