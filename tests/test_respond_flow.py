"""Which wave a link opens, the steps of a wave, Next/Back and progress."""

from datetime import UTC, datetime, timedelta

import pytest

from survey.instruments import shipped_instrument
from survey.models import Wave
from survey.respond.flow import (
    DIRECTIONS,
    Opening,
    choose_wave,
    neighbour,
    progress,
    skipped_questions,
    target_step,
    wave_steps,
    wave_to_come,
)

NOW = datetime(2014, 5, 12, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def instrument():
    return shipped_instrument("nato-pakistan-2014")


def waves(pre=(None, None), post=(None, None)) -> list[Wave]:
    return [
        Wave(code="pre", position=0, opens_at=pre[0], closes_at=pre[1]),
        Wave(code="post", position=1, opens_at=post[0], closes_at=post[1]),
    ]


def test_the_steps_of_the_pre_wave(instrument):
    steps = wave_steps(instrument, "pre", ask_consent=True)
    codes = [s.code for s in steps]
    assert codes == [
        "consent",
        "profile",
        "trust",
        "overall",
        "priorities",
        "obstacles",
        "outlook",
        "review",
    ]
    outlook = steps[codes.index("outlook")].page
    assert [q.code for q in outlook.questions] == [
        "optimism",
        "network_effect",
        "expect_understanding",
        "hope_text",
    ]


def test_consent_is_left_out_once_given_and_post_has_its_own_items(instrument):
    steps = wave_steps(instrument, "post", ask_consent=False)
    assert steps[0].code == "profile"
    outlook = next(s for s in steps if s.code == "outlook").page
    assert "eval_overall" in [q.code for q in outlook.questions]
    assert "hope_text" not in [q.code for q in outlook.questions]


def test_profile_questions_known_already_are_skipped(instrument):
    skip = skipped_questions(
        instrument, answered_elsewhere={"experience"}, known={"sector": "media"}
    )
    assert skip == {"sector", "experience"}
    steps = wave_steps(instrument, "post", ask_consent=False, skip=skip)
    assert [q.code for q in steps[0].page.questions] == ["prior_dialogue"]


def test_the_profile_page_is_skipped_when_nothing_is_left_to_ask(instrument):
    skip = skipped_questions(
        instrument, answered_elsewhere={"sector", "experience", "prior_dialogue"}, known={}
    )
    steps = wave_steps(instrument, "post", ask_consent=False, skip=skip)
    assert "profile" not in [s.code for s in steps]


def test_next_back_and_progress(instrument):
    steps = wave_steps(instrument, "pre", ask_consent=True)
    assert neighbour(steps, "trust", "next").code == "overall"
    assert neighbour(steps, "trust", "back").code == "profile"
    assert neighbour(steps, "consent", "back").code == "consent"
    assert neighbour(steps, "review", "next").code == "review"
    assert (progress(steps, "consent").position, progress(steps, "consent").total) == (1, 8)
    assert progress(steps, "review").percent == 100


def test_the_earliest_open_unsubmitted_wave_is_opened():
    both_open = waves(pre=(NOW - HOUR, None), post=(NOW - HOUR, None))
    assert choose_wave(both_open, set(), NOW).wave.code == "pre"
    assert choose_wave(both_open, {"pre"}, NOW).wave.code == "post"
    assert choose_wave(both_open, {"pre", "post"}, NOW).opening is Opening.DONE


def test_nothing_open_says_when_the_next_wave_opens_or_that_it_closed():
    later = choose_wave(
        waves(pre=(NOW - 2 * HOUR, NOW - HOUR), post=(NOW + HOUR, None)), {"pre"}, NOW
    )
    assert later.opening is Opening.LATER and later.wave.code == "post" and later.closed is None
    missed = choose_wave(
        waves(pre=(NOW - 2 * HOUR, NOW - HOUR), post=(NOW + HOUR, None)), set(), NOW
    )
    assert (missed.opening, missed.wave.code, missed.closed.code) == (Opening.LATER, "post", "pre")
    unscheduled = choose_wave(waves(), set(), NOW)
    assert unscheduled.opening is Opening.LATER and unscheduled.wave.code == "pre"
    assert unscheduled.closed is None
    closed = choose_wave(
        waves(pre=(NOW - 3 * HOUR, NOW - 2 * HOUR), post=(NOW - 2 * HOUR, NOW - HOUR)), set(), NOW
    )
    assert closed.opening is Opening.CLOSED


def test_a_closed_wave_behind_a_submitted_one_leaves_nothing_to_do():
    pre_closed = waves(pre=(NOW - 3 * HOUR, NOW - 2 * HOUR), post=(NOW - HOUR, None))
    assert choose_wave(pre_closed, {"post"}, NOW).opening is Opening.DONE
    # An earlier wave still open can still be answered, and a later one still comes.
    both_open = waves(pre=(NOW - HOUR, None), post=(NOW - HOUR, None))
    assert choose_wave(both_open, {"post"}, NOW).wave.code == "pre"
    assert choose_wave(pre_closed, set(), NOW).wave.code == "post"


def test_page_buttons_lead_to_the_next_the_previous_the_same_step_or_the_review(instrument):
    steps = wave_steps(instrument, "pre", ask_consent=True)
    trust = steps[2]
    assert [target_step(steps, trust, d).code for d in DIRECTIONS] == [
        "overall",
        "profile",
        "trust",
        "review",
    ]


def test_a_wave_still_to_come_is_announced():
    ws = waves(pre=(NOW - HOUR, None), post=(NOW + HOUR, None))
    assert wave_to_come(ws, ws[0], {"pre"}, NOW).code == "post"
    assert wave_to_come(ws, ws[1], {"pre", "post"}, NOW) is None
    ended = waves(pre=(NOW - HOUR, None), post=(NOW - 2 * HOUR, NOW - HOUR))
    assert wave_to_come(ended, ended[0], {"pre"}, NOW) is None
