"""The error pages speak the participant's language: their title and advice come from the
catalogues, like the rest of the page, never half in English."""

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from survey.errors import FORM_EXPIRED, MESSAGES
from survey.security import NUL_REFUSED

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "survey" / "translations"
LANGUAGES = ("ur", "fr")
ENGLISH = {message for pair in MESSAGES.values() for message in pair} | {FORM_EXPIRED, NUL_REFUSED}


def compiled(language: str) -> gettext.GNUTranslations:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        return gettext.GNUTranslations(f)


def error_strings() -> set[str]:
    """Every string the error pages translate: survey/errors.py and survey/security.py
    (pybabel's default keywords, N_ among them) and the error template."""
    sources = [("python", ROOT / "survey" / name) for name in ("errors.py", "security.py")]
    sources += [("jinja2", path) for path in (ROOT / "templates" / "errors").glob("*.html")]
    return {
        message if isinstance(message, str) else message[0]
        for method, path in sources
        for _line, message, _comments, _context in extract_from_file(method, str(path))
    }


def english_left(html: str) -> list[str]:
    escaped = {message.replace("'", "&#39;") for message in ENGLISH}
    return sorted(message for message in ENGLISH | escaped if message in html)


def test_every_error_message_is_extracted():
    assert error_strings() >= ENGLISH


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_message_is_translated(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    for message in error_strings():
        entry = catalog.get(message)
        assert entry and entry.string and not entry.fuzzy, message
        assert entry.string != message, message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_not_found_carries_no_english_message(client, language):
    response = client.get("/no/such/page", headers={"Accept-Language": language})
    html = response.get_data(as_text=True)
    words = compiled(language)
    assert response.status_code == 404
    assert f'<html lang="{language}"' in html
    title, advice = MESSAGES[404]
    assert f"<h1>{words.gettext(title)}</h1>" in html
    assert words.gettext(advice) in html
    assert english_left(html) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_card_codes_carries_no_english_message(app, client, language):
    app.config["FAILED_LOOKUP_LIMIT"] = "1 per minute"
    headers = {"Accept-Language": language}
    assert client.get("/c/XXXX-XXXX-XXXX-XXXX-XXXX", headers=headers).status_code == 404
    response = client.get("/c/XXXX-XXXX-XXXX-XXXX-XXX1", headers=headers)
    html = response.get_data(as_text=True)
    words = compiled(language)
    assert response.status_code == 429
    title, advice = MESSAGES[429]
    assert f"<h1>{words.gettext(title)}</h1>" in html
    assert words.gettext(advice) in html
    assert words.gettext("Error %(code)s") % {"code": 429} in html
    assert english_left(html) == []


@pytest.mark.parametrize("code", [400, 410, 500])
@pytest.mark.parametrize("language", LANGUAGES)
def test_other_error_pages_are_translated_too(app, client, language, code):
    from flask import abort

    def fail():
        if code == 500:
            raise RuntimeError("internal detail")
        abort(code)

    app.add_url_rule(f"/fail-{code}", f"fail_{code}", fail)
    html = client.get(f"/fail-{code}", headers={"Accept-Language": language}).get_data(as_text=True)
    words = compiled(language)
    assert all(words.gettext(message) in html for message in MESSAGES[code])
    assert english_left(html) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expired_form_is_explained_in_the_participants_language(app, client, language):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/c", data={"code": "X"}, headers={"Accept-Language": language})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert compiled(language).gettext(FORM_EXPIRED).replace("'", "&#39;") in html
    assert english_left(html) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_character_is_explained_in_the_participants_language(client, language):
    response = client.get("/c?code=%00", headers={"Accept-Language": language})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert compiled(language).gettext(NUL_REFUSED).replace("'", "&#39;") in html
    assert english_left(html) == []


def test_the_api_keeps_its_messages_in_english(app):
    response = app.test_client().get("/api/nothing-here", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert response.json["error"] == MESSAGES[404][0]
