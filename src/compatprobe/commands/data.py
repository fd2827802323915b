"""`compatprobe data`: fetch the pinned data packages into the cache, show what is there, re-pin them."""

from __future__ import annotations

import argparse

from compatprobe.commands import EXIT_OK, EXIT_PARTIAL, add_command
from compatprobe.data import cache
from compatprobe.data.pins import PACKAGES, load_pins, pin_file, save_pins


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    names = ", ".join(PACKAGES)
    parser = add_command(
        subparsers,
        "data",
        "fetch, list or re-pin the web platform data that probes are generated from",
        "Web IDL, CSS definitions, MDN's browser-compat-data and web-features, at the versions pinned in "
        f"{pin_file().name}, fetched from the npm registry that npm is configured with (or "
        "$COMPATPROBE_NPM_REGISTRY) into the cache ($COMPATPROBE_CACHE, else $XDG_CACHE_HOME/compatprobe). "
        "Each tarball is checked against its pinned sha512 hash. A run never fetches anything.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fetch = actions.add_parser("fetch", help="fetch the pinned packages (all, or those named) and check them")
    fetch.add_argument("names", nargs="*", metavar="NAME", help=f"packages: {names}")
    fetch.add_argument("--force", action="store_true", help="fetch again even when the cache holds a verified copy")
    show = actions.add_parser("status", help="what is cached, at which version, and whether it matches its pin")
    show.add_argument("names", nargs="*", metavar="NAME")
    update = actions.add_parser("update", help="pin the registry's latest versions (writes the pin file)")
    update.add_argument("names", nargs="*", metavar="NAME")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    names = args.names or None
    if args.action == "fetch":
        found = cache.fetch(names, force=args.force)
    elif args.action == "update":
        before = load_pins()
        after = cache.latest(names)
        for name, pin in after.items():
            old = before[name]
            print(f"{name}: {old.version} -> {pin.version}" if old != pin else f"{name}: {pin.version} (unchanged)")
        if after != before:
            save_pins(after)
            print(f"wrote {pin_file()}; run 'compatprobe data fetch' to get them")
        return EXIT_OK
    else:
        found = cache.status(names)
    for item in found:
        print(item.line())
    return EXIT_OK if all(s.verified for s in found) else EXIT_PARTIAL
