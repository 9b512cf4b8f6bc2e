"""The console's navigation and form errors, as a new user meets them: every console page keeps
the workshop's menu (waves included), and a form error names its field and says why."""

import re

import pytest

from tests.conftest import csrf_token, sign_in


@pytest.fixture
def ws(make):
    return make.workshop("nav", open_waves=("pre",))


def menu(html: str) -> str:
    found = re.search(
        r'<nav class="workshop-nav[^"]*" aria-label="Workshop">(.*?)</nav>', html, re.S
    )
    assert found, "no workshop menu"
    return found.group(1)


@pytest.mark.parametrize(
    "path",
    ["exports", "responses/import", "monitor", "participants", "roster", "groups", "waves/pre"],
)
def test_every_console_page_keeps_the_workshops_menu_with_its_waves(client, make, ws, path):
    sign_in(client, make.user(admin=True))
    html = client.get(f"/workshops/{ws.slug}/{path}").get_data(as_text=True)

    links = menu(html)
    assert f'href="/workshops/{ws.slug}/waves/pre"' in links
    assert f'href="/workshops/{ws.slug}/waves/post"' in links
    assert f'href="/workshops/{ws.slug}/exports"' in links
    assert f'href="/workshops/{ws.slug}/monitor"' in links


def test_a_researcher_sees_the_menu_without_the_organisers_pages(client, make, ws):
    sign_in(client, make.user(grants={ws: "researcher"}))
    links = menu(client.get(f"/workshops/{ws.slug}/exports").get_data(as_text=True))
    assert "/exports" in links and "/waves/" not in links and "/participants" not in links


def test_the_current_page_is_marked_in_the_menu(client, make, ws):
    sign_in(client, make.user(admin=True))
    links = menu(client.get(f"/workshops/{ws.slug}/monitor").get_data(as_text=True))
    assert f'<a href="/workshops/{ws.slug}/monitor" aria-current="page">' in links


def test_form_errors_are_listed_by_field_at_the_top(client, make, ws):
    sign_in(client, make.user(admin=True))
    page = client.get("/workshops/new").get_data(as_text=True)
    response = client.post(
        "/workshops/new",
        data={
            "csrf_token": csrf_token(page),
            "title": "",
            "slug": ws.slug,  # taken
            "instrument": "nato-pakistan-2014",
            "timezone": "Asia/Karachi",
            "min_cell": "1",
        },
    )
    html = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert '<a href="#title">Title: This field is required.</a>' in summary
    assert '<a href="#min_cell">Smallest group shown in results: ' in summary


def test_a_taken_short_name_is_reported_at_its_field(client, make, ws):
    sign_in(client, make.user(admin=True))
    page = client.get("/workshops/new").get_data(as_text=True)
    html = client.post(
        "/workshops/new",
        data={
            "csrf_token": csrf_token(page),
            "title": "Again",
            "slug": ws.slug,
            "instrument": "nato-pakistan-2014",
            "timezone": "Asia/Karachi",
            "min_cell": "5",
        },
    ).get_data(as_text=True)
    assert re.search(r'<p class="error-message" id="slug-error">[^<]*exists already', html)


def test_two_equal_group_labels_are_reported_at_the_fields(client, make, ws):
    sign_in(client, make.user(admin=True))
    page = client.get(f"/workshops/{ws.slug}/groups").get_data(as_text=True)
    response = client.post(
        f"/workshops/{ws.slug}/groups",
        data={"csrf_token": csrf_token(page), "label_nato": "Same", "label_pakistan": "same"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "flash-error" not in html
    assert re.search(r'id="label_pakistan-error">[^<]*same label', html)
    assert '<a href="#label_pakistan">' in html


@pytest.mark.parametrize(
    "path",
    [
        "/workshops/nav",
        "/workshops/nav/coding",
        "/workshops/nav/dashboard",
        "/workshops/nav/mail",
        "/instruments",
        "/admin/users",
    ],
)
def test_a_browser_asking_for_urdu_does_not_mirror_the_english_console(client, make, ws, path):
    # The console is written in English: laid out right to left, its sentences would end with
    # their full stop at the start of the line and its times would read "PKT 09:00 2026-11-18".
    sign_in(client, make.user(admin=True))
    html = client.get(path, headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    # Nor does it mix Urdu words into it: its locale is English.
    assert "Sign out" in html
    assert "سائن آؤٹ" not in html


def test_an_error_in_the_console_is_in_english_too(client, make):
    sign_in(client, make.user(admin=True))
    response = client.get("/workshops/no-such-workshop", headers={"Accept-Language": "ur"})
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr">' in response.get_data(as_text=True)


def test_a_translated_page_keeps_the_urdu_browsers_language(client, ws):
    # The error pages are translated: they follow the browser, right to left in Urdu.
    html = client.get("/no/such/page", headers={"Accept-Language": "ur"}).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in html
