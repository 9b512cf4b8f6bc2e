"""The download page and the paper questionnaire in real Chromium."""

import pytest

from tests import exports_data
from tests.browser_helpers import sign_in

pytestmark = pytest.mark.browser


def console_errors(page) -> list[str]:
    """Console errors of the page, except the browser's own request for /favicon.ico."""
    errors: list[str] = []

    def seen(message) -> None:
        if message.type == "error" and "favicon.ico" not in message.location.get("url", ""):
            errors.append(message.text)

    page.on("console", seen)
    return errors


def test_a_researcher_downloads_each_format_from_the_page(app, make, live_server, page):
    ws = exports_data.build(make, "browser")
    researcher = make.user(grants={ws: "researcher"})
    errors = console_errors(page)
    sign_in(page, live_server, researcher)
    page.goto(f"{live_server}/workshops/{ws.slug}/exports")

    with page.expect_download() as download:
        page.click("text=Long (CSV)")
    data = download.value.path().read_bytes()
    assert download.value.suggested_filename == "browser-long-spreadsheet.csv"
    assert data.startswith(b"\xef\xbb\xbf") and "باہمی اعتماد".encode() in data

    page.uncheck("input[name=spreadsheet]")
    page.check("input[name=labels][value=y]")
    page.select_option("select[name=language]", "fr")
    with page.expect_download() as download:
        page.click("text=Wide (CSV)")
    assert download.value.suggested_filename == "browser-wide-labels-fr.csv"
    assert "Plutôt d'accord".encode() in download.value.path().read_bytes()
    assert errors == []


def test_the_paper_questionnaire_prints_without_the_controls(app, make, live_server, page):
    ws = make.workshop("browser-paper")
    organiser = make.user(grants={ws: "organiser"})
    errors = console_errors(page)
    sign_in(page, live_server, organiser)

    page.goto(f"{live_server}/workshops/{ws.slug}/paper/pre")
    page.select_option("select[name=language]", "ur")
    page.click("text=Show")
    page.wait_for_url("**language=ur**")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("text=[trust_commitments]").count() == 1
    # Looked at on a phone (the page fixture is 360 px wide), it does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.emulate_media(media="print")
    assert not page.locator(".paper-options").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".paper-question").first.is_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert errors == []
