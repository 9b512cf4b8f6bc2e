"""The heading of participant pages: the workshop's title, typed by the organisers in any
script, keeps its own direction, and a title in Latin letters on an Urdu page is not set in
Nastaliq (whose tall lines would split a two-line title wide apart)."""

import re
from datetime import date

import pytest

from survey.extensions import db
from survey.respond.headings import heading
from tests.respond_helpers import Respondent, token_of


@pytest.mark.parametrize(
    ("title", "language", "lang"),
    [
        ("Islamabad dialogue 2014", "ur", ""),
        ("اسلام آباد مکالمہ", "ur", None),
        ("Islamabad dialogue 2014", "en", None),
        ("اسلام آباد مکالمہ", "en", None),
        ("Dialogue d'Islamabad", "fr", None),
    ],
)
def test_a_latin_title_on_an_urdu_page_is_marked_as_of_no_known_language(
    app, make, title, language, lang
):
    workshop = make.workshop(title=title)
    assert heading(workshop, workshop.instrument, language).title_lang == lang


def test_the_urdu_page_shows_a_latin_title_isolated_and_outside_nastaliq(app, make, client):
    workshop = make.workshop(title="NATO–Pakistan partnership (demo)")
    you = Respondent(client)
    you.open(token_of(make.participant(workshop, "pakistan", language="ur")))
    you.get("/q/pre/consent")
    title = re.search(r'<p class="survey-title"([^>]*)><bdi>([^<]*)</bdi></p>', you.html)
    assert title is not None
    assert title.group(1) == ' lang=""'
    assert title.group(2) == "NATO–Pakistan partnership (demo)"


def test_the_place_is_isolated_from_the_dates_on_an_urdu_page(app, make, client):
    # Unisolated, "Islamabad" takes the day's digits of the Urdu date into its left-to-right
    # run: "2026 دسمبر Islamabad · 2–3" on the screen.
    workshop = make.workshop(place="Islamabad")
    workshop.starts_on, workshop.ends_on = date(2026, 12, 2), date(2026, 12, 3)
    db.session.commit()
    you = Respondent(client)
    you.open(token_of(make.participant(workshop, "pakistan", language="ur")))
    you.get("/q/pre/consent")
    details = re.search(r'<p class="survey-details">(.*?)</p>', you.html, re.S)
    assert details is not None
    assert details.group(1).startswith("<bdi>Islamabad</bdi> · ")
    assert "دسمبر" in details.group(1)
