"""update-bcd's inference of when a change happened: exact only when the release just before was
observed in the old state; a range ("≤N") otherwise; one release never dates a change."""

from __future__ import annotations

from compatprobe.bcd.dating import Sighting, date_change, previous_release

RELEASES = previous_release({str(n): {} for n in range(140, 157)})


def test_a_single_release_gives_a_range_and_says_so() -> None:
    d = date_change([Sighting("156", False)], False, RELEASES)
    assert d is not None and (d.value, d.exact, d.releases) == ("≤156", False, 1)


def test_exact_when_the_release_before_was_observed_in_the_old_state() -> None:
    d = date_change([Sighting("154", True), Sighting("155", False), Sighting("156", False)], False, RELEASES)
    assert d is not None and (d.value, d.exact, d.before, d.first) == ("155", True, "154", "155")


def test_a_gap_before_the_change_leaves_a_range() -> None:
    d = date_change([Sighting("150", True), Sighting("155", False)], False, RELEASES)
    assert d is not None and (d.value, d.exact) == ("≤155", False)


def test_unknown_releases_do_not_count_and_no_sighting_of_the_state_dates_nothing() -> None:
    assert date_change([Sighting("155", True), Sighting("156", None)], False, RELEASES) is None
    d = date_change([Sighting("154", False), Sighting("155", None), Sighting("156", True)], True, RELEASES)
    assert d is not None and d.value == "≤156"  # 155 could not tell: the addition is not dated


def test_the_latest_run_of_the_state_is_dated() -> None:
    sightings = [Sighting("150", True), Sighting("151", False), Sighting("152", True), Sighting("153", True)]
    d = date_change(sightings, True, RELEASES)
    assert d is not None and (d.value, d.exact) == ("152", True)
