"""The agreement for one observation against one BCD statement: agrees, contradicts (which way), or
not comparable (why)."""

from __future__ import annotations

from typing import Literal

from compatprobe.bcd.observe import Observation
from compatprobe.bcd.support import BcdStatement

Agreement = Literal["agrees", "contradicts", "not-comparable"]
# Which way a contradiction goes: the browser does less than BCD says, or more.
Way = Literal["observed-less", "observed-more"]


def judge(observed: Observation, bcd: BcdStatement) -> tuple[Agreement, Way | None, str]:
    """The agreement for one observation against one BCD statement."""
    if bcd.kind == "unknown":
        return "not-comparable", None, f"BCD does not say: {bcd.summary}"
    if observed.kind == "unknown":
        return "not-comparable", None, observed.summary
    present = observed.kind in ("supported", "partial")
    if bcd.kind == "supported":
        if observed.kind == "supported":
            return "agrees", None, ""
        return "contradicts", "observed-less", ""
    if bcd.kind == "partial":
        if observed.kind == "partial":
            return "agrees", None, ""
        if observed.kind == "not-supported":
            return "contradicts", "observed-less", ""
        return "not-comparable", None, "BCD says partial; finding nothing missing does not prove full support"
    if bcd.kind == "prefixed":
        if present:
            return "contradicts", "observed-more", "the probes use the standard name, which BCD says needs a prefix"
        return "agrees", None, "the standard name is missing, as a prefixed-only statement implies"
    # removed or not supported
    if present:
        return "contradicts", "observed-more", ""
    return "agrees", None, ""
