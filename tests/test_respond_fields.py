"""Every widget parses what was posted and refuses anything else with a message at the field:
unknown codes, numbers out of range, duplicate ranks, overlong text, repeated fields."""

import random

import pytest
from flask import g
from werkzeug.datastructures import MultiDict

from survey.instruments import shipped_instrument
from survey.respond.fields import handler_for
from survey.respond.forms import answers_form
from survey.text import western_digits
from tests.respond_helpers import RANKING_ITEMS, ranking


@pytest.fixture
def instrument(app):
    return shipped_instrument("nato-pakistan-2014")


@pytest.fixture
def parse(app, instrument):
    """parse(code, formdata) -> (data, errors, rows) for one question, as posted."""

    def _parse(code: str, formdata: dict | MultiDict, *, required: bool = False, language="en"):
        handler = handler_for(instrument.question(code), instrument, language, "nato")
        with app.test_request_context(method="POST"):
            g.language = language  # as the views set it: messages in the participant's language
            form = answers_form([handler], formdata=MultiDict(formdata), enforce_required=required)
            form.validate()
            field = form[f"q_{code}"]
            return field.data, field.errors, handler.rows(field.data)

    return _parse


def test_digits_of_any_script_are_read():
    assert western_digits("۷۵") == "75"
    assert western_digits("٧٥") == "75"
    assert western_digits("75") == "75"


@pytest.mark.parametrize(("posted", "stored"), [("1", 1), ("5", 5), ("-9", -9)])
def test_scale_codes_and_non_response(parse, posted, stored):
    data, errors, rows = parse("trust_direct", {"trust_direct": posted})
    assert (data, errors, rows) == (stored, [], [("", stored, None)])


@pytest.mark.parametrize("posted", ["0", "6", "-1", "abc", "3.0", " 3"])
def test_scale_refuses_unknown_codes(parse, posted):
    data, errors, rows = parse("trust_direct", {"trust_direct": posted})
    assert data is None and rows == [] and errors == ["Choose one of the answers shown."]


def test_a_repeated_field_is_refused(parse):
    _, errors, rows = parse(
        "trust_direct", MultiDict([("trust_direct", "1"), ("trust_direct", "2")])
    )
    assert errors == ["Choose only one answer."] and rows == []


def test_unanswered_is_no_row(parse):
    assert parse("trust_direct", {}) == (None, [], [])


def test_choice_codes_are_text(parse):
    assert parse("sector", {"sector": "media"})[2] == [("", None, "media")]
    assert parse("sector", {"sector": "press"})[1] == ["Choose one of the answers shown."]
    assert parse("prior_dialogue", {"prior_dialogue": "no"})[2] == [("", None, "no")]


@pytest.mark.parametrize(
    ("posted", "stored"),
    [("0", 0), ("100", 100), ("75", 75), ("۷۵", 75), ("٧٥", 75), (" 42 ", 42), ("", None)],
)
def test_thermometer_accepts_any_digits_in_range(parse, posted, stored):
    data, errors, _ = parse("warmth", {"warmth": posted})
    assert (data, errors) == (stored, [])


@pytest.mark.parametrize("posted", ["101", "-1", "1e2", "4.5", "50%", "9" * 40, "٥٥٥"])
def test_thermometer_refuses_out_of_range_and_garbage(parse, posted):
    data, errors, rows = parse("warmth", {"warmth": posted})
    assert data is None and rows == []
    assert errors == ["Enter a whole number from 0 to 100."]


def test_thermometer_non_response(parse):
    assert parse("warmth", {"warmth-nr": "1"})[2] == [("", -9, None)]
    both = parse("warmth", {"warmth": "50", "warmth-nr": "1"})
    assert both[0] is None and "not both" in both[1][0]
    assert parse("warmth", {"warmth-nr": "yes"})[1] == ["Choose one of the answers shown."]


def test_complete_ranking_is_one_row_per_item(parse):
    data, errors, rows = parse("priorities", ranking())
    assert errors == [] and data["counter_terrorism"] == 1
    assert sorted(rows) == sorted((item, rank, None) for rank, item in enumerate(RANKING_ITEMS, 1))


@pytest.mark.parametrize(
    "change",
    [
        {"priorities-counter_terrorism": "2"},  # 2 twice
        {"priorities-counter_terrorism": ""},  # incomplete
        {"priorities-counter_terrorism": "9"},  # out of range
        {"priorities-counter_terrorism": "x"},
        {"priorities-counter_terrorism": "0"},
    ],
)
def test_incomplete_or_duplicate_rankings_are_refused(parse, change):
    data, errors, rows = parse("priorities", {**ranking(), **change})
    assert data is None and rows == []
    assert errors == ["Give every item a different rank from 1 to 8."]


def test_an_empty_ranking_is_unanswered(parse):
    assert parse("priorities", {f"priorities-{item}": "" for item in RANKING_ITEMS}) == (
        None,
        [],
        [],
    )


