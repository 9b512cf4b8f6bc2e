"""Dashboards from what the questionnaire declares: an instrument without a perception pair, a
ranking, an alpha score or any score gets every page, statistic, export and finding that applies
to what it has and no error for the rest; findings speak the dashboard's language with the
instrument's words."""

import copy
import json
import re

import pytest

from survey.dashboard.formatting import unbroken
from survey.extensions import db
from survey.instruments import instrument_from_definition, shipped_instrument
from survey.instruments.store import store
from tests.conftest import sign_in
from tests.dashboard_helpers import populate

PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")


def workshop_on(make, change):
    """A workshop whose waves use the shipped instrument changed by `change(document)`."""
    document = copy.deepcopy(shipped_instrument("nato-pakistan-2014").definition)
    change(document)
    version, _new = store(instrument_from_definition(document))
    ws = make.workshop(open_waves=("pre", "post"))
    for wave in ws.waves:
        wave.instrument_version = version
    db.session.commit()
    populate(ws, 8, seed=11, post_share=1.0)
    return ws


def without_roles(document):
    del document["analysis"]


def without_scores(document):
    del document["analysis"]
    del document["scores"]


@pytest.fixture
def bare(make, client):
    ws = workshop_on(make, without_roles)
    sign_in(client, make.user(grants={ws: ("organiser", "researcher")}))
    return ws


def page(client, ws, path="", **headers):
    response = client.get(f"/workshops/{ws.slug}/dashboard{path}", headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def tabs(html):
    nav = html.split('<nav class="tabs"')[1].split("</nav>")[0]
    return re.findall(r">([^<]+)</a>", nav)


def test_every_page_renders_and_the_tabs_follow_the_declared_roles(client, bare):
    for path in PAGES:
        html = page(client, bare, path)
        assert tabs(html) == [
            "Overview",
            "Trust",
            "Obstacles and outlook",
            "Free text",
            "Themes",
        ]
    assert "does not declare what this page shows (a pair of items behind the perception gap)" in (
        page(client, bare, "/perception")
    )
    assert "(a ranking question)" in page(client, bare, "/priorities")
    trust = page(client, bare, "/trust")
    assert "Cronbach" not in trust and 'data-figure="trust-cells-trust-data"' in trust
    overview = page(client, bare)
    assert "Among participants from NATO who answered both times" in overview
    # No perception gap (its sentences compare with what the other side "reported"), no
    # priorities, no asymmetry.
    assert "Kendall" not in overview and "reported" not in overview
    assert "top three" not in overview and "showed no clear difference (difference" not in overview
    report = client.get(f"/workshops/{bare.slug}/dashboard/report.html")
    assert report.status_code == 200
    html = report.get_data(as_text=True)
    assert 'id="trust"' in html and 'id="perception"' not in html and 'id="priorities"' not in html


def test_the_statistics_json_leaves_out_what_is_not_declared(client, runner, bare):
    body = client.get(f"/api/v1/workshops/{bare.slug}/stats").get_json()
    assert body["priorities"] is None
    assert body["perception"] == [] and body["asymmetry"] == [] and body["alpha"] == []
    assert list(body["scores"]) == ["trust", "trust_direct", "warmth", "meta_trust"]
    assert body["findings"] and not any("Kendall" in f for f in body["findings"])
    summary = runner.invoke(args=["stats", bare.slug]).output
    assert "Cronbach" not in summary and "Priorities" not in summary
    assert "Perception" not in summary and "Trust (7 statements) (trust)" in summary


def test_exports_of_an_instrument_without_roles(client, bare):
    for kind in ("long", "wide", "codebook"):
        response = client.get(f"/workshops/{bare.slug}/exports/{kind}")
        assert response.status_code == 200, kind
        assert response.get_data(as_text=True).count("\n") > 1


def test_an_instrument_without_scores_still_shows_its_answers(client, make):
    ws = workshop_on(make, without_scores)
    sign_in(client, make.user(grants={ws: "researcher"}))
    for path in PAGES:
        page(client, ws, path)
    trust = page(client, ws, "/trust")
    assert "declares no score" in trust
    assert 'data-figure="thermometer-warmth-data"' in trust
    assert 'data-figure="item-optimism-data"' in page(client, ws, "/obstacles")
    overview = page(client, ws)
    assert "Nothing to summarise yet" in overview
    body = client.get(f"/api/v1/workshops/{ws.slug}/stats").get_json()
    assert body["scores"] == {} and body["findings"] == []


def test_findings_in_the_dashboards_language_with_the_instruments_words(client, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 9, seed=12, post_share=1.0)
    sign_in(client, make.user(grants={ws: "organiser"}))
    english = page(client, ws)
    assert '<ul lang="en" dir="ltr">' in english.split('id="findings-title"')[1]
    french = page(client, ws, "?lang=fr")
    section = french.split('id="findings-title"')[1].split("</section>")[0]
    assert "Parmi les participants de l&#39;OTAN ayant répondu les deux fois" in section
    assert "la confiance envers le Pakistan" in section
    assert '<ul lang="fr" dir="ltr">' in french.split('id="findings-title"')[1]
    # The tabs keep the language asked for; the switch offers the others.
    assert f'href="/workshops/{ws.slug}/dashboard/trust?lang=fr"' in french
    assert '<strong lang="fr">Français</strong>' in french
    assert 'hreflang="ur"' in french and 'hreflang="en"' in french
    urdu = page(client, ws, **{"Accept-Language": "ur"})
    assert '<ul lang="ur" dir="rtl">' in urdu.split('id="findings-title"')[1]
    assert "نیٹو کے شرکاء" in urdu.split('id="findings-title"')[1]
    # A figure never breaks from its name: "(n =" at a line's end and "23)" on the next one
    # swapped places in Urdu.
    findings = urdu.split('id="findings-title"')[1].split("</section>")[0]
    assert "(n\u00a0=\u00a0" in findings and "(n = " not in findings
    # A language the instrument lacks falls back to its default one.
    assert "Among participants from NATO" in page(client, ws, "?lang=de")
    report = client.get(f"/workshops/{ws.slug}/dashboard/report.html?lang=fr")
    assert "Parmi les participants" in report.get_data(as_text=True)


def test_a_renamed_group_is_named_as_the_charts_name_it(client, make):
    ws = make.workshop(open_waves=("pre", "post"))
    ws.group("nato").label = "Alliance delegation"
    db.session.commit()
    populate(ws, 9, seed=13, post_share=1.0)
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = page(client, ws)
    assert "Among participants from Alliance delegation who answered both times" in html
    assert "Pakistani participants" in html
    document = json.loads(client.get(f"/api/v1/workshops/{ws.slug}/stats").get_data(as_text=True))
    assert any("Alliance delegation" in f for f in document["findings"])


def test_figures_are_kept_with_their_names_and_units():
    assert unbroken("rose (n = 23, 95 % CI 0.1 to 0.4; p < 0.001), p ajusté = 0,21") == (
        "rose (n\u00a0=\u00a023, 95\u00a0% CI 0.1 to 0.4; p\u00a0<\u00a00.001), "
        "p ajusté\u00a0=\u00a00,21"
    )
