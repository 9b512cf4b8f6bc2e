"""The card codes' short address: /c/<code> and the form at /c, limited like the other links
and never logged."""

import logging
import urllib.error
import urllib.request

import pytest

from survey.extensions import db
from survey.models._types import utcnow
from survey.tokens import card_code, current_invitation, reissue_invitation
from tests.conftest import csrf_token
from tests.respond_helpers import token_of


@pytest.fixture
def ws(make):
    return make.workshop(open_waves=("pre",))


@pytest.fixture
def person(ws, make):
    return make.participant(ws, "nato")


def code_of(participant) -> str:
    code = card_code(current_invitation(participant))
    db.session.commit()
    return code


def type_code(client, typed: str, **environ):
    page = client.get("/c", environ_base=environ)
    assert page.status_code == 200
    return client.post(
        "/c",
        data={"code": typed, "csrf_token": csrf_token(page.get_data(as_text=True))},
        environ_base=environ,
    )


def test_the_short_address_opens_the_questionnaire_without_the_code_in_its_url(client, person):
    code = code_of(person)
    response = client.get(f"/c/{code.lower()}")

    assert response.status_code == 302 and response.location == "/q/pre/consent"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(response.location).status_code == 200


def test_the_form_takes_the_code_as_a_person_types_it(client, person):
    typed = code_of(person).replace("-", " ").lower().replace("0", "o")
    response = type_code(client, typed)

    assert response.status_code == 302 and response.location == "/q/pre/consent"


def test_the_form_says_what_is_wrong_and_keeps_the_page(client, person):
    code_of(person)
    empty = type_code(client, "")
    wrong = type_code(client, "7K3M-Q9TP-XW4R-2HNB-8D5F-C6JV-3R9A")

    assert empty.status_code == 422
    assert "Type the code printed on your card." in empty.get_data(as_text=True)
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert "This code does not work." in html and 'aria-invalid="true"' in html
    assert 'href="#code"' in html  # the error summary leads to the field


def test_the_form_needs_its_csrf_token(client):
    assert client.post("/c", data={"code": "7K3M-Q9TP-XW4R-2HNB-8D5F-C6JV-3R9A"}).status_code == 400


def test_the_form_is_translated(client):
    page = client.get("/c", headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page and "Type the code on your card" not in page


@pytest.mark.parametrize("language", ["en", "ur", "fr"])
def test_the_example_code_stays_whole_and_left_to_right(client, language):
    # In an Urdu sentence, an example broken at its dashes over two lines read as two codes.
    page = client.get("/c", headers={"Accept-Language": language}).get_data(as_text=True)
    assert page.count('<bdi class="code-example">7K3M-Q9TP-XW4R-2HNB-8D5F-C6JV-3R9A</bdi>') == 1


def test_unknown_revoked_and_withdrawn_cards_look_like_any_invalid_link(client, ws, make):
    revoked = make.participant(ws)
    old = code_of(revoked)
    reissue_invitation(revoked)
    withdrawn = make.participant(ws)
    gone = code_of(withdrawn)
    withdrawn.withdrawn_at = utcnow()
    db.session.commit()

    pages = [client.get(f"/c/{code}") for code in ("7K3M-Q9TP-XW4R-2HNB-8D5F-C6JV-3R9A", old, gone)]
    assert {page.status_code for page in pages} == {404}
    assert all("This link does not work" in page.get_data(as_text=True) for page in pages)


def test_failed_card_lookups_share_the_links_limit_and_never_stop_a_valid_card(
    app, client, ws, make
):
    app.config["FAILED_LOOKUP_LIMIT"] = "3 per minute"
    code = code_of(make.participant(ws))
    statuses = [client.get(f"/c/{'X' * 20}{i}").status_code for i in range(2)]
    statuses.append(type_code(client, "ABCD-ABCD-ABCD-ABCD-ABCD").status_code)
    statuses.append(client.get("/s/unknown").status_code)

    assert statuses == [404, 404, 422, 429]  # one budget for links, cards and join codes
    assert client.get("/c/unknown").status_code == 429
    assert type_code(client, "ABCD-ABCD-ABCD-ABCD-ABCD").status_code == 429
    assert client.get(f"/c/{code}").status_code == 302  # a valid card always opens
    assert type_code(client, code).status_code == 302


def test_the_card_code_never_reaches_a_log(live_server, person, caplog):
    code = code_of(person)
    token_of(person)

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # look at the redirect itself

    with caplog.at_level(logging.INFO), pytest.raises(urllib.error.HTTPError) as redirect:
        urllib.request.build_opener(Stay).open(f"{live_server}/c/{code}")
    redirect.value.close()
    assert redirect.value.code == 302
    assert "/c/[redacted]" in caplog.text
    assert code not in caplog.text and code.split("-")[2] not in caplog.text


def test_the_language_switch_of_the_code_form_comes_back_to_it(client):
    page = client.get("/c").get_data(as_text=True)
    assert 'name="next" value="/c"' in page
    switched = client.post(
        "/q/language", data={"language": "ur", "next": "/c", "csrf_token": csrf_token(page)}
    )
    assert switched.location == "/c"
    assert '<html lang="ur" dir="rtl">' in client.get("/c").get_data(as_text=True)
    # A code's own address is never a place to come back to.
    elsewhere = client.post(
        "/q/language", data={"language": "en", "next": "/c/7K3M", "csrf_token": csrf_token(page)}
    )
    assert elsewhere.location == "/q/"
