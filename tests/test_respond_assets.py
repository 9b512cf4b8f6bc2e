"""Participant pages are light and self-contained: under 50 KB each (HTML, CSS and JS; fonts
excluded), no Plotly, no third-party request, and an Urdu font served by the app itself."""

import re
from pathlib import Path

import pytest

from survey.assets.routes import STATIC, asset_url
from survey.tokens import join_code
from tests.respond_helpers import PRE, Respondent, token_of

LIMIT = 50_000
ASSET = re.compile(r'(?:href|src)="(/assets/[^"]+)"')
URL = re.compile(r"""(?:href|src|action)=["']([^"']+)["']|url\(["']?([^)"']+)""")


def fetch(client, path: str) -> bytes:
    with client.get(path) as response:  # closes the file the asset was sent from
        assert response.status_code == 200, path
        return response.data


@pytest.fixture
def pages(client, make):
    """Every participant page in English and Urdu: path -> (status, html)."""
    ws = make.workshop()
    collected = {}
    for language in ("en", "ur"):
        you = Respondent(client.application.test_client())
        you.open(token_of(make.participant(ws, language=language)))
        for page, data in PRE.items():
            you.get(f"/q/pre/{page}")
            collected[f"{language} {page}"] = you.html
            you.post(f"/q/pre/{page}", data)
        for path in ("/q/pre/review", "/privacy", "/q/link"):
            you.get(path)
            collected[f"{language} {path}"] = you.html
        you.post("/q/pre/review", {}, nav="submit")
        you.get("/q/pre/thanks")
        collected[f"{language} thanks"] = you.html
        you.get(f"/join/{join_code(ws.group('nato'))}")
        collected[f"{language} join"] = you.html
        you.get("/s/not-a-token")
        collected[f"{language} invalid link"] = you.html
    return collected


def test_every_page_weighs_under_50_kb_without_fonts(client, pages):
    for name, html in pages.items():
        assets = ASSET.findall(html)
        assert assets, name
        weight = len(html.encode()) + sum(len(fetch(client, path)) for path in assets)
        assert weight < LIMIT, (name, weight)


def test_no_plotly_and_no_third_party_request(client, pages):
    for name, html in pages.items():
        assert "plotly" not in html.lower(), name
        for match in URL.finditer(html):
            url = match.group(1) or match.group(2)
            local = url.startswith(("/", "#", "http://localhost/s/")) or url == "data:,"
            assert local, (name, url)
    for name in ("css/app.css", "css/respond.css", "js/respond.js"):
        text = (STATIC / name).read_text()
        assert "http://" not in text and "https://" not in text, name
        for match in URL.finditer(text):
            assert (match.group(1) or match.group(2)).startswith("/assets/"), (name, match.group())


def test_the_urdu_font_is_served_by_the_app_under_its_hashed_name(client):
    css = (STATIC / "css/respond.css").read_text()
    font_url = asset_url("fonts/NotoNastaliqUrdu-Regular.woff2")
    assert f'url("{font_url}")' in css  # the CSS names the current file (update it with the font)
    with client.get(font_url) as response:
        assert response.status_code == 200 and response.data[:4] == b"wOF2"
        assert "immutable" in response.headers["Cache-Control"]
    licence = (STATIC / "fonts/OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_participant_pages_have_no_inline_script_or_style(pages):
    for name, html in pages.items():
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), name
        assert " style=" not in html and "<style" not in html, name
        assert "onclick" not in html.lower(), name


def test_the_script_is_an_enhancement_only(pages):
    # The pages name their script once, deferred; everything it touches has a no-script form.
    for name, html in pages.items():
        assert html.count("js/respond.") == 1, name
        assert "defer" in re.search(r"<script[^>]+>", html).group(), name
    js = Path(STATIC / "js/respond.js").read_text()
    assert "fetch(" not in js and "XMLHttpRequest" not in js  # nothing leaves the page
