"""Since when, in words: each feature's brackets (bcd/brackets.py) and BCD's versions checked against them."""

from __future__ import annotations

from compatprobe.bcd.brackets import Bracket, Change, counts

DASH = "\N{EN DASH}"
REASONS = {
    "inside": "BCD's version is inside the bracket",
    "outside": "BCD's version is outside the bracket",
    "open": "BCD's version precedes the oldest build observed",
    "never-with": "never observed with the feature",
    "bcd-never": "BCD says never, but it was observed",
    "no-bcd": "BCD gives no version",
    "removed-unstated": "observed removed, BCD gives no version_removed",
    "present-after-removal": "observed after BCD's version_removed",
    "removal-outside": "BCD's version_removed is outside the removal's bracket",
}


def change_text(change: Change) -> str:
    what = "added" if change.added else "removed"
    if change.before is None:
        return f"{what} by {change.after} (observed with it in the oldest build, {change.after})"
    low = change.low
    span = str(change.after) if low == change.after else f"{low} {DASH} {change.after}"
    before, after = ("without", "with") if change.added else ("with", "without")
    why = "; branch-point builds, so one major earlier too" if change.branch_point else ""
    return f"{what} in {span} (observed {before} in {change.before}, {after} in {change.after}{why})"


def bracket_line(bracket: Bracket) -> str:
    bcd = f"BCD: added {bracket.bcd_added}" + (f", removed {bracket.bcd_removed}" if bracket.bcd_removed else "")
    changes = "; ".join(change_text(c) for c in bracket.changes) or "never observed with it"
    line = f"{bracket.feature} ({bracket.browser}): {bracket.agreement}: {REASONS.get(bracket.reason, bracket.reason)}"
    line += f". Observed: {changes}. {bcd}."
    if bracket.proposal and bracket.agreement == "contradicts":
        line += f" Proposal (update-bcd's rule): version_added {bracket.proposal}."
    return line


def brackets_text(found: list[Bracket], *, show_all: bool = False) -> str:
    tally = counts(found)
    head = (
        f"Since when, from {len(found)} features observed in several builds: {tally['agrees']} agree with BCD, "
        f"{tally['contradicts']} contradict, {tally['cannot date']} cannot be dated; "
        f"{tally['dated to one major']} first versions dated to one major."
    )
    shown = [b for b in found if show_all or b.agreement == "contradicts"]
    return "\n".join([head, *(f"- {bracket_line(b)}" for b in shown)]) + "\n"
