"""Web IDL, CSS definitions, MDN's browser-compat-data and web-features, at the versions pinned in pins.json,
fetched from the npm registry that npm is configured with (or $COMPATPROBE_NPM_REGISTRY) into the cache
($COMPATPROBE_CACHE, else $XDG_CACHE_HOME/compatprobe). Each tarball is checked against its pinned sha512
hash. A run never fetches anything."""

from __future__ import annotations

import argparse

from compatprobe import api
from compatprobe.commands import EXIT_OK, EXIT_PARTIAL
from compatprobe.commands.flags import action_parsers

NAME = "data"
SUMMARY = "fetch, list or re-pin the web platform data that probes are generated from"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = f"packages: {', '.join(api.DATA_PACKAGES)} (default: all)"
    made = action_parsers(
        parser,
        (
            "fetch",
            "fetch the pinned packages (all, or those named) and check them",
            "Fetch the pinned packages into the cache and check each against its sha512 hash.",
        ),
        (
            "status",
            "what is cached, at which version, and whether it matches its pin",
            "Say, for each package, which version is cached and whether it still matches its pin.",
        ),
        (
            "update",
            "pin the registry's latest versions (writes the pin file)",
            "Pin the registry's latest versions of the packages, writing the pin file; then run 'data fetch'.",
        ),
    )
    for action in made.values():
        action.add_argument("names", nargs="*", metavar="NAME", help=names)
    made["fetch"].add_argument(
        "--force", action="store_true", help="fetch again even when the cache holds a verified copy"
    )


def handle(args: argparse.Namespace) -> int:
    names = args.names or None
    if args.action == "fetch":
        found = api.fetch_data(names, force=args.force)
    elif args.action == "update":
        pins = api.repin(names)
        for name, pin in pins.after.items():
            old = pins.before[name]
            print(f"{name}: {old.version} -> {pin.version}" if old != pin else f"{name}: {pin.version} (unchanged)")
        if pins.written is not None:
            print(f"wrote {pins.written}; run 'compatprobe data fetch' to get them")
        return EXIT_OK
    else:
        found = api.data_status(names)
    for item in found:
        print(item.line())
    return EXIT_OK if all(s.verified for s in found) else EXIT_PARTIAL
