"""Participant pages are light and self-contained: at most 12 KB each as sent compressed and
under 50 KB uncompressed (HTML, CSS and JS; fonts excluded), no Plotly, no third-party request,
Urdu fonts served by the app itself; pages, stylesheets and scripts compressed (brotli or gzip),
assets immutable under hashed names."""

import gzip
import re
from pathlib import Path

import brotli
import pytest

from survey.assets.routes import STATIC, asset_url
from survey.tokens import join_code
from tests.respond_helpers import PRE, Respondent, token_of

LIMIT = 50_000
COMPRESSED_LIMIT = 12 * 1024
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
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


def sent(client, path: str) -> bytes:
    """The bytes of an asset as sent to a browser that takes brotli."""
    with client.get(path, headers=BROWSER) as response:
        assert response.status_code == 200, path
        assert response.headers["Content-Encoding"] == "br", path
        return response.data


def test_every_page_weighs_at_most_12_kb_compressed_without_fonts(app, client, pages):
    level = app.config["COMPRESS_BR_LEVEL"]  # the page itself, compressed as Flask-Compress does
    for name, html in pages.items():
        weight = len(brotli.compress(html.encode(), quality=level))
        weight += sum(len(sent(client, path)) for path in ASSET.findall(html))
        assert weight <= COMPRESSED_LIMIT, (name, weight)


def test_pages_and_json_are_compressed_for_browsers_that_take_it(client, make):
    you = Respondent(client)
    you.open(token_of(make.participant(make.workshop())))
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        page = client.get("/q/pre/consent", headers={"Accept-Encoding": encoding})
        assert page.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in page.headers["Vary"]
        assert b"</html>" in decompress(page.data)
        steps = client.get(
            "/q/pre/steps.json",
            headers={"Accept-Encoding": encoding, "Accept": "application/json"},
        )
        assert steps.headers["Content-Encoding"] == encoding
        assert b'"html"' in decompress(steps.data)
    plain = client.get("/q/pre/consent")
    assert "Content-Encoding" not in plain.headers and b"</html>" in plain.data


def test_stylesheets_and_scripts_are_compressed_once_and_immutable(client):
    for name in ("css/app.css", "css/respond.css", "js/respond.js"):
        url = asset_url(name)
        source = (STATIC / name).read_text()
        with client.get(url, headers=BROWSER) as response:
            assert response.headers["Content-Encoding"] == "br"
            assert "immutable" in response.headers["Cache-Control"]
            assert "Accept-Encoding" in response.headers["Vary"]
            served = brotli.decompress(response.data).decode()
            etag = response.headers["ETag"]
        with client.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            assert gzip.decompress(response.data).decode() == served
        with client.get(url) as response:
            assert response.data.decode() == served  # identity: the same bytes
        # The comment lines stay in the source, for the people who read it; every line served
        # is a line of the source (the browser tests run the script as served).
        assert "/*" in source and len(served) < len(source)
        assert not [line for line in served.splitlines() if line.startswith(("/*", "//"))]
        assert set(served.splitlines()) <= {line.strip() for line in source.splitlines()}
        with client.get(url, headers={**BROWSER, "If-None-Match": etag}) as response:
            assert response.status_code == 304
    font = asset_url("fonts/NotoNastaliqUrdu-Regular.woff2")
    with client.get(font, headers=BROWSER) as response:
        assert "Content-Encoding" not in response.headers  # WOFF2 is compressed already


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


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_the_urdu_font_is_served_by_the_app_under_its_hashed_name(client, weight):
    css = (STATIC / "css/respond.css").read_text()
    font_url = asset_url(f"fonts/NotoNastaliqUrdu-{weight}.woff2")
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
    # Nothing leaves the page but for the page's own addresses: the form's action (each step's
    # data-url), the language switch (data-language) and the wave's steps that the page names
    # (data-steps).
    assert "XMLHttpRequest" not in js and "sendBeacon" not in js and "http" not in js.lower()
    assert re.findall(r"fetch\(([^,)]+)", js) == [
        "url",
        "status.dataset.language",
        "status.dataset.steps",
    ]
