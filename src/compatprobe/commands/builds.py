"""`compatprobe browsers fetch|status|prune`: Chromium builds from the npm registry in the cache
(see data/builds.py). Without an action, `compatprobe browsers` resolves the matrix's targets."""

from __future__ import annotations

import argparse

from compatprobe import api
from compatprobe.commands import EXIT_OK, EXIT_PARTIAL
from compatprobe.commands.flags import action_parsers

SPEC_HELP = "chromium@92..156 (a range), chromium@131 (one major) or 'chromium@*' (every pinned build)"


def add_actions(parser: argparse.ArgumentParser) -> None:
    made = action_parsers(
        parser,
        (
            "fetch",
            "fetch pinned Chromium builds from the npm registry into the cache",
            "Fetch the pinned builds a spec names, check each tarball against its pinned sha512 "
            "and unpack its binary and SwiftShader files into the cache.",
        ),
        (
            "status",
            "the pinned builds, which are cached, and the disk each takes",
            "List every pinned build, whether it is cached, where, and its size on disk.",
        ),
        (
            "prune",
            "remove interrupted fetches and unpinned builds (and the builds named)",
            "Remove from the cache what is not a complete pinned build, and the builds the specs name.",
        ),
        required=False,  # without an action, `compatprobe browsers` resolves the matrix's targets
    )
    made["fetch"].add_argument("specs", nargs="+", metavar="SPEC", help=SPEC_HELP)
    made["prune"].add_argument("specs", nargs="*", metavar="SPEC", help=SPEC_HELP)


def handle_action(args: argparse.Namespace) -> int:
    if args.action == "fetch":
        found = api.fetch_builds(args.specs, report=print)
    elif args.action == "prune":
        removed = api.prune_builds(args.specs)
        for name, size in removed:
            print(f"removed {name} ({size / 1e6:.0f} MB)")
        print(f"freed {sum(s for _, s in removed) / 1e6:.0f} MB" if removed else "nothing to remove")
        return EXIT_OK
    else:
        found = api.builds_status()
    for item in found:
        pin = item.pin
        where = f"{item.folder} ({item.size / 1e6:.0f} MB)" if item.folder else "not cached"
        print(f"{pin.spec}: {pin.package}@{pin.version}, {where}")
    total = sum(i.size for i in found)
    print(f"{sum(i.folder is not None for i in found)} of {len(found)} cached, {total / 1e9:.1f} GB")
    return EXIT_OK if all(i.folder for i in found) or args.action == "status" else EXIT_PARTIAL
