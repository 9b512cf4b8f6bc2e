"""The application factory, health check, error pages and security headers."""

import functools
import logging
import re

import pytest

from survey import create_app
from survey.redaction import redact
from survey.tokens import join_code
from tests.conftest import csrf_token, sign_in
from tests.factories import PASSWORD


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "counters": "ok"}


def test_home_page_explains_and_links_to_sign_in(client):
    html = client.get("/").get_data(as_text=True)
    assert "Dialogue Survey" in html and "Taking part?" in html
    assert 'href="/auth/login"' in html and 'href="/c"' in html


def test_the_home_page_speaks_the_participants_language(client, make):
    # Where every error page leads: in Urdu for a browser that asks for it, as the error was.
    missing = client.get("/no/such/page", headers={"Accept-Language": "ur"}).text
    assert '<html lang="ur" dir="rtl">' in missing and 'href="/"' in missing
    html = client.get("/", headers={"Accept-Language": "ur"}).text
    assert '<html lang="ur" dir="rtl">' in html and "کیا آپ شرکت کر رہے ہیں؟" in html
    assert '<section class="staff-way-in" lang="en" dir="ltr">' in html  # the console's English
    # Its language switch comes back to it, and is remembered.
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert 'name="next" value="/"' in html
    switched = client.post("/q/language", data={"language": "fr", "next": "/", "csrf_token": token})
    assert switched.status_code == 302 and switched.location == "/"
    assert "Vous participez ?" in client.get("/").text
    sign_in(client, make.user())
    assert 'href="/workshops">Your workshops</a>' in client.get("/").text


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("path, code", [("/no/such/page", 404), ("/healthz", 405)])
def test_error_pages_say_what_happened(client, path, code):
    response = client.post(path) if code == 405 else client.get(path)
    assert response.status_code == code
    assert "<h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("code", [400, 403, 404, 410, 429, 500])
def test_every_error_page_says_what_happened_in_plain_words(app, client, code):
    from flask import abort

    from survey.errors import MESSAGES

    app.add_url_rule(f"/abort-{code}", f"abort_{code}", lambda: abort(code))
    response = client.get(f"/abort-{code}")
    assert response.status_code == code
    body = response.get_data(as_text=True)
    title, advice = MESSAGES[code]
    assert title in body and advice in body
    api = app.test_client().get("/api/nothing-here")
    assert api.status_code == 404 and api.json["status"] == 404


def test_unexpected_error_gets_a_plain_500_page(app, client):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("internal detail")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "internal detail" not in body


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}")


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    from config import DevelopmentConfig

    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    first = create_app("development").config["SECRET_KEY"]
    second = create_app("development").config["SECRET_KEY"]
    assert first == second and len(first) >= 48
    assert create_app("development").config["SQLALCHEMY_DATABASE_URI"].endswith("survey.db")


def test_redact_removes_tokens_from_paths():
    assert redact("GET /s/AbC123-_x?x=1 HTTP/1.1") == "GET /s/[redacted]?x=1 HTTP/1.1"
    assert redact("/join/Zz9") == "/join/[redacted]"
    assert redact("/workshops/demo") == "/workshops/demo"


def test_application_log_never_shows_a_token(app, caplog):
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        app.logger.info("opened %s", "/s/secret-token-value")
    assert "secret-token-value" not in caplog.text
    assert "/s/[redacted]" in caplog.text


def test_assets_are_content_hashed_and_cached_for_a_year(client):
    from survey.assets.routes import asset_url

    url = asset_url("vendor/plotly/plotly-basic.min.js")
    assert url.startswith("/assets/vendor/plotly/plotly-basic.min.") and url.endswith(".js")
    response = client.get(url)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    response.close()
    assert client.get("/assets/vendor/plotly/plotly-basic.min.000000000000.js").status_code == 404
    assert client.get("/assets/../config.py").status_code == 404


def test_gunicorn_access_log_atoms_never_show_a_token():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from survey.redaction import RedactingGunicornLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/s/Secret-Token_123?lang=ur",
        "PATH_INFO": "/s/Secret-Token_123",
        "QUERY_STRING": "lang=ur",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://venue.example/join/JoinCode42",
    }
    response = SimpleNamespace(status="302 FOUND", headers=[], sent=0)
    logger = RedactingGunicornLogger(Config())
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    atoms = logger.atoms_wrapper_class(atoms)  # as the access log's format reads them
    line = " ".join(str(atoms[key]) for key in atoms)
    assert "Secret-Token_123" not in line and "JoinCode42" not in line
    assert atoms["r"] == "GET /s/[redacted]?lang=ur HTTP/1.1"


def test_languages_are_named_in_english_or_in_themselves():
    from survey.i18n import language_name

    assert [language_name(code) for code in ("en", "ur", "fr", "fr-CA")] == [
        "English",
        "Urdu",
        "French",
        "French (Canada)",
    ]
    assert [language_name(code, code) for code in ("en", "ur", "fr")] == [
        "English",
        "اردو",
        "Français",
    ]
    assert language_name("zz") == "zz"  # unknown: its code


def test_forms_work_over_https_where_browsers_send_no_referer(app, make):
    """Behind the TLS proxy every request is secure, and no-referrer means no Referer: staff
    sign-in and a participant's form must still go through on their token alone."""
    client = app.test_client()

    class https:  # the client, every request over HTTPS
        get = functools.partial(client.get, base_url="https://localhost")
        post = functools.partial(client.post, base_url="https://localhost")

    user = make.user()
    page = https.get("/auth/login")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    signed_in = https.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert signed_in.status_code == 302 and signed_in.location.endswith("/workshops")
    ws = make.workshop()
    join = f"/join/{join_code(ws.group('nato'))}"
    form = https.get(join).get_data(as_text=True)
    answers = {"mother": "Ma", "day": "7", "town": "La", "siblings": "1"}
    joined = https.post(join, data={**answers, "csrf_token": csrf_token(form)})
    assert joined.status_code == 302 and joined.location.endswith("/q/link")
    # The token is still the check.
    refused = https.post(join, data={**answers, "csrf_token": "forged"})
    assert refused.status_code == 400
