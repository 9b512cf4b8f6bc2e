"""The dashboard's two languages: the console around the findings is English, only the headline
and findings sentences are marked with the language chosen for them; the filter bar keeps that
language when it clears the filters, and names the filters in words."""

from html import unescape
from html.parser import HTMLParser

import pytest

from tests.conftest import sign_in
from tests.dashboard_helpers import populate

VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base"}


class TextLanguages(HTMLParser):
    """Each piece of text of the page with the language it is marked with (the nearest lang)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip():
            marked = [lang for _tag, lang in self.stack if lang]
            self.texts.append((" ".join(unescape(data).split()), marked[-1] if marked else None))


def languages_of(html: str) -> list[tuple[str, str | None]]:
    parser = TextLanguages()
    parser.feed(html)
    return parser.texts


def section(html: str, title_id: str) -> str:
    start = html.rindex("<section", 0, html.index(f'id="{title_id}"'))
    return html[start : html.index("</section>", start) + len("</section>")]


@pytest.fixture
def ws(make, client):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 9, seed=12, post_share=1.0)
    sign_in(client, make.user(grants={ws: "organiser"}))
    return ws


def page(client, ws, path="", **headers):
    response = client.get(f"/workshops/{ws.slug}/dashboard{path}", headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language, direction", [("ur", "rtl"), ("fr", "ltr")])
def test_only_the_sentences_carry_the_findings_language(client, ws, language, direction):
    html = page(client, ws, f"?lang={language}")
    # The page is the organiser's (English here): the console's words around the sentences are
    # never marked with the findings' language, and every sentence is.
    console = {"In short", "Findings", "Findings in:", "·"}
    for title_id in ("headline-title", "findings-title"):
        part = section(html, title_id)
        texts = languages_of(part)
        unmarked = [text for text, lang in texts if lang is None]
        assert unmarked and all(
            text in console or text.startswith("Generated from the numbers") for text in unmarked
        ), unmarked
        assert f'<ul lang="{language}" dir="{direction}">' in part
        start = part.index(f'<ul lang="{language}"')
        sentences = languages_of(part[start : part.index("</ul>", start)])
        assert sentences and all(lang == language for _text, lang in sentences)
    assert 'lang="en">English</a>' in section(html, "findings-title")


def test_the_fallback_lines_are_the_consoles(client, make):
    ws = make.workshop(open_waves=("pre", "post"))
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = page(client, ws, "?lang=ur")
    texts = languages_of(section(html, "headline-title")) + languages_of(
        section(html, "findings-title")
    )
    assert any(text.startswith("Nothing to summarise yet") and lang is None for text, lang in texts)
    assert any(text.startswith("No findings yet") and lang is None for text, lang in texts)
    assert 'lang="ur"' not in section(html, "headline-title")


def test_the_report_marks_the_findings_the_same_way(client, ws):
    html = client.get(f"/workshops/{ws.slug}/dashboard/report.html?lang=ur").get_data(as_text=True)
    texts = languages_of(section(html, "findings-title"))
    assert ("Findings", None) in texts
    assert any(lang == "ur" for _text, lang in texts)


def test_clear_appears_only_with_filters_and_keeps_the_findings_language(client, ws):
    assert ">Clear</a>" not in page(client, ws, "/trust?lang=ur")
    html = page(client, ws, "/trust?lang=ur&sector=military")
    assert f'<a href="/workshops/{ws.slug}/dashboard/trust?lang=ur">Clear</a>' in html
    # A value the instrument does not know is a filter to clear too.
    assert f'<a href="/workshops/{ws.slug}/dashboard/trust">Clear</a>' in page(
        client, ws, "/trust?sector=nonsense"
    )
    text = page(client, ws, "/text?lang=fr&question=hope_text")
    assert f'<a href="/workshops/{ws.slug}/dashboard/text?lang=fr">Clear</a>' in text


def test_the_filter_summary_names_filters_and_choices_in_words(client, ws):
    html = page(client, ws, "/trust?lang=ur&sector=military&language=ur&experience=lt2")
    note = " ".join(html.split('class="muted suppression-note">')[1].split("</p>")[0].split())
    assert note.startswith(
        "Filtered: Sector = Military, Years of experience with the other side = Less than 2 "
        "years, Language of the answers = Urdu."
    )
    assert "sector = military" not in html
