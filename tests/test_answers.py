"""What the harness page answers is checked before it is believed (run/answers.py), and text from
browsers is made valid Unicode before it is stored (run/rounds.py: harness_outcome)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compatprobe.run.answers import ValidTexts, answer_problem, valid_text
from compatprobe.run.rounds import harness_outcome

GOOD = {"probe": "p", "status": "supported", "values": {}, "events": []}


def test_a_lone_surrogate_becomes_the_replacement_character() -> None:
    # As JSON carries it from the browser: an escape that Python reads into a lone surrogate.
    text = json.loads('"bad \\ud800 and \\udfff, but \\ud83d\\ude00 is a pair"')
    assert valid_text(text) == ("bad \ufffd and \ufffd, but \U0001f600 is a pair", 2)
    valid = ValidTexts()
    given = ("k\udc00", "x\ud800", "ascii", "é", 1, None)
    assert [valid(v) for v in given] == ["k\ufffd", "x\ufffd", "ascii", "é", 1, None]
    assert valid.replaced == 2


def test_an_outcome_with_lone_surrogates_can_be_written() -> None:
    raw = json.loads(
        '{"probe": "p", "status": "error", "reason": "exception", "message": "Error: bad \\ud800",'
        ' "exception": {"name": "Error", "message": "bad \\ud800"}, "values": {"\\udc00": "\\udc00"}, "events": []}'
    )
    outcome, replaced = harness_outcome(raw)
    assert replaced == 4
    assert outcome.message == "Error: bad \ufffd" and outcome.exception is not None
    assert outcome.exception.message == "bad \ufffd" and outcome.values == {"\ufffd": "\ufffd"}
    json.dumps(outcome.values, ensure_ascii=False).encode("utf-8")  # no UnicodeEncodeError


@pytest.mark.parametrize(
    "answer",
    [
        {},
        None,
        "results",
        [],
        {"results": {}, "done": True},
        {"results": [], "done": "yes"},
        {"results": [], "done": True, "fatal": 3},
        {"results": [{"probe": "p"}], "done": True},
        {"results": [{**GOOD, "status": "forged"}], "done": True},
        {"results": [{**GOOD, "scope": "elsewhere"}], "done": True},
        {"results": [{**GOOD, "exception": {"name": 1, "message": "m"}}], "done": True},
        {"results": [{**GOOD, "values": []}], "done": True},
        {"results": [GOOD, 7], "done": True},
    ],
)
def test_a_malformed_answer_is_a_problem(answer: Any) -> None:
    problem = answer_problem(answer)
    assert problem is not None and problem.endswith("a probe changed the harness page")


def test_a_compromised_answer_says_what_changed() -> None:
    assert answer_problem({"compromised": "it found its own page changed (Object: assign)", "done": True}) == (
        "it found its own page changed (Object: assign), by a probe"
    )


def test_a_good_answer_is_none() -> None:
    assert answer_problem({"results": [GOOD, {**GOOD, "scope": "worker"}], "done": False, "fatal": None}) is None
