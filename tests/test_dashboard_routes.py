import re

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent
from tests.conftest import sign_in
from tests.dashboard_helpers import populate

PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def url(ws, page=""):
    return f"/workshops/{ws.slug}/dashboard{page}"


@pytest.fixture
def workshop(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 8, seed=4, text={"hope_text": HOSTILE, "takeaway_text": "Keep talking"})
    return ws


def test_staff_without_a_grant_are_kept_out(client, make, workshop):
    for page in PAGES:
        response = client.get(url(workshop, page))
        assert response.status_code == 302 and "/auth/login" in response.location
    other = make.workshop()
    sign_in(client, make.user(grants={other: "organiser"}))
    for page in (*PAGES, "/report.html"):
        assert client.get(url(workshop, page)).status_code == 403
    assert client.get("/workshops/nowhere/dashboard").status_code == 404


@pytest.mark.parametrize("role", ["organiser", "researcher", "admin"])
def test_organisers_researchers_and_admins_see_every_page(client, make, workshop, role):
    user = make.user(admin=True) if role == "admin" else make.user(grants={workshop: role})
    sign_in(client, user)
    for page in PAGES:
        response = client.get(url(workshop, page))
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert workshop.title in html
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "'unsafe-inline'" in policy.split("style-src")[1]
        assert "<script>" not in html  # data blocks only: <script type="application/json">
        for figure in re.findall(r'data-figure="([^"]+)"', html):
            assert f'<script type="application/json" id="{figure}">' in html


def test_overview_shows_findings_funnel_and_matching(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "researcher"}))
    html = client.get(url(workshop)).get_data(as_text=True)
    assert "Findings" in html and "Among participants from NATO who answered both times" in html
    headline = html.split('id="headline-title"')[1].split("</section>")[0]
    assert "In short" in html and "among participants from NATO" in headline
    assert html.index('id="headline-title"') < html.index('id="findings-title"')
    assert re.search(r"<th scope=\"row\">NATO</th><td class=\"num\">8</td>", html)
    assert "Matched" in html
    # Researchers may download the report but not put free text in it.
    assert "Download the report" in html and "include_text" not in html


def test_every_chart_keeps_its_table_of_numbers_and_the_report_opens_with_the_headline(
    client, make, workshop
):
    """A chart is never the only place its numbers are: a table follows it in its section (or
    in the figure itself), on every page and in the report."""
    sign_in(client, make.user(grants={workshop: "researcher"}))
    report = client.get(url(workshop, "/report.html")).get_data(as_text=True)
    pages = {page: client.get(url(workshop, page)).get_data(as_text=True) for page in PAGES}
    for name, html in {**pages, "report": report}.items():
        figures = [m.start() for m in re.finditer(r'<figure class="chart"', html)]
        if name != "/text":
            assert figures, name
        for start in figures:
            end = html.find("</section>", start)
            assert "<table" in html[start : end if end != -1 else None], (name, start)
    body = report[report.index("<body") :]
    assert 'id="headline-title"' in body
    first_section = body[body.index("<section") :]
    assert first_section.index('id="headline-title"') < first_section.index("</section>")


def test_small_groups_are_suppressed_on_the_pages(client, make):
    ws = make.workshop(open_waves=("pre", "post"), min_cell=5)
    populate(ws, {"nato": 8, "pakistan": 3}, post_share=1.0, seed=9, text={"hope_text": "ok"})
    sign_in(client, make.user(grants={ws: "organiser"}))
    trust = client.get(url(ws, "/trust")).get_data(as_text=True)
    assert "suppressed (n &lt; 5)" in trust
    text = client.get(url(ws, "/text?question=hope_text")).get_data(as_text=True)
    assert text.count('<li dir="auto">ok</li>') == 8  # NATO's 8, never Pakistan's 3
    assert "suppressed (n &lt; 5)" in text


def test_a_number_withheld_to_protect_a_smaller_group_says_so(client, make):
    """One participant with no experience, ten with less than two years, nine with five to nine:
    the band of nine is withheld with its n shown, and the note says why it is withheld."""
    ws = make.workshop(open_waves=("pre",), min_cell=5)
    bands = ("none",) + ("lt2",) * 10 + ("5to9",) * 9
    populate(ws, {"nato": 20}, experiences=bands, post_share=0, text={"hope_text": "ok"}, seed=4)
    sign_in(client, make.user(grants={ws: "organiser"}))
    protected = 'class="suppressed">suppressed (would reveal n &lt; 5)<'
    small = 'class="suppressed">suppressed (n &lt; 5)<'
    for page in ("/trust", "/obstacles", "/text?question=hope_text"):
        joined = "&" if "?" in page else "?"
        nine = client.get(url(ws, f"{page}{joined}experience=5to9")).get_data(as_text=True)
        one = client.get(url(ws, f"{page}{joined}experience=none")).get_data(as_text=True)
        assert protected in nine and small not in nine and "n = 9" in nine, page
        assert small in one and protected not in one, page
    assert '<li dir="auto">ok</li>' not in nine


