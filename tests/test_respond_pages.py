"""What the pages show: the review of every answer with links to change it, required questions
left open, and texts split into paragraphs."""

import dataclasses

from survey.instruments import shipped_instrument
from survey.respond.flow import wave_steps
from survey.respond.pages import missing_required, paragraphs, review_sections


def test_the_review_lists_every_question_with_its_answer_and_a_link():
    instrument = shipped_instrument("nato-pakistan-2014")
    steps = wave_steps(instrument, "pre", ask_consent=True)
    stored = {
        "trust_direct": {"": ("", 5, None)},
        "meta_trust": {"": ("", -9, None)},
        "priorities": {
            item.code: (item.code, rank, None)
            for rank, item in enumerate(instrument.question("priorities").items, 1)
        },
    }
    sections = review_sections(steps, instrument, "en", "pakistan", stored, lambda p: f"/q/{p}")
    assert [s.title for s in sections] == [
        "About you",
        "How you see NATO",
        "Overall trust",
        "Priorities",
        "Obstacles",
        "Outlook",
    ]
    overall = {item.code: item for item in sections[2].items}
    assert overall["trust_direct"].answer == ["Completely"]
    assert overall["meta_trust"].answer == ["Prefer not to answer"]
    assert overall["warmth"].answer == []  # not answered
    assert overall["trust_direct"].url == "/q/overall?return=review#q-trust_direct"
    assert overall["trust_direct"].text == "Overall, how much do you trust NATO?"
    ranking = sections[3].items[0]
    assert ranking.ordered and ranking.answer[0].startswith("Counter-terrorism")


def test_a_required_question_left_open_is_found():
    instrument = shipped_instrument("nato-pakistan-2014")
    steps = list(wave_steps(instrument, "pre", ask_consent=False))
    assert missing_required(steps, {}) is None  # the shipped instrument requires nothing
    page = steps[2].page
    strict = dataclasses.replace(
        page, questions=(dataclasses.replace(page.questions[0], required=True),)
    )
    steps[2] = dataclasses.replace(steps[2], page=strict)
    assert missing_required(steps, {}).code == steps[2].code
    answered = {page.questions[0].code: {"": ("", 3, None)}}
    assert missing_required(steps, answered) is None


def test_paragraphs():
    assert paragraphs("One.\nStill one.\n\n  Two. \n\n\n") == ["One.\nStill one.", "Two."]
