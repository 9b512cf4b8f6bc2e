"""A workshop run end to end on a questionnaire brought as an XLSForm in three languages:
participants see the workshop (title, place, dates) above the questionnaire's title, answer
in Urdu through the Urdu corrected in the review, and the dashboards, exports and report
take their answers; the codebook names the version."""

import csv
import io
from datetime import date

import pytest

from survey.extensions import db
from survey.instruments.store import find as find_version
from survey.instruments.store import import_file, save_corrections
from survey.models import ResponseStatus
from survey.organise.workshops import create_workshop, open_wave
from tests import factories
from tests.conftest import sign_in
from tests.instrument_workbooks import TRUST_KEEPS_UR_CORRECTED, authored, workbook_bytes
from tests.respond_helpers import Respondent, token_of

TITLE = "Lahore follow-up dialogue 2027"


@pytest.fixture
def workshop(app, make):
    """The imported questionnaire, its Urdu corrected, run by a workshop with both waves open."""
    version, _ = import_file(workbook_bytes(authored()), "lahore.xlsx")
    db.session.commit()
    corrected, problems = save_corrections(
        find_version(version.label),
        {("pages.0.questions.0.texts", "ur"): TRUST_KEEPS_UR_CORRECTED},
        user=None,
    )
    assert problems == []
    ws = create_workshop("lahore", TITLE, instrument_key=corrected.label, place="Lahore")
    ws.starts_on, ws.ends_on = date(2027, 3, 3), date(2027, 3, 4)
    for wave in ws.waves:
        open_wave(wave)
    db.session.commit()
    return ws


PRE = {
    "consent": {"agree": "y"},
    "views": {
        "trust_keeps": "4",
        "trust_hidden": "2",
        "trust_direct": "4",
        "meta_trust": "3",
        "warmth": "۷۰",  # Urdu digits
    },
    "plans": {
        "priorities-trade": "1",
        "priorities-water": "2",
        "priorities-visas": "3",
        "topics": ["culture", "sport"],
        "hope": "امن",
    },
}


def test_a_participant_answers_the_imported_questionnaire_in_urdu(workshop, client):
    participant = factories.participant(workshop, "pakistan", language="ur")
    browser = Respondent(client)
    assert browser.open(token_of(participant)).status_code == 302

    consent = browser.get("/q/pre/consent").get_data(as_text=True)
    # The workshop heads the page; the questionnaire's title comes after it.
    assert consent.index(TITLE) < consent.index("لاہور مکالمہ")
    assert "<bdi>Lahore</bdi> · 3–4 مارچ 2027" in consent
    assert f"<title>اس سوالنامے کے بارے میں – {TITLE}</title>" in consent
    assert browser.post("/q/pre/consent", PRE["consent"]).status_code == 302

    page = browser.get("/q/pre/views").get_data(as_text=True)

    assert 'lang="ur" dir="rtl"' in page
    assert "بھارت اپنے وعدے پورے کرتا ہے۔" in page  # the corrected Urdu, {other} filled
    assert "0 بہت سرد، 100 بہت گرم۔" in page  # a question's hint
    assert "آج کی اپنی رائے کے مطابق جواب دیں۔" in page  # the page's introduction
    browser.complete("pre", {page: PRE[page] for page in ("views", "plans")})
    response = participant.responses[0]
    db.session.refresh(response)
    assert response.status is ResponseStatus.SUBMITTED
    answers = {
        (a.question, a.item): a.number if a.number is not None else a.text for a in response.answers
    }
    assert answers[("warmth", "")] == 70
    assert answers[("topics", "")] == "culture sport"
    assert answers[("priorities", "visas")] == 3
    privacy = client.get("/privacy").get_data(as_text=True)
    assert f'<p class="survey-title" lang=""><bdi>{TITLE}</bdi></p>' in privacy
    assert privacy.index(TITLE, privacy.index("<body")) < privacy.index("<h1>رازداری کا نوٹس")


def _populate(workshop, per_group: int = 6):
    for group in ("india", "pakistan"):
        for number in range(per_group):
            participant = factories.participant(
                workshop, group, public_id=f"{group[:1].upper()}{number:04d}"
            )
            for wave, shift in (("pre", 0), ("post", 1)):
                answers = {
                    "trust_keeps": 2 + (number + shift) % 3,
                    "trust_hidden": 1 + number % 4,
                    "trust_direct": 2 + shift + number % 2,
                    "meta_trust": 1 + (number + shift) % 5,
                    "warmth": 40 + 5 * number + 10 * shift,
                    "priorities": {
                        "trade": 1 + number % 3,
                        "water": 1 + (number + 1) % 3,
                        "visas": 1 + (number + 2) % 3,
                    },
                }
                if wave == "pre":
                    answers |= {"topics": "culture", "hope": "More visas."}
                else:
                    answers |= {"again": "yes"}
                factories.response(participant, wave, answers)


def test_dashboards_exports_and_report_work_for_the_imported_questionnaire(workshop, make, client):
    _populate(workshop)
    sign_in(client, make.user("admin@example.org", admin=True))
    base = "/workshops/lahore/dashboard"
    failing = {}
    for page in ("", "/trust", "/perception", "/priorities", "/obstacles", "/text", "/report.html"):
        response = client.get(base + page)
        if response.status_code != 200:
            failing[page] = response.status_code
    # The obstacles page has no obstacles to show: it answers, with nothing to chart.
    assert failing == {}
    for fmt in ("long", "wide", "codebook", "datapackage"):
        response = client.get(f"/workshops/lahore/exports/{fmt}")
        assert response.status_code == 200 and response.get_data(), fmt
    long = client.get("/workshops/lahore/exports/long")
    rows = list(csv.DictReader(io.StringIO(long.get_data(as_text=True))))
    assert {row["instrument_version"] for row in rows} == {"lahore-2027@2"}
    codebook = client.get("/workshops/lahore/exports/codebook")
    entries = list(csv.DictReader(io.StringIO(codebook.get_data(as_text=True))))
    warmth = next(row for row in entries if row["variable"] == "pre_warmth")
    assert warmth["instrument_version"] == "lahore-2027@2"
    assert warmth["text"] == "How warm do you feel towards {other}?"
