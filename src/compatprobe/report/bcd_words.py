"""A BCD comparison in words: its heading, which way a contradiction goes, where and who."""

from __future__ import annotations

from compatprobe.bcd.compare import BcdComparison, Comparison
from compatprobe.scopes import SCOPE_PHRASES

WAY_TEXT = {
    "observed-less": "the browser does less than BCD says",
    "observed-more": "the browser does more than BCD says",
}
SHOWN_UNKNOWN = 5  # ids BCD lacks that the default output names


def where(c: Comparison) -> str:
    """ " in a dedicated worker", or "" for the window."""
    return f" {SCOPE_PHRASES[c.scope]}" if c.scope else ""


def heading(comparison: BcdComparison) -> str:
    data = comparison.data
    when = f" ({data.timestamp[:10]})" if data.timestamp else ""
    return (
        f"Compared with @mdn/browser-compat-data {data.version}{when}: {comparison.count('contradicts')} contradict, "
        f"{comparison.count('agrees')} agree, {comparison.count('not-comparable')} not comparable."
    )


def unknown_lines(comparison: BcdComparison) -> list[str]:
    """The ids BCD lacks, counted and the first few named: a typo in a probe's feature or bcd: line
    shows in the default output, not only under --all."""
    unknown = comparison.unknown_ids
    if not unknown:
        return []
    named = ", ".join(unknown[:SHOWN_UNKNOWN])
    if len(unknown) > SHOWN_UNKNOWN:
        named += f" and {len(unknown) - SHOWN_UNKNOWN} more"
    return [
        f"{len(unknown)} feature id{'s' if len(unknown) != 1 else ''} not in BCD {comparison.data.version}: {named}",
        "(check the probes' feature: and bcd: lines; --all lists every comparison)",
    ]


def who(comparison: BcdComparison, c: Comparison) -> str:
    """The observed browser of a comparison, and the BCD browser it was compared as."""
    target = next(t for t in comparison.results.targets if t.name == c.target)
    seen = f"{target.browser.name} {target.browser.version}" if target.browser else target.name
    if c.mapping.browser is None:
        return f"{c.target} ({seen})"
    return f"{c.target} ({seen}, as {c.mapping.label(comparison.data.browsers)})"
