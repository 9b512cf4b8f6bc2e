"""The paper questionnaire: every question of the wave with the codes to type in."""

import pytest

from survey.exports.paper import paper_questionnaire


def test_the_pre_wave_for_the_second_group_in_english(app, make):
    ws = make.workshop("paper")
    with app.test_request_context():  # the hints are interface strings, translated
        paper = paper_questionnaire(ws.wave("pre"), "pakistan", "en")
    questions = {q.code: q for page in paper.pages for q in page.questions}

    assert (paper.wave, paper.group, paper.version, paper.rtl) == (
        "pre",
        "pakistan",
        "nato-pakistan-2014@1",
        False,
    )
    instrument = ws.wave("pre").instrument_version.instrument
    assert list(questions) == [q.code for q in instrument.questions_for_wave("pre")]
    assert questions["trust_commitments"].text == (
        "NATO keeps the commitments it makes to Pakistan."
    )
    assert [(c.code, c.label) for c in questions["trust_commitments"].choices][-1] == (
        "-9",
        "Prefer not to answer",
    )
    assert [c.code for c in questions["priorities"].choices][:2] == [
        "counter_terrorism",
        "afghan_transition",
    ]
    assert "1 to 8" in questions["priorities"].hint
    assert "0 to 100" in questions["warmth"].hint and "-9" in questions["warmth"].hint
    assert questions["hope_text"].hint == "At most 2000 characters."
    assert questions["sector"].profile and "eval_overall" not in questions
    assert "NATO–Pakistan" in paper.consent


def test_urdu_is_right_to_left_and_translated(app, make):
    ws = make.workshop("paper-ur")
    with app.test_request_context():
        paper = paper_questionnaire(ws.wave("post"), "nato", "ur")
    first = paper.pages[0].questions[0]

    assert paper.rtl and paper.language == "ur"
    assert first.text and not first.text.isascii()


def test_unknown_group_or_language_is_a_key_error(app, make):
    ws = make.workshop("paper-bad")
    with pytest.raises(KeyError):
        paper_questionnaire(ws.wave("pre"), "martians", "en")
    with pytest.raises(KeyError):
        paper_questionnaire(ws.wave("pre"), "nato", "de")


@pytest.mark.parametrize("language", ["ur", "fr"])
def test_the_urdu_and_french_papers_have_no_english_left(client, make, language):
    from tests.conftest import sign_in

    ws = make.workshop("paper-words")
    sign_in(client, make.user(admin=True))  # a staff member reading English
    english = client.get(f"/workshops/{ws.slug}/paper/pre?group=pakistan&language=en")
    page = client.get(f"/workshops/{ws.slug}/paper/pre?group=pakistan&language={language}")
    assert page.status_code == 200
    printed = page.get_data(as_text=True).split("</form>", 1)[1]  # the staff's options aside
    words = english.get_data(as_text=True).split("</form>", 1)[1]
    for hint in (
        "Tick one answer.",
        "A whole number from 0 to 100",
        "Write a different rank",
        "At most 2000 characters.",
        "Participant code",
        "Submitted at (UTC)",
    ):
        assert hint in words
        assert hint not in printed, hint
    # What stays is the codes to type in: in brackets, as the long file's columns and codes.
    assert "[participant]" in printed and "[trust_commitments]" in printed
    # The console around the paper stays English, and says so.
    staff = page.get_data(as_text=True).split('<nav aria-label="Staff" lang="en" dir="ltr">')[1]
    assert "Sign out</button>" in staff.split("</nav>")[0]