def test_filters_apply_and_bad_values_never_break_a_page(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "organiser"}))
    filtered = client.get(url(workshop, "/trust?sector=media&language=ur")).get_data(as_text=True)
    assert "Filtered:" in filtered and "Sector = Media" in filtered
    report = client.get(url(workshop, "/report.html?sector=media&language=ur"))
    assert "filtered:\n    Sector = Media, Language of the answers = Urdu." in report.get_data(
        as_text=True
    )
    link = f'href="/workshops/{workshop.slug}/dashboard/perception?sector=media&amp;language=ur"'
    assert link in filtered
    for query in ("?sector=%3Cscript%3E", "?experience=999", "?language=", "?question=x&wave=y"):
        for page in PAGES:
            response = client.get(url(workshop, page) + query)
            assert response.status_code == 200, (page, query)
    bad = client.get(url(workshop, "?sector=spies")).get_data(as_text=True)
    assert "Not a valid choice" in bad and "Filtered:" not in bad


def test_free_text_is_escaped_and_filterable(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "researcher"}))
    html = client.get(url(workshop, "/text")).get_data(as_text=True)
    assert HOSTILE not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "Keep talking" in html
    only_post = client.get(url(workshop, "/text?question=takeaway_text&wave=post")).get_data(
        as_text=True
    )
    assert "Keep talking" in only_post and "&lt;script&gt;" not in only_post
    assert "NATO · After the workshop" in only_post
    assert "NATO · Before the workshop" not in only_post


def test_report_download_is_one_file_and_an_audit_event(client, make, workshop):
    organiser = make.user(grants={workshop: "organiser"})
    sign_in(client, organiser)
    response = client.get(url(workshop, "/report.html?sector=media"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{workshop.slug}-report.html"'
    )
    html = response.get_data(as_text=True)
    assert "Keep talking" not in html  # no free text unless asked for
    with_text = client.get(url(workshop, "/report.html?include_text=1")).get_data(as_text=True)
    assert "Keep talking" in with_text and HOSTILE not in with_text
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.download").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor, e.detail) for e in events] == [
        (organiser.email, {"filters": {"sector": "media"}, "include_text": False}),
        (organiser.email, {"filters": {}, "include_text": True}),
    ]


def test_only_organisers_put_free_text_in_a_report(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "researcher"}))
    assert client.get(url(workshop, "/report.html?include_text=1")).status_code == 403
    assert client.get(url(workshop, "/report.html")).status_code == 200


def test_pages_follow_new_submissions(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "organiser"}))
    before = client.get(url(workshop)).get_data(as_text=True)
    populate(workshop, {"nato": 2}, seed=8, prefix="N")
    after = client.get(url(workshop)).get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">NATO</th><td class=\"num\">8</td>", before)
    assert re.search(r"<th scope=\"row\">NATO</th><td class=\"num\">10</td>", after)


def render_statements(app, client, slug: str, count_statements) -> dict[str, int]:
    """Statements per page on a first render (nothing cached), checking that a second render
    takes fewer."""
    counts = {}
    for page in PAGES:
        address = f"/workshops/{slug}/dashboard{page}"
        for cached in (False, True):
            if not cached:
                app.extensions.pop("dashboard_cache", None)  # computes afresh
            # As in production, the request starts its own session and transaction (the test's
            # session would otherwise carry its open transaction into the request).
            db.session.remove()
            with count_statements() as seen:
                assert client.get(address).status_code == 200
            if cached:
                assert len(seen.sent) <= counts[page]
            else:
                counts[page] = len(seen.sent)  # BEGIN included
    return counts


def test_a_render_takes_the_same_few_statements_for_10_or_1000_participants(
    app, client, make, count_statements
):
    small = make.workshop(open_waves=("pre", "post"))
    large = make.workshop(open_waves=("pre", "post"))
    populate(small, 5, seed=2)
    populate(large, 500, seed=2)
    sign_in(client, make.user(admin=True))
    slugs = small.slug, large.slug  # the workshops are detached from the session below
    counts = render_statements(app, client, slugs[1], count_statements)
    assert max(counts.values()) <= 10, counts
    assert render_statements(app, client, slugs[0], count_statements) == counts


def test_free_text_comes_a_page_at_a_time(client, make, workshop, monkeypatch):
    monkeypatch.setattr("survey.dashboard.routes.TEXT_PAGE", 3)
    sign_in(client, make.user(grants={workshop: "organiser"}))
    html = client.get(url(workshop, "/text?question=takeaway_text&page=2")).get_data(as_text=True)
    assert "Page 2 of 3" in html and "4–6 shown" in html
    assert 'rel="prev"' in html and 'rel="next"' in html and "page=3" in html
    assert "question=takeaway_text" in html.split('rel="next"')[0].rsplit("<a", 1)[1]
    for bad in ("abc", "-4", "0", "9" * 40):
        assert client.get(url(workshop, f"/text?page={bad}")).status_code == 200
    # Only the filters go on to the pager's links: a stray argument named like url_for's own
    # (slug, endpoint) or unknown to the form is left out, not a 500.
    for stray in ("slug=other", "endpoint=x", "_anchor=x", "colour=red"):
        reply = client.get(url(workshop, f"/text?question=takeaway_text&page=2&{stray}"))
        assert reply.status_code == 200
        html = reply.get_data(as_text=True)
        assert stray.split("=")[0] + "=" not in html and "question=takeaway_text&amp;page=3" in html


def test_free_text_follows_new_submissions(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "organiser"}))
    assert "Fresh idea" not in client.get(url(workshop, "/text")).get_data(as_text=True)
    populate(workshop, {"nato": 1}, seed=5, prefix="F", text={"hope_text": "Fresh idea"})
    assert "Fresh idea" in client.get(url(workshop, "/text")).get_data(as_text=True)