def test_free_text_limit_counts_line_breaks_once(parse):
    text = "a" * 1000 + "\r\n" + "b" * 999  # 2000 for a browser's maxlength
    assert parse("hope_text", {"hope_text": text})[2] == [("", None, text.replace("\r", ""))]
    data, errors, rows = parse("hope_text", {"hope_text": "x" * 2001})
    assert data is None and rows == []
    assert errors == ["Shorten your answer to 2000 characters (it has 2001)."]


def test_free_text_drops_control_characters_and_blank_answers(parse):
    assert parse("hope_text", {"hope_text": "peace\x00 and\ttrust\r\n"})[2] == [
        ("", None, "peace and\ttrust")
    ]
    assert parse("hope_text", {"hope_text": "   \r\n "}) == (None, [], [])


def test_required_questions_are_enforced_only_when_asked(app, instrument):
    import dataclasses

    question = dataclasses.replace(instrument.question("optimism"), required=True)
    handler = handler_for(question, instrument, "en", "nato")
    with app.test_request_context(method="POST"):
        assert answers_form([handler], formdata=MultiDict(), enforce_required=False).validate()
        form = answers_form([handler], formdata=MultiDict(), enforce_required=True)
        assert not form.validate()
        assert form.q_optimism.errors == ["Please answer this question."]


def test_messages_follow_the_language(parse):
    assert parse("warmth", {"warmth": "500"}, language="fr")[1] == [
        "Indiquez un nombre entier de 0 à 100."
    ]


def test_stored_rows_fill_the_form_back(app, instrument):
    handler = handler_for(instrument.question("priorities"), instrument, "en", "nato")
    rows = {item: (item, rank, None) for rank, item in enumerate(reversed(RANKING_ITEMS), 1)}
    data = handler.data(rows)
    assert data["regional_economy"] == 1
    assert handler.describe(data)[0] == "Regional economic cooperation and connectivity"
    with app.test_request_context():
        form = answers_form([handler], data={"priorities": data})
        assert form.q_priorities.ordered_items()[0].value == "regional_economy"


def test_placeholders_are_filled_in_the_participants_language(instrument):
    handler = handler_for(instrument.question("trust_direct"), instrument, "fr", "pakistan")
    assert handler.text == "Dans l'ensemble, dans quelle mesure faites-vous confiance à l'OTAN ?"
    urdu = handler_for(instrument.question("trust_direct"), instrument, "ur", "nato")
    assert "پاکستان" in urdu.text and "{" not in urdu.text


def test_a_ranking_lists_its_items_in_the_order_drawn_for_the_response(app, instrument):
    question = instrument.question("priorities")
    orders = []
    with app.test_request_context():
        for seed in (1, 1, 2, 3, 4):
            handler = handler_for(question, instrument, "en", "nato", display_seed=seed)
            field = answers_form([handler], data={"priorities": None}).q_priorities
            orders.append([choice.value for choice in field.ordered_items()])
        unseeded = handler_for(question, instrument, "en", "nato")
        field = answers_form([unseeded], data={"priorities": None}).q_priorities
        plain = [choice.value for choice in field.ordered_items()]
    assert plain == list(RANKING_ITEMS)  # no seed (the blank steps): the instrument's order
    assert orders[0] == orders[1]  # the same response: the same order on every resume
    assert all(sorted(order) == sorted(RANKING_ITEMS) for order in orders)
    assert len({tuple(order) for order in orders}) >= 3  # and it differs between responses
    # The recipe documented for researchers (docs/domain.md, "Response"):
    recomputed = list(RANKING_ITEMS)
    random.Random("2:priorities").shuffle(recomputed)
    assert orders[2] == recomputed


def test_a_complete_ranking_is_shown_in_its_order_whatever_the_seed(app, instrument):
    handler = handler_for(instrument.question("priorities"), instrument, "en", "nato", 5)
    data = {item: rank for rank, item in enumerate(reversed(RANKING_ITEMS), start=1)}
    with app.test_request_context():
        field = answers_form([handler], data={"priorities": data}).q_priorities
    assert [choice.value for choice in field.ordered_items()] == list(reversed(RANKING_ITEMS))


@pytest.mark.parametrize(
    ("code", "formdata"),
    [
        ("trust_direct", {"trust_direct": "4"}),
        ("meta_trust", {"meta_trust": "-9"}),
        ("warmth", {"warmth": "65"}),
        ("warmth", {"warmth-nr": "1"}),
        ("priorities", ranking(reversed(RANKING_ITEMS))),
        ("hope_text", {"hope_text": "Peace and trust"}),
        ("sector", {"sector": "media"}),
        ("trust_direct", {}),
        ("priorities", {}),
    ],
)
def test_the_form_values_of_stored_answers_are_what_the_form_posts(
    app, instrument, parse, code, formdata
):
    # The page's script fills forms it did not render with these pairs (survey.respond.screens
    # .wave_steps_for): posted back, they must give the same answer.
    data, errors, rows = parse(code, formdata)
    assert errors == []
    handler = handler_for(instrument.question(code), instrument, "en", "nato")
    with app.test_request_context():
        stored = handler.data({row[0]: row for row in rows})
        values = answers_form([handler], data={code: stored})[f"q_{code}"].form_values()
    assert sorted(values) == sorted(MultiDict(formdata).items(multi=True))
    assert parse(code, MultiDict(values))[0] == data
