"""The title of every participant page says what the page is before whose it is: it is what
the browser's tab shows and what a screen reader says first on arriving (the join, link, card,
thank-you and window pages had only the workshop's title, or none at all)."""

import re

from survey.extensions import db
from survey.organise.workshops import close_wave
from survey.tokens import join_code
from tests.respond_helpers import PRE, Respondent, hidden, token_of

TITLE = "Test workshop"


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_joining_and_the_personal_link_name_their_pages(client, make):
    ws = make.workshop()
    code = join_code(ws.group("nato"))
    html = client.get(f"/join/{code}").get_data(as_text=True)
    assert title_of(html) == f"Join the questionnaire – {TITLE}"
    answers = {"mother": "Sa", "day": "7", "town": "Karachi", "siblings": "2"}
    client.post(f"/join/{code}", data={**answers, "csrf_token": hidden(html, "csrf_token")})
    link = client.get("/q/link").get_data(as_text=True)
    assert title_of(link) == f"Your personal link – {TITLE}"


def test_the_card_form_is_named_though_no_workshop_heads_it(client):
    assert title_of(client.get("/c").get_data(as_text=True)) == "Type the code on your card"


def test_the_thank_you_and_window_pages_are_named(client, make):
    ws = make.workshop()
    you = Respondent(client)
    you.open(token_of(make.participant(ws)))
    you.complete("pre", PRE)
    you.get("/q/pre/thanks")
    assert title_of(you.html) == f"Thank you – {TITLE}"
    close_wave(ws.wave("pre"))
    db.session.commit()
    other = Respondent(client.application.test_client())
    other.open(token_of(make.participant(ws)))
    other.get("/q/pre/consent")
    assert title_of(other.html) == f"This questionnaire has closed – {TITLE}"


def test_a_question_page_keeps_its_title(client, make):
    you = Respondent(client)
    you.open(token_of(make.participant(make.workshop())))
    you.get("/q/pre/consent")
    assert title_of(you.html) == f"About this questionnaire – {TITLE}"


def test_a_page_shown_again_with_problems_says_so_first(client, make):
    # A screen reader reads the title on arriving: it must not sound like the page before.
    you = Respondent(client)
    you.open(token_of(make.participant(make.workshop())))
    you.answer("pre", "consent", PRE["consent"])
    response = you.answer("pre", "overall", {"trust_direct": "3", "warmth": "500"})
    assert response.status_code == 422
    assert title_of(you.html) == f"Error: Overall trust – {TITLE}"
    you.get("/q/pre/overall")
    assert title_of(you.html) == f"Overall trust – {TITLE}"
    html = client.get("/c?code=nonsense").get_data(as_text=True)
    html = client.post("/c", data={"code": "", "csrf_token": hidden(html, "csrf_token")})
    assert title_of(html.get_data(as_text=True)) == "Error: Type the code on your card"
